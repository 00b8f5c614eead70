/**
 * Row 5, reference: `lru-cache` get/set with the same capacity and TTL; and, for
 * information, the same calls each behind one `yield* Effect.sync` (the floor).
 */
import * as Effect from "effect/Effect"
import { LRUCache } from "lru-cache"
import { batchSize, check, keyCount, keys, ttlMs, type User, users } from "./data.js"
import { effectOpsPerSecond, opsPerSecond } from "./loops.js"
import type { Subject } from "./subject.js"

/** @internal */
export const make = async (): Promise<Subject> => {
  const cache = new LRUCache<string, User>({ max: keyCount, ttl: ttlMs })
  for (let i = 0; i < keyCount; i++) cache.set(keys[i]!, users[i]!)
  check(cache.get(keys[42]!)?.email === users[42]!.email, "lru-cache get after set")
  let next = 0
  // The result is kept so the engine cannot drop the reads.
  let sink = 0
  return {
    run: async (op, windowMs) => {
      switch (op) {
        case "get":
          return opsPerSecond(windowMs, batchSize, () => {
            for (let k = 0; k < batchSize; k++) {
              sink += cache.get(keys[next]!)?.id ?? 0
              next = (next + 1) % keyCount
            }
          })
        case "set":
          return opsPerSecond(windowMs, batchSize, () => {
            for (let k = 0; k < batchSize; k++) {
              cache.set(keys[next]!, users[next]!)
              next = (next + 1) % keyCount
            }
          })
        case "get-effect":
          // the floor of an Effect API: the plain call behind one `yield*`
          return Effect.runPromise(effectOpsPerSecond(windowMs, (i) => Effect.sync(() => cache.get(keys[i]!))))
        case "set-effect":
          return Effect.runPromise(
            effectOpsPerSecond(windowMs, (i) => Effect.sync(() => cache.set(keys[i]!, users[i]!)))
          )
        default:
          throw new Error(`unknown op ${op} (sink ${sink})`)
      }
    },
    close: async () => {
      cache.clear()
    }
  }
}
