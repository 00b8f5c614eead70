/**
 * What the two sides of the Redis comparison share.
 */

/** Requests in flight at any time. */
export const inFlight = 100

/** The key read (the Strata cache adds its `bench:` prefix; the reference reads the same key). */
export const redisKey = "user:7"

/** The server the harness started, passed as `BENCH_REDIS_URL`. */
export const redisUrl = (): string => {
  const url = process.env.BENCH_REDIS_URL
  if (url === undefined || url === "") throw new Error("BENCH_REDIS_URL is not set")
  return url
}
