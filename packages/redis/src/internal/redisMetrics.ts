/**
 * Metrics of the Redis client, in the global registry. The `command` tag is the group the
 * caller passes to `use` (`"cache.get"`), never a key, so cardinality stays bounded.
 *
 * @internal
 */
import * as Arr from "effect/Array"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"

/** @internal */
export const commandsTotal = Metric.counter("redis_commands_total", {
  description: "Redis calls made through RedisClient.use, by command group",
  incremental: true
})

/** @internal */
export const commandErrorsTotal = Metric.counter("redis_command_errors_total", {
  description: "Redis calls that failed, by command group",
  incremental: true
})

/** @internal */
export const commandDuration = Metric.histogram(
  "redis_command_duration_seconds",
  // 0.25 ms .. ~1 s: Redis answers in well under a millisecond when healthy.
  MetricBoundaries.exponential({ start: 0.00025, factor: 2, count: 13 }),
  "Duration of Redis calls, by command group"
)

/** @internal */
export const connectionErrorsTotal = Metric.counter("redis_connection_errors_total", {
  description: "Errors emitted by Redis connections (refused, reset, timeouts)",
  incremental: true
})

// One label array per command group, kept by identity: effect caches a metric's series hook
// per label array, so recording does no key building, hashing or registry lookup.
// (`Metric.tagged` per call would do all three on every Redis command.)
const labelsByCommand = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()

const labelsOf = (command: string): ReadonlyArray<MetricLabel.MetricLabel> => {
  let labels = labelsByCommand.get(command)
  if (labels === undefined) {
    labels = [MetricLabel.make("command", command)]
    labelsByCommand.set(command, labels)
  }
  return labels
}

/**
 * Records one finished call, synchronously. `fiberLabels` are the labels the calling fiber
 * adds with `Effect.tagMetrics` (usually none).
 *
 * @internal
 */
export const record = (
  command: string,
  seconds: number,
  failed: boolean,
  fiberLabels: ReadonlyArray<MetricLabel.MetricLabel>
): void => {
  const own = labelsOf(command)
  const labels = fiberLabels.length === 0 ? own : Arr.union(own, fiberLabels)
  commandsTotal.unsafeUpdate(1, labels)
  commandDuration.unsafeUpdate(seconds, labels)
  if (failed) commandErrorsTotal.unsafeUpdate(1, labels)
}
