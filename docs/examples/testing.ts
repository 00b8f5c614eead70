/**
 * Examples for docs/testing.md (compiled by `npm run typecheck`). Each section of the page
 * has its block here, marked `// --- <section>: ...`.
 */
import { expect, it, layer } from "@effect/vitest"
import { TestServers } from "@strata/testing"
import { Context, Effect, Layer, Schedule } from "effect"
import { Redis } from "ioredis"
import pg from "pg"

// --- Real servers: 1. a suite that needs Redis ---

// A client for the scope; `lazyConnect` + `connect()` waits until it is usable.
const redisClient = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 })
      client.on("error", () => {}) // reconnect attempts while a server is down
      await client.connect()
      return client
    }),
    (client) => Effect.sync(() => client.disconnect())
  )

TestServers.describeWithRedis("sessions on Redis", (url) => {
  it.scopedLive("stores a session", () =>
    Effect.gen(function*() {
      const redis = yield* redisClient(url)
      yield* Effect.promise(() => redis.set("session:1", "ada"))
      expect(yield* Effect.promise(() => redis.get("session:1"))).toBe("ada")
    }))
})

// --- Real servers: 2. a database of its own for a test file ---

class TestDatabase extends Context.Tag("docs/TestDatabase")<TestDatabase, { readonly url: string }>() {}

// Built once for the `layer` block, dropped after its last test.
const TestDatabaseLive = Layer.scoped(
  TestDatabase,
  Effect.map(TestServers.freshDatabase({ prefix: "orders" }), (url) => ({ url }))
)

const pgClient = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      return client
    }),
    (client) => Effect.promise(() => client.end())
  )

TestServers.describeWithPostgres("orders repository", () => {
  // Real services (clock included): these tests talk to a real server.
  layer(TestDatabaseLive, { excludeTestServices: true })((it) => {
    it.scoped("inserts and reads an order", () =>
      Effect.gen(function*() {
        const { url } = yield* TestDatabase
        const db = yield* pgClient(url)
        yield* Effect.promise(() => db.query("CREATE TABLE orders (id serial PRIMARY KEY, total int NOT NULL)"))
        yield* Effect.promise(() => db.query("INSERT INTO orders (total) VALUES (42)"))
        const result = yield* Effect.promise(() => db.query("SELECT total FROM orders"))
        expect(result.rows).toEqual([{ total: 42 }])
      }))
  })
})

// --- Real servers: 3. stop and restart a dedicated server to prove reconnects ---

// Polls with real time and a deadline; never a fixed sleep.
const eventually = <A, E>(effect: Effect.Effect<A, E>) =>
  effect.pipe(Effect.retry(Schedule.spaced("20 millis")), Effect.timeout("5 seconds"))

TestServers.describeWithRedis("reconnects", () => {
  it.scopedLive("the client recovers after Redis restarts", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer({ persist: true })
      const redis = yield* redisClient(server.url)
      yield* Effect.promise(() => redis.set("counter", "1"))

      yield* server.stop // clients now fail
      const during = yield* Effect.exit(Effect.tryPromise(() => redis.get("counter")))
      expect(during._tag).toBe("Failure")

      yield* server.start // same port and data directory
      expect(yield* eventually(Effect.tryPromise(() => redis.get("counter")))).toBe("1")
    }))
})

// --- Real servers: 4. the shared URL as an Effect ---

// Fails with `TestServerError` (and the reason) when the run has no PostgreSQL.
export const databaseUrl: Effect.Effect<string, TestServers.TestServerError> = TestServers.url("postgres")
