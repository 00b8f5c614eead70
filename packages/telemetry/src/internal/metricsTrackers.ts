/**
 * The seed's ready-made trackers (HTTP requests, database queries, service calls, cache
 * operations) under stable names, declared once per process.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { globalValue } from "effect/GlobalValue"
import { type AnyHandle, defaultBuckets, definition, internalsOf, unsafeDeclare } from "./metricsDeclare.js"
import type { Family } from "./metricsFamily.js"
import type { CounterChild, GaugeChild, HistogramChild } from "./metricsModels.js"
import { measure } from "./metricsTimed.js"

/**
 * The names the trackers record under. They are fixed (no namespace or subsystem) so that
 * dashboards and alerts work for every service; other packages record under them too.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * Metrics.MetricNames.httpRequestsTotal // "http_requests_total"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const MetricNames = {
  httpRequestsTotal: "http_requests_total",
  httpRequestDurationSeconds: "http_request_duration_seconds",
  httpRequestErrorsTotal: "http_request_errors_total",
  httpRequestsInProgress: "http_requests_in_progress",
  dbQueriesTotal: "db_queries_total",
  dbQueryDurationSeconds: "db_query_duration_seconds",
  dbQueryErrorsTotal: "db_query_errors_total",
  serviceCallsTotal: "service_calls_total",
  serviceCallDurationSeconds: "service_call_duration_seconds",
  serviceCallErrorsTotal: "service_call_errors_total",
  cacheOperationsTotal: "cache_operations_total",
  cacheOperationDurationSeconds: "cache_operation_duration_seconds",
  cacheHitTotal: "cache_hit_total",
  cacheMissTotal: "cache_miss_total",
  cacheErrorsTotal: "cache_errors_total"
} as const

/**
 * One HTTP request. `duration` is a `Duration` input: a plain number is milliseconds.
 * `error` (an error code or tag) also counts the request in `http_request_errors_total`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestSample {
  readonly method: string
  readonly route: string
  readonly status: number | string
  readonly duration: Duration.DurationInput
  readonly error?: string | undefined
}

/**
 * One database query (`operation`: `select`, `insert`, ...; `entity`: the table or model).
 *
 * @since 0.1.0
 * @category models
 */
export interface DbQuerySample {
  readonly operation: string
  readonly entity: string
  readonly duration: Duration.DurationInput
  readonly error?: string | undefined
}

/**
 * One call of a component's action (an external API, another service).
 *
 * @since 0.1.0
 * @category models
 */
export interface ServiceCallSample {
  readonly component: string
  readonly action: string
  readonly duration: Duration.DurationInput
  readonly error?: string | undefined
}

/**
 * One cache operation. `hit` (for reads) counts a hit or a miss; `component` (default
 * `"default"`) says which cache.
 *
 * @since 0.1.0
 * @category models
 */
export interface CacheOperationSample {
  readonly operation: string
  readonly backend: string
  readonly duration: Duration.DurationInput
  readonly hit?: boolean | undefined
  readonly component?: string | undefined
  readonly error?: string | undefined
}

const dbBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
const cacheBuckets = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

const family = <Child>(
  kind: "counter" | "gauge" | "histogram",
  name: string,
  description: string,
  labelNames: ReadonlyArray<string>,
  buckets?: ReadonlyArray<number>
): Family<Child> => {
  const handle: AnyHandle = unsafeDeclare(definition(kind, name, { description, labelNames, buckets }, true))
  return internalsOf<Child>(handle).family
}

const make = () => ({
  requests: family<CounterChild>("counter", MetricNames.httpRequestsTotal, "HTTP requests served", [
    "method",
    "route",
    "status"
  ]),
  requestDuration: family<HistogramChild>(
    "histogram",
    MetricNames.httpRequestDurationSeconds,
    "HTTP request duration in seconds",
    ["method", "route", "status"],
    defaultBuckets
  ),
  requestErrors: family<CounterChild>("counter", MetricNames.httpRequestErrorsTotal, "HTTP requests that failed", [
    "method",
    "route",
    "error"
  ]),
  requestsInProgress: family<GaugeChild>("gauge", MetricNames.httpRequestsInProgress, "HTTP requests in progress", [
    "method",
    "route"
  ]),
  queries: family<CounterChild>("counter", MetricNames.dbQueriesTotal, "Database queries", ["operation", "entity"]),
  queryDuration: family<HistogramChild>(
    "histogram",
    MetricNames.dbQueryDurationSeconds,
    "Database query duration in seconds",
    ["operation", "entity"],
    dbBuckets
  ),
  queryErrors: family<CounterChild>("counter", MetricNames.dbQueryErrorsTotal, "Database queries that failed", [
    "operation",
    "entity",
    "error"
  ]),
  calls: family<CounterChild>("counter", MetricNames.serviceCallsTotal, "Service calls", ["component", "action"]),
  callDuration: family<HistogramChild>(
    "histogram",
    MetricNames.serviceCallDurationSeconds,
    "Service call duration in seconds",
    ["component", "action"],
    defaultBuckets
  ),
  callErrors: family<CounterChild>("counter", MetricNames.serviceCallErrorsTotal, "Service calls that failed", [
    "component",
    "action",
    "error"
  ]),
  cacheOperations: family<CounterChild>("counter", MetricNames.cacheOperationsTotal, "Cache operations", [
    "operation",
    "backend",
    "component"
  ]),
  cacheDuration: family<HistogramChild>(
    "histogram",
    MetricNames.cacheOperationDurationSeconds,
    "Cache operation duration in seconds",
    ["operation", "backend", "component"],
    cacheBuckets
  ),
  cacheHits: family<CounterChild>("counter", MetricNames.cacheHitTotal, "Cache hits", ["backend", "component"]),
  cacheMisses: family<CounterChild>("counter", MetricNames.cacheMissTotal, "Cache misses", ["backend", "component"]),
  cacheErrors: family<CounterChild>("counter", MetricNames.cacheErrorsTotal, "Cache operations that failed", [
    "operation",
    "backend",
    "component",
    "error"
  ])
})

// Declared when this module loads, so a conflicting user declaration is the one that fails.
const metrics = globalValue(Symbol.for("@strata/telemetry/Metrics/trackers"), make)

// Values are coerced, so a label set of the right length always resolves (never throws).
const text = (value: unknown): string => typeof value === "string" ? value : String(value)

/** @internal */
export const recordRequest = (sample: RequestSample): void => {
  const method = text(sample.method)
  const route = text(sample.route)
  const labels = [method, route, text(sample.status)]
  metrics.requests.unsafeResolve(labels).unsafeInc()
  metrics.requestDuration.unsafeResolve(labels).unsafeObserve(Duration.toSeconds(sample.duration))
  if (sample.error !== undefined) metrics.requestErrors.unsafeResolve([method, route, text(sample.error)]).unsafeInc()
}

/** @internal */
export const requestInProgress = (method: string, route: string): GaugeChild =>
  metrics.requestsInProgress.unsafeResolve([text(method), text(route)])

/** @internal */
export const recordDbQuery = (sample: DbQuerySample): void => {
  const labels = [text(sample.operation), text(sample.entity)]
  metrics.queries.unsafeResolve(labels).unsafeInc()
  metrics.queryDuration.unsafeResolve(labels).unsafeObserve(Duration.toSeconds(sample.duration))
  if (sample.error !== undefined) metrics.queryErrors.unsafeResolve([...labels, text(sample.error)]).unsafeInc()
}

/** @internal */
export const recordServiceCall = (sample: ServiceCallSample): void => {
  const labels = [text(sample.component), text(sample.action)]
  metrics.calls.unsafeResolve(labels).unsafeInc()
  metrics.callDuration.unsafeResolve(labels).unsafeObserve(Duration.toSeconds(sample.duration))
  if (sample.error !== undefined) metrics.callErrors.unsafeResolve([...labels, text(sample.error)]).unsafeInc()
}

/** @internal */
export const recordCacheOperation = (sample: CacheOperationSample): void => {
  const backend = text(sample.backend)
  const component = sample.component === undefined ? "default" : text(sample.component)
  const labels = [text(sample.operation), backend, component]
  metrics.cacheOperations.unsafeResolve(labels).unsafeInc()
  metrics.cacheDuration.unsafeResolve(labels).unsafeObserve(Duration.toSeconds(sample.duration))
  if (sample.hit === true) metrics.cacheHits.unsafeResolve([backend, component]).unsafeInc()
  else if (sample.hit === false) metrics.cacheMisses.unsafeResolve([backend, component]).unsafeInc()
  if (sample.error !== undefined) metrics.cacheErrors.unsafeResolve([...labels, text(sample.error)]).unsafeInc()
}

/**
 * Times an effect with `Clock` and records it with `record` (its error tag as `error` when
 * it failed; nothing when it was interrupted).
 *
 * @internal
 */
export const timedWith = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  record: (duration: Duration.Duration, error: string | undefined) => void
): Effect.Effect<A, E, R> =>
  measure(self, noop, (seconds, error) => record(Duration.seconds(seconds), error), noop)

const noop = (): void => {}
