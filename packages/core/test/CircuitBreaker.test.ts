import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, HashMap, Logger, Option, Ref, TestClock } from "effect"
import { CircuitBreaker, Errors, Resilience } from "@strata/core"

const boom = new Errors.ExternalServiceError({ service: "payments", upstreamStatus: 503 })

/** A breaker that records its state changes, plus a call counter and failing/succeeding calls. */
const setup = (options: Omit<CircuitBreaker.Options, "name" | "onStateChange"> = {}) =>
  Effect.gen(function*() {
    const changes = yield* Ref.make<ReadonlyArray<CircuitBreaker.StateChange>>([])
    const calls = yield* Ref.make(0)
    const breaker = yield* CircuitBreaker.make({
      name: "payments",
      failureThreshold: 3,
      resetTimeout: "10 seconds",
      ...options,
      onStateChange: (change) => Ref.update(changes, (cs) => [...cs, change])
    })
    const fail = breaker.protect(Effect.zipRight(Ref.update(calls, (n) => n + 1), Effect.fail(boom)))
    const succeed = breaker.protect(Effect.as(Ref.update(calls, (n) => n + 1), "ok"))
    const failTimes = (n: number) => Effect.asVoid(Effect.replicateEffect(Effect.exit(fail), n))
    const transitions = Effect.map(Ref.get(changes), (cs) => cs.map((c) => `${c.from}->${c.to}@${c.at}`))
    return { breaker, calls: Ref.get(calls), fail, failTimes, succeed, transitions }
  })

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

const unavailable = (error: unknown): Errors.Unavailable => {
  expect(error).toBeInstanceOf(Errors.Unavailable)
  return error as Errors.Unavailable
}

describe("CircuitBreaker", () => {
  it.effect("opens after failureThreshold consecutive failures and then rejects without running the call", () =>
    Effect.gen(function*() {
      const { breaker, calls, fail, succeed, transitions } = yield* setup()
      yield* Effect.exit(fail)
      yield* Effect.exit(fail)
      expect(yield* breaker.state).toBe("closed")
      expect((yield* breaker.stats).consecutiveFailures).toBe(2)
      const third = failureOf(yield* Effect.exit(fail))
      expect(third).toBe(boom)
      expect(yield* breaker.state).toBe("open")
      expect(yield* transitions).toEqual(["closed->open@0"])

      yield* TestClock.adjust("4 seconds")
      const rejected = unavailable(failureOf(yield* Effect.exit(succeed)))
      expect([rejected.service, rejected.reason, rejected.status]).toEqual(["payments", "circuit-open", 503])
      expect(rejected.retryAfter && Duration.toMillis(rejected.retryAfter)).toBe(6000)
      expect(yield* calls).toBe(3)
      expect(yield* breaker.stats).toEqual({
        state: "open",
        consecutiveFailures: 0,
        successes: 0,
        failures: 3,
        rejected: 1
      })
    }))

  it.effect("resets the failure count on success", () =>
    Effect.gen(function*() {
      const { breaker, fail, succeed } = yield* setup()
      yield* Effect.exit(fail)
      yield* Effect.exit(fail)
      expect(yield* succeed).toBe("ok")
      yield* Effect.exit(fail)
      yield* Effect.exit(fail)
      expect(yield* breaker.state).toBe("closed")
      yield* Effect.exit(fail)
      expect(yield* breaker.state).toBe("open")
    }))

  it.effect("turns half-open after resetTimeout and closes when the trial call succeeds", () =>
    Effect.gen(function*() {
      const { breaker, calls, failTimes, succeed, transitions } = yield* setup()
      yield* failTimes(3)
      yield* TestClock.adjust("9999 millis")
      expect(yield* breaker.state).toBe("open")
      yield* TestClock.adjust("1 millis")
      expect(yield* breaker.state).toBe("half-open")
      expect(yield* succeed).toBe("ok")
      expect(yield* calls).toBe(4)
      expect(yield* breaker.state).toBe("closed")
      expect(yield* transitions).toEqual(["closed->open@0", "open->half-open@10000", "half-open->closed@10000"])
    }))

  it.effect("reopens for a full resetTimeout when the trial call fails", () =>
    Effect.gen(function*() {
      const { breaker, calls, fail, failTimes, succeed, transitions } = yield* setup()
      yield* failTimes(3)
      yield* TestClock.adjust("15 seconds")
      // The call itself moves the circuit to half-open and is the trial.
      expect(failureOf(yield* Effect.exit(fail))).toBe(boom)
      expect(yield* breaker.state).toBe("open")
      const rejected = unavailable(failureOf(yield* Effect.exit(succeed)))
      expect(rejected.retryAfter && Duration.toMillis(rejected.retryAfter)).toBe(10_000)
      expect(yield* calls).toBe(4)
      expect(yield* transitions).toEqual(["closed->open@0", "open->half-open@15000", "half-open->open@15000"])
    }))

  it.effect("lets only halfOpenMaxCalls trial calls through and needs that many successes to close", () =>
    Effect.gen(function*() {
      const { breaker, failTimes } = yield* setup({ halfOpenMaxCalls: 2 })
      yield* failTimes(3)
      yield* TestClock.adjust("10 seconds")
      const gate = yield* Deferred.make<void>()
      const trial = breaker.protect(Effect.as(Deferred.await(gate), "trial"))
      const first = yield* Effect.fork(trial)
      const second = yield* Effect.fork(trial)
      yield* TestClock.adjust(0)
      const third = unavailable(failureOf(yield* Effect.exit(trial)))
      expect([third.reason, third.retryAfter]).toEqual(["circuit-open", undefined])
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(first)).toBe("trial")
      expect(yield* Fiber.join(second)).toBe("trial")
      expect(yield* breaker.state).toBe("closed")

      // One success of two is not enough: stays half-open until the second.
      yield* failTimes(3)
      yield* TestClock.adjust("10 seconds")
      yield* breaker.protect(Effect.void)
      expect(yield* breaker.state).toBe("half-open")
      yield* breaker.protect(Effect.void)
      expect(yield* breaker.state).toBe("closed")
    }))

  it.effect("does not count interruptions, and an interrupted trial call frees its slot", () =>
    Effect.gen(function*() {
      const { breaker, fail, succeed } = yield* setup({ failureThreshold: 1 })
      const interrupted = yield* Effect.fork(breaker.protect(Effect.never))
      yield* TestClock.adjust(0)
      yield* Fiber.interrupt(interrupted)
      expect(yield* breaker.stats).toMatchObject({ state: "closed", failures: 0 })

      yield* Effect.exit(fail)
      yield* TestClock.adjust("10 seconds")
      const trial = yield* Effect.fork(breaker.protect(Effect.never))
      yield* TestClock.adjust(0)
      expect(unavailable(failureOf(yield* Effect.exit(succeed))).reason).toBe("circuit-open")
      yield* Fiber.interrupt(trial)
      expect(yield* breaker.state).toBe("half-open")
      expect(yield* succeed).toBe("ok")
      expect(yield* breaker.state).toBe("closed")
    }))

  it.effect("counts defects as failures and errors rejected by isFailure as successes", () =>
    Effect.gen(function*() {
      const { breaker } = yield* setup({ failureThreshold: 2, isFailure: Errors.isRetryable })
      const notFound = breaker.protect(Effect.fail(Errors.notFound("User", 1)))
      yield* Effect.exit(breaker.protect(Effect.die("bug")))
      yield* Effect.exit(notFound)
      yield* Effect.exit(notFound)
      yield* Effect.exit(breaker.protect(Effect.die("bug")))
      expect(yield* breaker.stats).toMatchObject({ state: "closed", consecutiveFailures: 1, successes: 2, failures: 2 })
      const exit = yield* Effect.exit(breaker.protect(Effect.fail(boom)))
      expect(failureOf(exit)).toBe(boom)
      expect(yield* breaker.state).toBe("open")
    }))

  it.effect("ignores outcomes of calls admitted before the last transition", () =>
    Effect.gen(function*() {
      const { breaker, failTimes } = yield* setup({ failureThreshold: 2 })
      const gate = yield* Deferred.make<void>()
      const slow = yield* Effect.fork(breaker.protect(Effect.zipRight(Deferred.await(gate), Effect.fail(boom))))
      yield* TestClock.adjust(0)
      yield* failTimes(2)
      yield* TestClock.adjust("10 seconds")
      yield* breaker.protect(Effect.void)
      expect(yield* breaker.state).toBe("closed")
      // The slow call started in the first closed period; its failure must not count now.
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.await(slow)
      expect(yield* breaker.stats).toMatchObject({ state: "closed", consecutiveFailures: 0, failures: 3 })
    }))

  it.effect("transitions once under concurrent failures", () =>
    Effect.gen(function*() {
      const { breaker, transitions } = yield* setup()
      const slowFailure = breaker.protect(Effect.zipRight(Effect.sleep("1 second"), Effect.fail(boom)))
      const fiber = yield* Effect.fork(
        Effect.all(Array.from({ length: 20 }, () => Effect.exit(slowFailure)), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("1 second")
      const exits = yield* Fiber.join(fiber)
      expect(exits.every((exit) => failureOf(exit) === boom)).toBe(true)
      expect(yield* transitions).toEqual(["closed->open@1000"])
      expect(yield* breaker.stats).toMatchObject({ state: "open", failures: 20, rejected: 0 })
    }))

  it.effect("composes with retry: retried failures trip the breaker, then circuit-open is not retried", () =>
    Effect.gen(function*() {
      const { breaker, calls, fail } = yield* setup()
      const fiber = yield* Effect.fork(fail.pipe(Resilience.retry({ maxAttempts: 10, jitter: false })))
      yield* TestClock.adjust("1 second")
      const error = unavailable(failureOf(yield* Fiber.await(fiber)))
      expect(error.reason).toBe("circuit-open")
      expect(yield* breaker.stats).toMatchObject({ state: "open", failures: 3, rejected: 1 })
      expect(yield* calls).toBe(3)
    }))

  it.effect("logs a warning when opening and info when closing, and survives a failing hook", () => {
    const logs: Array<readonly [string, unknown, Option.Option<unknown>]> = []
    const logger = Logger.make(({ annotations, logLevel, message }) => {
      logs.push([logLevel.label, Array.isArray(message) ? message[0] : message, HashMap.get(annotations, "to")])
    })
    return Effect.gen(function*() {
      const breaker = yield* CircuitBreaker.make({
        name: "search",
        failureThreshold: 1,
        resetTimeout: "1 second",
        onStateChange: (change) => change.to === "open" ? Effect.die("hook bug") : Effect.void
      })
      yield* Effect.exit(breaker.protect(Effect.fail(boom)))
      yield* TestClock.adjust("1 second")
      yield* breaker.protect(Effect.void)
      expect(logs.map(([level, message, to]) => [level, message, Option.getOrNull(to)]))
        .toEqual([
          ["WARN", "Circuit breaker 'search' closed -> open", "open"],
          ["WARN", "Circuit breaker 'search' onStateChange hook failed", null],
          ["INFO", "Circuit breaker 'search' open -> half-open", "half-open"],
          ["INFO", "Circuit breaker 'search' half-open -> closed", "closed"]
        ])
    }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
  })
})
