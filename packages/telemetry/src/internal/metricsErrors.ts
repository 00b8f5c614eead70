/**
 * Errors of `Metrics`: a label set that does not fit a metric, and a metric that cannot be
 * declared (bad name, or the name is taken by a different definition). Re-exported by `Metrics`.
 *
 * @internal
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

type Options = Schema.MakeOptions | undefined

/**
 * A label set does not match the label names the metric was declared with (a missing, an
 * extra or a misspelt label, or a value that is not a string or number). Nothing is recorded:
 * a wrong label set never becomes a new series.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const error = new Metrics.MetricLabelsMismatch({ metric: "orders_total", expected: ["status"], received: ["state"] })
 * error.message // "Metric orders_total expects labels (status) but received (state)"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MetricLabelsMismatch extends Schema.TaggedError<MetricLabelsMismatch>()("MetricLabelsMismatch", {
  metric: Schema.String,
  expected: Schema.Array(Schema.String),
  received: Schema.Array(Schema.String),
  message: Schema.String
}, HttpApiSchema.annotations({ status: 500 })) {
  constructor(
    props: {
      readonly metric: string
      readonly expected: ReadonlyArray<string>
      readonly received: ReadonlyArray<string>
      readonly message?: string | undefined
    },
    options?: Options
  ) {
    super({
      ...props,
      message: props.message ??
        `Metric ${props.metric} expects labels (${props.expected.join(", ")}) but received (${
          props.received.join(", ")
        })`
    }, options)
  }
  /** @since 0.1.0 */
  get code(): "METRIC_LABELS_MISMATCH" {
    return "METRIC_LABELS_MISMATCH"
  }
  /** @since 0.1.0 */
  get status(): 500 {
    return 500
  }
}

/**
 * A metric cannot be declared: its name or a label name is not valid in Prometheus, its
 * buckets or quantiles are invalid, or the name is already declared with another type,
 * other label names or other buckets.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const error = new Metrics.MetricDefinitionError({ metric: "orders_total", reason: "already declared as a gauge" })
 * error.message // "Cannot declare metric orders_total: already declared as a gauge"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MetricDefinitionError extends Schema.TaggedError<MetricDefinitionError>()("MetricDefinitionError", {
  metric: Schema.String,
  reason: Schema.String,
  message: Schema.String
}, HttpApiSchema.annotations({ status: 500 })) {
  constructor(
    props: { readonly metric: string; readonly reason: string; readonly message?: string | undefined },
    options?: Options
  ) {
    super({ ...props, message: props.message ?? `Cannot declare metric ${props.metric}: ${props.reason}` }, options)
  }
  /** @since 0.1.0 */
  get code(): "METRIC_DEFINITION_ERROR" {
    return "METRIC_DEFINITION_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 500 {
    return 500
  }
}
