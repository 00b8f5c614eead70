/**
 * Degradation bookkeeping: while the backend fails, one warning opens the burst, then at
 * most one per `logInterval` with the number of operations suppressed since; the first
 * success after a burst logs the recovery. Every degraded operation is counted.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { CacheError } from "./cacheError.js"

interface Burst {
  lastLogAt: number
  suppressed: number
  degraded: number
}

/** @internal */
export interface Degrader {
  /** Logs (once per burst) that `operation` degraded because of `error`. */
  readonly failed: (operation: string, error: CacheError) => Effect.Effect<void>
  /** Marks the backend as answering again; logs and runs `onRecover` when a burst ends. */
  readonly succeeded: Effect.Effect<void>
  /** Degraded operations since the cache was built. */
  readonly total: () => number
  readonly inBurst: () => boolean
}

/** @internal */
export const makeDegrader = (options: {
  readonly backend: string
  readonly logInterval: Duration.Duration
  readonly onRecover: Effect.Effect<void>
}): Degrader => {
  const intervalMs = Duration.toMillis(options.logInterval)
  let burst: Burst | undefined
  let total = 0

  const failed = (operation: string, error: CacheError): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      total++
      const annotations = { backend: options.backend, operation, error: error.message }
      if (burst === undefined) {
        burst = { lastLogAt: now, suppressed: 0, degraded: 1 }
        return Effect.logWarning(`Cache backend '${options.backend}' failed; degrading to cache misses`).pipe(
          Effect.annotateLogs(annotations)
        )
      }
      burst.degraded++
      if (now - burst.lastLogAt < intervalMs) {
        burst.suppressed++
        return Effect.void
      }
      const suppressed = burst.suppressed
      burst.lastLogAt = now
      burst.suppressed = 0
      return Effect.logWarning(
        `Cache backend '${options.backend}' still failing; ${suppressed} more operations degraded since the last report`
      ).pipe(Effect.annotateLogs({ ...annotations, suppressed }))
    })

  const succeeded: Effect.Effect<void> = Effect.suspend(() => {
    if (burst === undefined) return Effect.void
    const degraded = burst.degraded
    burst = undefined
    return Effect.logInfo(`Cache backend '${options.backend}' recovered after ${degraded} degraded operations`).pipe(
      Effect.annotateLogs({ backend: options.backend, degraded }),
      Effect.zipRight(options.onRecover)
    )
  })

  return { failed, succeeded, total: () => total, inBurst: () => burst !== undefined }
}
