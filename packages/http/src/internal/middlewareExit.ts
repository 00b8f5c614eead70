/**
 * Seeing how the app ended, for the middleware that record it (tracing, metrics, access log).
 *
 * `Effect.onExit` makes its region uninterruptible, so that the cleanup runs even when the
 * fiber is interrupted: six fiber steps per middleware per request. Inside a region that is
 * already uninterruptible — `Http.defaults` runs its middleware that way, only the app is
 * interruptible — a plain match does the same: a failure handler is skipped on interruption
 * only where the fiber is interruptible.
 *
 * @internal
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as FiberStatus from "effect/FiberStatus"
import * as Option from "effect/Option"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as problemMap from "./problemMap.js"

/** Whether the fiber runs uninterruptibly here (a handler then runs even on interruption). @internal */
export const shielded = (status: FiberStatus.Running): boolean => !RuntimeFlags.interruption(status.runtimeFlags)

/**
 * `app`, calling `done` (synchronously, once) with its exit — also when it is interrupted.
 *
 * @internal
 */
export const observe = <A, E, R>(
  status: FiberStatus.Running,
  app: Effect.Effect<A, E, R>,
  done: (exit: Exit.Exit<A, E>) => void
): Effect.Effect<A, E, R> => {
  if (!shielded(status)) {
    return Effect.onExit(app, (exit) => {
      done(exit)
      return Effect.void
    })
  }
  return Effect.matchCauseEffect(app, {
    onFailure: (cause) => {
      const exit = Exit.failCause(cause)
      done(exit)
      return exit
    },
    onSuccess: (value) => {
      const exit = Exit.succeed(value)
      done(exit)
      return exit
    }
  })
}

/**
 * The status a request that ended this way is answered with: a response's own; for a
 * failure the status the server's error handling gives it (a failure that is a response, a
 * catalogue or platform error by its status, 404 for an unmatched route, else 500), so that
 * middleware used without `Problem.handleErrors` inside them record what the client gets;
 * 499 when interrupted.
 *
 * @internal
 */
export const statusOf = (exit: Exit.Exit<{ readonly status: number }, unknown>): number => {
  if (Exit.isSuccess(exit)) return exit.value.status
  if (Exit.isInterrupted(exit)) return 499
  const failure = Cause.failureOption(exit.cause)
  const value = Option.isSome(failure) ? failure.value : Option.getOrUndefined(Cause.dieOption(exit.cause))
  return HttpServerResponse.isServerResponse(value) ? value.status : problemMap.fromCause(exit.cause).status
}
