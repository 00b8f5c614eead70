/**
 * The retry schedule behind `Resilience.schedule` and `Resilience.retry`: capped exponential
 * backoff with jitter, an attempt limit, an elapsed-time budget and an error filter, in one
 * stateful `Schedule` so every decision sees the same attempt count and clock.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleInterval from "effect/ScheduleInterval"
import { isRetryable } from "../Errors.js"
import type { RetryPolicy, RetryStep } from "../Resilience.js"

/** @internal */
export interface ResolvedPolicy<E> {
  readonly maxAttempts: number
  readonly baseMillis: number
  readonly factor: number
  readonly maxDelayMillis: number
  /** `"full"`: uniform in [0, delay]; a number x: delay × (1 ± x); `0`: none. */
  readonly jitter: "full" | number
  readonly maxElapsedMillis: number | undefined
  readonly while: (error: E) => boolean
}

/** @internal */
export const resolve = <E>(policy: RetryPolicy<E>): ResolvedPolicy<E> => {
  const jitter = policy.jitter ?? true
  return {
    maxAttempts: Math.max(1, Math.floor(policy.maxAttempts ?? 3)),
    baseMillis: Math.max(0, Duration.toMillis(policy.baseDelay ?? Duration.millis(100))),
    factor: Math.max(1, policy.factor ?? 2),
    maxDelayMillis: Math.max(0, Duration.toMillis(policy.maxDelay ?? Duration.seconds(10))),
    jitter: jitter === true ? "full" : jitter === false ? 0 : Math.min(1, Math.max(0, jitter)),
    maxElapsedMillis: policy.maxElapsed === undefined ? undefined : Duration.toMillis(policy.maxElapsed),
    while: policy.while ?? isRetryable
  }
}

/**
 * The delay before retry number `retry + 1`: `base × factor^retry`, capped at `maxDelay`,
 * then jittered with effect's `Random` (so `Random.fixed` / seeded randoms make it
 * deterministic) and kept within [0, maxDelay].
 *
 * @internal
 */
export const delayMillis = <E>(policy: ResolvedPolicy<E>, retry: number): Effect.Effect<number> => {
  const capped = Math.min(policy.baseMillis * Math.pow(policy.factor, retry), policy.maxDelayMillis)
  if (policy.jitter === 0) return Effect.succeed(capped)
  const jitter = policy.jitter
  return Effect.map(Random.next, (r) => {
    const jittered = jitter === "full" ? capped * r : capped * (1 + jitter * (2 * r - 1))
    return Math.min(policy.maxDelayMillis, Math.max(0, Math.round(jittered)))
  })
}

interface State {
  readonly failures: number
  readonly start: number | undefined
}

/**
 * Builds the schedule. `startedAt` anchors `maxElapsed` (the retry combinator passes the
 * time the first attempt began; a bare schedule starts counting at the first failure);
 * `onRetry` runs just before each retry is scheduled, never when giving up.
 *
 * @internal
 */
export const make = <E>(
  policy: RetryPolicy<E>,
  options: {
    readonly startedAt?: number | undefined
    readonly onRetry?: ((error: E, step: RetryStep, policy: ResolvedPolicy<E>) => Effect.Effect<void>) | undefined
  } = {}
): Schedule.Schedule<RetryStep, E> => {
  const resolved = resolve(policy)
  return Schedule.makeWithState<State, E, RetryStep>(
    { failures: 0, start: options.startedAt },
    (now, error, state) =>
      Effect.gen(function*() {
        const start = state.start ?? now
        const attempt = state.failures + 1
        const elapsed = Math.max(0, now - start)
        const next: State = { failures: attempt, start }
        const stop = [
          next,
          { attempt, delay: Duration.zero, elapsed: Duration.millis(elapsed) },
          ScheduleDecision.done
        ] as const
        if (attempt >= resolved.maxAttempts || !resolved.while(error)) return stop
        const delay = yield* delayMillis(resolved, state.failures)
        // Give up now rather than sleep past the budget and make an attempt we promised not to.
        if (resolved.maxElapsedMillis !== undefined && elapsed + delay > resolved.maxElapsedMillis) return stop
        const step: RetryStep = { attempt, delay: Duration.millis(delay), elapsed: Duration.millis(elapsed) }
        if (options.onRetry !== undefined) yield* options.onRetry(error, step, resolved)
        return [next, step, ScheduleDecision.continueWith(ScheduleInterval.after(now + delay))] as const
      })
  )
}

/** @internal */
export const errorTag = (error: unknown): string => {
  if (Predicate.hasProperty(error, "_tag") && typeof error._tag === "string") return error._tag
  if (error instanceof Error) return error.name
  return typeof error
}

/** @internal */
export const logRetry = <E>(error: E, step: RetryStep, policy: ResolvedPolicy<E>): Effect.Effect<void> => {
  const tag = errorTag(error)
  const delay = Duration.format(step.delay)
  return Effect.logWarning(`Retrying after ${tag} (attempt ${step.attempt} of ${policy.maxAttempts}) in ${delay}`).pipe(
    Effect.annotateLogs({ attempt: step.attempt, maxAttempts: policy.maxAttempts, delay, error: tag })
  )
}
