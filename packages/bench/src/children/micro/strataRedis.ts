/**
 * Row 6, subject: Strata's `Cache.layerRedis` get (over `RedisClient`), 100 fibers each
 * reading in a loop, so 100 requests are in flight at any time.
 */
import { Cache } from "@strata/cache"
import { Health } from "@strata/core"
import { RedisClient } from "@strata/redis"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { check, users } from "./data.js"
import { inFlight, redisKey, redisUrl } from "./redisData.js"
import type { Subject } from "./subject.js"

const User = Schema.Struct({ id: Schema.Number, name: Schema.String, email: Schema.String, active: Schema.Boolean })

/** @internal */
export const make = async (): Promise<Subject> => {
  const layer = Cache.layerRedis({ keyPrefix: "bench:", defaultTtl: "1 hour" }).pipe(
    // The read path is compared, not the fail-fast policy: on a loaded machine the default
    // 200 ms command timeout would turn slow replies into (cheaper) degraded misses.
    Layer.provide(RedisClient.layer({ url: redisUrl(), commandTimeout: "10 seconds" })),
    Layer.provide(Health.layer)
  )
  const runtime = ManagedRuntime.make(layer)
  await runtime.runPromise(
    Effect.gen(function*() {
      const cache = yield* Cache.Cache
      yield* cache.set(redisKey, users[7]!, User)
      const found = yield* cache.get(redisKey, User)
      check(Option.isSome(found) && found.value.email === users[7]!.email, "Strata Redis cache get after set")
    })
  )
  const window = (windowMs: number) =>
    Effect.gen(function*() {
      const cache = yield* Cache.Cache
      const started = performance.now()
      const deadline = started + windowMs
      let ops = 0
      let misses = 0
      const reader = Effect.gen(function*() {
        while (performance.now() < deadline) {
          if (Option.isNone(yield* cache.get(redisKey, User))) misses++
          ops++
        }
      })
      yield* Effect.all(Array.from({ length: inFlight }, () => reader), { concurrency: "unbounded", discard: true })
      return { opsPerSec: ops / ((performance.now() - started) / 1000), misses }
    })
  return {
    run: (op, windowMs) =>
      op === "get" ? runtime.runPromise(window(windowMs)) : Promise.reject(new Error(`unknown op ${op}`)),
    close: () => runtime.dispose()
  }
}
