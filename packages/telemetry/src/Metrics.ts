/**
 * Application metrics over effect's `Metric`: counters, gauges, histograms and summaries
 * with declared label names, the seed's ready-made trackers (HTTP requests, database
 * queries, service calls, cache operations) and combinators that time an effect.
 *
 * Everything records into effect's global metric registry, so `Prometheus.render` shows
 * these metrics next to the ones other code records with plain `effect/Metric`.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as internalConfig from "./internal/metricsConfig.js"
import * as declare from "./internal/metricsDeclare.js"
import type { MetricLabelsMismatch } from "./internal/metricsErrors.js"
import type * as M from "./internal/metricsModels.js"
import * as service from "./internal/metricsService.js"
import { type MetricError, Metrics, type Options, type Service, type Settings } from "./internal/metricsTag.js"
import * as timer from "./internal/metricsTimed.js"

export {
  /** @since 0.1.0 */
  MetricDefinitionError,
  /** @since 0.1.0 */
  MetricLabelsMismatch
} from "./internal/metricsErrors.js"

export type {
  /** @since 0.1.0 */
  Counter,
  /** @since 0.1.0 */
  CounterChild,
  /** @since 0.1.0 */
  Gauge,
  /** @since 0.1.0 */
  GaugeChild,
  /** @since 0.1.0 */
  Handle,
  /** @since 0.1.0 */
  Histogram,
  /** @since 0.1.0 */
  HistogramChild,
  /** @since 0.1.0 */
  HistogramOptions,
  /** @since 0.1.0 */
  LabelInput,
  /** @since 0.1.0 */
  Labels,
  /** @since 0.1.0 */
  LabelValue,
  /** @since 0.1.0 */
  MetricOptions,
  /** @since 0.1.0 */
  Reader,
  /** @since 0.1.0 */
  Recorder,
  /** @since 0.1.0 */
  Summary,
  /** @since 0.1.0 */
  SummaryChild,
  /** @since 0.1.0 */
  SummaryOptions,
  /** @since 0.1.0 */
  TimedFunctionOptions,
  /** @since 0.1.0 */
  TimedOptions,
  /** @since 0.1.0 */
  TimerOptions
} from "./internal/metricsModels.js"

export {
  /** @since 0.1.0 */
  type CacheOperationSample,
  /** @since 0.1.0 */
  type DbQuerySample,
  /** @since 0.1.0 */
  MetricNames,
  /** @since 0.1.0 */
  type RequestSample,
  /** @since 0.1.0 */
  type ServiceCallSample
} from "./internal/metricsTrackers.js"

export {
  /** @since 0.1.0 */
  type MetricError,
  /** @since 0.1.0 */
  Metrics,
  /** @since 0.1.0 */
  type Options,
  /** @since 0.1.0 */
  type Service,
  /** @since 0.1.0 */
  type Settings
} from "./internal/metricsTag.js"

export {
  /** @since 0.1.0 */
  counter,
  /** @since 0.1.0 */
  gauge,
  /** @since 0.1.0 */
  histogram,
  /** @since 0.1.0 */
  summary,
  /** @since 0.1.0 */
  timedDbQuery,
  /** @since 0.1.0 */
  timedServiceCall,
  /** @since 0.1.0 */
  trackCacheOperation,
  /** @since 0.1.0 */
  trackDbQuery,
  /** @since 0.1.0 */
  trackRequest,
  /** @since 0.1.0 */
  trackRequestInProgress,
  /** @since 0.1.0 */
  trackServiceCall
} from "./internal/metricsAccessors.js"

/**
 * Builds the service from options.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const metrics = Metrics.make({ namespace: "shop" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Service = service.make

/**
 * The service with the given options.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const MetricsLive = Metrics.layer({ namespace: "shop", defaultLabels: { service: "api" } })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Metrics> => Layer.sync(Metrics, () => make(options))

/**
 * The settings from configuration, nested under `metrics`: env `METRICS_NAMESPACE`,
 * `METRICS_SUBSYSTEM`, `METRICS_DEFAULT_LABELS` (`service=api,env=prod`; a mapping in YAML)
 * and `METRICS_ENABLED`.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const settings = Effect.runSync(Metrics.config) // { namespace: undefined, ..., enabled: true }
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const config: Config.Config<Settings> = internalConfig.config

/**
 * The service configured by `Metrics.config`.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const main = Metrics.trackRequest({ method: "GET", route: "/", status: 200, duration: 5 }).pipe(
 *   Effect.provide(Metrics.layerConfig)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Metrics, ConfigError.ConfigError> = Layer.effect(
  Metrics,
  Effect.map(config, (settings) => make(settings))
)


/**
 * Times an effect into a histogram (or summary) in seconds, by `Clock`. Failures are counted
 * in `<base>_errors_total{..., error}`; `inProgress: true` adds a `<base>_in_progress` gauge
 * (see `TimerOptions`). An interrupted run is not measured.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const latency = yield* Metrics.histogram("report_duration_seconds", { labelNames: ["kind"] })
 *   yield* Effect.sleep("2 seconds").pipe(Metrics.timed(latency, { labels: { kind: "daily" }, inProgress: true }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timed: {
  <L extends string>(
    metric: M.Histogram<L> | M.Summary<L>,
    options?: M.TimedOptions<L>
  ): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | MetricError, R>
  <A, E, R, L extends string>(
    self: Effect.Effect<A, E, R>,
    metric: M.Histogram<L> | M.Summary<L>,
    options?: M.TimedOptions<L>
  ): Effect.Effect<A, E | MetricError, R>
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(
    self: Effect.Effect<A, E, R>,
    metric: M.Histogram<string> | M.Summary<string>,
    options: M.TimedOptions<string> = {}
  ): Effect.Effect<A, E | MetricError, R> => timer.makeTimer(metric, options)(options.labels)(self)
)

/**
 * Wraps a function returning an effect so every call is timed (the seed's
 * `timed_function`), with labels computed from its arguments.
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const duration = yield* Metrics.histogram("fetch_external_data_seconds", { labelNames: ["resource_type"] })
 *   const fetchData = Metrics.timedFunction(duration, (id: string) => Effect.succeed({ id }), {
 *     labels: (id) => ({ resource_type: id.split("-")[0] ?? "unknown" })
 *   })
 *   return yield* fetchData("user-42")
 * })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timedFunction = <Args extends ReadonlyArray<unknown>, A, E, R, L extends string = never>(
  metric: M.Histogram<L> | M.Summary<L>,
  f: (...args: Args) => Effect.Effect<A, E, R>,
  options: M.TimedFunctionOptions<Args, L> = {}
): (...args: Args) => Effect.Effect<A, E | MetricError, R> => {
  const time = timer.makeTimer(metric as M.Histogram<string>, options as M.TimerOptions<string>)
  const labels = options.labels
  return (...args) => time(labels === undefined ? undefined : labels(...args))(f(...args))
}

/**
 * Adds one to a gauge while an effect runs (the seed's `track_in_progress`).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const running = yield* Metrics.gauge("imports_running", { labelNames: ["source"] })
 *   yield* Effect.sleep("1 minute").pipe(Metrics.trackInProgress(running, { source: "csv" }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const trackInProgress = <L extends string>(gauge: M.Gauge<L>, labels?: M.LabelInput<L>) =>
<A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | MetricLabelsMismatch, R> =>
  timer.trackInProgress(self, gauge as M.Gauge<string>, labels)

/**
 * The default histogram buckets, in seconds (Prometheus' client defaults, 5 ms to 10 s).
 *
 * @example
 * ```ts
 * import { Metrics } from "@strata/telemetry"
 *
 * const slower = Metrics.defaultBuckets.map((b) => b * 10)
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const defaultBuckets: ReadonlyArray<number> = declare.defaultBuckets
