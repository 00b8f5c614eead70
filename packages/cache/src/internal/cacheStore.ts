/**
 * The backend contract under the `Cache` service: raw JSON strings in, raw strings out.
 * Schemas, metrics, single-flight and degradation live above it (`cacheService.ts`), so a
 * backend is only storage.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { CacheError } from "./cacheError.js"
import type { Backend } from "./cacheModels.js"

/** @internal */
export type { Backend } from "./cacheModels.js"

/**
 * Keys are the caller's keys (the backend adds its own prefix). `ttlMs` is a positive number
 * of milliseconds, or `undefined` for no expiry.
 *
 * @internal
 */
export interface Store {
  readonly backend: Backend
  /** Present when the store never waits nor fails (memory): the service answers get/set without effect steps. */
  readonly sync?: SyncStore | undefined
  readonly get: (key: string) => Effect.Effect<Option.Option<string>, CacheError>
  readonly set: (
    key: string,
    value: string,
    ttlMs: number | undefined,
    tags: ReadonlyArray<string>
  ) => Effect.Effect<void, CacheError>
  /** Removes the keys; the number of live entries removed. */
  readonly delete: (keys: ReadonlyArray<string>) => Effect.Effect<number, CacheError>
  readonly exists: (key: string) => Effect.Effect<boolean, CacheError>
  /** Adds `by`; a missing key starts at 0 and gets `ttlMs`; an existing one keeps its expiry. */
  readonly increment: (key: string, by: number, ttlMs: number | undefined) => Effect.Effect<number, CacheError>
  /** Removes the keys matching the Redis glob; the number removed. */
  readonly deletePattern: (pattern: string) => Effect.Effect<number, CacheError>
  /** Removes every entry set with one of the tags, and the tags; the number of entries removed. */
  readonly invalidateTags: (tags: ReadonlyArray<string>) => Effect.Effect<number, CacheError>
  /** Removes everything under this cache's prefix, and nothing else. */
  readonly clear: Effect.Effect<void, CacheError>
  /** The number of entries. */
  readonly size: Effect.Effect<number, CacheError>
}

/**
 * `get` and `set` of a store that answers at once, given the time (`Clock` milliseconds).
 *
 * @internal
 */
export interface SyncStore {
  readonly get: (key: string, now: number) => Option.Option<string>
  readonly set: (
    key: string,
    value: string,
    ttlMs: number | undefined,
    tags: ReadonlyArray<string>,
    now: number
  ) => void
}

/**
 * Stores nothing: every read misses, every write is dropped, `increment` answers as for a
 * fresh counter.
 *
 * @internal
 */
export const nullStore: Store = {
  backend: "null",
  get: () => Effect.succeedNone,
  set: () => Effect.void,
  delete: () => Effect.succeed(0),
  exists: () => Effect.succeed(false),
  increment: (_key, by) => Effect.succeed(by),
  deletePattern: () => Effect.succeed(0),
  invalidateTags: () => Effect.succeed(0),
  clear: Effect.void,
  size: Effect.succeed(0)
}

/** The integer a counter holds, or `undefined` when the text is not one. @internal */
export const parseCounter = (text: string): number | undefined => {
  if (!/^-?\d{1,16}$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** A TTL in milliseconds: `undefined` = no expiry; `<= 0` = expired at once. @internal */
export const ttlMillis = (ttl: Duration.DurationInput): number | undefined => {
  const duration = Duration.decode(ttl)
  return Duration.isFinite(duration) ? Math.ceil(Duration.toMillis(duration)) : undefined
}
