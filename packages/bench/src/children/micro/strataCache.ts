/**
 * Row 5, subject: Strata's `Cache.layerMemory` get/set, called from inside a running effect
 * (one `Effect.gen` loop per window, as application code would call it).
 */
import { Cache } from "@strata/cache"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Figures } from "../../harness/protocol.js"
import { batchSize, check, keyCount, keys, ttlMs, users } from "./data.js"
import type { Subject } from "./subject.js"

const User = Schema.Struct({ id: Schema.Number, name: Schema.String, email: Schema.String, active: Schema.Boolean })

const loop = (
  windowMs: number,
  op: (cache: Cache.Service, i: number) => Effect.Effect<unknown, Cache.CacheError>
): Effect.Effect<Figures, Cache.CacheError, Cache.Cache> =>
  Effect.gen(function*() {
    const cache = yield* Cache.Cache
    const started = performance.now()
    const deadline = started + windowMs
    let ops = 0
    let now = started
    do {
      for (let k = 0; k < batchSize; k++) {
        yield* op(cache, (ops + k) % keyCount)
      }
      ops += batchSize
      now = performance.now()
    } while (now < deadline)
    return { opsPerSec: ops / ((now - started) / 1000) }
  })

/** @internal */
export const make = async (): Promise<Subject> => {
  const runtime = ManagedRuntime.make(Cache.layerMemory({ maxEntries: keyCount, defaultTtl: ttlMs }))
  // Fill every key, and check a value comes back equal.
  await runtime.runPromise(
    Effect.gen(function*() {
      const cache = yield* Cache.Cache
      for (let i = 0; i < keyCount; i++) yield* cache.set(keys[i]!, users[i]!, User)
      const found = yield* cache.get(keys[42]!, User)
      check(Option.isSome(found) && found.value.email === users[42]!.email, "Strata cache get after set")
    })
  )
  return {
    run: (op, windowMs) => {
      switch (op) {
        case "get":
          return runtime.runPromise(loop(windowMs, (cache, i) => cache.get(keys[i]!, User)))
        case "set":
          return runtime.runPromise(loop(windowMs, (cache, i) => cache.set(keys[i]!, users[i]!, User)))
        default:
          return Promise.reject(new Error(`unknown op ${op}`))
      }
    },
    close: () => runtime.dispose()
  }
}
