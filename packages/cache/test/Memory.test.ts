import { describe, expect, it } from "@effect/vitest"
import { Cache } from "@strata/cache"
import { Duration, Effect, Option, Schema, TestClock } from "effect"

const use = <A, E>(options: Cache.MemoryOptions, f: (cache: Cache.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(Cache.Cache, f).pipe(Effect.provide(Cache.layerMemory(options)))

describe("memory backend", () => {
  it.effect("entries expire after their ttl (Clock time)", () =>
    use({}, (cache) =>
      Effect.gen(function*() {
        yield* cache.set("short", "s", Schema.String, { ttl: "1 minute" })
        yield* cache.set("default", "d", Schema.String)
        yield* cache.set("forever", "f", Schema.String, { ttl: Duration.infinity })
        yield* TestClock.adjust("59 seconds")
        expect(yield* cache.get("short", Schema.String)).toEqual(Option.some("s"))
        yield* TestClock.adjust("2 seconds")
        expect(yield* cache.get("short", Schema.String)).toEqual(Option.none())
        expect(yield* cache.exists("default")).toBe(true)
        yield* TestClock.adjust("4 minutes")
        expect(yield* cache.exists("default")).toBe(false)
        yield* TestClock.adjust("1 hour")
        expect(yield* cache.get("forever", Schema.String)).toEqual(Option.some("f"))
        expect((yield* cache.stats).entries).toBe(1)
      })))

  it.effect("defaultTtl applies to writes without a ttl", () =>
    use({ defaultTtl: "10 seconds" }, (cache) =>
      Effect.gen(function*() {
        yield* cache.set("k", 1, Schema.Number)
        yield* TestClock.adjust("11 seconds")
        expect(yield* cache.exists("k")).toBe(false)
      })))

  it.effect("a new counter gets the ttl; an existing one keeps its expiry", () =>
    use({}, (cache) =>
      Effect.gen(function*() {
        expect(yield* cache.increment("window", { ttl: "10 seconds" })).toBe(1)
        yield* TestClock.adjust("8 seconds")
        expect(yield* cache.increment("window", { ttl: "10 seconds" })).toBe(2)
        yield* TestClock.adjust("3 seconds")
        expect(yield* cache.exists("window")).toBe(false)
        expect(yield* cache.increment("window", { ttl: "10 seconds" })).toBe(1)
      })))

  it.effect("evicts the least recently used entry past maxEntries", () =>
    use({ maxEntries: 3 }, (cache) =>
      Effect.gen(function*() {
        yield* Effect.forEach(["a", "b", "c"], (k) => cache.set(k, k, Schema.String))
        yield* cache.get("a", Schema.String) // a is now the most recent
        yield* cache.set("d", "d", Schema.String)
        expect(yield* cache.exists("b")).toBe(false)
        expect(yield* Effect.forEach(["a", "c", "d"], (k) => cache.exists(k))).toEqual([true, true, true])
        expect((yield* cache.stats).entries).toBe(3)
      })))

  it.effect("evicts past maxBytes and refuses an entry larger than the budget", () =>
    use({ maxBytes: 100 }, (cache) =>
      Effect.gen(function*() {
        // key (2 bytes) + JSON string of 28 chars (30 bytes) = 32 bytes each
        const value = "x".repeat(28)
        yield* Effect.forEach(["k1", "k2", "k3"], (k) => cache.set(k, value, Schema.String))
        expect((yield* cache.stats).entries).toBe(3)
        yield* cache.set("k4", value, Schema.String)
        expect(yield* cache.exists("k1")).toBe(false)
        expect((yield* cache.stats).entries).toBe(3)
        yield* cache.set("k2", "y".repeat(200), Schema.String)
        expect(yield* cache.exists("k2")).toBe(false)
        expect(yield* cache.exists("k3")).toBe(true)
      })))

  it.effect("the sweeper frees expired entries nobody reads (so they take no LRU slot)", () =>
    Effect.gen(function*() {
      const scenario = (wait: Duration.DurationInput) =>
        use({ maxEntries: 2, sweepInterval: "10 seconds" }, (cache) =>
          Effect.gen(function*() {
            yield* cache.set("keep", "k", Schema.String, { ttl: Duration.infinity })
            yield* cache.set("brief", "b", Schema.String, { ttl: "1 second" })
            yield* TestClock.adjust(wait)
            yield* cache.set("new", "n", Schema.String)
            return yield* cache.exists("keep")
          }))
      // before the sweep the expired entry still holds a slot: the oldest live entry is evicted
      expect(yield* scenario("5 seconds")).toBe(false)
      // after the sweep (at 10 s) there is room
      expect(yield* scenario("11 seconds")).toBe(true)
    }))

  it.effect("values are copies: mutating what was stored or read changes nothing", () =>
    use({}, (cache) =>
      Effect.gen(function*() {
        const Tags = Schema.mutable(Schema.Array(Schema.String))
        const tags = ["a"]
        yield* cache.set("tags", tags, Tags)
        tags.push("b")
        const read = Option.getOrThrow(yield* cache.get("tags", Tags))
        read.push("c")
        expect(yield* cache.get("tags", Tags)).toEqual(Option.some(["a"]))
      })))
})
