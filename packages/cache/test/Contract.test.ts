/**
 * One behaviour for every backend: the same suite runs against the memory layer (what users
 * test with) and a real Redis (what they run), and its applicable part against the null layer.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cache } from "@strata/cache"
import { Health } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { TestServers } from "@strata/testing"
import { Deferred, Effect, Exit, Fiber, Layer, Option, Schema } from "effect"

const Product = Schema.Struct({ id: Schema.Number, name: Schema.String, updatedAt: Schema.DateFromString })
const product = { id: 1, name: "Lamp", updatedAt: new Date("2024-05-01T10:00:00.000Z") }

type Provide = <A, E>(effect: Effect.Effect<A, E, Cache.Cache>) => Effect.Effect<A, unknown>

// Waits until every fiber is parked (on the loader's gate or on the shared flight).
const allSuspended = (fibers: ReadonlyArray<Fiber.RuntimeFiber<unknown, unknown>>): Effect.Effect<void> =>
  Effect.forEach(fibers, Fiber.status).pipe(
    Effect.flatMap((statuses) =>
      statuses.every((status) => status._tag === "Suspended")
        ? Effect.void
        : Effect.zipRight(Effect.yieldNow(), allSuspended(fibers))
    )
  )

const withCache = <A, E>(f: (cache: Cache.Service) => Effect.Effect<A, E>) => Effect.flatMap(Cache.Cache, f)

/** What every backend, null included, must do. */
const common = (provide: Provide) => {
  it.effect("getOrSet runs the loader once for 1,000 concurrent callers on a missing key", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        let runs = 0
        const gate = yield* Deferred.make<void>()
        const loader = Effect.zipRight(Deferred.await(gate), Effect.sync(() => ++runs))
        const fibers = yield* Effect.forEach(
          Array.from({ length: 1_000 }, () => cache.getOrSet("hot", Schema.Number, loader)),
          Effect.fork
        )
        yield* allSuspended(fibers)
        yield* Deferred.succeed(gate, undefined)
        const results = yield* Fiber.joinAll(fibers)
        expect(runs).toBe(1)
        expect(new Set(results)).toEqual(new Set([1]))
      })
    )))

  it.effect("a failing loader fails every waiter and is not cached", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        let runs = 0
        const gate = yield* Deferred.make<void>()
        const failing = Effect.zipRight(Deferred.await(gate), Effect.suspend(() => Effect.fail(`boom ${++runs}`)))
        const fibers = yield* Effect.forEach(
          Array.from({ length: 10 }, () => cache.getOrSet("flaky", Schema.Number, failing)),
          Effect.fork
        )
        yield* allSuspended(fibers)
        yield* Deferred.succeed(gate, undefined)
        const exits = yield* Effect.forEach(fibers, Fiber.await)
        expect(exits.every((exit) => Exit.isFailure(exit))).toBe(true)
        expect(runs).toBe(1)
        expect(yield* cache.getOrSet("flaky", Schema.Number, Effect.succeed(7))).toBe(7)
      })
    )))

  it.effect("an interrupted first caller does not fail the other waiters", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        const gate = yield* Deferred.make<void>()
        const loader = Effect.as(Deferred.await(gate), 42)
        const first = yield* Effect.fork(cache.getOrSet("shared", Schema.Number, loader))
        yield* allSuspended([first])
        const second = yield* Effect.fork(cache.getOrSet("shared", Schema.Number, loader))
        yield* allSuspended([second])
        yield* Fiber.interrupt(first)
        yield* Deferred.succeed(gate, undefined)
        expect(yield* Fiber.join(second)).toBe(42)
      })
    )))

  it.effect("values that do not encode fail with InvalidValue, whatever the backend", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        const notInt = yield* Effect.flip(cache.set("n", 1.5, Schema.Int))
        expect(notInt.reason).toBe("InvalidValue")
        const notJson = yield* Effect.flip(cache.set("b", 1n, Schema.BigIntFromSelf))
        expect(notJson.reason).toBe("InvalidValue")
        const badStep = yield* Effect.flip(cache.increment("c", { by: 0.5 }))
        expect(badStep.reason).toBe("InvalidValue")
      })
    )))
}

/** What a backend that stores must do. */
const storing = (provide: Provide) => {
  it.effect("set then get round-trips through the schema", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        expect(yield* cache.get("p:1", Product)).toEqual(Option.none())
        yield* cache.set("p:1", product, Product)
        expect(yield* cache.get("p:1", Product)).toEqual(Option.some(product))
        yield* cache.set("p:1", { ...product, name: "Desk lamp" }, Product)
        expect(Option.map(yield* cache.get("p:1", Product), (p) => p.name)).toEqual(Option.some("Desk lamp"))
      })
    )))

  it.effect("a schema with asynchronous transformations round-trips (the effectful parser)", () => {
    // resolves in a later tick: the synchronous parser cannot answer, the effectful one must
    const later = <A>(value: A) => Effect.promise(() => new Promise<A>((resolve) => setImmediate(() => resolve(value))))
    const Shouted = Schema.transformOrFail(Schema.String, Schema.String, {
      strict: true,
      decode: (text) => later(text.toUpperCase()),
      encode: (text) => later(text.toLowerCase())
    })
    return provide(withCache((cache) =>
      Effect.gen(function*() {
        yield* cache.set("async", "Hello", Shouted)
        expect(yield* cache.get("async", Schema.String)).toEqual(Option.some("hello"))
        expect(yield* cache.get("async", Shouted)).toEqual(Option.some("HELLO"))
      })
    ))
  })

  it.effect("delete, deleteMany and exists", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        yield* Effect.forEach(["a", "b", "c"], (k) => cache.set(k, k, Schema.String))
        expect(yield* cache.exists("a")).toBe(true)
        expect(yield* cache.delete("a")).toBe(true)
        expect(yield* cache.delete("a")).toBe(false)
        expect(yield* cache.exists("a")).toBe(false)
        expect(yield* cache.deleteMany(["b", "c", "missing"])).toBe(2)
        expect(yield* cache.deleteMany([])).toBe(0)
      })
    )))

  it.effect("increment is a counter; a non-integer value is InvalidValue", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        expect(yield* cache.increment("hits")).toBe(1)
        expect(yield* cache.increment("hits", { by: 10 })).toBe(11)
        expect(yield* cache.increment("hits", { by: -2 })).toBe(9)
        expect(yield* cache.get("hits", Schema.Number)).toEqual(Option.some(9))
        yield* cache.set("word", "hello", Schema.String)
        const error = yield* Effect.flip(cache.increment("word"))
        expect(error.reason).toBe("InvalidValue")
      })
    )))

  it.effect("getOrSet loads once, then serves from the cache", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        let runs = 0
        const loader = Effect.sync(() => ({ ...product, id: ++runs }))
        const first = yield* cache.getOrSet("p:2", Product, loader)
        const second = yield* cache.getOrSet("p:2", Product, loader)
        expect(runs).toBe(1)
        expect(second).toEqual(first)
      })
    )))

  it.effect("deletePattern matches Redis globs and nothing else", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        const keys = ["user:1", "user:2", "user:10", "users", "admin:1", "user:a"]
        yield* Effect.forEach(keys, (k) => cache.set(k, k, Schema.String))
        expect(yield* cache.deletePattern("user:?")).toBe(3)
        expect(yield* cache.exists("user:10")).toBe(true)
        expect(yield* cache.deletePattern("user:[0-9]*")).toBe(1)
        expect(yield* cache.deletePattern("nothing:*")).toBe(0)
        expect(yield* cache.exists("users")).toBe(true)
        expect(yield* cache.exists("admin:1")).toBe(true)
      })
    )))

  it.effect("user input in keys cannot widen a pattern", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        const victim = Cache.key("session", "alice")
        const attacker = "*"
        const own = Cache.key("session", attacker)
        yield* cache.set(victim, "a", Schema.String)
        yield* cache.set(own, "m", Schema.String)
        expect(yield* cache.deletePattern(Cache.pattern`session:${attacker}`)).toBe(1)
        expect(yield* cache.exists(victim)).toBe(true)
        expect(yield* cache.exists(own)).toBe(false)
        // raw text escaped with escapeGlob matches only itself
        yield* cache.set("report[1]", "r", Schema.String)
        yield* cache.set("report1", "r", Schema.String)
        expect(yield* cache.deletePattern(Cache.escapeGlob("report[1]"))).toBe(1)
        expect(yield* cache.exists("report1")).toBe(true)
      })
    )))

  it.effect("invalidateTag removes the tagged entries only", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        yield* cache.set("p:1", "one", Schema.String, { tags: ["products", "product:1"] })
        yield* cache.set("p:2", "two", Schema.String, { tags: ["products"] })
        yield* cache.set("c:1", "cat", Schema.String, { tags: ["categories"] })
        expect(yield* cache.invalidateTag("product:1")).toBe(1)
        expect(yield* cache.exists("p:2")).toBe(true)
        expect(yield* cache.invalidateTags(["products", "categories"])).toBe(2)
        expect(yield* cache.exists("p:2")).toBe(false)
        expect(yield* cache.exists("c:1")).toBe(false)
        expect(yield* cache.invalidateTag("products")).toBe(0)
      })
    )))

  it.effect("clear empties the cache and stats count hits, misses and entries", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        yield* cache.set("x", 1, Schema.Number, { tags: ["t"] })
        yield* cache.set("y", 2, Schema.Number)
        yield* cache.get("x", Schema.Number)
        yield* cache.get("nope", Schema.Number)
        yield* cache.get("nope", Schema.Number)
        const stats = yield* cache.stats
        expect({ hits: stats.hits, misses: stats.misses, entries: stats.entries }).toEqual({
          hits: 1,
          misses: 2,
          entries: 2
        })
        expect(stats.hitRate).toBeCloseTo(1 / 3)
        yield* cache.clear
        expect((yield* cache.stats).entries).toBe(0)
        expect(yield* cache.get("x", Schema.Number)).toEqual(Option.none())
      })
    )))

  it.effect("a value that no longer decodes is a miss and is removed", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        const V1 = Schema.Struct({ id: Schema.Number, name: Schema.String })
        const V2 = Schema.Struct({ id: Schema.Number, title: Schema.String })
        yield* cache.set("doc", { id: 1, name: "old" }, V1)
        expect(yield* cache.get("doc", V2)).toEqual(Option.none())
        expect(yield* cache.exists("doc")).toBe(false)
        const loaded = yield* cache.getOrSet("doc", V2, Effect.succeed({ id: 1, title: "new" }))
        expect(loaded).toEqual({ id: 1, title: "new" })
      })
    )))

  it.effect("a ttl of zero stores nothing and removes the old value", () =>
    provide(withCache((cache) =>
      Effect.gen(function*() {
        yield* cache.set("k", "v", Schema.String)
        yield* cache.set("k", "w", Schema.String, { ttl: 0 })
        expect(yield* cache.exists("k")).toBe(false)
      })
    )))
}

const memory: Provide = (effect) => Effect.provide(effect, Cache.layerMemory())
const nothing: Provide = (effect) => Effect.provide(effect, Cache.layerNull())

describe("contract: memory", () => {
  common(memory)
  storing(memory)
})

describe("contract: null", () => {
  common(nothing)

  it.effect("stores nothing: reads miss, counters restart, getOrSet always loads", () =>
    nothing(withCache((cache) =>
      Effect.gen(function*() {
        yield* cache.set("k", "v", Schema.String, { tags: ["t"] })
        expect(yield* cache.get("k", Schema.String)).toEqual(Option.none())
        expect(yield* cache.exists("k")).toBe(false)
        expect(yield* cache.delete("k")).toBe(false)
        expect(yield* cache.increment("n", { by: 3 })).toBe(3)
        expect(yield* cache.increment("n", { by: 3 })).toBe(3)
        let runs = 0
        yield* cache.getOrSet("g", Schema.Number, Effect.sync(() => ++runs))
        yield* cache.getOrSet("g", Schema.Number, Effect.sync(() => ++runs))
        expect(runs).toBe(2)
        expect(yield* cache.deletePattern("*")).toBe(0)
        expect(yield* cache.invalidateTag("t")).toBe(0)
        yield* cache.clear
        const stats = yield* cache.stats
        expect({ backend: stats.backend, entries: stats.entries, hits: stats.hits }).toEqual({
          backend: "null",
          entries: 0,
          hits: 0
        })
      })
    )))
})

TestServers.describeWithRedis("contract: redis", (url) => {
  // a prefix per test: tests run in parallel on one shared server
  const redis: Provide = (effect) =>
    Effect.provide(
      effect,
      Cache.layerRedis({ keyPrefix: `contract:${crypto.randomUUID()}:` }).pipe(
        Layer.provide(RedisClient.layer({ url, keyPrefix: "strata-test:", commandTimeout: "2 seconds" })),
        Layer.provide(Health.layer)
      )
    )
  common(redis)
  storing(redis)
})
