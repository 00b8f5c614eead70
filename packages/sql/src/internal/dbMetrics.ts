/**
 * Query metrics, recorded by wrapping the driver `Connection` every statement goes through
 * (the cheapest hook: no extra fiber, no extra span; a few synchronous metric updates).
 *
 * - `db_queries_total{operation}` / `db_query_duration_seconds{operation}` per statement
 * - `db_query_errors_total{operation,code}` per failed statement (code = SQLSTATE or Node code)
 * - `db_pool_errors_total` errors emitted by idle pool clients (pg swallows them otherwise)
 *
 * `operation` is the first SQL keyword: select / insert / update / delete / other.
 *
 * @internal
 */
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as MetricLabel from "effect/MetricLabel"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as Stream from "effect/Stream"
import { classify } from "./dbErrors.js"

/** @internal */
export type Operation = "select" | "insert" | "update" | "delete" | "other"

const operations: ReadonlyArray<Operation> = ["select", "insert", "update", "delete", "other"]

/** @internal */
export const queriesTotal = Metric.counter("db_queries_total", {
  description: "SQL statements executed, by operation",
  incremental: true
})

/** @internal */
export const queryErrorsTotal = Metric.counter("db_query_errors_total", {
  description: "SQL statements that failed, by operation and SQLSTATE (or driver code)",
  incremental: true
})

/** @internal */
export const queryDuration = Metric.histogram(
  "db_query_duration_seconds",
  // 0.5 ms .. ~16 s
  MetricBoundaries.exponential({ start: 0.0005, factor: 2, count: 16 }),
  "Duration of SQL statements, by operation"
)

/** @internal */
export const poolErrorsTotal = Metric.counter("db_pool_errors_total", {
  description: "Errors emitted by idle pool connections (server restart, network)",
  incremental: true
})

const noTags: ReadonlyArray<MetricLabel.MetricLabel> = []

// Tagged metrics built once: a statement pays two synchronous updates.
const counters = new Map(operations.map((op) => [op, Metric.tagged(queriesTotal, "operation", op)]))
const histograms = new Map(operations.map((op) => [op, Metric.tagged(queryDuration, "operation", op)]))

/** First keyword of a statement, lower-cased, without allocating for the common cases. @internal */
export const operationOf = (sql: string): Operation => {
  let i = 0
  const n = sql.length
  while (i < n) {
    const c = sql.charCodeAt(i)
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 40) i++ // whitespace and "("
    else break
  }
  const word = sql.slice(i, i + 6).toLowerCase()
  switch (word) {
    case "select":
      return "select"
    case "insert":
      return "insert"
    case "update":
      return "update"
    case "delete":
      return "delete"
  }
  return "other"
}

/** Records a finished statement. @internal */
export const record = (operation: Operation, seconds: number, exit: Exit.Exit<unknown, SqlError>): void => {
  counters.get(operation)!.unsafeUpdate(1, noTags)
  histograms.get(operation)!.unsafeUpdate(seconds, noTags)
  if (Exit.isFailure(exit) && !Exit.isInterrupted(exit)) {
    const code = exit.cause._tag === "Fail" ? classify(exit.cause.error).code : "defect"
    Metric.tagged(Metric.tagged(queryErrorsTotal, "operation", operation), "code", code).unsafeUpdate(1, noTags)
  }
}

const observe = <A>(sql: string, effect: Effect.Effect<A, SqlError>): Effect.Effect<A, SqlError> =>
  Effect.clockWith((clock) => {
    const start = clock.unsafeCurrentTimeNanos()
    return Effect.onExit(effect, (exit) =>
      Effect.sync(() =>
        record(operationOf(sql), Number(clock.unsafeCurrentTimeNanos() - start) / 1e9, exit)
      ))
  })

/** Wraps a connection so each statement records the query metrics. @internal */
export const instrument = (conn: Connection): Connection => ({
  execute: (sql, params, transformRows) => observe(sql, conn.execute(sql, params, transformRows)),
  executeRaw: (sql, params) => observe(sql, conn.executeRaw(sql, params)),
  executeValues: (sql, params) => observe(sql, conn.executeValues(sql, params)),
  executeUnprepared: (sql, params, transformRows) => observe(sql, conn.executeUnprepared(sql, params, transformRows)),
  executeStream: (sql, params, transformRows) =>
    Stream.unwrap(Effect.clockWith((clock) => {
      const start = clock.unsafeCurrentTimeNanos()
      return Effect.succeed(
        Stream.onEnd(
          Stream.tapErrorCause(conn.executeStream(sql, params, transformRows), (cause) =>
            Effect.sync(() =>
              record(operationOf(sql), Number(clock.unsafeCurrentTimeNanos() - start) / 1e9, Exit.failCause(cause))
            )),
          Effect.sync(() =>
            record(operationOf(sql), Number(clock.unsafeCurrentTimeNanos() - start) / 1e9, Exit.void)
          )
        )
      )
    }))
})
