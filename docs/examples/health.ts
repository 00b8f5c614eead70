/**
 * Examples for docs/health.md (compiled by `npm run typecheck`).
 */
import { Errors, Health, Lifecycle } from "@strata/core"
import { Context, Effect, Layer, Schema } from "effect"

// --- 1. A layer registers its check for as long as it lives ---

interface Pool {
  readonly query: (sql: string) => Effect.Effect<unknown, Errors.DatabaseError>
  readonly stats: () => { readonly total: number; readonly idle: number }
  readonly close: Effect.Effect<void>
}
declare const connect: (url: string) => Effect.Effect<Pool, Errors.DatabaseError>

export class Database extends Context.Tag("app/Database")<Database, Pool>() {}

export const DatabaseLive: Layer.Layer<Database, Errors.DatabaseError, Health.Health> = Layer.scoped(
  Database,
  Effect.gen(function*() {
    const pool = yield* Effect.acquireRelease(connect("postgres://localhost/app"), (pool) => pool.close)
    yield* Health.register({
      name: "postgres",
      timeout: "1 second", //                      default 2 seconds
      check: Effect.map(pool.query("SELECT 1"), () => pool.stats()) // the value becomes `details`
    })
    return pool // the check is removed when this layer is released
  })
)

// --- 2. Non-critical and liveness checks; a check as a layer of its own ---

declare const searchPing: Effect.Effect<void, Errors.NetworkError>

// Search down = "degraded" (still 200), not "unhealthy".
export const SearchCheck: Layer.Layer<never, never, Health.Health> = Health.layerCheck({
  name: "search",
  critical: false,
  check: searchPing
})

// Liveness: cheap and in-process. A liveness report never runs readiness checks.
export const HeapCheck: Layer.Layer<never, never, Health.Health> = Health.layerCheck({
  name: "heap",
  kind: "liveness",
  check: Effect.suspend(() => {
    const { heapUsed, heapTotal } = process.memoryUsage()
    return heapUsed / heapTotal < 0.98 ? Effect.succeed({ heapUsed }) : Effect.fail("heap exhausted")
  })
})

// --- 3. Reports: what a /health/ready endpoint does ---

export const readiness: Effect.Effect<{ readonly status: 200 | 503; readonly body: string }, never, Health.Health> =
  Effect.gen(function*() {
    const report = yield* Health.report("readiness")
    // { status: "degraded", timestamp: "...", durationMs: 4,
    //   checks: [{ name: "postgres", kind: "readiness", critical: true, status: "up", durationMs: 3,
    //              details: { total: 10, idle: 9 } },
    //            { name: "search", ..., critical: false, status: "down", error: "NetworkError: ECONNREFUSED" }] }
    return { status: Health.httpStatus(report), body: JSON.stringify(Schema.encodeSync(Health.Report)(report)) }
  })

// On SIGTERM, before draining: readiness turns "unhealthy" (503) at once, liveness stays up.
export const beginShutdown: Effect.Effect<void, never, Health.Health> = Health.markShuttingDown

// --- 4. Managed services: start-up/shutdown logged and timed, listed in the summary ---

class Cache extends Context.Tag("app/Cache")<Cache, Map<string, string>>() {}
class Users extends Context.Tag("app/Users")<Users, { readonly count: Effect.Effect<number> }>() {}

const CacheLive = Layer.sync(Cache, () => new Map<string, string>())
const UsersLive = Layer.effect(Users, Effect.map(Database, () => ({ count: Effect.succeed(0) })))

export const Postgres = Lifecycle.service("postgres", DatabaseLive)
export const CacheService = CacheLive.pipe(Lifecycle.service("cache")) // pipeable too
export const UsersService = Lifecycle.service("users", UsersLive)

// Dependencies start first and stop last: postgres, cache, users → users, cache, postgres.
export const AppLive: Layer.Layer<Users | Cache, Errors.DatabaseError> = UsersService.pipe(
  Layer.provideMerge(CacheService),
  Layer.provide(Postgres),
  Layer.provide(Layer.mergeAll(SearchCheck, HeapCheck)),
  Layer.provide(Layer.merge(Health.layer, Lifecycle.layer))
)
// logs: starting postgres / postgres started in 41ms / starting cache / cache started in 0ms / …
//       stopping users / users stopped in 0ms / stopping cache / … / postgres stopped in 3ms

// A resource acquired in a scope can be managed without a layer.
declare const startConsumer: Effect.Effect<{ readonly stop: Effect.Effect<void> }>
export const consumer = Lifecycle.manage(
  "orders-consumer",
  Effect.acquireRelease(startConsumer, (consumer) => consumer.stop)
)

// --- 5. The service summary ---

export const printSummary: Effect.Effect<void, never, Lifecycle.Lifecycle> = Lifecycle.logSummary
// services: 3 total, 3 running
//   NAME      STATE    STARTED AT                START  STOP  ERROR
//   postgres  running  2025-01-01T12:00:00.000Z  41ms   -
//   cache     running  2025-01-01T12:00:00.041Z  0ms    -
//   users     running  2025-01-01T12:00:00.041Z  0ms    -

export const serviceList = Effect.gen(function*() {
  const lifecycle = yield* Lifecycle.Lifecycle
  const services = yield* lifecycle.services // [{ name, state, startedAt, startMillis, ... }] in start order
  return Schema.encodeSync(Schema.Array(Lifecycle.ServiceInfo))(services) // JSON-ready, dates as ISO strings
})
