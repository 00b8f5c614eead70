/**
 * Row 6, reference: raw ioredis `GET` (one connection, default options), 100 async loops so
 * 100 requests are in flight at any time. `get-pipelined`, informational: the same on a
 * connection with `enableAutoPipelining`, which Strata's `RedisClient` turns on by default.
 */
import { Redis } from "ioredis"
import { check, users } from "./data.js"
import { inFlight, redisKey, redisUrl } from "./redisData.js"
import type { Subject } from "./subject.js"

/** @internal */
export const make = async (): Promise<Subject> => {
  const client = new Redis(redisUrl(), { lazyConnect: true })
  const pipelined = new Redis(redisUrl(), { lazyConnect: true, enableAutoPipelining: true })
  await Promise.all([client.connect(), pipelined.connect()])
  // The same bytes the Strata cache stores under its prefix (JSON of the encoded value).
  const key = `bench:${redisKey}`
  await client.set(key, JSON.stringify(users[7]), "EX", 3600)
  check((await client.get(key)) === JSON.stringify(users[7]), "ioredis get after set")
  return {
    run: async (op, windowMs) => {
      if (op !== "get" && op !== "get-pipelined") throw new Error(`unknown op ${op}`)
      const on = op === "get" ? client : pipelined
      const started = performance.now()
      const deadline = started + windowMs
      let ops = 0
      let misses = 0
      const reader = async () => {
        while (performance.now() < deadline) {
          if ((await on.get(key)) === null) misses++
          ops++
        }
      }
      await Promise.all(Array.from({ length: inFlight }, reader))
      return { opsPerSec: ops / ((performance.now() - started) / 1000), misses }
    },
    close: async () => {
      await Promise.all([client.quit(), pipelined.quit()])
    }
  }
}
