/**
 * The models of the cache: the service shape and the options of each backend.
 * Re-exported by `Cache`.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type { CacheError } from "./cacheError.js"

/**
 * Which store a cache uses.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect } from "effect"
 *
 * const backend: Effect.Effect<Cache.Backend, never, Cache.Cache> = Effect.map(Cache.Cache, (cache) => cache.backend)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Backend = "memory" | "redis" | "null"

/**
 * Options of a write. `ttl` defaults to the layer's `defaultTtl`; `Duration.infinity` keeps
 * the value until it is evicted or deleted; zero or less removes it at once. `tags` group
 * entries for `invalidateTag`.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.SetOptions = { ttl: "15 minutes", tags: ["products", "product:42"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface SetOptions {
  readonly ttl?: Duration.DurationInput | undefined
  readonly tags?: ReadonlyArray<string> | undefined
}

/**
 * Options of `increment`: `by` (default 1, a safe integer, may be negative) and the `ttl`
 * a new counter gets (default: the layer's `defaultTtl`; an existing counter keeps its expiry).
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.IncrementOptions = { by: 5, ttl: "1 minute" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface IncrementOptions {
  readonly by?: number | undefined
  readonly ttl?: Duration.DurationInput | undefined
}

/**
 * Counters of one cache since it was built. `hitRate` is `hits / (hits + misses)` (0 before
 * any read); `entries` is what the backend holds now (Redis: counted with `SCAN`);
 * `degraded` counts operations that degraded because the backend failed.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const empty: Cache.Stats = { backend: "memory", hits: 0, misses: 0, hitRate: 0, entries: 0, degraded: 0 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly backend: Backend
  readonly hits: number
  readonly misses: number
  readonly hitRate: number
  readonly entries: number
  readonly degraded: number
}

/**
 * The operations. Keys are yours (the backend adds its prefix); build keys from user input
 * with {@link key}. Patterns are Redis globs (`*`, `?`, `[a-z]`, `\` escapes) matched the
 * same way by every backend. Failures are `CacheError`s: backend failures only with
 * `strict: true`, invalid values always.
 *
 * - `getOrSet`: single-flight per key; concurrent callers share one loader run and its
 *   result (or failure, which is not cached). If the caller running the loader is
 *   interrupted, a waiting caller takes over and runs it again.
 * - `delete` → whether a live entry was removed; `deleteMany`, `deletePattern`,
 *   `invalidateTag(s)` → how many; `clear` removes this cache's keys only.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect, Schema } from "effect"
 *
 * const views = (cache: Cache.Service, page: string) =>
 *   Effect.zipRight(cache.increment(Cache.key("views", page)), cache.get(Cache.key("views", page), Schema.Number))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly backend: Backend
  readonly get: <A, I>(key: string, schema: Schema.Schema<A, I>) => Effect.Effect<Option.Option<A>, CacheError>
  readonly set: <A, I>(
    key: string,
    value: A,
    schema: Schema.Schema<A, I>,
    options?: SetOptions
  ) => Effect.Effect<void, CacheError>
  readonly getOrSet: <A, I, E, R>(
    key: string,
    schema: Schema.Schema<A, I>,
    loader: Effect.Effect<A, E, R>,
    options?: SetOptions
  ) => Effect.Effect<A, E | CacheError, R>
  readonly delete: (key: string) => Effect.Effect<boolean, CacheError>
  readonly deleteMany: (keys: Iterable<string>) => Effect.Effect<number, CacheError>
  readonly exists: (key: string) => Effect.Effect<boolean, CacheError>
  readonly increment: (key: string, options?: IncrementOptions) => Effect.Effect<number, CacheError>
  readonly deletePattern: (pattern: string) => Effect.Effect<number, CacheError>
  readonly invalidateTag: (tag: string) => Effect.Effect<number, CacheError>
  readonly invalidateTags: (tags: Iterable<string>) => Effect.Effect<number, CacheError>
  readonly clear: Effect.Effect<void, CacheError>
  readonly stats: Effect.Effect<Stats, CacheError>
}

/**
 * Options every backend takes: `defaultTtl` (5 minutes; `Duration.infinity` for none) and
 * `component`, the default `component` label of the metrics (`"cache"`).
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.NullOptions = { component: "catalog" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface NullOptions {
  readonly defaultTtl?: Duration.DurationInput | undefined
  readonly component?: string | undefined
}

/**
 * Options of the memory backend: `maxEntries` (10,000), `maxBytes` (none; counts UTF-8 key
 * plus encoded JSON), `sweepInterval` (1 minute) between removals of expired entries.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.MemoryOptions = { maxEntries: 5_000, maxBytes: 64 * 1024 * 1024, defaultTtl: "10 minutes" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryOptions extends NullOptions {
  readonly maxEntries?: number | undefined
  readonly maxBytes?: number | undefined
  readonly sweepInterval?: Duration.DurationInput | undefined
}

/**
 * Options of the Redis backend:
 *
 * - `keyPrefix` (`"cache:"`), after the `RedisClient` prefix;
 * - `strict` (false): fail with `CacheError` instead of degrading when Redis fails;
 * - `fallback` (`"none"`): `"memory"` serves reads and writes from a local tier
 *   (`fallbackMemory`, 1,000 entries by default) while Redis fails; it is emptied on recovery;
 * - `degradedLogInterval` (10 seconds): at most one warning per interval during an outage;
 * - `batchSize` (500): `SCAN COUNT` and `UNLINK` batch size.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.RedisOptions = { keyPrefix: "catalog:", fallback: "memory", defaultTtl: "15 minutes" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RedisOptions extends NullOptions {
  readonly keyPrefix?: string | undefined
  readonly strict?: boolean | undefined
  readonly fallback?: "memory" | "none" | undefined
  readonly fallbackMemory?: MemoryOptions | undefined
  readonly degradedLogInterval?: Duration.DurationInput | undefined
  readonly batchSize?: number | undefined
}

/**
 * What `config` reads: the backend and the options of every backend.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.ConfigOptions = { backend: "redis", keyPrefix: "cache:", fallback: "none", strict: false }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigOptions extends MemoryOptions, RedisOptions {
  readonly backend: Backend
}

/**
 * Options of `cached`: the key of a call (build it with `Cache.key` when it holds user
 * input), the value's schema, and the `ttl`, `tags` (fixed, or from the arguments) and metrics
 * `component` of its entries.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Schema } from "effect"
 *
 * const options: Cache.CachedOptions<[id: string], string, string> = {
 *   key: (id) => Cache.key("product", id),
 *   schema: Schema.String,
 *   ttl: "10 minutes",
 *   tags: (id) => ["products", Cache.key("product", id)]
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CachedOptions<Args extends ReadonlyArray<unknown>, A, I> {
  readonly key: (...args: Args) => string
  readonly schema: Schema.Schema<A, I>
  readonly ttl?: Duration.DurationInput | undefined
  readonly tags?: ReadonlyArray<string> | ((...args: Args) => ReadonlyArray<string>) | undefined
  readonly component?: string | undefined
}

/**
 * What `invalidate` / `invalidating` remove: exact `keys`, glob `patterns`, `tags`.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const options: Cache.InvalidateOptions = { keys: [Cache.key("product", "42")], patterns: ["products:list:*"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface InvalidateOptions {
  readonly keys?: ReadonlyArray<string> | undefined
  readonly patterns?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly component?: string | undefined
}
