/**
 * A circuit breaker: after repeated failures of a dependency it stops calling it for a
 * while and fails fast with `Errors.Unavailable` (reason `"circuit-open"`), so a sick
 * service is not hammered and callers do not pile up waiting on it. Effect 3 has none.
 *
 * - **closed**: calls run; `failureThreshold` consecutive failures open the circuit.
 * - **open**: calls are rejected without running, with `retryAfter` = time left; after
 *   `resetTimeout` the next call (or state read) moves it to half-open.
 * - **half-open**: up to `halfOpenMaxCalls` trial calls run; when that many succeed the
 *   circuit closes, and any failure opens it again.
 *
 * Time comes from `Clock` (so `TestClock` drives it). Changes are logged (warning when
 * opening, info otherwise) and passed to `onStateChange`, the hook for metrics.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as internal from "./internal/circuitBreaker.js"
import type { Unavailable } from "./internal/systemErrors.js"

/**
 * @example
 * ```ts
 * import { CircuitBreaker } from "@strata/core"
 *
 * const state: CircuitBreaker.State = "half-open"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type State = "closed" | "open" | "half-open"

/**
 * One state transition, as given to `onStateChange`. `at` is epoch milliseconds from `Clock`.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@strata/core"
 *
 * const change: CircuitBreaker.StateChange = { name: "payments", from: "closed", to: "open", at: 0 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface StateChange {
  readonly name: string
  readonly from: State
  readonly to: State
  readonly at: number
}

/**
 * Options of `make`:
 *
 * - `name`: the protected dependency; it becomes `Unavailable.service` and a log annotation.
 * - `failureThreshold` (5): consecutive failures that open a closed circuit.
 * - `resetTimeout` (30 s): how long the circuit stays open before trial calls are allowed.
 * - `halfOpenMaxCalls` (1): trial calls let through while half-open, and the successes
 *   needed to close again.
 * - `isFailure` (every error): which typed errors count against the dependency. An error
 *   it rejects counts as a success (the dependency answered). Defects always count;
 *   interruptions never do.
 * - `onStateChange`: runs on every transition, in order, while the breaker is locked —
 *   keep it short and do not call `protect` from it. Its failures are logged and ignored.
 *
 * @example
 * ```ts
 * import { CircuitBreaker, Errors } from "@strata/core"
 *
 * const options: CircuitBreaker.Options = {
 *   name: "payments",
 *   failureThreshold: 3,
 *   resetTimeout: "10 seconds",
 *   isFailure: Errors.isRetryable
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly name: string
  readonly failureThreshold?: number | undefined
  readonly resetTimeout?: Duration.DurationInput | undefined
  readonly halfOpenMaxCalls?: number | undefined
  readonly isFailure?: ((error: unknown) => boolean) | undefined
  readonly onStateChange?: ((change: StateChange) => Effect.Effect<void>) | undefined
}

/**
 * Counters of a breaker: its state, the consecutive failures counted toward opening (while
 * closed; 0 otherwise), and totals of calls that succeeded, failed and were rejected since
 * it was made (interrupted calls are in none of them).
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "@strata/core"
 *
 * const stats: CircuitBreaker.Stats = {
 *   state: "closed",
 *   consecutiveFailures: 0,
 *   successes: 10,
 *   failures: 1,
 *   rejected: 0
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly state: State
  readonly consecutiveFailures: number
  readonly successes: number
  readonly failures: number
  readonly rejected: number
}

/**
 * A circuit breaker. `protect` runs an effect through it (or fails fast with
 * `Errors.Unavailable`); `state` and `stats` read it. Share one breaker per dependency.
 *
 * @example
 * ```ts
 * import { CircuitBreaker, Errors } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const breaker: CircuitBreaker.CircuitBreaker
 * declare const charge: Effect.Effect<string, Errors.ExternalServiceError>
 *
 * // Effect<string, ExternalServiceError | Unavailable>
 * const guarded = breaker.protect(charge)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CircuitBreaker {
  readonly name: string
  readonly protect: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | Unavailable, R>
  readonly state: Effect.Effect<State>
  readonly stats: Effect.Effect<Stats>
}

/**
 * Makes a circuit breaker (closed). Make it once, where the client of the dependency is
 * built, and share it: each `make` has its own state.
 *
 * @example
 * ```ts
 * import { CircuitBreaker, Errors } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const charge: (cents: number) => Effect.Effect<string, Errors.ExternalServiceError>
 *
 * const program = Effect.gen(function*() {
 *   const breaker = yield* CircuitBreaker.make({
 *     name: "payments",
 *     failureThreshold: 5,
 *     resetTimeout: "30 seconds",
 *     onStateChange: (change) => Effect.log(`payments circuit ${change.from} -> ${change.to}`)
 *   })
 *   return yield* breaker.protect(charge(1200))
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<CircuitBreaker> = internal.make
