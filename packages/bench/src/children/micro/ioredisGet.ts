/**
 * Row 6, reference: raw ioredis `GET` (one connection, default options), 100 async loops so
 * 100 requests are in flight at any time.
 */
import { Redis } from "ioredis"
import { check, users } from "./data.js"
import { inFlight, redisKey, redisUrl } from "./redisData.js"
import type { Subject } from "./subject.js"

/** @internal */
export const make = async (): Promise<Subject> => {
  const client = new Redis(redisUrl(), { lazyConnect: true })
  await client.connect()
  // The same bytes the Strata cache stores under its prefix (JSON of the encoded value).
  const key = `bench:${redisKey}`
  await client.set(key, JSON.stringify(users[7]), "EX", 3600)
  check((await client.get(key)) === JSON.stringify(users[7]), "ioredis get after set")
  return {
    run: async (op, windowMs) => {
      if (op !== "get") throw new Error(`unknown op ${op}`)
      const started = performance.now()
      const deadline = started + windowMs
      let ops = 0
      let misses = 0
      const reader = async () => {
        while (performance.now() < deadline) {
          if ((await client.get(key)) === null) misses++
          ops++
        }
      }
      await Promise.all(Array.from({ length: inFlight }, reader))
      return { opsPerSec: ops / ((performance.now() - started) / 1000), misses }
    },
    close: async () => {
      await client.quit()
    }
  }
}
