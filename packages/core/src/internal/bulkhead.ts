/**
 * The bulkhead's slots and queue. Effect's `Semaphore` is not strictly FIFO (a new caller
 * can take a permit freed before a waiter resumes), so slots are handed over explicitly:
 * a finishing call passes its slot straight to the oldest waiter. All bookkeeping runs in
 * synchronous `Effect.sync` steps, which cannot interleave.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import type { Bulkhead, Options, Stats } from "../Bulkhead.js"
import { Unavailable } from "./systemErrors.js"

/** @internal */
export const make = (options: Options): Effect.Effect<Bulkhead> =>
  Effect.sync(() => {
    const name = options.name
    const maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent))
    const maxQueue = Math.max(0, Math.floor(options.maxQueue ?? 0))
    let running = 0
    // A Set keeps insertion order (FIFO) and removes an interrupted waiter in O(1).
    const waiters = new Set<Deferred.Deferred<void>>()

    // Frees a slot, or hands it to the oldest waiter (then `running` stays the same).
    const release = (): void => {
      const next = waiters.values().next()
      if (next.done === true) {
        running--
        return
      }
      waiters.delete(next.value)
      Deferred.unsafeDone(next.value, Effect.void)
    }

    // `undefined`: a slot was taken; a deferred: queued, completed when a slot is handed over.
    const enter: Effect.Effect<Deferred.Deferred<void> | undefined, Unavailable> = Effect.suspend(() => {
      if (running < maxConcurrent) {
        running++
        return Effect.succeed(undefined)
      }
      if (waiters.size >= maxQueue) return Effect.fail(new Unavailable({ service: name, reason: "bulkhead-full" }))
      const waiter = Deferred.unsafeMake<void>(FiberId.none)
      waiters.add(waiter)
      return Effect.succeed(waiter)
    })

    const run = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Unavailable, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(enter, (waiter) => {
          const wait = waiter === undefined ? Effect.void : restore(Deferred.await(waiter)).pipe(
            Effect.onInterrupt(() =>
              Effect.sync(() => {
                // Still queued: leave the line. Already handed a slot: pass it on.
                if (!waiters.delete(waiter)) release()
              })
            )
          )
          return Effect.zipRight(wait, Effect.ensuring(restore(effect), Effect.sync(release)))
        })
      )

    const stats: Effect.Effect<Stats> = Effect.sync(() => ({ running, queued: waiters.size }))

    return { name, run, stats }
  })
