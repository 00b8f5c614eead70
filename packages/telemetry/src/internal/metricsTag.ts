/**
 * The `Metrics` service: its tag, its shape and its settings. Re-exported by `Metrics`.
 *
 * @internal
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as internalConfig from "./metricsConfig.js"
import type { MetricDefinitionError, MetricLabelsMismatch } from "./metricsErrors.js"
import type * as M from "./metricsModels.js"
import type { CacheOperationSample, DbQuerySample, RequestSample, ServiceCallSample } from "./metricsTrackers.js"

/**
 * Any error of this module.
 *
 * @since 0.1.0
 * @category errors
 */
export type MetricError = MetricLabelsMismatch | MetricDefinitionError

/**
 * Settings of the service (the seed's `MetricsConfig`):
 *
 * - `namespace`, `subsystem`: prefixes of the metrics you declare (`shop` + `api` +
 *   `orders_total` → `shop_api_orders_total`). The trackers' names are never prefixed.
 * - `defaultLabels`: labels `Prometheus.render` adds to every series (its own labels win).
 * - `enabled` (default `true`): when `false`, declared metrics and trackers record nothing.
 *
 * @example
 * ```ts
 * import type { Metrics } from "@strata/telemetry"
 *
 * const options: Metrics.Options = { namespace: "shop", defaultLabels: { service: "api" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly namespace?: string | undefined
  readonly subsystem?: string | undefined
  readonly defaultLabels?: Readonly<Record<string, string>> | undefined
  readonly enabled?: boolean | undefined
}

/**
 * The settings in effect (blank namespace and subsystem become `undefined`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings extends internalConfig.Settings {}

/** @internal */
export type Combinator<R = never> = <A, E, R2>(self: Effect.Effect<A, E, R2>) => Effect.Effect<A, E, R | R2>

/**
 * The service. Declaring a name again with the same type, label names and buckets returns
 * the same handle; anything else fails with `MetricDefinitionError`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly settings: Settings
  readonly counter: <const L extends string = never>(
    name: string,
    options?: M.MetricOptions<L>
  ) => Effect.Effect<M.Counter<L>, MetricDefinitionError>
  readonly gauge: <const L extends string = never>(
    name: string,
    options?: M.MetricOptions<L>
  ) => Effect.Effect<M.Gauge<L>, MetricDefinitionError>
  readonly histogram: <const L extends string = never>(
    name: string,
    options?: M.HistogramOptions<L>
  ) => Effect.Effect<M.Histogram<L>, MetricDefinitionError>
  readonly summary: <const L extends string = never>(
    name: string,
    options?: M.SummaryOptions<L>
  ) => Effect.Effect<M.Summary<L>, MetricDefinitionError>
  readonly trackRequest: (sample: RequestSample) => Effect.Effect<void>
  readonly trackRequestInProgress: (request: { readonly method: string; readonly route: string }) => Combinator
  readonly trackDbQuery: (sample: DbQuerySample) => Effect.Effect<void>
  readonly timedDbQuery: (query: { readonly operation: string; readonly entity: string }) => Combinator
  readonly trackServiceCall: (sample: ServiceCallSample) => Effect.Effect<void>
  readonly timedServiceCall: (call: { readonly component: string; readonly action: string }) => Combinator
  readonly trackCacheOperation: (sample: CacheOperationSample) => Effect.Effect<void>
}

/**
 * The metrics service.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const metrics = yield* Metrics.Metrics
 *   yield* metrics.trackDbQuery({ operation: "select", entity: "user", duration: "87 millis" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Metrics extends Context.Tag("@strata/telemetry/Metrics")<Metrics, Service>() {}
