/**
 * Invalidations lost to an outage, replayed in order before the next operation that reaches
 * the backend. Without it a `delete` (or a `set` that should have replaced a value) issued
 * while Redis was down would leave the old value to be served once Redis is back.
 *
 * Bounded: past `maxPending` keys the queue collapses into one `clear` of this cache's
 * prefix, which is always correct (a cache miss never is wrong), only colder.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type { CacheError } from "./cacheError.js"
import type { Store } from "./cacheStore.js"

/** @internal */
export type Invalidation =
  | { readonly _tag: "Keys"; readonly keys: ReadonlyArray<string> }
  | { readonly _tag: "Pattern"; readonly pattern: string }
  | { readonly _tag: "Tags"; readonly tags: ReadonlyArray<string> }
  | { readonly _tag: "Clear" }

/** @internal */
export interface Replay {
  readonly add: (invalidation: Invalidation) => Effect.Effect<void>
  /** Replays what is pending; fails (keeping the rest) when the backend still fails. */
  readonly flush: Effect.Effect<void, CacheError>
  readonly pending: () => number
}

const weight = (invalidation: Invalidation): number =>
  invalidation._tag === "Keys" ? invalidation.keys.length : invalidation._tag === "Tags" ? invalidation.tags.length : 1

/** @internal */
export const makeReplay = (store: Store, maxPending: number): Effect.Effect<Replay> =>
  Effect.map(Effect.makeSemaphore(1), (lock) => {
    let queue: Array<Invalidation> = []
    let size = 0
    let replayed = 0

    const add = (invalidation: Invalidation): Effect.Effect<void> =>
      Effect.suspend(() => {
        // after a pending clear nothing else can matter: it runs before any new write
        if (queue[0]?._tag === "Clear") return Effect.void
        if (invalidation._tag === "Clear" || size + weight(invalidation) > maxPending) {
          const collapsed = invalidation._tag !== "Clear"
          queue = [{ _tag: "Clear" }]
          size = 1
          return collapsed
            ? Effect.logWarning(`More than ${maxPending} cache invalidations lost; the cache is cleared on recovery`)
            : Effect.void
        }
        queue.push(invalidation)
        size += weight(invalidation)
        return Effect.void
      })

    const run = (invalidation: Invalidation): Effect.Effect<unknown, CacheError> => {
      switch (invalidation._tag) {
        case "Keys":
          return store.delete(invalidation.keys)
        case "Pattern":
          return store.deletePattern(invalidation.pattern)
        case "Tags":
          return store.invalidateTags(invalidation.tags)
        case "Clear":
          return store.clear
      }
    }

    const loop: Effect.Effect<void, CacheError> = Effect.suspend(() => {
      const next = queue[0]
      if (next === undefined) {
        const count = replayed
        replayed = 0
        return count === 0
          ? Effect.void
          : Effect.logInfo(`Replayed ${count} cache invalidations lost while the backend failed`).pipe(
            Effect.annotateLogs({ backend: store.backend })
          )
      }
      return Effect.zipRight(
        run(next),
        Effect.suspend(() => {
          // a collapse to `clear` may have replaced the queue meanwhile
          if (queue[0] === next) {
            queue.shift()
            size -= weight(next)
          }
          replayed++
          return loop
        })
      )
    })

    return {
      add,
      flush: Effect.suspend(() => queue.length === 0 ? Effect.void : lock.withPermits(1)(loop)),
      pending: () => queue.length
    }
  })
