/**
 * Accessors of the `Metrics` service: declaring metrics and the trackers. Re-exported by
 * `Metrics`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type { MetricDefinitionError } from "./metricsErrors.js"
import type * as M from "./metricsModels.js"
import { type Combinator, Metrics } from "./metricsTag.js"
import type { CacheOperationSample, DbQuerySample, RequestSample, ServiceCallSample } from "./metricsTrackers.js"

/**
 * Declares a counter (or returns the one declared before under that name).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const signups = yield* Metrics.counter("user_registrations_total", { labelNames: ["source", "role"] })
 *   yield* signups.inc({ source: "web", role: "customer" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const counter = <const L extends string = never>(
  name: string,
  options?: M.MetricOptions<L>
): Effect.Effect<M.Counter<L>, MetricDefinitionError, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.counter<L>(name, options))

/**
 * Declares a gauge (or returns the one declared before under that name).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const queue = yield* Metrics.gauge("jobs_queued")
 *   yield* queue.inc()
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const gauge = <const L extends string = never>(
  name: string,
  options?: M.MetricOptions<L>
): Effect.Effect<M.Gauge<L>, MetricDefinitionError, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.gauge<L>(name, options))

/**
 * Declares a histogram with custom buckets (or returns the one declared before).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const h = yield* Metrics.histogram("order_processing_seconds", {
 *     labelNames: ["type"],
 *     buckets: [0.1, 0.5, 1, 5, 10]
 *   })
 *   yield* h.observe({ type: "standard" }, 1.7)
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const histogram = <const L extends string = never>(
  name: string,
  options?: M.HistogramOptions<L>
): Effect.Effect<M.Histogram<L>, MetricDefinitionError, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.histogram<L>(name, options))

/**
 * Declares a summary (or returns the one declared before under that name).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const s = yield* Metrics.summary("payload_bytes", { quantiles: [0.5, 0.9], maxAge: "5 minutes" })
 *   yield* s.observe(2048)
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const summary = <const L extends string = never>(
  name: string,
  options?: M.SummaryOptions<L>
): Effect.Effect<M.Summary<L>, MetricDefinitionError, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.summary<L>(name, options))

/**
 * Records one HTTP request: `http_requests_total` and `http_request_duration_seconds`
 * `{method, route, status}`, and `http_request_errors_total{method, route, error}` when
 * `error` is set.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const track = Metrics.trackRequest({ method: "GET", route: "/api/users", status: 200, duration: "125 millis" })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const trackRequest = (sample: RequestSample): Effect.Effect<void, never, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.trackRequest(sample))

/**
 * Counts an effect in `http_requests_in_progress{method, route}` while it runs.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const handled = Effect.succeed("ok").pipe(Metrics.trackRequestInProgress({ method: "GET", route: "/" }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const trackRequestInProgress = (request: { readonly method: string; readonly route: string }) =>
<A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.trackRequestInProgress(request)(self))

/**
 * Records one database query: `db_queries_total`, `db_query_duration_seconds`
 * `{operation, entity}`, and `db_query_errors_total{operation, entity, error}`.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const track = Metrics.trackDbQuery({ operation: "select", entity: "user", duration: "87 millis" })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const trackDbQuery = (sample: DbQuerySample): Effect.Effect<void, never, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.trackDbQuery(sample))

/**
 * Times an effect as a database query (the seed's `track_db_select(entity=...)`); a failure
 * is counted with its error tag.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const users = Effect.succeed([]).pipe(Metrics.timedDbQuery({ operation: "select", entity: "user" }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timedDbQuery = (query: { readonly operation: string; readonly entity: string }): Combinator<Metrics> =>
(self) => Effect.flatMap(Metrics, (metrics) => metrics.timedDbQuery(query)(self))

/**
 * Records one service call: `service_calls_total`, `service_call_duration_seconds`
 * `{component, action}`, and `service_call_errors_total{component, action, error}`.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const track = Metrics.trackServiceCall({ component: "weather_api", action: "get_forecast", duration: "342 millis" })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const trackServiceCall = (sample: ServiceCallSample): Effect.Effect<void, never, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.trackServiceCall(sample))

/**
 * Times an effect as a service call; a failure is counted with its error tag.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const forecast = Effect.succeed(21).pipe(Metrics.timedServiceCall({ component: "weather_api", action: "forecast" }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timedServiceCall = (call: { readonly component: string; readonly action: string }): Combinator<Metrics> =>
(self) => Effect.flatMap(Metrics, (metrics) => metrics.timedServiceCall(call)(self))

/**
 * Records one cache operation: `cache_operations_total`, `cache_operation_duration_seconds`
 * `{operation, backend, component}`, `cache_hit_total` / `cache_miss_total`
 * `{backend, component}` when `hit` is set, `cache_errors_total` when `error` is.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const track = Metrics.trackCacheOperation({
 *   operation: "get",
 *   backend: "redis",
 *   hit: true,
 *   duration: 4,
 *   component: "user_profile"
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const trackCacheOperation = (sample: CacheOperationSample): Effect.Effect<void, never, Metrics> =>
  Effect.flatMap(Metrics, (metrics) => metrics.trackCacheOperation(sample))
