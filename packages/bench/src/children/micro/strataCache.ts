/**
 * Row 5, subject: Strata's `Cache.layerMemory` get/set, called from inside a running effect
 * (one `Effect.gen` loop per window, as application code would call it).
 */
import { Cache } from "@strata/cache"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { check, keyCount, keys, ttlMs, users } from "./data.js"
import { effectOpsPerSecond } from "./loops.js"
import type { Subject } from "./subject.js"

const User = Schema.Struct({ id: Schema.Number, name: Schema.String, email: Schema.String, active: Schema.Boolean })

const withCache = <A, E>(f: (cache: Cache.Service) => Effect.Effect<A, E>) => Effect.flatMap(Cache.Cache, f)

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
          return runtime.runPromise(
            withCache((cache) => effectOpsPerSecond(windowMs, (i) => cache.get(keys[i]!, User)))
          )
        case "set":
          return runtime.runPromise(
            withCache((cache) => effectOpsPerSecond(windowMs, (i) => cache.set(keys[i]!, users[i]!, User)))
          )
        default:
          return Promise.reject(new Error(`unknown op ${op}`))
      }
    },
    close: () => runtime.dispose()
  }
}
