/**
 * The public shapes of `Metrics`: metric handles, their bound children and options.
 * Re-exported by `Metrics`.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as MetricState from "effect/MetricState"
import type { MetricLabelsMismatch } from "./metricsErrors.js"

/**
 * A label value: numbers (a status code) are rendered with `String`.
 *
 * @since 0.1.0
 * @category models
 */
export type LabelValue = string | number

/**
 * A label set by name: exactly the declared label names, each with a value.
 *
 * @example
 * ```ts
 * import type { Metrics } from "@strata/telemetry"
 *
 * const labels: Metrics.Labels<"method" | "route"> = { method: "GET", route: "/users" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Labels<L extends string> = { readonly [K in L]: LabelValue }

/**
 * A label set by name, or the values alone in the order of the declared label names (the
 * cheaper form for hot code).
 *
 * @example
 * ```ts
 * import type { Metrics } from "@strata/telemetry"
 *
 * const byName: Metrics.LabelInput<"method" | "route"> = { method: "GET", route: "/users" }
 * const byPosition: Metrics.LabelInput<"method" | "route"> = ["GET", "/users"]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type LabelInput<L extends string> = Labels<L> | ReadonlyArray<LabelValue>

/**
 * A counter bound to one label set. `inc` never fails; negative amounts are ignored
 * (counters only go up).
 *
 * @since 0.1.0
 * @category models
 */
export interface CounterChild {
  readonly inc: (amount?: number) => Effect.Effect<void>
  /** Increments synchronously: for hot code that is not an Effect. */
  readonly unsafeInc: (amount?: number) => void
  readonly value: Effect.Effect<number>
}

/**
 * A gauge bound to one label set.
 *
 * @since 0.1.0
 * @category models
 */
export interface GaugeChild {
  readonly set: (value: number) => Effect.Effect<void>
  readonly inc: (amount?: number) => Effect.Effect<void>
  readonly dec: (amount?: number) => Effect.Effect<void>
  readonly unsafeSet: (value: number) => void
  readonly unsafeInc: (amount?: number) => void
  readonly unsafeDec: (amount?: number) => void
  readonly value: Effect.Effect<number>
}

/**
 * A histogram bound to one label set. `value` holds cumulative bucket counts.
 *
 * @since 0.1.0
 * @category models
 */
export interface HistogramChild {
  readonly observe: (value: number) => Effect.Effect<void>
  readonly unsafeObserve: (value: number) => void
  readonly value: Effect.Effect<MetricState.MetricState.Histogram>
}

/**
 * A summary bound to one label set. Quantiles are computed over the samples of the last
 * `maxAge` (at most `maxSize` of them).
 *
 * @since 0.1.0
 * @category models
 */
export interface SummaryChild {
  readonly observe: (value: number) => Effect.Effect<void>
  readonly unsafeObserve: (value: number) => void
  readonly value: Effect.Effect<MetricState.MetricState.Summary>
}

/**
 * What every metric handle has. `labels` returns the child bound to a label set, cached per
 * label set: bind once, record many times. It fails with `MetricLabelsMismatch` when the
 * labels are not exactly the declared ones; `unsafeLabels` throws that error instead.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handle<Tag extends string, L extends string, Child> {
  readonly _tag: Tag
  /** The full name, with namespace and subsystem. */
  readonly name: string
  readonly description: string | undefined
  readonly labelNames: ReadonlyArray<L>
  readonly labels: (labels: LabelInput<L>) => Effect.Effect<Child, MetricLabelsMismatch>
  readonly unsafeLabels: (labels: LabelInput<L>) => Child
}

/**
 * Records with labels (`(labels, x)`, may fail with `MetricLabelsMismatch`) or, for a
 * metric without labels, without them (`(x)`, never fails).
 *
 * @since 0.1.0
 * @category models
 */
export type Recorder<L extends string, A> = [L] extends [never] ? (value: A) => Effect.Effect<void>
  : (labels: LabelInput<L>, value: A) => Effect.Effect<void, MetricLabelsMismatch>

/**
 * Reads the current value of one series (the labels are required when the metric has any).
 *
 * @since 0.1.0
 * @category models
 */
export type Reader<L extends string, A> = [L] extends [never] ? () => Effect.Effect<A>
  : (labels: LabelInput<L>) => Effect.Effect<A, MetricLabelsMismatch>

/**
 * A counter: a value that only goes up (requests served, errors).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const orders = yield* Metrics.counter("orders_total", { description: "Orders placed", labelNames: ["channel"] })
 *   yield* orders.inc({ channel: "web" })
 *   yield* orders.inc({ channel: "web" }, 2)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Counter<L extends string = never> extends Handle<"Counter", L, CounterChild> {
  readonly inc: [L] extends [never] ? (amount?: number) => Effect.Effect<void>
    : (labels: LabelInput<L>, amount?: number) => Effect.Effect<void, MetricLabelsMismatch>
  readonly value: Reader<L, number>
}

/**
 * A gauge: a value that goes up and down (queue depth, connections in use).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const active = yield* Metrics.gauge("active_users", { labelNames: ["tenant"] })
 *   yield* active.set({ tenant: "main" }, 42)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Gauge<L extends string = never> extends Handle<"Gauge", L, GaugeChild> {
  readonly set: Recorder<L, number>
  readonly inc: [L] extends [never] ? (amount?: number) => Effect.Effect<void>
    : (labels: LabelInput<L>, amount?: number) => Effect.Effect<void, MetricLabelsMismatch>
  readonly dec: [L] extends [never] ? (amount?: number) => Effect.Effect<void>
    : (labels: LabelInput<L>, amount?: number) => Effect.Effect<void, MetricLabelsMismatch>
  readonly value: Reader<L, number>
}

/**
 * A histogram: counts observations in buckets (durations in seconds, sizes in bytes).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const latency = yield* Metrics.histogram("order_processing_seconds", { buckets: [0.1, 0.5, 1, 5] })
 *   yield* latency.observe(0.7)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Histogram<L extends string = never> extends Handle<"Histogram", L, HistogramChild> {
  readonly observe: Recorder<L, number>
  readonly value: Reader<L, MetricState.MetricState.Histogram>
}

/**
 * A summary: quantiles of the observations of a sliding time window.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const sizes = yield* Metrics.summary("response_size_bytes", { quantiles: [0.5, 0.99] })
 *   yield* sizes.observe(512)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary<L extends string = never> extends Handle<"Summary", L, SummaryChild> {
  readonly observe: Recorder<L, number>
  readonly value: Reader<L, MetricState.MetricState.Summary>
}

/**
 * Options of every metric: a description (the Prometheus `# HELP`) and the label names.
 *
 * @since 0.1.0
 * @category models
 */
export interface MetricOptions<L extends string> {
  readonly description?: string | undefined
  readonly labelNames?: ReadonlyArray<L> | undefined
}

/**
 * Options of a histogram: the upper bounds of its buckets (`+Inf` is always added).
 * Default: `Metrics.defaultBuckets`.
 *
 * @since 0.1.0
 * @category models
 */
export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  readonly buckets?: ReadonlyArray<number> | undefined
}

/**
 * Options of a summary: the quantiles to report (default 0.5, 0.9, 0.99), the window of
 * samples they are computed over (`maxAge`, default 10 minutes; at most `maxSize`, default
 * 1024 samples) and the allowed error (default 0.01).
 *
 * @since 0.1.0
 * @category models
 */
export interface SummaryOptions<L extends string> extends MetricOptions<L> {
  readonly quantiles?: ReadonlyArray<number> | undefined
  readonly maxAge?: Duration.DurationInput | undefined
  readonly maxSize?: number | undefined
  readonly error?: number | undefined
}

/**
 * Options of the timing combinators:
 *
 * - `inProgress`: `true` adds a `<base>_in_progress` gauge (same labels), or pass your gauge.
 * - `errors` (default `true`): count failures in `<base>_errors_total` with the histogram's
 *   labels plus `error` (the error's `_tag`, its `name`, or `Defect`); or pass your counter;
 *   `false` for none.
 *
 * `<base>` is the histogram name without `_seconds` and `_duration`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimerOptions<L extends string> {
  readonly inProgress?: boolean | Gauge<L> | undefined
  readonly errors?: boolean | Counter<L | "error"> | undefined
}

/**
 * Options of `Metrics.timed`: the timer options and the labels of this execution.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimedOptions<L extends string> extends TimerOptions<L> {
  readonly labels?: LabelInput<L> | undefined
}

/**
 * Options of `Metrics.timedFunction`: the timer options and labels computed from the
 * function's arguments.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimedFunctionOptions<Args extends ReadonlyArray<unknown>, L extends string>
  extends TimerOptions<L>
{
  readonly labels?: ((...args: Args) => LabelInput<L>) | undefined
}
