import { expect, it } from "@effect/vitest"
import { Cache } from "@strata/cache"
import { Health } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { LogCapture, TestConfig, TestServers } from "@strata/testing"
import { Context, Effect, Fiber, Layer, Metric, MetricState, Option, Schedule, Schema, TestClock } from "effect"

const unique = (label: string) => `${label}-${crypto.randomUUID()}:`

// a generous command timeout: a slow, shared test machine must not look like an outage
const clientLayer = (url: string, keyPrefix: string, options: RedisClient.Options = {}) =>
  RedisClient.layer({ url, keyPrefix, commandTimeout: "2 seconds", ...options }).pipe(Layer.provide(Health.layer))

// Builds a cache (and its client, for raw inspection) in the current scope.
const build = (url: string, clientPrefix: string, options: Cache.RedisOptions) =>
  Effect.map(
    Layer.build(Cache.layerRedis(options).pipe(Layer.provideMerge(clientLayer(url, clientPrefix)))),
    (context) => ({ cache: Context.get(context, Cache.Cache), redis: Context.get(context, RedisClient.RedisClient) })
  )

type Client = RedisClient.RedisClient.Service["client"]

const raw = <A>(redis: RedisClient.RedisClient.Service, f: (client: Client) => Promise<A>) =>
  Effect.promise(() => f(redis.client))

const degradedCount = (component: string) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.reduce((sum, pair) =>
      pair.metricKey.name === "cache_degraded_total" &&
        pair.metricKey.tags.some((tag) => tag.key === "component" && tag.value === component) &&
        MetricState.isCounterState(pair.metricState)
        ? sum + Number(pair.metricState.count)
        : sum, 0))

const cacheLogs = Effect.map(LogCapture.entries, (entries) =>
  entries.filter((entry) => entry.message.startsWith("Cache backend") || entry.message.startsWith("Replayed")))

TestServers.describeWithRedis("redis backend", (url) => {
  it.scoped("keeps values, tags and counters under the client prefix + cache prefix", () =>
    Effect.gen(function*() {
      const app = unique("app")
      const { cache, redis } = yield* build(url, app, { keyPrefix: "cache:" })
      yield* cache.set("p:1", { n: 1 }, Schema.Struct({ n: Schema.Number }), { ttl: "1 minute", tags: ["products"] })
      expect(yield* raw(redis, (c) => c.get(`${app}cache:k:p:1`))).toBe("{\"n\":1}")
      const ttl = yield* raw(redis, (c) => c.pttl(`${app}cache:k:p:1`))
      expect(ttl).toBeGreaterThan(55_000)
      expect(ttl).toBeLessThanOrEqual(60_000)
      expect(yield* raw(redis, (c) => c.smembers(`${app}cache:t:products`))).toEqual([`${app}cache:k:p:1`])
      // the tag index lives as long as its longest-lived entry
      yield* cache.set("p:2", 2, Schema.Number, { ttl: "2 minutes", tags: ["products"] })
      expect(yield* raw(redis, (c) => c.pttl(`${app}cache:t:products`))).toBeGreaterThan(115_000)
      yield* cache.set("p:3", 3, Schema.Number, { ttl: "1 second", tags: ["products"] })
      expect(yield* raw(redis, (c) => c.pttl(`${app}cache:t:products`))).toBeGreaterThan(115_000)
      // a counter gets its ttl once, when created
      yield* cache.increment("hits", { ttl: "30 seconds" })
      yield* raw(redis, (c) => c.pexpire(`${app}cache:k:hits`, 90_000))
      yield* cache.increment("hits", { ttl: "30 seconds" })
      expect(yield* raw(redis, (c) => c.pttl(`${app}cache:k:hits`))).toBeGreaterThan(85_000)
    }))

  it.scoped("clear and deletePattern never leave the cache's prefix", () =>
    Effect.gen(function*() {
      const app = unique("app")
      // glob metacharacters in the prefix are escaped too
      const { cache, redis } = yield* build(url, app, { keyPrefix: "c*[a]:" })
      const nested = yield* build(url, app, { keyPrefix: "c*[a]:sub:" })
      const neighbours = [`${app}cX[a]:k:x`, `${app}ca:k:x`, `${app}c*[a]:other`, `${app}c*[a]:kx`, `other:${app}`]
      yield* Effect.forEach(neighbours, (key) => raw(redis, (c) => c.set(key, "\"n\"")))
      yield* nested.cache.set("x", "nested", Schema.String)
      yield* cache.set("x", "mine", Schema.String, { tags: ["t"] })
      expect(yield* cache.deletePattern("*")).toBe(1)
      yield* cache.set("x", "mine", Schema.String, { tags: ["t"] })
      yield* cache.clear
      expect(yield* raw(redis, (c) => c.exists(`${app}c*[a]:t:t`))).toBe(0)
      expect(yield* raw(redis, (c) => c.exists(...neighbours))).toBe(neighbours.length)
      expect(yield* nested.cache.get("x", Schema.String)).toEqual(Option.some("nested"))
      yield* raw(redis, (c) => c.del(...neighbours))
    }))

  it.scoped("deletePattern matches exactly what the memory backend matches", () =>
    Effect.gen(function*() {
      const { cache: redisCache } = yield* build(url, unique("parity"), {})
      const memoryCache = yield* Effect.provide(Cache.Cache, Cache.layerMemory())
      const keys = ["a", "ab", "abc", "a*c", "a?c", "a[b]c", "a\\c", "é", "éa", "[", "]", "-", "b-c", "x:y:z", "ä1"]
      const patterns = [
        "a*", "a?", "a??", "a\\*c", "a[bc]*", "a[^b]*", "[a-c]*", "[c-a]*", "?", "é", "??", "*c",
        "a[", "[", "\\[", "*\\\\*", "a[\\]]*", "[]]", "x:*:z", "*-*", "[-]", "ä?", "*"
      ]
      for (const pattern of patterns) {
        const survivors = (cache: Cache.Service) =>
          Effect.gen(function*() {
            yield* Effect.forEach(keys, (key) => cache.set(key, key, Schema.String))
            const removed = yield* cache.deletePattern(pattern)
            const left = yield* Effect.filter(keys, (key) => cache.exists(key))
            return { pattern, removed, left }
          })
        expect(yield* survivors(memoryCache)).toEqual(yield* survivors(redisCache))
      }
    }))

  it.scoped("layerConfig builds the redis backend from CACHE_BACKEND", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(
        Cache.layerConfig.pipe(
          Layer.provide(clientLayer(url, unique("config"))),
          Layer.provide(TestConfig.layerEnv({ CACHE_BACKEND: "redis", CACHE_KEY_PREFIX: "cfg:" }))
        )
      )
      const cache = Context.get(context, Cache.Cache)
      expect(cache.backend).toBe("redis")
      yield* cache.set("k", 1, Schema.Number)
      expect(yield* cache.get("k", Schema.Number)).toEqual(Option.some(1))
    }))
})

// A client whose commands fail on demand, as they do while Redis is unreachable; driven by
// TestClock, so the burst logging is deterministic.
const switchable = (url: string, options: Cache.RedisOptions, getsWaitFor?: Effect.Latch) =>
  Effect.gen(function*() {
    const real = yield* Effect.provide(
      RedisClient.make({ url, keyPrefix: unique("switch"), commandTimeout: "2 seconds" }),
      Health.layer
    )
    let down = false
    const flaky: RedisClient.RedisClient.Service = {
      ...real,
      use: (command, f) =>
        command === "cache.get" && getsWaitFor !== undefined
          ? Effect.zipRight(getsWaitFor.await, real.use(command, f))
          : down
          ? Effect.fail(new RedisClient.RedisError({ command, message: "Redis is not connected", retryable: true }))
          : real.use(command, f)
    }
    const context = yield* Layer.build(
      Cache.layerRedis(options).pipe(Layer.provide(Layer.succeed(RedisClient.RedisClient, flaky)))
    )
    return {
      cache: Context.get(context, Cache.Cache),
      real,
      outage: Effect.sync(() => void (down = true)),
      recover: Effect.sync(() => void (down = false))
    }
  })

TestServers.describeWithRedis("redis backend: degradation", (url) => {
  it.scoped("with Redis failing every operation degrades, counted, logged once per burst", () =>
    Effect.gen(function*() {
      const component = unique("degrade")
      const { cache, outage, recover } = yield* switchable(url, { component })
      yield* cache.set("a", 1, Schema.Number)
      yield* outage
      expect(yield* cache.get("a", Schema.Number)).toEqual(Option.none())
      yield* cache.set("b", 2, Schema.Number)
      expect(yield* cache.getOrSet("c", Schema.Number, Effect.succeed(3))).toBe(3)
      expect(yield* cache.delete("a")).toBe(false)
      expect(yield* cache.exists("a")).toBe(false)
      expect(yield* cache.increment("n", { by: 4 })).toBe(4)
      expect(yield* cache.deletePattern("*")).toBe(0)
      expect(yield* cache.invalidateTag("t")).toBe(0)
      yield* cache.clear
      expect((yield* cache.stats).degraded).toBe(10)
      expect(yield* degradedCount(component)).toBe(10)
      expect((yield* cacheLogs).map((entry) => entry.level)).toEqual(["warn"])
      yield* TestClock.adjust("10 seconds")
      yield* cache.get("a", Schema.Number)
      const logs = yield* cacheLogs
      expect(logs).toHaveLength(2)
      expect(logs[1]?.message).toContain("9 more operations degraded")
      yield* recover
      yield* cache.set("a", 5, Schema.Number)
      expect(yield* cache.get("a", Schema.Number)).toEqual(Option.some(5))
      expect((yield* cacheLogs).some((entry) => entry.level === "info" && entry.message.includes("recovered"))).toBe(
        true
      )
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scoped("a get in flight when the outage began ends the burst when its answer comes", () =>
    Effect.gen(function*() {
      const gate = yield* Effect.makeLatch(false)
      const { cache, outage, recover } = yield* switchable(url, {}, gate)
      yield* cache.set("a", 1, Schema.Number)
      const reading = yield* Effect.fork(cache.get("a", Schema.Number))
      yield* Effect.yieldNow()
      yield* outage
      yield* cache.set("b", 2, Schema.Number) // degrades: the burst opens
      yield* recover
      yield* gate.open
      expect(yield* Fiber.join(reading)).toEqual(Option.some(1))
      expect((yield* cacheLogs).map((entry) => entry.level)).toEqual(["warn", "info"])
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scoped("invalidations lost during the outage are replayed before the next operation", () =>
    Effect.gen(function*() {
      const { cache, outage, recover } = yield* switchable(url, {})
      yield* cache.set("deleted", "old", Schema.String)
      yield* cache.set("rewritten", "old", Schema.String)
      yield* cache.set("tagged", "old", Schema.String, { tags: ["t"] })
      yield* outage
      yield* cache.delete("deleted")
      yield* cache.set("rewritten", "new", Schema.String) // Redis keeps "old" meanwhile
      yield* cache.invalidateTag("t")
      yield* recover
      expect(yield* cache.get("deleted", Schema.String)).toEqual(Option.none())
      expect(yield* cache.get("rewritten", Schema.String)).toEqual(Option.none())
      expect(yield* cache.get("tagged", Schema.String)).toEqual(Option.none())
      expect((yield* cacheLogs).some((entry) => entry.message.startsWith("Replayed 3"))).toBe(true)
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scoped("too many lost invalidations collapse into a clear", () =>
    Effect.gen(function*() {
      const { cache, outage, recover } = yield* switchable(url, {})
      yield* cache.set("kept?", 1, Schema.Number)
      yield* outage
      yield* cache.deleteMany(Array.from({ length: 10_001 }, (_, i) => `k${i}`))
      yield* recover
      expect(yield* cache.get("kept?", Schema.Number)).toEqual(Option.none())
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scoped("strict: true fails with CacheError instead of degrading", () =>
    Effect.gen(function*() {
      const { cache, outage } = yield* switchable(url, { strict: true })
      yield* outage
      const error = yield* Effect.flip(cache.get("a", Schema.Number))
      expect([error._tag, error.reason, error.operation]).toEqual(["CacheError", "BackendFailure", "get"])
      const loaded = yield* Effect.flip(cache.getOrSet("a", Schema.Number, Effect.succeed(1)))
      expect(loaded).toBeInstanceOf(Cache.CacheError)
    }))

  it.scoped("fallback: memory serves from a local tier during the outage, emptied on recovery", () =>
    Effect.gen(function*() {
      const { cache, outage, recover } = yield* switchable(url, { fallback: "memory" })
      yield* cache.set("k", "redis", Schema.String)
      yield* outage
      expect(yield* cache.get("k", Schema.String)).toEqual(Option.none())
      yield* cache.set("k", "local", Schema.String)
      expect(yield* cache.get("k", Schema.String)).toEqual(Option.some("local"))
      expect(yield* cache.increment("n")).toBe(1)
      expect(yield* cache.increment("n")).toBe(2)
      yield* recover
      // the write made during the outage never reached Redis, and the old value was dropped
      expect(yield* cache.get("k", Schema.String)).toEqual(Option.none())
      yield* outage
      expect(yield* cache.get("k", Schema.String)).toEqual(Option.none())
    }).pipe(Effect.provide(LogCapture.layer)))
})

TestServers.describeWithRedis("redis backend: a real outage", () => {
  it.live("Redis stopped mid-run and restarted: requests succeed throughout, then caching resumes", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer({ persist: true })
      const component = unique("outage")
      const context = yield* Layer.build(
        Cache.layerRedis({ component }).pipe(
          Layer.provideMerge(clientLayer(server.url, "app:", { reconnectMaxDelay: "100 millis" }))
        )
      )
      const cache = Context.get(context, Cache.Cache)
      const redis = Context.get(context, RedisClient.RedisClient)
      yield* cache.set("a", 1, Schema.Number)
      yield* cache.set("stale", "old", Schema.String)

      yield* server.stop
      let loads = 0
      const loader = Effect.sync(() => ++loads)
      expect(yield* cache.get("a", Schema.Number)).toEqual(Option.none())
      expect(yield* cache.getOrSet("b", Schema.Number, loader)).toBe(1)
      expect(yield* cache.getOrSet("b", Schema.Number, loader)).toBe(2) // nothing cached meanwhile
      yield* cache.delete("stale")
      expect((yield* cache.stats).degraded).toBeGreaterThanOrEqual(5)
      expect(yield* degradedCount(component)).toBeGreaterThanOrEqual(5)
      expect((yield* cacheLogs).filter((entry) => entry.level === "warn")).toHaveLength(1)

      yield* server.start
      // the client reconnects by itself; wait (real time) until a read reaches Redis again
      yield* cache.get("a", Schema.Number).pipe(
        Effect.repeat({ until: Option.isSome, schedule: Schedule.spaced("50 millis") }),
        Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "Redis did not come back" })
      )
      expect(yield* cache.get("stale", Schema.String)).toEqual(Option.none())
      expect(yield* cache.getOrSet("b", Schema.Number, loader)).toBe(3)
      expect(yield* cache.getOrSet("b", Schema.Number, loader)).toBe(3)
      const logs = yield* cacheLogs
      expect(logs.some((entry) => entry.message.includes("recovered"))).toBe(true)
      expect(logs.some((entry) => entry.message.startsWith("Replayed 1"))).toBe(true)

      // pattern deletion and clear walk SCAN: the server never saw KEYS
      yield* cache.deletePattern("b*")
      yield* cache.stats
      yield* cache.clear
      const commands = yield* redis.use("info", (c) => c.info("commandstats"))
      expect(commands).toContain("cmdstat_scan")
      expect(commands).not.toContain("cmdstat_keys")
    }).pipe(Effect.provide(LogCapture.layer), Effect.scoped), 60_000)
})
