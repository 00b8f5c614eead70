/**
 * Examples for docs/resilience.md (compiled by `npm run typecheck`).
 */
import { Bulkhead, CircuitBreaker, Errors, Resilience } from "@strata/core"
import { Context, Effect, Layer, Metric, Schedule } from "effect"

// A call to another service that can fail in the usual ways.
declare const postCharge: (
  cents: number
) => Effect.Effect<{ readonly id: string }, Errors.ExternalServiceError | Errors.NetworkError>

// --- 1. Retry: backoff with jitter, only retryable errors, the last error when giving up ---

// 3 attempts, 100 ms doubling, full jitter; 5xx and network errors only.
export const withDefaults = postCharge(1200).pipe(Resilience.retry())

export const tuned = postCharge(1200).pipe(
  Resilience.retry({
    maxAttempts: 5, //        counting the first try
    baseDelay: "200 millis", // then 400, 800, 1600 ms ...
    maxDelay: "2 seconds", //  ... capped
    jitter: 0.2, //            ±20 % (true = full jitter, false = none)
    maxElapsed: "5 seconds" // no retry starts later than this after the first attempt
  })
)

// Decide yourself what is worth retrying (the error type is inferred from the effect).
export const only503 = postCharge(1200).pipe(
  Resilience.retry({ while: (error) => error._tag === "ExternalServiceError" && error.upstreamStatus === 503 })
)

// The same policy as a plain Schedule, for APIs that take one (Effect.retry, HttpClient.retry, Stream.retry).
export const policy: Schedule.Schedule<Resilience.RetryStep, unknown> = Resilience.schedule({ maxAttempts: 4 })
export const viaSchedule = Effect.retry(postCharge(1200), policy)

// --- 2. Timeout: interrupt and fail with Errors.Timeout ---

// Effect<{ id: string }, ExternalServiceError | NetworkError | Timeout>
export const bounded = postCharge(1200).pipe(Resilience.timeout("2 seconds", "payments.charge"))

// Timeout is retryable: each attempt gets 2 s, slow attempts are retried.
export const boundedAttempts = postCharge(1200).pipe(
  Resilience.timeout("2 seconds", "payments.charge"),
  Resilience.retry({ maxAttempts: 3 })
)

// --- 3. Circuit breaker and bulkhead, shared by a client service ---

const stateChanges = Metric.counter("circuit_breaker_state_changes_total")

export type ChargeError =
  | Errors.ExternalServiceError
  | Errors.NetworkError
  | Errors.Timeout
  | Errors.Unavailable

export class Payments extends Context.Tag("app/Payments")<Payments, {
  readonly charge: (cents: number) => Effect.Effect<{ readonly id: string }, ChargeError>
}>() {}

export const PaymentsLive: Layer.Layer<Payments> = Layer.effect(
  Payments,
  Effect.gen(function*() {
    // One breaker and one bulkhead per dependency, made once and shared by every call.
    const breaker = yield* CircuitBreaker.make({
      name: "payments",
      failureThreshold: 5, //       consecutive failures that open the circuit
      resetTimeout: "30 seconds", // open this long, then one trial call
      isFailure: Errors.isRetryable, // a 4xx answer means the service is up: not a failure
      onStateChange: (change) =>
        Metric.update(stateChanges.pipe(Metric.tagged("name", change.name), Metric.tagged("to", change.to)), 1)
    })
    const bulkhead = yield* Bulkhead.make({ name: "payments", maxConcurrent: 10, maxQueue: 50 })

    return {
      charge: (cents) =>
        postCharge(cents).pipe(
          Resilience.timeout("2 seconds", "payments.charge"), // per attempt; timeouts count as failures
          breaker.protect, //                                    open → Unavailable("circuit-open") at once
          bulkhead.run, //                                       full → Unavailable("bulkhead-full") at once
          Resilience.retry({ maxAttempts: 3 }) //                Unavailable is not retryable: no retry storm
        )
    }
  })
)

// --- 4. Reading a breaker and a bulkhead ---

export const report = Effect.gen(function*() {
  const breaker = yield* CircuitBreaker.make({ name: "search" })
  const bulkhead = yield* Bulkhead.make({ name: "search", maxConcurrent: 4 })
  const { consecutiveFailures, rejected, state } = yield* breaker.stats // state: "closed" | "open" | "half-open"
  const { queued, running } = yield* bulkhead.stats
  yield* Effect.log("search").pipe(
    Effect.annotateLogs({ state, consecutiveFailures, rejected, running, queued })
  )
})
