/**
 * Timeout middleware: a request over the limit is interrupted and answered with a problem
 * response (`504` by default, `503` on request).
 *
 * `Effect.timeout` races two forked fibers (the effect and a `Clock` sleep) on every request.
 * Here everything stays on the request fiber: a plain timer (wall-clock time, not
 * `TestClock`) interrupts the request fiber itself, and only the app runs interruptibly, so
 * the interruption ends the app (its finalizers run) and is caught here, where the fiber's
 * interrupted state is cleared again: the middleware outside carries on and answers.
 *
 * An interruption by anyone else (the client going away, the server's shutdown deadline) is
 * left as it is and ends the request as before.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Timeout, Unavailable } from "@strata/core/Errors"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Problem from "../Problem.js"
import * as middlewareExit from "./middlewareExit.js"

/** The interruptor the timer uses: who interrupted tells a timeout from anything else. */
const timeoutFiberId = FiberId.runtime(-504, 0)

const onlyBy = (cause: Cause.Cause<unknown>, id: FiberId.FiberId): boolean => {
  const ids = Cause.interruptors(cause)
  return HashSet.size(ids) === 1 && HashSet.has(ids, id)
}

const clearInterruption = FiberRef.set(FiberRef.interruptedCause, Cause.empty)

/** One request's deadline, linked into its middleware's list. */
class Deadline {
  timedOut = false
  linked = true
  previous: Deadline | undefined = undefined
  next: Deadline | undefined = undefined
  constructor(readonly fiber: Fiber.RuntimeFiber<unknown, unknown>, readonly at: number) {}
}

/**
 * The pending deadlines of one timeout middleware, oldest first. They all have the same
 * duration, so they expire in the order they were added, and one timer (for the oldest)
 * serves them all: a request adds and removes a list entry instead of creating and
 * clearing a node timer (~1 µs). The timer keeps the process alive only while a deadline
 * is pending, as a timer per request did.
 */
class Deadlines {
  head: Deadline | undefined = undefined
  tail: Deadline | undefined = undefined
  timer: ReturnType<typeof setTimeout> | undefined = undefined
  constructor(readonly millis: number) {}

  add(fiber: Fiber.RuntimeFiber<unknown, unknown>): Deadline {
    const deadline = new Deadline(fiber, performance.now() + this.millis)
    const tail = this.tail
    if (tail === undefined) this.head = deadline
    else {
      tail.next = deadline
      deadline.previous = tail
    }
    this.tail = deadline
    // An armed timer is due no later than this deadline (it is for an older one).
    if (this.timer === undefined) this.timer = setTimeout(expire, this.millis, this)
    else if (tail === undefined) this.timer.ref()
    return deadline
  }

  remove(deadline: Deadline): void {
    if (!deadline.linked) return
    deadline.linked = false
    const { next, previous } = deadline
    if (previous === undefined) this.head = next
    else previous.next = next
    if (next === undefined) this.tail = previous
    else next.previous = previous
    deadline.previous = deadline.next = undefined
    // Left armed for the next request; it no longer holds the process open.
    if (this.head === undefined && this.timer !== undefined) this.timer.unref()
  }
}

const expire = (deadlines: Deadlines): void => {
  deadlines.timer = undefined
  const now = performance.now()
  let deadline = deadlines.head
  while (deadline !== undefined && deadline.at <= now) {
    deadlines.remove(deadline)
    deadline.timedOut = true
    deadline.fiber.unsafeInterruptAsFork(timeoutFiberId)
    deadline = deadlines.head
  }
  if (deadline !== undefined) deadlines.timer = setTimeout(expire, Math.max(1, Math.ceil(deadline.at - now)), deadlines)
}

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
  const deadlines = new Deadlines(Math.max(1, Math.round(Duration.toMillis(after))))

  // Runs uninterruptibly on the request fiber once the app has ended. A timer that fired has
  // had its interruption delivered by now: the fiber takes queued messages before each step.
  const settle = <E>(
    deadline: Deadline,
    exit: Exit.Exit<HttpServerResponse.HttpServerResponse, E>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, E> => {
    deadlines.remove(deadline)
    if (!deadline.timedOut) return exit
    return Effect.withFiberRuntime((fiber) => {
      if (!onlyBy(fiber.getFiberRef(FiberRef.interruptedCause), timeoutFiberId)) return exit
      const answer = Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) && onlyBy(exit.cause, timeoutFiberId)
        ? onTimeout
        : exit
      return Effect.zipRight(clearInterruption, answer)
    })
  }

  const guarded = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.withFiberRuntime((fiber) => {
        const deadline = deadlines.add(fiber)
        return Effect.flatMap(Effect.exit(restore(app)), (exit) => settle(deadline, exit))
      })
    )

  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber, status) => {
      if (!middlewareExit.shielded(status)) return guarded(app)
      // Already uninterruptible here (as in `Http.defaults`, where only the app is
      // interruptible): the handlers below run even when the fiber is interrupted.
      const deadline = deadlines.add(fiber)
      return Effect.matchCauseEffect(app, {
        onFailure: (cause) => settle(deadline, Exit.failCause(cause)),
        onSuccess: (response) => settle(deadline, Exit.succeed(response))
      })
    })
}
