/**
 * The cache metrics, under the seed's names, labelled by `backend`, `operation` and
 * `component`. Plain `effect/Metric`, so any exporter (Prometheus, OpenTelemetry) sees them.
 *
 * @internal
 */
import * as Arr from "effect/Array"
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

/**
 * Records the metrics of one (operation, component) pair of a cache. Synchronous: the
 * service calls them where it already runs, rather than as effects of their own.
 *
 * @internal
 */
export interface OperationMetrics {
  readonly hit: () => void
  readonly miss: () => void
  readonly degraded: () => void
  /** One operation finished (successfully or not) after `seconds`. */
  readonly done: (seconds: number) => void
}

const bind = (labels: ReadonlyArray<MetricLabel.MetricLabel>): OperationMetrics => ({
  hit: () => hitTotal.unsafeUpdate(1, labels),
  miss: () => missTotal.unsafeUpdate(1, labels),
  degraded: () => degradedTotal.unsafeUpdate(1, labels),
  done: (seconds) => {
    operationsTotal.unsafeUpdate(1, labels)
    operationDuration.unsafeUpdate(seconds, labels)
  }
})

/**
 * The metrics of a cache by (component, operation), memoised with one label array each:
 * effect caches a metric's series hook per label array *by identity*, so a stable array
 * means no registry lookup per update. (`Metric.taggedWithLabels` would build a new array,
 * so a new key, hash and registry lookup, on every update.) Labels the fiber adds with
 * `Effect.tagMetrics` are still applied, on a slower path.
 *
 * @internal
 */
export const metricsFor = (
  backend: string,
  defaultComponent: string
): (
  component: string | undefined,
  operation: string,
  fiberLabels: ReadonlyArray<MetricLabel.MetricLabel>
) => OperationMetrics => {
  const memo = new Map<
    string,
    { readonly labels: ReadonlyArray<MetricLabel.MetricLabel>; readonly metrics: OperationMetrics }
  >()
  return (current, operation, fiberLabels) => {
    const component = current ?? defaultComponent
    const id = `${operation}\u0000${component}`
    let found = memo.get(id)
    if (found === undefined) {
      const labels = [
        MetricLabel.make("backend", backend),
        MetricLabel.make("operation", operation),
        MetricLabel.make("component", component)
      ]
      found = { labels, metrics: bind(labels) }
      memo.set(id, found)
    }
    return fiberLabels.length === 0 ? found.metrics : bind(Arr.union(found.labels, fiberLabels))
  }
}
