/**
 * One `Cache` service, three backends: `layerMemory` (LRU by entries and bytes, per-key TTL,
 * a sweeper fiber), `layerRedis` (shared `RedisClient`, `SCAN` never `KEYS`, tags as sets)
 * and `layerNull` (stores nothing), picked by `layerConfig` from `CACHE_BACKEND`.
 *
 * Values go through a Schema the caller gives: encoded to JSON on the way in, decoded on the
 * way out; a value that no longer decodes is a miss and is removed. `getOrSet` runs its
 * loader once per key however many fibers ask at the same time. When Redis fails the cache
 * degrades (miss or no-op, optionally a memory tier), logs once per burst and counts; with
 * `strict: true` it fails with `CacheError` instead.
 *
 * @since 0.1.0
 */
import type * as ConfigError from "effect/ConfigError"
import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type { RedisClient } from "@strata/redis"
import * as combinators from "./internal/cacheCombinators.js"
import type { CacheError } from "./internal/cacheError.js"
import * as glob from "./internal/cacheGlob.js"
import * as internal from "./internal/cacheLayers.js"
import { currentComponent } from "./internal/cacheMetrics.js"
import type {
  CachedOptions,
  ConfigOptions,
  InvalidateOptions,
  MemoryOptions,
  NullOptions,
  RedisOptions
} from "./internal/cacheModels.js"
import { Cache } from "./internal/cacheTag.js"

export {
  /** @since 0.1.0 */
  Cache
} from "./internal/cacheTag.js"

export {
  /** @since 0.1.0 */
  CacheError
} from "./internal/cacheError.js"

export type {
  /** @since 0.1.0 */
  Backend,
  /** @since 0.1.0 */
  CachedOptions,
  /** @since 0.1.0 */
  ConfigOptions,
  /** @since 0.1.0 */
  IncrementOptions,
  /** @since 0.1.0 */
  InvalidateOptions,
  /** @since 0.1.0 */
  MemoryOptions,
  /** @since 0.1.0 */
  NullOptions,
  /** @since 0.1.0 */
  RedisOptions,
  /** @since 0.1.0 */
  Service,
  /** @since 0.1.0 */
  SetOptions,
  /** @since 0.1.0 */
  Stats
} from "./internal/cacheModels.js"

/**
 * An in-process cache (LRU + TTL), the sweeper forked into the layer's scope.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const CacheLive = Cache.layerMemory({ maxEntries: 1_000, defaultTtl: "1 minute" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options?: MemoryOptions): Layer.Layer<Cache> =>
  Layer.scoped(Cache, internal.makeMemory(options))

/**
 * A cache that stores nothing: every read misses, `getOrSet` always loads (still single-flight).
 * Disables caching without touching the code that uses it.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const CacheOff = Cache.layerNull()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNull = (options?: NullOptions): Layer.Layer<Cache> => Layer.scoped(Cache, internal.makeNull(options))

/**
 * A cache in Redis over the shared `RedisClient`.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Health } from "@strata/core"
 * import { RedisClient } from "@strata/redis"
 * import { Layer } from "effect"
 *
 * const CacheLive = Cache.layerRedis({ fallback: "memory" }).pipe(
 *   Layer.provide(RedisClient.layer({ url: "redis://127.0.0.1:6379", keyPrefix: "shop:" })),
 *   Layer.provide(Health.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRedis = (options?: RedisOptions): Layer.Layer<Cache, never, RedisClient.RedisClient> =>
  Layer.scoped(Cache, internal.makeRedis(options))

/**
 * The cache settings under `cache`: `CACHE_BACKEND` (`memory` | `redis` | `null`; default
 * redis when `REDIS_URL` is set, else memory), `CACHE_DEFAULT_TTL` (seconds, a duration such
 * as `5 minutes`, or `none`; default 5 minutes), `CACHE_MAX_ENTRIES` (10000),
 * `CACHE_MAX_BYTES`, `CACHE_STRICT` (false), `CACHE_FALLBACK` (`none` | `memory`),
 * `CACHE_KEY_PREFIX` (`cache:`).
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect } from "effect"
 *
 * const backend = Cache.config.pipe(Effect.map((options) => options.backend))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<ConfigOptions> = internal.config

const fromOptions = <E, R>(
  options: ConfigOptions,
  redis: Layer.Layer<RedisClient.RedisClient, E, R>
): Layer.Layer<Cache, E, R> =>
  options.backend === "memory"
    ? layerMemory(options)
    : options.backend === "null"
    ? layerNull(options)
    : Layer.provide(layerRedis(options), redis)

/**
 * The backend chosen by {@link config}. Needs a `RedisClient` whatever the backend; see
 * {@link layerConfigWithRedis} to build Redis only when the backend is redis.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Health } from "@strata/core"
 * import { RedisClient } from "@strata/redis"
 * import { Layer } from "effect"
 *
 * const CacheLive = Cache.layerConfig.pipe(Layer.provide(RedisClient.layerConfig), Layer.provide(Health.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Cache, ConfigError.ConfigError, RedisClient.RedisClient> = Layer.unwrapEffect(
  Effect.map(config, (options) => fromOptions(options, Layer.context<RedisClient.RedisClient>()))
)

/**
 * The backend chosen by {@link config}, building the given Redis layer only for the redis
 * backend (`CACHE_BACKEND=redis`, or `REDIS_URL` set and no `CACHE_BACKEND`): a deployment
 * with `memory` or `null` needs no Redis at all. Pass
 * the same layer value the rest of the app uses and it is built once.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Health } from "@strata/core"
 * import { RedisClient } from "@strata/redis"
 * import { Layer } from "effect"
 *
 * const CacheLive = Cache.layerConfigWithRedis(RedisClient.layerConfig).pipe(Layer.provide(Health.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfigWithRedis = <E, R>(
  redis: Layer.Layer<RedisClient.RedisClient, E, R>
): Layer.Layer<Cache, ConfigError.ConfigError | E, R> =>
  Layer.unwrapEffect(Effect.map(config, (options) => fromOptions(options, redis)))

/**
 * A key from parts joined with `:`. Each part is made inert: `:`, `%` and the glob
 * metacharacters `* ? [ ] \` are percent-encoded, so user input cannot add a segment, collide
 * with another key, or act as a pattern when the key (or a prefix of it) is used in
 * `deletePattern`.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * Cache.key("user", "42", "profile") // "user:42:profile"
 * Cache.key("user", "*")             // "user:%2A"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const key: (...parts: ReadonlyArray<string | number | bigint | boolean>) => string = glob.key

/**
 * A glob pattern whose interpolated values are encoded like {@link key} parts: the literal
 * text is the pattern, the values match only themselves.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const userId = "*"
 * Cache.pattern`user:${userId}:*` // "user:%2A:*" — not every user's keys
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const pattern: (
  strings: TemplateStringsArray,
  ...values: ReadonlyArray<string | number | bigint | boolean>
) => string = glob.pattern

/**
 * Backslash-escapes glob metacharacters, for literal text inside a pattern when the keys
 * were not built with {@link key}.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const prefix = Cache.escapeGlob("report[2024]") // "report\\[2024\\]"
 * const pattern = `${prefix}:*`
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const escapeGlob: (text: string) => string = glob.escapeGlob

/**
 * Wraps an effectful function with the cache (the seeds' `@cached` / `cache_aside`): each
 * call goes through `getOrSet` under `options.key(...args)`, so concurrent calls with the
 * same key run `f` once, and failures are not cached.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect, Schema } from "effect"
 *
 * const Product = Schema.Struct({ id: Schema.String, name: Schema.String })
 * const loadProduct = (id: string) => Effect.succeed({ id, name: `Product ${id}` })
 *
 * const getProduct = Cache.cached({
 *   key: (id: string) => Cache.key("product", id),
 *   schema: Product,
 *   ttl: "15 minutes",
 *   tags: (id) => ["products", Cache.key("product", id)]
 * })(loadProduct)
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const cached: <Args extends ReadonlyArray<unknown>, A, I>(
  options: CachedOptions<Args, A, I>
) => <E, R>(
  f: (...args: Args) => Effect.Effect<A, E, R>
) => (...args: Args) => Effect.Effect<A, E | CacheError, R | Cache> = combinators.cached

/**
 * Removes keys, patterns and tags now; the number of entries removed.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const refreshCatalog = Cache.invalidate({ patterns: ["products:list:*"], tags: ["catalog"] })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const invalidate: (options: InvalidateOptions) => Effect.Effect<number, CacheError, Cache> =
  combinators.invalidate

/**
 * Runs an effect, then (when it succeeds) removes keys, patterns and tags — the seeds'
 * `@invalidate_cache`. A failed effect invalidates nothing.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect } from "effect"
 *
 * const updateProduct = (id: string, name: string) =>
 *   Effect.succeed({ id, name }).pipe(
 *     Cache.invalidating({ keys: [Cache.key("product", id)], patterns: ["products:list:*"] })
 *   )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const invalidating: {
  (options: InvalidateOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CacheError, R | Cache>
  <A, E, R>(self: Effect.Effect<A, E, R>, options: InvalidateOptions): Effect.Effect<A, E | CacheError, R | Cache>
} = dual(2, combinators.invalidating)

/**
 * Labels the cache metrics of an effect with a `component` (the seeds' `component=` of
 * `track_cache_operation`), overriding the layer's default.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect, Schema } from "effect"
 *
 * const profile = Effect.flatMap(Cache.Cache, (cache) => cache.get("user:42:profile", Schema.String)).pipe(
 *   Cache.withComponent("user_profile")
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withComponent: {
  (component: string): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, component: string): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, component: string): Effect.Effect<A, E, R> =>
    Effect.locally(self, currentComponent, component)
)
