/**
 * Timeout middleware: a request over the limit is interrupted and answered with a problem
 * response (`504` by default, `503` on request).
 *
 * `Effect.timeout` races two forked fibers (the effect and a `Clock` sleep) on every request;
 * here the app runs in one fiber started synchronously, and only when it suspends does a plain
 * timer (wall-clock time, not `TestClock`) get armed to interrupt it.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Timeout, Unavailable } from "@strata/core/Errors"
import * as RequestContext from "@strata/core/RequestContext"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Runtime from "effect/Runtime"
import * as Problem from "../Problem.js"

/** @internal */
export const make = (duration: Duration.DurationInput, status: 503 | 504) => {
  const after = Duration.decode(duration)
  const cause = Cause.fail(
    status === 504
      ? new Timeout({ operation: "request", after })
      : new Unavailable({ service: "http", reason: "timeout" })
  )
  const onTimeout: Effect.Effect<HttpServerResponse.HttpServerResponse> = Problem.respond(cause)
  if (!Duration.isFinite(after)) return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => app
  const millis = Math.max(1, Math.round(Duration.toMillis(after)))
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((parent, status) => {
      // The app runs in a fiber started synchronously with the request fiber's context and
      // fiber refs: a handler that completes without suspending (the common case) costs no
      // timer, no scheduler hop and no suspension of the request fiber.
      const runtime = Runtime.make({
        context: parent.currentContext,
        fiberRefs: parent.getFiberRefs(),
        runtimeFlags: status.runtimeFlags
      })
      const child = Runtime.runFork(runtime, app as Effect.Effect<HttpServerResponse.HttpServerResponse, E>)
      // Only the request context flows back (e.g. a user id the handler set), not every fiber
      // ref: a full `inheritAll` diff costs more than the rest of the middleware.
      const before = parent.getFiberRef(RequestContext.currentRequestContext)
      const adopt = (exit: Exit.Exit<HttpServerResponse.HttpServerResponse, E>) => {
        const after = child.getFiberRef(RequestContext.currentRequestContext)
        return after === before ? exit : Effect.zipRight(FiberRef.set(RequestContext.currentRequestContext, after), exit)
      }
      const done = child.unsafePoll()
      if (done !== null) return adopt(done)
      return Effect.async<HttpServerResponse.HttpServerResponse, E>((resume) => {
        let timedOut = false
        const timer = setTimeout(() => {
          timedOut = true
          child.unsafeInterruptAsFork(parent.id())
        }, millis)
        // Resumes once the child has ended — after its finalizers, when it was interrupted.
        child.addObserver((exit) => {
          clearTimeout(timer)
          resume(
            timedOut && exit._tag === "Failure" && Cause.isInterruptedOnly(exit.cause)
              ? onTimeout
              : adopt(exit)
          )
        })
        return Effect.sync(() => {
          clearTimeout(timer)
          child.unsafeInterruptAsFork(parent.id())
        })
      })
    })
}
