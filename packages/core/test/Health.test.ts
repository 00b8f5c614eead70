import { describe, expect, it } from "@effect/vitest"
import { Data, Effect, Exit, Fiber, HashMap, Layer, Logger, Option, Ref, Schema, Scope, TestClock } from "effect"
import { Errors, Health } from "@strata/core"

interface LogLine {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
}

const captureLogs = Effect.sync(() => {
  const lines: Array<LogLine> = []
  const logger = Logger.make(({ annotations, logLevel, message }) => {
    const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
    const fields = Object.fromEntries(HashMap.toEntries(annotations))
    lines.push({ level: logLevel.label, message: text, annotations: fields })
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
})

const withHealth = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provide(effect, Health.layer)

class Boom extends Data.TaggedError("Boom")<{ readonly message: string }> {}

describe("Health", () => {
  it.effect("is healthy with no checks, and reports details of passing checks", () =>
    withHealth(Effect.gen(function*() {
      const empty = yield* Health.report()
      expect(empty).toEqual({ status: "healthy", checks: [], timestamp: "1970-01-01T00:00:00.000Z", durationMs: 0 })

      yield* Health.register({ name: "db", check: Effect.succeed({ pool: 5 }) })
      yield* Health.register({ name: "cache", check: Effect.void })
      const report = yield* Health.report()
      expect(report.status).toBe("healthy")
      expect(report.checks).toEqual([
        { name: "db", kind: "readiness", critical: true, status: "up", durationMs: 0, details: { pool: 5 } },
        { name: "cache", kind: "readiness", critical: true, status: "up", durationMs: 0 }
      ])
      expect(Health.httpStatus(report)).toBe(200)
    }).pipe(Effect.scoped)))

  it.effect("runs checks concurrently: two 1s checks finish after 1s", () =>
    withHealth(Effect.gen(function*() {
      const slow = Effect.sleep("1 second").pipe(Effect.as("ok"))
      yield* Health.register({ name: "a", check: slow, timeout: "5 seconds" })
      yield* Health.register({ name: "b", check: slow, timeout: "5 seconds" })
      const fiber = yield* Effect.fork(Health.report())
      yield* TestClock.adjust("1 second")
      expect(Option.isSome(yield* Fiber.poll(fiber))).toBe(true)
      const report = yield* Fiber.join(fiber)
      expect(report.status).toBe("healthy")
      expect(report.durationMs).toBe(1000)
      expect(report.checks.map((c) => [c.name, c.status, c.durationMs])).toEqual([["a", "up", 1000], ["b", "up", 1000]])
    }).pipe(Effect.scoped)))

  it.effect("times a check out after its timeout (default 2s) and interrupts it", () =>
    withHealth(Effect.gen(function*() {
      const interrupted = yield* Ref.make(false)
      yield* Health.register({
        name: "hanging",
        check: Effect.never.pipe(Effect.onInterrupt(() => Ref.set(interrupted, true)))
      })
      yield* Health.register({ name: "quick", timeout: "500 millis", check: Effect.sleep("1 second") })
      const fiber = yield* Effect.fork(Health.report())
      yield* TestClock.adjust("2 seconds")
      expect(Option.isSome(yield* Fiber.poll(fiber))).toBe(true)
      const report = yield* Fiber.join(fiber)
      expect(report.status).toBe("unhealthy")
      expect(report.checks).toEqual([
        {
          name: "hanging",
          kind: "readiness",
          critical: true,
          status: "down",
          durationMs: 2000,
          error: "timed out after 2s"
        },
        {
          name: "quick",
          kind: "readiness",
          critical: true,
          status: "down",
          durationMs: 500,
          error: "timed out after 500ms"
        }
      ])
      expect(yield* Ref.get(interrupted)).toBe(true)
      expect(Health.httpStatus(report)).toBe(503)
    }).pipe(Effect.scoped)))

  it.effect("does not wait for a check that ignores interruption", () =>
    withHealth(Effect.gen(function*() {
      const stubborn = Effect.uninterruptible(Effect.sleep("1 hour"))
      yield* Health.register({ name: "stubborn", timeout: "1 second", check: stubborn })
      // a daemon, so that a failing expectation is not stuck waiting for it
      const fiber = yield* Effect.forkDaemon(Health.report())
      yield* TestClock.adjust("1 second")
      const done = yield* Fiber.poll(fiber)
      expect(Option.isSome(done)).toBe(true)
      const report = yield* Fiber.join(fiber)
      expect(report.checks[0].error).toBe("timed out after 1s")
    }).pipe(Effect.scoped)))

  it.effect("is degraded when only non-critical checks fail, unhealthy when a critical one does", () =>
    withHealth(Effect.gen(function*() {
      yield* Health.register({ name: "db", check: Effect.void })
      yield* Health.register({
        name: "search",
        critical: false,
        check: Effect.fail(new Errors.Unavailable({ service: "search", reason: "circuit-open" }))
      })
      const degraded = yield* Health.report()
      expect(degraded.status).toBe("degraded")
      expect(Health.httpStatus(degraded)).toBe(200)
      expect(degraded.checks[1]).toEqual({
        name: "search",
        kind: "readiness",
        critical: false,
        status: "down",
        durationMs: 0,
        error: "Unavailable: search unavailable (circuit-open)"
      })

      yield* Health.register({ name: "queue", check: Effect.fail("connection refused") })
      const unhealthy = yield* Health.report()
      expect(unhealthy.status).toBe("unhealthy")
      expect(unhealthy.checks[2].error).toBe("connection refused")
    }).pipe(Effect.scoped)))

  it.effect("catches defects, thrown errors and self-interruption without failing the report", () =>
    withHealth(Effect.gen(function*() {
      yield* Health.register({ name: "die", check: Effect.die(new Error("bug in check")) })
      yield* Health.register({
        name: "throw",
        check: Effect.sync(() => {
          throw new TypeError("cannot read x")
        })
      })
      yield* Health.register({ name: "tagged", check: new Boom({ message: "kaput" }) })
      yield* Health.register({ name: "interrupt", check: Effect.interrupt })
      const exit = yield* Effect.exit(Health.report())
      expect(Exit.isSuccess(exit)).toBe(true)
      const report = yield* Health.report()
      expect(report.status).toBe("unhealthy")
      expect(report.checks.map((c) => [c.name, c.status, c.error])).toEqual([
        ["die", "down", "bug in check"],
        ["throw", "down", "cannot read x"],
        ["tagged", "down", "Boom: kaput"],
        ["interrupt", "down", "interrupted"]
      ])
    }).pipe(Effect.scoped)))

  it.effect("unregisters a check when its scope closes (register and layerCheck)", () =>
    withHealth(Effect.gen(function*() {
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Health.register({ name: "temp", check: Effect.void })
        expect((yield* Health.report()).checks.map((c) => c.name)).toEqual(["temp"])
      }))
      expect((yield* Health.report()).checks).toEqual([])

      const scope = yield* Scope.make()
      yield* Layer.buildWithScope(Health.layerCheck({ name: "layered", check: Effect.fail("down") }), scope)
      expect((yield* Health.report()).status).toBe("unhealthy")
      yield* Scope.close(scope, Exit.void)
      expect(yield* Health.report()).toMatchObject({ status: "healthy", checks: [] })
    })))

  it.effect("liveness reports never run readiness checks, and vice versa", () =>
    withHealth(Effect.gen(function*() {
      const ran = yield* Ref.make<ReadonlyArray<string>>([])
      const track = (name: string) => Ref.update(ran, (names) => [...names, name])
      yield* Health.register({ name: "event-loop", kind: "liveness", check: track("event-loop") })
      yield* Health.register({ name: "db", check: Effect.zipRight(track("db"), Effect.fail("down")) })

      const live = yield* Health.report("liveness")
      expect(live.status).toBe("healthy")
      expect(live.checks.map((c) => [c.name, c.kind])).toEqual([["event-loop", "liveness"]])
      expect(yield* Ref.get(ran)).toEqual(["event-loop"])

      const ready = yield* Health.report("readiness")
      expect(ready.status).toBe("unhealthy")
      expect(ready.checks.map((c) => c.name)).toEqual(["db"])
      expect(yield* Ref.get(ran)).toEqual(["event-loop", "db"])

      expect((yield* Health.report()).checks.map((c) => c.name)).toEqual(["event-loop", "db"])
    }).pipe(Effect.scoped)))

  it.effect("once shutting down, readiness is unhealthy without running its checks; liveness is unaffected", () =>
    withHealth(Effect.gen(function*() {
      const runs = yield* Ref.make(0)
      yield* Health.register({ name: "db", check: Ref.update(runs, (n) => n + 1) })
      yield* Health.register({ name: "alive", kind: "liveness", check: Effect.void })
      expect((yield* Health.report("readiness")).status).toBe("healthy")
      expect(yield* Health.isShuttingDown).toBe(false)

      yield* Health.markShuttingDown
      expect(yield* Health.isShuttingDown).toBe(true)
      const ready = yield* Health.report("readiness")
      expect(ready.status).toBe("unhealthy")
      expect(ready.checks).toEqual([
        { name: "shutdown", kind: "readiness", critical: true, status: "down", durationMs: 0, error: "shutting down" }
      ])
      expect(yield* Ref.get(runs)).toBe(1)
      expect(Health.httpStatus(ready)).toBe(503)

      const live = yield* Health.report("liveness")
      expect(live).toMatchObject({ status: "healthy", checks: [{ name: "alive", status: "up" }] })
      expect((yield* Health.report()).checks.map((c) => c.name)).toEqual(["alive", "shutdown"])
    }).pipe(Effect.scoped)))

  it.effect("encodes a report as JSON and decodes it back", () =>
    withHealth(Effect.gen(function*() {
      yield* Health.register({ name: "db", check: Effect.succeed({ version: "16.2" }) })
      yield* Health.register({ name: "redis", critical: false, check: Effect.fail(new Error("ECONNREFUSED")) })
      const report = yield* Health.report()
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(Health.Report)(report)))
      expect(json.checks[1]).toEqual({
        name: "redis",
        kind: "readiness",
        critical: false,
        status: "down",
        durationMs: 0,
        error: "ECONNREFUSED"
      })
      expect(Schema.decodeUnknownSync(Health.Report)(json)).toEqual(report)
      expect(() => Schema.decodeUnknownSync(Health.Report)({ ...json, status: "fine" })).toThrow()
    }).pipe(Effect.scoped)))

  it.effect("logs a check going down and recovering once, not on every report", () =>
    Effect.gen(function*() {
      const { layer, lines } = yield* captureLogs
      yield* Effect.gen(function*() {
        const up = yield* Ref.make(false)
        const check = Effect.flatMap(Ref.get(up), (ok) => ok ? Effect.void : Effect.fail("refused"))
        yield* Health.register({ name: "db", check })
        yield* Health.register({ name: "db", kind: "liveness", check: Effect.void })
        yield* Health.report()
        yield* Health.report()
        yield* Ref.set(up, true)
        yield* Health.report()
        yield* Health.report()
      }).pipe(Effect.scoped, withHealth, Effect.provide(layer))
      expect(lines.map((l) => [l.level, l.message, l.annotations["check"]])).toEqual([
        ["WARN", "health check 'db' is registered more than once", "db"],
        ["WARN", "health check db is down: refused", "db"],
        ["INFO", "health check db recovered", "db"]
      ])
    }))

  it.effect("caches reports for cacheTtl, and drops the cache when checks change", () =>
    Effect.gen(function*() {
      const runs = yield* Ref.make(0)
      yield* Health.register({ name: "db", check: Ref.update(runs, (n) => n + 1) })
      yield* Health.report()
      yield* Health.report()
      expect(yield* Ref.get(runs)).toBe(1)
      yield* Health.report("liveness")
      expect(yield* Ref.get(runs)).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Health.report()
      expect(yield* Ref.get(runs)).toBe(2)
      yield* Health.register({ name: "cache", check: Effect.void })
      const report = yield* Health.report()
      expect(yield* Ref.get(runs)).toBe(3)
      expect(report.checks.map((c) => c.name)).toEqual(["db", "cache"])
      yield* Health.markShuttingDown
      expect((yield* Health.report()).status).toBe("unhealthy")
    }).pipe(Effect.scoped, Effect.provide(Health.layerWith({ cacheTtl: "1 second" }))))
})
