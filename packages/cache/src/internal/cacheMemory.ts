/**
 * The in-process store: an LRU (a `Map` in recency order) bounded by entries and optionally
 * by bytes, per-key expiry read from `Clock`, a tag index, and a sweeper fiber that drops
 * expired entries so memory is returned even for keys nobody reads again.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import { CacheError } from "./cacheError.js"
import { globMatch } from "./cacheGlob.js"
import { parseCounter, type Store, type SyncStore } from "./cacheStore.js"

/** @internal */
export interface MemorySettings {
  readonly maxEntries: number
  readonly maxBytes: number | undefined
  readonly sweepInterval: Duration.Duration
}

interface Entry {
  readonly value: string
  /** Epoch milliseconds; `Infinity` for no expiry. */
  readonly expiresAt: number
  readonly tags: ReadonlyArray<string>
  readonly bytes: number
}

// What an entry costs: its UTF-8 key and encoded JSON value (the part that grows with use).
const sizeOf = (key: string, value: string): number => Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8")

/**
 * The store without its sweeper (see `makeMemoryStore`); exposed for tests of the sweeper.
 *
 * @internal
 */
export const unsafeMemoryStore = (settings: MemorySettings): Store & { readonly sweep: Effect.Effect<number> } => {
  const entries = new Map<string, Entry>()
  const tagIndex = new Map<string, Set<string>>()
  let bytes = 0

  const remove = (key: string): boolean => {
    const entry = entries.get(key)
    if (entry === undefined) return false
    entries.delete(key)
    bytes -= entry.bytes
    for (const tag of entry.tags) {
      const keys = tagIndex.get(tag)
      if (keys === undefined) continue
      keys.delete(key)
      if (keys.size === 0) tagIndex.delete(tag)
    }
    return true
  }

  // The live entry, or nothing (an expired one is dropped on the way).
  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now) {
      remove(key)
      return undefined
    }
    return entry
  }

  const overLimit = (): boolean =>
    entries.size > settings.maxEntries || (settings.maxBytes !== undefined && bytes > settings.maxBytes)

  const insert = (key: string, entry: Entry): void => {
    remove(key)
    // An entry bigger than the whole budget would evict everything and still not fit.
    if (settings.maxBytes !== undefined && entry.bytes > settings.maxBytes) return
    entries.set(key, entry)
    bytes += entry.bytes
    for (const tag of entry.tags) {
      const keys = tagIndex.get(tag)
      if (keys === undefined) tagIndex.set(tag, new Set([key]))
      else keys.add(key)
    }
    while (overLimit()) {
      const oldest = entries.keys().next()
      if (oldest.done === true) break
      remove(oldest.value)
    }
  }

  const touch = (key: string, entry: Entry): void => {
    entries.delete(key)
    entries.set(key, entry)
  }

  // The clock read synchronously: one step per store call instead of an effect chain.
  const withNow = <A>(f: (now: number) => A): Effect.Effect<A> =>
    Effect.clockWith((clock) => Effect.succeed(f(clock.unsafeCurrentTimeMillis())))

  const sweep = withNow((now) => {
    let removed = 0
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now && remove(key)) removed++
    }
    return removed
  })

  const removeLive = (keys: Iterable<string>, now: number): number => {
    let removed = 0
    for (const key of keys) {
      if (live(key, now) !== undefined && remove(key)) removed++
    }
    return removed
  }

  const sync: SyncStore = {
    get: (key, now) => {
      const entry = live(key, now)
      if (entry === undefined) return Option.none()
      touch(key, entry)
      return Option.some(entry.value)
    },
    set: (key, value, ttlMs, tags, now) => {
      insert(key, {
        value,
        expiresAt: ttlMs === undefined ? Infinity : now + ttlMs,
        tags: tags.length === 0 ? tags : Array.from(new Set(tags)),
        bytes: sizeOf(key, value)
      })
    }
  }

  return {
    backend: "memory",
    sweep,
    sync,
    get: (key) => withNow((now) => sync.get(key, now)),
    set: (key, value, ttlMs, tags) => withNow((now) => sync.set(key, value, ttlMs, tags, now)),
    delete: (keys) => withNow((now) => removeLive(keys, now)),
    exists: (key) => withNow((now) => live(key, now) !== undefined),
    increment: (key, by, ttlMs) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const entry = live(key, now)
        const current = entry === undefined ? 0 : parseCounter(entry.value)
        if (current === undefined || !Number.isSafeInteger(current + by)) {
          return Effect.fail(
            new CacheError({
              reason: "InvalidValue",
              operation: "increment",
              backend: "memory",
              key,
              message: current === undefined
                ? "The value is not an integer"
                : "The counter would leave the safe integer range"
            })
          )
        }
        const value = String(current + by)
        insert(key, {
          value,
          expiresAt: entry?.expiresAt ?? (ttlMs === undefined ? Infinity : now + ttlMs),
          tags: entry?.tags ?? [],
          bytes: sizeOf(key, value)
        })
        return Effect.succeed(current + by)
      }),
    deletePattern: (pattern) =>
      withNow((now) => removeLive(Array.from(entries.keys()).filter((key) => globMatch(pattern, key)), now)),
    invalidateTags: (tags) =>
      withNow((now) => {
        const keys = new Set<string>()
        for (const tag of tags) {
          for (const key of tagIndex.get(tag) ?? []) keys.add(key)
        }
        return removeLive(keys, now)
      }),
    clear: Effect.sync(() => {
      entries.clear()
      tagIndex.clear()
      bytes = 0
    }),
    size: withNow((now) => {
      let count = 0
      for (const entry of entries.values()) if (entry.expiresAt > now) count++
      return count
    })
  }
}

/**
 * The memory store with its sweeper forked into the scope (it stops with the scope).
 *
 * @internal
 */
export const makeMemoryStore = (settings: MemorySettings): Effect.Effect<Store, never, Scope.Scope> =>
  Effect.suspend(() => {
    const store = unsafeMemoryStore(settings)
    return Effect.as(
      Effect.forkScoped(Effect.repeat(store.sweep, Schedule.spaced(settings.sweepInterval))).pipe(
        Effect.when(() => Duration.isFinite(settings.sweepInterval) && Duration.toMillis(settings.sweepInterval) > 0)
      ),
      store
    )
  })
