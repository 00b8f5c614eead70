/**
 * Examples for docs/redis.md (compiled by `npm run typecheck`).
 */
import { Health, Lifecycle } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { type ConfigError, Effect, Layer, Option, Schedule } from "effect"

// --- 1. The layer: one connection, configured from REDIS_* / redis.* ---

// Connects at start-up (or fails the start-up with a RedisError), QUIT at shutdown, and
// registers the "redis" readiness check. Lifecycle logs and times both.
export const RedisLive: Layer.Layer<
  RedisClient.RedisClient | Health.Health | Lifecycle.Lifecycle,
  RedisClient.RedisError | ConfigError.ConfigError
> = Lifecycle.service("redis", RedisClient.layerConfig).pipe(
  Layer.provideMerge(Layer.merge(Health.layer, Lifecycle.layer))
)

// The same with explicit options (tests, scripts):
export const RedisLocal: Layer.Layer<RedisClient.RedisClient, RedisClient.RedisError, Health.Health> = RedisClient
  .layer({ url: "redis://127.0.0.1:6379/0", keyPrefix: "shop:", commandTimeout: "150 millis" })

// --- 2. Commands: `use(group, f)` gives metrics per group and a typed error ---

export const lastSeen = (userId: string): Effect.Effect<Option.Option<string>, RedisClient.RedisError, RedisClient.RedisClient> =>
  Effect.gen(function*() {
    const redis = yield* RedisClient.RedisClient
    // The group ("session.lastSeen") is the metric label: a fixed name, never the key.
    const value = yield* redis.use("session.lastSeen", (client) => client.get(`${redis.prefix}seen:${userId}`))
    return Option.fromNullable(value)
  })

// Fail open on the request path: Redis down costs at most the command timeout, then the
// request goes on without the cached value.
export const lastSeenOrNone = (userId: string): Effect.Effect<Option.Option<string>, never, RedisClient.RedisClient> =>
  lastSeen(userId).pipe(
    Effect.catchTag("RedisError", (error) =>
      Effect.logWarning(`last-seen unavailable: ${error.message}`).pipe(Effect.as(Option.none())))
  )

// Retry only what is retryable AND idempotent: a GET or a SET of a fixed value, never a bare INCR.
export const touch = (userId: string, at: string): Effect.Effect<void, RedisClient.RedisError, RedisClient.RedisClient> =>
  Effect.gen(function*() {
    const redis = yield* RedisClient.RedisClient
    yield* redis.use("session.touch", (client) => client.set(`${redis.prefix}seen:${userId}`, at, "EX", 86_400))
  }).pipe(
    Effect.retry({
      while: (error) => error.retryable,
      schedule: Schedule.exponential("50 millis").pipe(Schedule.intersect(Schedule.recurs(2)))
    })
  )

// --- 3. Non-idempotent commands: make a retry (yours or a re-send) harmless ---

// "Count this order once": the order id is remembered next to the counter, in one script,
// so running it twice for the same order counts it once.
const countOnce = `
if redis.call("SET", KEYS[2], "1", "NX", "EX", ARGV[1]) then
  return redis.call("INCR", KEYS[1])
end
return tonumber(redis.call("GET", KEYS[1]) or "0")
`

export const countOrder = (orderId: string): Effect.Effect<number, RedisClient.RedisError, RedisClient.RedisClient> =>
  Effect.gen(function*() {
    const redis = yield* RedisClient.RedisClient
    const result = yield* redis.use("orders.count", (client) =>
      client.eval(countOnce, 2, `${redis.prefix}orders:count`, `${redis.prefix}orders:counted:${orderId}`, 86_400))
    return Number(result)
  }).pipe(Effect.retry({ while: (error) => error.retryable, times: 2 })) // safe now

// --- 4. Blocking reads on a connection of their own ---

// BLPOP on the request-path client would hit the 200 ms command timeout, and would hold up
// every other command on that connection while it blocks. `duplicate` opens a dedicated one.
export const worker = (handle: (job: string) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const redis = yield* RedisClient.RedisClient
    const blocking = yield* redis.duplicate({ blockingTimeout: 10_000 }) // closed with the scope
    const next = Effect.tryPromise(() => blocking.blpop(`${redis.prefix}jobs`, 5))
    yield* next.pipe(
      Effect.flatMap((popped) => popped === null ? Effect.void : handle(popped[1])),
      // Redis down: the pop fails at once; wait a little before the next attempt.
      Effect.catchAll((error) => Effect.logWarning("job pop failed", error).pipe(Effect.zipRight(Effect.sleep("1 second")))),
      Effect.forever
    )
  }).pipe(Effect.scoped)
