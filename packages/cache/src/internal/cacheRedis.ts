/**
 * The Redis store. Layout under `<client prefix><cache prefix>`:
 *
 * - `k:<key>`: the JSON value (a string), expiring with `PX`;
 * - `t:<tag>`: a set of the data keys written with that tag, living as long as its
 *   longest-lived member.
 *
 * Pattern deletion and `clear` use `SCAN MATCH` with the prefix escaped (never `KEYS`, which
 * blocks the server) and `UNLINK` in batches. Tag writes and invalidation are Lua scripts, so
 * a value and its tag index change together.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { RedisClient } from "@strata/redis"
import type { Redis } from "ioredis"
import * as Crypto from "node:crypto"
import { CacheError } from "./cacheError.js"
import { escapeGlob } from "./cacheGlob.js"
import type { Store } from "./cacheStore.js"

/** @internal */
export interface RedisSettings {
  /** The cache's own prefix, after the client's (`"cache:"`). */
  readonly keyPrefix: string
  /** The `COUNT` hint of each `SCAN` step, and the `UNLINK` batch size. */
  readonly batchSize: number
}

interface Script {
  readonly source: string
  readonly sha: string
}

const script = (source: string): Script => ({ source, sha: Crypto.createHash("sha1").update(source).digest("hex") })

// KEYS: data key, tag keys. ARGV: value, ttl ms (0 = none).
const setTagged = script(`
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
for i = 2, #KEYS do
  local fresh = redis.call('EXISTS', KEYS[i]) == 0
  redis.call('SADD', KEYS[i], KEYS[1])
  if ttl <= 0 then
    redis.call('PERSIST', KEYS[i])
  else
    local left = redis.call('PTTL', KEYS[i])
    if fresh or (left >= 0 and left < ttl) then redis.call('PEXPIRE', KEYS[i], ttl) end
  end
end
return 1
`)

// KEYS: tag keys. Removes every member, then the tags; returns how many members existed.
const invalidate = script(`
local removed = 0
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    removed = removed + redis.call('UNLINK', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('UNLINK', KEYS[i])
end
return removed
`)

// KEYS: counter. ARGV: by, ttl ms (0 = none). A new counter gets the TTL; an old one keeps its own.
const incrementBy = script(`
local fresh = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if fresh and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`)

const isNoScript = (cause: unknown): boolean => cause instanceof Error && cause.message.startsWith("NOSCRIPT")

// EVALSHA, loading the script with EVAL the first time a server has not seen it.
const run = (client: Redis, s: Script, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>) =>
  client.evalsha(s.sha, keys.length, ...keys, ...args).catch((cause: unknown) =>
    isNoScript(cause) ? client.eval(s.source, keys.length, ...keys, ...args) : Promise.reject(cause)
  )

const notAnInteger = /not an integer|out of range|WRONGTYPE/i

const chunks = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** @internal */
export const makeRedisStore = (redis: RedisClient.RedisClient.Service, settings: RedisSettings): Store => {
  const base = redis.prefix + settings.keyPrefix
  const dataPrefix = `${base}k:`
  const dataKey = (key: string): string => dataPrefix + key
  const tagKey = (tag: string): string => `${base}t:${tag}`
  // user patterns apply below the escaped prefix: they can widen within it, never leave it
  const dataMatch = (pattern: string): string => `${escapeGlob(base)}k:${pattern}`
  const ownMatch = `${escapeGlob(base)}[kt]:*`

  const use = <A>(
    operation: string,
    key: string | undefined,
    f: (client: Redis) => Promise<A>
  ): Effect.Effect<A, CacheError> =>
    redis.use(`cache.${operation}`, f).pipe(
      Effect.mapError((error) =>
        new CacheError({
          reason: operation === "increment" && !error.retryable && notAnInteger.test(error.message)
            ? "InvalidValue"
            : "BackendFailure",
          operation,
          backend: "redis",
          ...(key === undefined ? {} : { key }),
          message: error.message,
          cause: error
        })
      )
    )

  const unlink = (operation: string, keys: ReadonlyArray<string>): Effect.Effect<number, CacheError> =>
    Effect.reduce(
      chunks(keys, settings.batchSize),
      0,
      (sum, batch) => Effect.map(use(operation, undefined, (c) => c.unlink(...batch)), (n) => sum + n)
    )

  // Walks SCAN to the end, handing each page of keys to `page`.
  const scan = (
    operation: string,
    match: string,
    page: (keys: ReadonlyArray<string>) => Effect.Effect<void, CacheError>
  ): Effect.Effect<void, CacheError> => {
    const step = (cursor: string): Effect.Effect<void, CacheError> =>
      use(operation, undefined, (c) => c.scan(cursor, "MATCH", match, "COUNT", settings.batchSize)).pipe(
        Effect.flatMap(([next, keys]) =>
          Effect.zipRight(keys.length === 0 ? Effect.void : page(keys), next === "0" ? Effect.void : step(next))
        )
      )
    return step("0")
  }

  const deleteMatching = (operation: string, match: string): Effect.Effect<number, CacheError> =>
    Effect.suspend(() => {
      let removed = 0
      return scan(operation, match, (keys) => Effect.map(unlink(operation, keys), (n) => void (removed += n))).pipe(
        Effect.map(() => removed)
      )
    })

  return {
    backend: "redis",
    get: (key) => Effect.map(use("get", key, (c) => c.get(dataKey(key))), Option.fromNullable),
    set: (key, value, ttlMs, tags) =>
      tags.length === 0
        ? Effect.asVoid(use("set", key, (c) =>
          ttlMs === undefined ? c.set(dataKey(key), value) : c.set(dataKey(key), value, "PX", ttlMs)))
        : Effect.asVoid(use("set", key, (c) =>
          run(c, setTagged, [dataKey(key), ...Array.from(new Set(tags), tagKey)], [value, ttlMs ?? 0]))),
    delete: (keys) => unlink("delete", keys.map(dataKey)),
    exists: (key) => Effect.map(use("exists", key, (c) => c.exists(dataKey(key))), (n) => n > 0),
    increment: (key, by, ttlMs) =>
      Effect.map(use("increment", key, (c) => run(c, incrementBy, [dataKey(key)], [by, ttlMs ?? 0])), Number),
    deletePattern: (pattern) => deleteMatching("delete_pattern", dataMatch(pattern)),
    invalidateTags: (tags) =>
      Effect.reduce(
        chunks(tags.map(tagKey), settings.batchSize),
        0,
        (sum, batch) =>
          Effect.map(use("invalidate_tag", undefined, (c) => run(c, invalidate, batch, [])), (n) => sum + Number(n))
      ),
    clear: Effect.asVoid(deleteMatching("clear", ownMatch)),
    size: Effect.suspend(() => {
      // SCAN may return a key twice; count each once
      const seen = new Set<string>()
      return scan("size", dataMatch("*"), (keys) => Effect.sync(() => keys.forEach((k) => seen.add(k)))).pipe(
        Effect.map(() => seen.size)
      )
    })
  }
}
