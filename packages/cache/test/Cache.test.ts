import { describe, expect, it } from "@effect/vitest"
import { Cache } from "@strata/cache"
import { RedisClient } from "@strata/redis"
import { TestConfig } from "@strata/testing"
import { Duration, Effect, Layer, Metric, MetricState, Option, Schema, TestClock } from "effect"

const Product = Schema.Struct({ id: Schema.String, name: Schema.String })

const metricValue = (name: string, tags: Record<string, string>) =>
  Effect.map(Metric.snapshot, (pairs) => {
    let total = 0
    for (const pair of pairs) {
      if (pair.metricKey.name !== name) continue
      const labels = Object.fromEntries(pair.metricKey.tags.map((label) => [label.key, label.value]))
      if (!Object.entries(tags).every(([key, value]) => labels[key] === value)) continue
      const state = pair.metricState
      if (MetricState.isCounterState(state)) total += Number(state.count)
      else if (MetricState.isHistogramState(state)) total += state.count
    }
    return total
  })

describe("keys and patterns", () => {
  it("key joins parts and makes each part inert", () => {
    expect(Cache.key("user", 42, "profile")).toBe("user:42:profile")
    expect(Cache.key("user", "a:b")).toBe("user:a%3Ab")
    expect(Cache.key("user", "a:b")).not.toBe(Cache.key("user", "a", "b"))
    expect(Cache.key("q", "*?[]\\%")).toBe("q:%2A%3F%5B%5D%5C%25")
  })

  it("pattern encodes the interpolated values like key parts", () => {
    const id = "1*"
    expect(Cache.pattern`user:${id}:*`).toBe("user:1%2A:*")
    expect(Cache.pattern`user:${id}:*`.startsWith(Cache.key("user", id))).toBe(true)
  })

  it("escapeGlob backslash-escapes metacharacters", () => {
    expect(Cache.escapeGlob("a*b?c[d]e\\")).toBe("a\\*b\\?c\\[d\\]e\\\\")
  })
})

describe("CacheError", () => {
  it("has a code, a status and retryable by reason", () => {
    const down = new Cache.CacheError({ reason: "BackendFailure", operation: "get", backend: "redis", message: "x" })
    const bad = new Cache.CacheError({ reason: "InvalidValue", operation: "set", backend: "memory", message: "y" })
    expect([down.code, down.status, down.retryable]).toEqual(["CACHE_ERROR", 503, true])
    expect([bad.status, bad.retryable]).toEqual([500, false])
  })
})

describe("cached and invalidating", () => {
  it.effect("cached runs the function once per key and tags its entries", () =>
    Effect.gen(function*() {
      const calls: Array<string> = []
      const getProduct = Cache.cached({
        key: (id: string) => Cache.key("product", id),
        schema: Product,
        ttl: "1 minute",
        tags: (id) => ["products", Cache.key("product", id)]
      })((id) => Effect.sync(() => (calls.push(id), { id, name: `Product ${id}` })))
      expect(yield* getProduct("1")).toEqual({ id: "1", name: "Product 1" })
      yield* getProduct("1")
      yield* getProduct("2")
      expect(calls).toEqual(["1", "2"])
      const cache = yield* Cache.Cache
      expect(yield* cache.invalidateTag(Cache.key("product", "1"))).toBe(1)
      yield* getProduct("1")
      expect(calls).toEqual(["1", "2", "1"])
      yield* TestClock.adjust("61 seconds")
      yield* getProduct("2")
      expect(calls).toEqual(["1", "2", "1", "2"])
    }).pipe(Effect.provide(Cache.layerMemory())))

  it.effect("cached does not cache failures", () =>
    Effect.gen(function*() {
      let attempts = 0
      const load = Cache.cached({ key: (id: string) => id, schema: Schema.Number })((_id: string) =>
        Effect.suspend(() => ++attempts < 2 ? Effect.fail("down" as const) : Effect.succeed(attempts))
      )
      expect(yield* Effect.flip(load("x"))).toBe("down")
      expect(yield* load("x")).toBe(2)
      expect(yield* load("x")).toBe(2)
    }).pipe(Effect.provide(Cache.layerMemory())))

  it.effect("invalidating removes keys, patterns and tags after success only", () =>
    Effect.gen(function*() {
      const cache = yield* Cache.Cache
      const seed = Effect.all([
        cache.set("product:1", "p1", Schema.String),
        cache.set("products:list:1", "l1", Schema.String),
        cache.set("products:list:2", "l2", Schema.String),
        cache.set("featured", "f", Schema.String, { tags: ["catalog"] }),
        cache.set("other", "o", Schema.String)
      ])
      yield* seed
      const options = { keys: ["product:1"], patterns: ["products:list:*"], tags: ["catalog"] }
      yield* Effect.either(Effect.fail("rejected").pipe(Cache.invalidating(options)))
      expect(yield* cache.exists("product:1")).toBe(true)
      const result = yield* Effect.succeed("updated").pipe(Cache.invalidating(options))
      expect(result).toBe("updated")
      expect((yield* cache.stats).entries).toBe(1)
      yield* seed
      expect(yield* Cache.invalidate(options)).toBe(4)
    }).pipe(Effect.provide(Cache.layerMemory())))
})

describe("metrics", () => {
  it.effect("counts hits, misses, operations and durations by backend, operation and component", () =>
    Effect.gen(function*() {
      const component = `metrics-${crypto.randomUUID()}`
      const cache = yield* Cache.Cache
      yield* Effect.gen(function*() {
        yield* cache.set("a", 1, Schema.Number)
        yield* cache.get("a", Schema.Number)
        yield* cache.get("b", Schema.Number)
        yield* cache.getOrSet("c", Schema.Number, Effect.succeed(3))
      }).pipe(Cache.withComponent(component))
      const labels = { backend: "memory", component }
      expect(yield* metricValue("cache_hit_total", { ...labels, operation: "get" })).toBe(1)
      expect(yield* metricValue("cache_miss_total", { ...labels, operation: "get" })).toBe(1)
      expect(yield* metricValue("cache_miss_total", { ...labels, operation: "get_or_set" })).toBe(1)
      expect(yield* metricValue("cache_operations_total", labels)).toBe(4)
      expect(yield* metricValue("cache_operation_duration_seconds", { ...labels, operation: "set" })).toBe(1)
    }).pipe(Effect.provide(Cache.layerMemory())))

  it.effect("labels added with Effect.tagMetrics join the cache's own", () =>
    Effect.gen(function*() {
      const component = `tagged-${crypto.randomUUID()}`
      const cache = yield* Cache.Cache
      yield* Effect.gen(function*() {
        yield* cache.set("a", 1, Schema.Number)
        yield* cache.get("a", Schema.Number)
      }).pipe(Cache.withComponent(component), Effect.tagMetrics("tenant", "t1"))
      const labels = { backend: "memory", component, tenant: "t1" }
      expect(yield* metricValue("cache_hit_total", { ...labels, operation: "get" })).toBe(1)
      expect(yield* metricValue("cache_operations_total", labels)).toBe(2)
      expect(yield* metricValue("cache_operations_total", { backend: "memory", component })).toBe(2)
    }).pipe(Effect.provide(Cache.layerMemory())))

  it.effect("the layer's component labels operations outside withComponent", () =>
    Effect.gen(function*() {
      const component = `layer-${crypto.randomUUID()}`
      const cache = yield* Effect.provide(Cache.Cache, Cache.layerNull({ component }))
      yield* cache.get("x", Schema.String)
      expect(yield* metricValue("cache_miss_total", { backend: "null", component, operation: "get" })).toBe(1)
    }))
})

describe("layerConfig", () => {
  // A Redis layer that must never be built: memory and null need no Redis.
  const noRedis = Layer.effect(RedisClient.RedisClient, Effect.fail("redis layer built" as const))
  const backendOf = (env: Record<string, string>) =>
    Effect.map(Cache.Cache, (cache) => cache.backend).pipe(
      Effect.provide(Cache.layerConfigWithRedis(noRedis).pipe(Layer.provide(TestConfig.layerEnv(env))))
    )

  it.effect("memory by default, null or redis from CACHE_BACKEND; Redis built only for redis", () =>
    Effect.gen(function*() {
      expect(yield* backendOf({})).toBe("memory")
      expect(yield* backendOf({ CACHE_BACKEND: "null" })).toBe("null")
      expect(yield* Effect.flip(backendOf({ CACHE_BACKEND: "redis" }))).toBe("redis layer built")
    }))

  it.effect("REDIS_URL picks redis when CACHE_BACKEND is not set; CACHE_BACKEND wins", () =>
    Effect.gen(function*() {
      const url = "redis://127.0.0.1:6390"
      expect(yield* Effect.flip(backendOf({ REDIS_URL: url }))).toBe("redis layer built")
      expect(yield* backendOf({ REDIS_URL: url, CACHE_BACKEND: "memory" })).toBe("memory")
      expect(yield* backendOf({ REDIS_URL: "  " })).toBe("memory")
      expect((yield* Effect.provide(Cache.config, TestConfig.layerEnv({ REDIS_URL: url }))).backend).toBe("redis")
    }))

  it.effect("rejects an unknown backend and a bad ttl", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(backendOf({ CACHE_BACKEND: "memcached" }))
      expect(String(error)).toContain("memory, redis, null")
      const ttl = yield* Effect.flip(backendOf({ CACHE_DEFAULT_TTL: "soon" }))
      expect(String(ttl)).toContain("duration")
    }))

  it.effect("reads the ttl (seconds or a duration), bounds, strict and fallback", () =>
    Effect.gen(function*() {
      const options = yield* Effect.provide(
        Cache.config,
        TestConfig.layerEnv({
          CACHE_DEFAULT_TTL: "300",
          CACHE_MAX_ENTRIES: "50",
          CACHE_MAX_BYTES: "1024",
          CACHE_STRICT: "true",
          CACHE_FALLBACK: "memory",
          CACHE_KEY_PREFIX: "shop:"
        })
      )
      expect(Duration.toSeconds(Duration.decode(options.defaultTtl ?? 0))).toBe(300)
      expect([options.maxEntries, options.maxBytes, options.strict, options.fallback, options.keyPrefix]).toEqual([
        50,
        1024,
        true,
        "memory",
        "shop:"
      ])
      const none = yield* Effect.provide(Cache.config, TestConfig.layerEnv({ CACHE_DEFAULT_TTL: "none" }))
      expect(Duration.isFinite(Duration.decode(none.defaultTtl ?? 0))).toBe(false)
      const bad = yield* Effect.flip(Effect.provide(Cache.config, TestConfig.layerEnv({ CACHE_MAX_ENTRIES: "0" })))
      expect(String(bad)).toContain("positive")
    }))

  it.effect("the configured ttl drives expiry", () =>
    Effect.gen(function*() {
      const cache = yield* Cache.Cache
      yield* cache.set("k", "v", Schema.String)
      yield* TestClock.adjust("29 seconds")
      expect(yield* cache.get("k", Schema.String)).toEqual(Option.some("v"))
      yield* TestClock.adjust("2 seconds")
      expect(yield* cache.get("k", Schema.String)).toEqual(Option.none())
    }).pipe(
      Effect.provide(
        Cache.layerConfigWithRedis(noRedis).pipe(
          Layer.provide(TestConfig.layerEnv({ CACHE_DEFAULT_TTL: "30 seconds" }))
        )
      )
    ))
})
