import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Errors, Health } from "@strata/core"
import { Database, SqlErrors } from "@strata/sql"
import { LogCapture, TestServers } from "@strata/testing"
import { Deferred, Duration, Effect, Exit, Fiber, Layer, Metric, MetricState, Redacted, Schedule } from "effect"

const countOf = (state: MetricState.MetricState.Untyped): number =>
  MetricState.isCounterState(state) ? Number(state.count) : 0

// Real server, real outage: this file runs on the live clock, every wait bounded by a deadline.

const poolErrors = Effect.map(Metric.snapshot, (pairs) =>
  pairs
    .filter((pair) => pair.metricKey.name === "db_pool_errors_total")
    .reduce((sum, pair) => sum + countOf(pair.metricState), 0))

const elapsed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.timed(Effect.exit(effect)), ([duration, exit]) => [Duration.toMillis(duration), exit] as const)

const expectRetryable = (exit: Exit.Exit<unknown, unknown>) => {
  expect(Exit.isFailure(exit)).toBe(true)
  if (Exit.isFailure(exit)) {
    const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    expect(error).toBeInstanceOf(Errors.DatabaseError)
    expect(Errors.isRetryable(error)).toBe(true)
  }
}

TestServers.describeWithPostgres("Database.layerPg: Postgres restarted under load", () => {
  it.live("fails in-flight queries with a retryable error, reports not ready, bounds waits and recovers", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.postgresServer()
      const url = yield* server.createDatabase("restart")
      const layer = Database.layerPg({
        url: Redacted.make(url),
        maxConnections: 6,
        connectTimeout: "1 second",
        health: { timeout: "3 seconds" }
      }).pipe(Layer.provideMerge(Layer.merge(Health.layerWith({}), LogCapture.layer)))

      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const query = <A extends object>(statement: Effect.Effect<ReadonlyArray<A>, unknown>) =>
          statement.pipe(Database.mapErrors())
        yield* sql`CREATE TABLE t (id int)`

        // Bounded acquire: with every pooled connection held, the next caller gives up after connectTimeout.
        const held = yield* Deferred.make<void>()
        const holders = yield* Effect.forkAll(
          Array.from({ length: 6 }, () => sql.withTransaction(Effect.zipRight(sql`SELECT 1`, Deferred.await(held))))
        )
        yield* Effect.retry(
          Effect.flatMap(Database.poolStats, (stats) =>
            stats._tag === "Some" && stats.value.total === 6 && stats.value.idle === 0
              ? Effect.void
              : Effect.fail("busy")),
          Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds"))
        )
        const [waited, starved] = yield* elapsed(query(sql`SELECT 1`))
        expectRetryable(starved)
        expect(waited).toBeGreaterThanOrEqual(900)
        expect(waited).toBeLessThan(4_000)
        yield* Deferred.succeed(held, undefined)
        yield* Fiber.join(holders)

        // Warm the pool: 6 idle connections, of which 3 will be idle when the server goes away.
        yield* Effect.all(Array.from({ length: 6 }, () => sql`SELECT pg_sleep(0.05)`), { concurrency: "unbounded" })
        const poolErrorsBefore = yield* poolErrors

        const inFlight = yield* Effect.forkAll(
          Array.from({ length: 3 }, () => query(sql`SELECT pg_sleep(30)`).pipe(Effect.exit)),
          { discard: false }
        )
        yield* Effect.retry(
          Effect.flatMap(Database.poolStats, (stats) =>
            stats._tag === "Some" && stats.value.idle <= 3 ? Effect.void : Effect.fail("not yet")),
          Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds"))
        )
        yield* server.stop

        // In-flight queries fail (57P01 / connection terminated) and nothing hangs.
        const exits = yield* Fiber.join(inFlight).pipe(Effect.timeout("10 seconds"))
        expect(exits).toHaveLength(3)
        exits.forEach(expectRetryable)

        // While it is down: queries fail fast and typed, readiness reports the database down.
        const [downMillis, down] = yield* elapsed(query(sql`SELECT count(*) FROM t`))
        expectRetryable(down)
        expect(downMillis).toBeLessThan(5_000)
        const downError = down._tag === "Failure" && down.cause._tag === "Fail" ? down.cause.error : undefined
        expect(SqlErrors.isConnectionError(downError)).toBe(true)
        const report = yield* Health.report("readiness")
        expect(report.status).toBe("unhealthy")
        expect(report.checks.find((c) => c.name === "database")?.status).toBe("down")

        // Idle pooled connections died with the server: counted and logged (once per burst).
        // Their sockets report the end on their own schedule: waited for, bounded.
        yield* Effect.retry(
          Effect.flatMap(poolErrors, (n) => n > poolErrorsBefore ? Effect.void : Effect.fail("not yet")),
          Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds"))
        ).pipe(Effect.ignore)
        expect(yield* poolErrors).toBeGreaterThan(poolErrorsBefore)
        const logged = (yield* LogCapture.entries).filter((e) => e.message.includes("Database pool"))
        expect(logged.length).toBe(1)

        // The pool recovers by itself once the server is back.
        yield* server.start
        yield* Database.ping.pipe(
          Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("20 seconds")))
        )
        expect(yield* sql`SELECT count(*) AS n FROM t`).toEqual([{ n: "0" }])
        const ready = yield* Health.report("readiness")
        expect(ready.checks.find((c) => c.name === "database")?.status).toBe("up")
      }).pipe(Effect.provide(layer))
    }).pipe(Effect.scoped), 90_000)
})

describe("Database.layerPg start-up", () => {
  it.live("fails with a retryable DatabaseError when nothing listens, within the connect timeout", () =>
    Effect.gen(function*() {
      const [millis, exit] = yield* elapsed(
        Layer.build(Database.layerPg({
          url: Redacted.make("postgres://nobody@127.0.0.1:1/none"),
          connectTimeout: "1 second"
        })).pipe(Effect.scoped)
      )
      expectRetryable(exit)
      expect(millis).toBeLessThan(3_000)
    }))
})
