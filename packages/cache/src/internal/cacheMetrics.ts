/**
 * The cache metrics, under the seed's names, labelled by `backend`, `operation` and
 * `component`. Plain `effect/Metric`, so any exporter (Prometheus, OpenTelemetry) sees them.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import type * as MetricKeyType from "effect/MetricKeyType"
import type * as MetricState from "effect/MetricState"

/** The component label of cache operations run by this fiber. @internal */
export const currentComponent: FiberRef.FiberRef<string | undefined> = FiberRef.unsafeMake<string | undefined>(
  undefined
)

type Counter = Metric.Metric.Counter<number>
type Histogram = Metric.Metric<MetricKeyType.MetricKeyType.Histogram, number, MetricState.MetricState.Histogram>

/** @internal */
export const hitTotal: Counter = Metric.counter("cache_hit_total", {
  description: "Cache reads answered from the cache",
  incremental: true
})

/** @internal */
export const missTotal: Counter = Metric.counter("cache_miss_total", {
  description: "Cache reads that found nothing (or a value that no longer decodes)",
  incremental: true
})

/** @internal */
export const operationsTotal: Counter = Metric.counter("cache_operations_total", {
  description: "Cache operations, successful or not",
  incremental: true
})

/** @internal */
export const degradedTotal: Counter = Metric.counter("cache_degraded_total", {
  description: "Cache operations that degraded (miss or no-op) because the backend failed",
  incremental: true
})

/** 0.1 ms to ~3.3 s. @internal */
export const operationDuration: Histogram = Metric.histogram(
  "cache_operation_duration_seconds",
  MetricBoundaries.exponential({ start: 0.0001, factor: 2, count: 16 }),
  "Duration of cache operations in seconds"
)

/** The metrics of one (operation, component) pair of a cache. @internal */
export interface OperationMetrics {
  readonly hit: Counter
  readonly miss: Counter
  readonly operations: Counter
  readonly duration: Histogram
  readonly degraded: Counter
}

/**
 * The labelled metrics of a cache, memoised: tagging builds a new metric key, which is not
 * free on a path that runs on every request.
 *
 * @internal
 */
export const metricsFor = (
  backend: string,
  defaultComponent: string
): (operation: string) => Effect.Effect<OperationMetrics> => {
  const memo = new Map<string, OperationMetrics>()
  return (operation: string): Effect.Effect<OperationMetrics> =>
    Effect.map(FiberRef.get(currentComponent), (current) => {
      const component = current ?? defaultComponent
      const id = `${operation}\u0000${component}`
      const found = memo.get(id)
      if (found !== undefined) return found
      const labels = [
        MetricLabel.make("backend", backend),
        MetricLabel.make("operation", operation),
        MetricLabel.make("component", component)
      ]
      const made: OperationMetrics = {
        hit: Metric.taggedWithLabels(hitTotal, labels),
        miss: Metric.taggedWithLabels(missTotal, labels),
        operations: Metric.taggedWithLabels(operationsTotal, labels),
        duration: Metric.taggedWithLabels(operationDuration, labels),
        degraded: Metric.taggedWithLabels(degradedTotal, labels)
      }
      memo.set(id, made)
      return made
    })
}
