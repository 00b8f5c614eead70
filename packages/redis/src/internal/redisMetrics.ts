/**
 * Metrics of the Redis client, in the global registry. The `command` tag is the group the
 * caller passes to `use` (`"cache.get"`), never a key, so cardinality stays bounded.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

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

/** Records one finished call. @internal */
export const record = (command: string, seconds: number, failed: boolean): Effect.Effect<void> =>
  Effect.all([
    Metric.increment(Metric.tagged(commandsTotal, "command", command)),
    Metric.update(Metric.tagged(commandDuration, "command", command), seconds),
    failed ? Metric.increment(Metric.tagged(commandErrorsTotal, "command", command)) : Effect.void
  ], { discard: true })
