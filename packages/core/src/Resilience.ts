/**
 * Retry policies and timeouts for calls to things that can fail transiently (databases,
 * other services, the network). Retries use capped exponential backoff with jitter and, by
 * default, only retry errors the catalogue marks as retryable (`Errors.isRetryable`), so a
 * `NotFound` or a validation failure is never retried. Timeouts interrupt the work and fail
 * with a typed `Errors.Timeout`.
 *
 * See `CircuitBreaker` and `Bulkhead` for the other two resilience tools.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as Schedule from "effect/Schedule"
import { Timeout } from "./internal/systemErrors.js"
import * as internal from "./internal/resilienceSchedule.js"

/**
 * How to retry. Every field is optional:
 *
 * - `maxAttempts` (3): total attempts, counting the first one; `1` means never retry.
 * - `baseDelay` (100 ms), `factor` (2), `maxDelay` (10 s): retry n waits
 *   `min(baseDelay × factor^(n-1), maxDelay)` before jitter.
 * - `jitter` (`true`): `true` is *full jitter*, a uniform delay in [0, computed delay]
 *   (spreads retries of many clients best); a number `x` in [0, 1] is ±x (`0.2` → 80 %–120 %
 *   of the computed delay); `false` disables it. Jittered delays never exceed `maxDelay`.
 * - `maxElapsed` (none): no retry starts later than this after the first attempt began; a
 *   retry whose delay would cross the budget is not scheduled.
 * - `while` (`Errors.isRetryable`): which errors to retry; others fail at once.
 *
 * @example
 * ```ts
 * import { Resilience } from "@strata/core"
 *
 * const policy: Resilience.RetryPolicy = { maxAttempts: 5, baseDelay: "200 millis", maxElapsed: "10 seconds" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy<E = unknown> {
  readonly maxAttempts?: number | undefined
  readonly baseDelay?: Duration.DurationInput | undefined
  readonly factor?: number | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
  readonly jitter?: boolean | number | undefined
  readonly maxElapsed?: Duration.DurationInput | undefined
  readonly while?: ((error: E) => boolean) | undefined
}

/**
 * What the retry schedule outputs at each failure: the number of the attempt that just
 * failed (1 = the first try), the wait before the next attempt, and the time elapsed so far.
 *
 * @example
 * ```ts
 * import { Resilience } from "@strata/core"
 * import { Duration } from "effect"
 *
 * const step: Resilience.RetryStep = { attempt: 1, delay: Duration.millis(100), elapsed: Duration.zero }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryStep {
  readonly attempt: number
  readonly delay: Duration.Duration
  readonly elapsed: Duration.Duration
}

/**
 * The retry policy as a plain `Schedule`, for `Effect.retry`, `HttpClient.retry`,
 * `Stream.retry` and friends. It does not log; `maxElapsed` counts from the first failure
 * (the schedule never sees the first attempt start — use `retry` for that).
 *
 * @example
 * ```ts
 * import { Errors, Resilience } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const call: Effect.Effect<string, Errors.NetworkError>
 *
 * const retried = Effect.retry(call, Resilience.schedule({ maxAttempts: 4, jitter: 0.2 }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const schedule = <E = unknown>(policy: RetryPolicy<E> = {}): Schedule.Schedule<RetryStep, E> =>
  internal.make(policy)

/**
 * Retries an effect according to a `RetryPolicy` (defaults: 3 attempts, 100 ms doubling,
 * full jitter, only `Errors.isRetryable` errors). Each retry is logged at warning level with
 * `attempt`, `maxAttempts`, `delay` and the `error` tag. When the policy gives up — attempts
 * or time budget spent, or an error it does not retry — the effect fails with that last
 * original error, unwrapped. Defects and interruptions are never retried.
 *
 * @example
 * ```ts
 * import { Errors, Resilience } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const fetchRates: Effect.Effect<ReadonlyArray<number>, Errors.ExternalServiceError | Errors.NotFound>
 *
 * // 502s are retried up to 5 attempts; NotFound fails immediately.
 * const rates = fetchRates.pipe(Resilience.retry({ maxAttempts: 5, baseDelay: "250 millis" }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry: {
  <E>(policy?: RetryPolicy<NoInfer<E>>): <A, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy?: RetryPolicy<NoInfer<E>>): Effect.Effect<A, E, R>
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: RetryPolicy<E> = {}): Effect.Effect<A, E, R> =>
    Effect.flatMap(
      Clock.currentTimeMillis,
      (startedAt) => Effect.retry(self, internal.make(policy, { startedAt, onRetry: internal.logRetry }))
    )
)

/**
 * Fails with `Errors.Timeout` when the effect does not finish within `duration`. The effect
 * is interrupted first (its finalizers run) and then the timeout error is raised.
 * `operation` names the work in the error message (default `"operation"`). `Timeout` is
 * retryable, so a `retry` outside a `timeout` retries slow attempts.
 *
 * @example
 * ```ts
 * import { Errors, Resilience } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const loadProfile: Effect.Effect<{ name: string }, Errors.NetworkError>
 *
 * // Effect<{ name: string }, NetworkError | Timeout>
 * const profile = loadProfile.pipe(Resilience.timeout("2 seconds", "load-profile"), Resilience.retry())
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timeout: {
  (
    duration: Duration.DurationInput,
    operation?: string
  ): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | Timeout, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, duration: Duration.DurationInput, operation?: string): Effect.Effect<
    A,
    E | Timeout,
    R
  >
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(
    self: Effect.Effect<A, E, R>,
    duration: Duration.DurationInput,
    operation = "operation"
  ): Effect.Effect<A, E | Timeout, R> =>
    Effect.timeoutFail(self, {
      duration,
      onTimeout: () => new Timeout({ operation, after: Duration.decode(duration) })
    })
)
