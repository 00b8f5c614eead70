/**
 * Building the service for each backend, with the defaults filled in, and the config reading.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { RedisClient } from "@strata/redis"
import type { Backend, ConfigOptions, MemoryOptions, NullOptions, RedisOptions, Service } from "./cacheModels.js"
import { makeMemoryStore } from "./cacheMemory.js"
import { makeRedisStore } from "./cacheRedis.js"
import { make } from "./cacheService.js"
import { nullStore, ttlMillis } from "./cacheStore.js"

const common = (options: NullOptions | undefined) => ({
  defaultTtl: Duration.decode(options?.defaultTtl ?? Duration.minutes(5)),
  component: options?.component ?? "cache",
  logInterval: Duration.seconds(10),
  maxPending: 10_000
})

const memorySettings = (options: MemoryOptions | undefined, maxEntries: number) => ({
  maxEntries: Math.max(1, options?.maxEntries ?? maxEntries),
  maxBytes: options?.maxBytes,
  sweepInterval: Duration.decode(options?.sweepInterval ?? Duration.minutes(1))
})

/** @internal */
export const makeMemory = (options?: MemoryOptions): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.flatMap(
    makeMemoryStore(memorySettings(options, 10_000)),
    (store) => make({ ...common(options), store, tier: undefined, strict: false })
  )

/** @internal */
export const makeNull = (options?: NullOptions): Effect.Effect<Service, never, Scope.Scope> =>
  make({ ...common(options), store: nullStore, tier: undefined, strict: false })

/** @internal */
export const makeRedis = (
  options?: RedisOptions
): Effect.Effect<Service, never, RedisClient.RedisClient | Scope.Scope> =>
  Effect.gen(function*() {
    const redis = yield* RedisClient.RedisClient
    const store = makeRedisStore(redis, {
      keyPrefix: options?.keyPrefix ?? "cache:",
      batchSize: Math.max(1, options?.batchSize ?? 500)
    })
    const tier = options?.fallback === "memory"
      ? yield* makeMemoryStore(memorySettings(options.fallbackMemory, 1_000))
      : undefined
    return yield* make({
      ...common(options),
      logInterval: Duration.decode(options?.degradedLogInterval ?? Duration.seconds(10)),
      store,
      tier,
      strict: options?.strict ?? false
    })
  })

const invalid = (message: string) => Either.left(ConfigError.InvalidData([], message))

const backend: Config.Config<Backend> = Config.mapOrFail(Config.string("backend"), (text) => {
  const value = text.trim().toLowerCase()
  return value === "memory" || value === "redis" || value === "null"
    ? Either.right(value)
    : invalid(`Expected one of (memory, redis, null) but received ${JSON.stringify(text)}`)
})

const fallback: Config.Config<"memory" | "none"> = Config.mapOrFail(Config.string("fallback"), (text) => {
  const value = text.trim().toLowerCase()
  return value === "memory" || value === "none"
    ? Either.right(value)
    : invalid(`Expected one of (memory, none) but received ${JSON.stringify(text)}`)
})

/** Seconds (`300`, as the seeds write it), an Effect duration (`"5 minutes"`), or `none`. @internal */
export const parseTtl = (text: string): Either.Either<Duration.Duration, string> => {
  const value = text.trim()
  if (/^(none|never|infinity)$/i.test(value)) return Either.right(Duration.infinity)
  if (/^\d+(\.\d+)?$/.test(value)) return Either.right(Duration.seconds(Number(value)))
  return Option.match(Duration.decodeUnknown(value), {
    onNone: () =>
      Either.left(`Expected seconds, a duration such as "5 minutes", or "none" but received ${JSON.stringify(text)}`),
    onSome: (duration) =>
      (ttlMillis(duration) ?? 1) > 0
        ? Either.right(duration)
        : Either.left(`Expected a positive duration but received ${JSON.stringify(text)}`)
  })
}

const ttl: Config.Config<Duration.Duration> = Config.mapOrFail(
  Config.string("defaultTtl"),
  (text) => Either.mapLeft(parseTtl(text), (message) => ConfigError.InvalidData([], message))
)

const positiveInt = (name: string): Config.Config<number> =>
  Config.integer(name).pipe(Config.validate({ message: "Expected a positive integer", validation: (n) => n > 0 }))

// Without `cache.backend`, a configured Redis (`redis.url`, env `REDIS_URL`) is the backend, as
// `DATABASE_URL` picks Postgres over PGlite: setting the server's URL is enough to use it.
const defaultBackend: Config.Config<Backend> = Config.map(
  Config.option(Config.string("url").pipe(Config.nested("redis"))),
  (url): Backend => Option.isSome(url) && url.value.trim() !== "" ? "redis" : "memory"
)

/** @internal */
export const config: Config.Config<ConfigOptions> = Config.all({
  backend: Config.option(backend),
  defaultTtl: Config.withDefault(ttl, Duration.minutes(5)),
  maxEntries: Config.withDefault(positiveInt("maxEntries"), 10_000),
  maxBytes: Config.option(positiveInt("maxBytes")),
  strict: Config.withDefault(Config.boolean("strict"), false),
  fallback: Config.withDefault(fallback, "none" as const),
  keyPrefix: Config.withDefault(Config.string("keyPrefix"), "cache:")
}).pipe(
  Config.nested("cache"),
  Config.zipWith(defaultBackend, (c, byUrl) => ({ ...c, backend: Option.getOrElse(c.backend, () => byUrl) })),
  Config.map((c): ConfigOptions => ({
    backend: c.backend,
    defaultTtl: c.defaultTtl,
    maxEntries: c.maxEntries,
    ...Option.match(c.maxBytes, { onNone: () => ({}), onSome: (maxBytes) => ({ maxBytes }) }),
    strict: c.strict,
    fallback: c.fallback,
    // the memory tier of the Redis backend gets the same bounds
    fallbackMemory: {
      maxEntries: c.maxEntries,
      ...Option.match(c.maxBytes, { onNone: () => ({}), onSome: (maxBytes) => ({ maxBytes }) })
    },
    keyPrefix: c.keyPrefix
  }))
)
