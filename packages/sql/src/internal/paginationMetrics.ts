/**
 * The seed's pagination metrics: `pagination_operations_total` and
 * `pagination_duration_seconds`, labelled by `kind` (offset | cursor), `query` (the
 * paginator's name, a code constant) and `outcome` (success | failure).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"

/** @internal */
export const operations = Metric.counter("pagination_operations_total", {
  description: "Pagination requests served",
  incremental: true
})

/** @internal */
export const duration = Metric.histogram(
  "pagination_duration_seconds",
  MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 14 }),
  "Time to serve a pagination request, queries and decoding included"
)

/** @internal */
export const measured = (kind: "offset" | "cursor", query: string) =>
<A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Clock.currentTimeNanos, (start) =>
    self.pipe(
      Effect.onExit((exit) =>
        Effect.flatMap(Clock.currentTimeNanos, (end) => {
          const tags = { kind, query, outcome: Exit.isSuccess(exit) ? "success" : "failure" }
          return Effect.zipRight(
            Metric.increment(Metric.taggedWithLabels(operations, labels(tags))),
            Metric.update(Metric.taggedWithLabels(duration, labels(tags)), Number(end - start) / 1e9)
          )
        })
      ),
      Effect.withSpan(`Pagination.${kind}`, { attributes: { "pagination.query": query } })
    ))

const labels = (tags: Record<string, string>): Array<MetricLabel.MetricLabel> =>
  Object.entries(tags).map(([key, value]) => MetricLabel.make(key, value))
