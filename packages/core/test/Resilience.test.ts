import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Chunk,
  Clock,
  Duration,
  Effect,
  Exit,
  Fiber,
  HashMap,
  Logger,
  Random,
  Ref,
  Schedule,
  TestClock
} from "effect"
import { Errors, Resilience } from "@strata/core"

interface Captured {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
}

const captureLogs = () => {
  const logs: Array<Captured> = []
  const logger = Logger.make(({ annotations, logLevel, message }) => {
    logs.push({
      level: logLevel.label,
      message: String(Array.isArray(message) ? message[0] : message),
      annotations: Object.fromEntries(HashMap.toEntries(annotations))
    })
  })
  return { logs, layer: Logger.replace(Logger.defaultLogger, logger) }
}

/** An effect that records the clock time of every attempt and fails with `fail(attempt)`. */
const attempts = <E>(fail: (attempt: number) => E, work: Effect.Effect<void> = Effect.void) =>
  Effect.map(Ref.make<ReadonlyArray<number>>([]), (times) => ({
    times,
    effect: Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const n = (yield* Ref.updateAndGet(times, (ts) => [...ts, now])).length
      yield* work
      return yield* Effect.fail(fail(n))
    })
  }))

/** The typed error of a failed exit (catalogue errors ignore `message` in `Equal`, so compare fields). */
const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

const network = (n: number) => new Errors.NetworkError({ message: `attempt ${n}` })

const delaysOf = <E>(schedule: Schedule.Schedule<Resilience.RetryStep, E>, inputs: ReadonlyArray<E>) =>
  Effect.map(
    Schedule.run(schedule, 0, inputs),
    (steps) => Chunk.toReadonlyArray(steps).map((s) => Duration.toMillis(s.delay))
  )

describe("Resilience.retry", () => {
  it.effect("gives up after maxAttempts with exponential delays and fails with the last original error", () =>
    Effect.gen(function*() {
      const { layer, logs } = captureLogs()
      const { effect, times } = yield* attempts(network)
      const fiber = yield* effect.pipe(
        Resilience.retry({ maxAttempts: 4, baseDelay: "100 millis", factor: 3, jitter: false }),
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      const exit = yield* Fiber.await(fiber)
      expect(yield* Ref.get(times)).toEqual([0, 100, 400, 1300])
      const error = failureOf(exit)
      expect(error).toBeInstanceOf(Errors.NetworkError)
      expect(error.message).toBe("attempt 4")
      expect(logs.map((l) => [l.level, l.annotations["attempt"], l.annotations["delay"], l.annotations["error"]]))
        .toEqual([
          ["WARN", 1, "100ms", "NetworkError"],
          ["WARN", 2, "300ms", "NetworkError"],
          ["WARN", 3, "900ms", "NetworkError"]
        ])
      expect(logs[0]!.message).toBe("Retrying after NetworkError (attempt 1 of 4) in 100ms")
    }))

  it.effect("caps each delay at maxDelay", () =>
    Effect.gen(function*() {
      const { effect, times } = yield* attempts(network)
      const fiber = yield* effect.pipe(
        Resilience.retry({ maxAttempts: 5, baseDelay: "1 second", maxDelay: "3 seconds", jitter: false }),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.await(fiber)
      expect(yield* Ref.get(times)).toEqual([0, 1000, 3000, 6000, 9000])
    }))

  it.effect("uses the defaults with no policy: 3 attempts of retryable errors", () =>
    Effect.gen(function*() {
      const { effect, times } = yield* attempts(network)
      const fiber = yield* effect.pipe(Resilience.retry(), Effect.fork)
      yield* TestClock.adjust("1 minute")
      expect(failureOf(yield* Fiber.await(fiber)).message).toBe("attempt 3")
      const [first, second, third] = yield* Ref.get(times)
      // Full jitter: the waits are within [0, 100] and [0, 200] ms.
      expect(second! - first!).toBeLessThanOrEqual(100)
      expect(third! - second!).toBeLessThanOrEqual(200)
    }))

  it.effect("stops when the next retry would start after maxElapsed, counting from the first attempt", () =>
    Effect.gen(function*() {
      // Each attempt takes 50 ms; delays 100, 200, 400, then 800 would cross the 1 s budget.
      const { effect, times } = yield* attempts(network, Effect.sleep("50 millis"))
      const fiber = yield* effect.pipe(
        Resilience.retry({ maxAttempts: 100, maxElapsed: "1 second", jitter: false }),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      expect(failureOf(yield* Fiber.await(fiber)).message).toBe("attempt 4")
      expect(yield* Ref.get(times)).toEqual([0, 150, 400, 850])
    }))

  it.effect("does not retry errors that are not retryable", () =>
    Effect.gen(function*() {
      const { layer, logs } = captureLogs()
      const { effect, times } = yield* attempts((n) => Errors.notFound("User", n))
      const exit = yield* effect.pipe(Resilience.retry({ maxAttempts: 5 }), Effect.provide(layer), Effect.exit)
      const error = failureOf(exit)
      expect([error._tag, error.id]).toEqual(["NotFound", "1"])
      expect((yield* Ref.get(times)).length).toBe(1)
      expect(logs).toEqual([])
    }))

  it.effect("does not retry defects", () =>
    Effect.gen(function*() {
      const count = yield* Ref.make(0)
      const exit = yield* Ref.update(count, (n) => n + 1).pipe(
        Effect.zipRight(Effect.die("boom")),
        Resilience.retry(),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect(yield* Ref.get(count)).toBe(1)
    }))

  it.effect("retries only what a custom `while` accepts and fails with the first error it rejects", () =>
    Effect.gen(function*() {
      class Busy {
        readonly _tag = "Busy"
        constructor(readonly n: number) {}
      }
      class Broken {
        readonly _tag = "Broken"
        constructor(readonly n: number) {}
      }
      const { effect, times } = yield* attempts((n): Busy | Broken => n < 3 ? new Busy(n) : new Broken(n))
      const fiber = yield* effect.pipe(
        Resilience.retry({ maxAttempts: 10, jitter: false, while: (e) => e._tag === "Busy" }),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      const error = failureOf(yield* Fiber.await(fiber))
      expect([error._tag, error.n]).toEqual(["Broken", 3])
      expect(yield* Ref.get(times)).toEqual([0, 100, 300])
    }))

  it.effect("succeeds when a retry succeeds", () =>
    Effect.gen(function*() {
      const count = yield* Ref.make(0)
      const flaky = Effect.gen(function*() {
        const n = yield* Ref.updateAndGet(count, (c) => c + 1)
        if (n < 3) return yield* Effect.fail(new Errors.ExternalServiceError({ service: "rates", upstreamStatus: 503 }))
        return n
      })
      const fiber = yield* Resilience.retry(flaky, { maxAttempts: 3, jitter: false }).pipe(Effect.fork)
      yield* TestClock.adjust("299 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe(3)
    }))
})

describe("Resilience.schedule", () => {
  const error = network(0)

  it.effect("applies full jitter with effect's Random: delays are uniform in [0, computed delay]", () =>
    Effect.gen(function*() {
      const delays = yield* delaysOf(Resilience.schedule({ maxAttempts: 4 }), [error, error, error, error]).pipe(
        Effect.withRandom(Random.fixed([0.5, 0.25, 1]))
      )
      // 50% of 100, 25% of 200, 100% of 400; the last step gives up (delay 0).
      expect(delays).toEqual([50, 50, 400, 0])
    }))

  it.effect("applies ±x jitter and keeps delays within [0, maxDelay]", () =>
    Effect.gen(function*() {
      const policy: Resilience.RetryPolicy = {
        maxAttempts: 4,
        baseDelay: "1 second",
        maxDelay: "2500 millis",
        jitter: 0.5
      }
      const low = yield* delaysOf(Resilience.schedule(policy), [error, error, error]).pipe(
        Effect.withRandom(Random.fixed([0]))
      )
      expect(low).toEqual([500, 1000, 1250])
      const high = yield* delaysOf(Resilience.schedule(policy), [error, error, error]).pipe(
        Effect.withRandom(Random.fixed([0.999999]))
      )
      expect(high).toEqual([1500, 2500, 2500])
      for (let seed = 0; seed < 50; seed++) {
        const delays = yield* delaysOf(Resilience.schedule({ ...policy, jitter: true, maxAttempts: 6 }), [
          error,
          error,
          error,
          error,
          error
        ]).pipe(Effect.withRandom(Random.make(seed)))
        for (const d of delays) {
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThanOrEqual(2500)
        }
      }
    }))

  it.effect("stops on errors rejected by the filter and bounds the elapsed time from the first failure", () =>
    Effect.gen(function*() {
      const rejected = yield* delaysOf(Resilience.schedule(), [Errors.notFound("User", 1)])
      expect(rejected).toEqual([0])
      const steps = yield* Schedule.run(
        Resilience.schedule({ maxAttempts: 10, jitter: false, maxElapsed: "700 millis" }),
        0,
        [error, error, error, error, error]
      )
      const rows = Chunk.toReadonlyArray(steps).map((s) => [
        s.attempt,
        Duration.toMillis(s.delay),
        Duration.toMillis(s.elapsed)
      ])
      expect(rows).toEqual([[1, 100, 0], [2, 200, 100], [3, 400, 300], [4, 0, 700]])
    }))

  it.effect("works with Effect.retry", () =>
    Effect.gen(function*() {
      const { effect, times } = yield* attempts(network)
      const policy = Resilience.schedule({ maxAttempts: 2, jitter: false })
      const fiber = yield* Effect.fork(Effect.retry(effect, policy))
      yield* TestClock.adjust("1 second")
      expect(failureOf(yield* Fiber.await(fiber)).message).toBe("attempt 2")
      expect(yield* Ref.get(times)).toEqual([0, 100])
    }))
})

describe("Resilience.timeout", () => {
  it.effect("interrupts the effect, runs its finalizers and fails with a typed Timeout", () =>
    Effect.gen(function*() {
      const finalized = yield* Ref.make(false)
      const slow = Effect.acquireRelease(Effect.void, () => Ref.set(finalized, true)).pipe(
        Effect.zipRight(Effect.never),
        Effect.scoped
      )
      const fiber = yield* slow.pipe(Resilience.timeout("2 seconds", "fetch-user"), Effect.fork)
      yield* TestClock.adjust("1999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const exit = yield* Fiber.await(fiber)
      const error = failureOf(exit)
      expect(error).toBeInstanceOf(Errors.Timeout)
      expect(error._tag === "Timeout" && [error.operation, Duration.toMillis(error.after), error.message]).toEqual([
        "fetch-user",
        2000,
        "fetch-user timed out after 2s"
      ])
      expect(yield* Ref.get(finalized)).toBe(true)
    }))

  it.effect("returns the result or the effect's own error when it finishes in time", () =>
    Effect.gen(function*() {
      const fiber = yield* Resilience.timeout(Effect.as(Effect.sleep("1 second"), "ok"), "5 seconds").pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      const failed = yield* Effect.fail(Errors.notFound("User", 1)).pipe(Resilience.timeout("1 second"), Effect.exit)
      expect(failureOf(failed)).toBeInstanceOf(Errors.NotFound)
    }))

  it.effect("is retried by retry, since Timeout is retryable", () =>
    Effect.gen(function*() {
      const count = yield* Ref.make(0)
      const attempt = Effect.gen(function*() {
        const n = yield* Ref.updateAndGet(count, (c) => c + 1)
        yield* Effect.sleep(n < 2 ? "10 seconds" : "10 millis")
        return n
      })
      const fiber = yield* attempt.pipe(
        Resilience.timeout("1 second"),
        Resilience.retry({ jitter: false }),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(fiber)).toBe(2)
    }))
})
