import { describe, expect, it } from "@effect/vitest"
import { Cause, type Duration, Effect, Exit, Fiber, Ref, TestClock } from "effect"
import { Bulkhead, Errors } from "@strata/core"

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

/** Lets forked fibers run until they all wait (on a slot, a sleep or forever). */
const settle = TestClock.adjust(0)

/** Calls that record when they start, how many run at once, and take `duration` to finish. */
const tracker = Effect.gen(function*() {
  const started = yield* Ref.make<ReadonlyArray<string>>([])
  const active = yield* Ref.make(0)
  const peak = yield* Ref.make(0)
  const call = (id: string, duration: Duration.DurationInput = "1 second") =>
    Effect.gen(function*() {
      yield* Ref.update(started, (s) => [...s, id])
      const now = yield* Ref.updateAndGet(active, (n) => n + 1)
      yield* Ref.update(peak, (p) => Math.max(p, now))
      yield* Effect.sleep(duration)
      return id
    }).pipe(Effect.ensuring(Ref.update(active, (n) => n - 1)))
  return { call, started: Ref.get(started), peak: Ref.get(peak) }
})

describe("Bulkhead", () => {
  it.effect("runs at most maxConcurrent calls at once and queues the rest", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 2, maxQueue: 3 })
      const { call, peak, started } = yield* tracker
      const fiber = yield* Effect.fork(
        Effect.forEach(["a", "b", "c", "d", "e"], (id) => bulkhead.run(call(id)), { concurrency: "unbounded" })
      )
      yield* settle
      expect(yield* bulkhead.stats).toEqual({ running: 2, queued: 3 })
      expect(yield* started).toEqual(["a", "b"])
      yield* TestClock.adjust("1 second")
      expect(yield* bulkhead.stats).toEqual({ running: 2, queued: 1 })
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toEqual(["a", "b", "c", "d", "e"])
      expect(yield* peak).toBe(2)
      expect(yield* bulkhead.stats).toEqual({ running: 0, queued: 0 })
    }))

  it.effect("rejects at once with Unavailable when the queue is full, without running the call", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1, maxQueue: 1 })
      const { call, started } = yield* tracker
      const first = yield* Effect.fork(bulkhead.run(call("first")))
      const second = yield* Effect.fork(bulkhead.run(call("second")))
      yield* settle
      const error = failureOf(yield* Effect.exit(bulkhead.run(call("third"))))
      expect(error).toBeInstanceOf(Errors.Unavailable)
      expect([error.service, error.reason, error.status]).toEqual(["reports", "bulkhead-full", 503])
      expect(yield* started).toEqual(["first"])
      yield* TestClock.adjust("2 seconds")
      expect([yield* Fiber.join(first), yield* Fiber.join(second)]).toEqual(["first", "second"])
      expect(yield* started).toEqual(["first", "second"])
    }))

  it.effect("does not queue by default", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1 })
      const running = yield* Effect.fork(bulkhead.run(Effect.never))
      yield* settle
      expect(failureOf(yield* Effect.exit(bulkhead.run(Effect.void))).reason).toBe("bulkhead-full")
      yield* Fiber.interrupt(running)
      yield* bulkhead.run(Effect.void)
    }))

  it.effect("serves queued calls first in, first out", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1, maxQueue: 10 })
      const { call, started } = yield* tracker
      const fibers: Array<Fiber.RuntimeFiber<string, Errors.Unavailable>> = []
      for (const id of ["1", "2", "3", "4", "5"]) {
        fibers.push(yield* Effect.fork(bulkhead.run(call(id, "100 millis"))))
        yield* settle
      }
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(Fiber.all(fibers))).toEqual(["1", "2", "3", "4", "5"])
      expect(yield* started).toEqual(["1", "2", "3", "4", "5"])
    }))

  it.effect("frees the queue place of a call interrupted while waiting, which never runs", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1, maxQueue: 1 })
      const { call, started } = yield* tracker
      const first = yield* Effect.fork(bulkhead.run(call("first")))
      const queued = yield* Effect.fork(bulkhead.run(call("queued")))
      yield* settle
      yield* Fiber.interrupt(queued)
      expect(yield* bulkhead.stats).toEqual({ running: 1, queued: 0 })
      const next = yield* Effect.fork(bulkhead.run(call("next")))
      yield* settle
      expect(yield* bulkhead.stats).toEqual({ running: 1, queued: 1 })
      yield* TestClock.adjust("2 seconds")
      expect([yield* Fiber.join(first), yield* Fiber.join(next)]).toEqual(["first", "next"])
      expect(yield* started).toEqual(["first", "next"])
    }))

  it.effect("keeps the others in line when a later queued call is interrupted", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1, maxQueue: 2 })
      const { call, peak, started } = yield* tracker
      const first = yield* Effect.fork(bulkhead.run(call("first")))
      yield* settle
      const second = yield* Effect.fork(bulkhead.run(call("second")))
      yield* settle
      const third = yield* Effect.fork(bulkhead.run(call("third")))
      yield* settle
      yield* Fiber.interrupt(third)
      expect(yield* bulkhead.stats).toEqual({ running: 1, queued: 1 })
      expect(yield* started).toEqual(["first"])
      yield* TestClock.adjust("2 seconds")
      expect([yield* Fiber.join(first), yield* Fiber.join(second)]).toEqual(["first", "second"])
      expect(yield* peak).toBe(1)
    }))

  it.effect("passes on a slot handed to a queued call that is interrupted before it starts", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1, maxQueue: 1 })
      const ran = yield* Ref.make(false)
      const running = yield* Effect.fork(bulkhead.run(Effect.never))
      const queued = yield* Effect.fork(bulkhead.run(Ref.set(ran, true)))
      yield* settle
      // Interrupting both at once: the running call hands its slot to the queued one, which
      // is already being interrupted and must give the slot back.
      yield* Fiber.interruptAll([running, queued])
      expect(yield* Ref.get(ran)).toBe(false)
      expect(yield* bulkhead.stats).toEqual({ running: 0, queued: 0 })
      expect(yield* bulkhead.run(Effect.succeed("ok"))).toBe("ok")
    }))

  it.effect("releases the slot when a call fails, dies or is interrupted", () =>
    Effect.gen(function*() {
      const bulkhead = yield* Bulkhead.make({ name: "reports", maxConcurrent: 1 })
      const notFound = failureOf(yield* Effect.exit(bulkhead.run(Effect.fail(Errors.notFound("User", 1)))))
      expect(notFound).toBeInstanceOf(Errors.NotFound)
      const died = yield* Effect.exit(bulkhead.run(Effect.die("bug")))
      expect(Exit.isFailure(died) && Cause.isDie(died.cause)).toBe(true)
      const running = yield* Effect.fork(bulkhead.run(Effect.never))
      yield* settle
      expect(yield* bulkhead.stats).toEqual({ running: 1, queued: 0 })
      yield* Fiber.interrupt(running)
      expect(yield* bulkhead.stats).toEqual({ running: 0, queued: 0 })
      expect(yield* bulkhead.run(Effect.succeed("ok"))).toBe("ok")
    }))
})
