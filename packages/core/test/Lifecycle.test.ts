import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Fiber, HashMap, Layer, Logger, Option, Schema, Scope, TestClock } from "effect"
import { Errors, Lifecycle } from "@strata/core"
import { type Builder, builders } from "./fixtures/builders.js"

interface LogLine {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
}

/** A shared timeline of resource events and log lines (prefixed "log:"), plus the raw log lines. */
const makeRecorder = () => {
  const events: Array<string> = []
  const logs: Array<LogLine> = []
  const logger = Logger.make(({ annotations, logLevel, message }) => {
    const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
    logs.push({ level: logLevel.label, message: text, annotations: Object.fromEntries(HashMap.toEntries(annotations)) })
    events.push(`log:${text}`)
  })
  const record = (event: string) => Effect.sync(() => void events.push(event))
  const resource = (name: string) => Effect.acquireRelease(record(`acquire ${name}`), () => record(`release ${name}`))
  return { events, logs, record, resource, loggerLayer: Logger.replace(Logger.defaultLogger, logger) }
}

class A extends Context.Tag("test/A")<A, string>() {}
class B extends Context.Tag("test/B")<B, string>() {}
class C extends Context.Tag("test/C")<C, string>() {}
class B2 extends Context.Tag("test/B2")<B2, string>() {}

/** A ← B ← C, each a managed service holding a resource. */
const makeChain = (recorder: ReturnType<typeof makeRecorder>) => {
  const { resource } = recorder
  const a = Lifecycle.service("a", Layer.scoped(A, Effect.as(resource("a"), "a")))
  const b = Layer.scoped(B, Effect.gen(function*() {
    const a = yield* A
    yield* resource("b")
    return `${a}b`
  })).pipe(Lifecycle.service("b"))
  const c = Lifecycle.service(
    "c",
    Layer.scoped(C, Effect.gen(function*() {
      const b = yield* B
      yield* resource("c")
      return `${b}c`
    }))
  )
  return { a, b, c }
}

const startStop = (name: string) => [`log:starting ${name}`, `acquire ${name}`, `log:${name} started in 0ms`]
const stop = (name: string) => [`log:stopping ${name}`, `release ${name}`, `log:${name} stopped in 0ms`]

/** Builds `layer` in a fresh scope, runs `use`, closes the scope; Lifecycle lives outside. */
const buildAndClose = <ROut, E, A>(
  buildWithScope: Builder,
  layer: Layer.Layer<ROut, E, Lifecycle.Lifecycle>,
  use: Effect.Effect<A, never, Lifecycle.Lifecycle>
) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    yield* buildWithScope(layer, scope)
    const during = yield* use
    yield* Scope.close(scope, Exit.void)
    return during
  })

const services = Effect.flatMap(Lifecycle.Lifecycle, (l) => l.services)

// Every test runs with Effect's builder and with Strata's (what `Strata.launch` uses).
for (const [builder, buildWithScope] of builders) describe(`Lifecycle (${builder})`, () => {
  const compositions = {
    "a Layer.provide chain": (l: ReturnType<typeof makeChain>) => l.c.pipe(Layer.provide(l.b), Layer.provide(l.a)),
    "nested Layer.provide": (l: ReturnType<typeof makeChain>) => Layer.provide(l.c, Layer.provide(l.b, l.a)),
    "Layer.provideMerge": (l: ReturnType<typeof makeChain>) =>
      l.c.pipe(Layer.provideMerge(l.b), Layer.provideMerge(l.a))
  }
  for (const [label, compose] of Object.entries(compositions)) {
    it.effect(`starts A, B, C and stops C, B, A (${label})`, () => {
      const recorder = makeRecorder()
      return Effect.gen(function*() {
        const running = yield* buildAndClose(buildWithScope, compose(makeChain(recorder)), services)
        expect(running.map((s) => [s.name, s.state, s.startMillis])).toEqual([
          ["a", "running", 0],
          ["b", "running", 0],
          ["c", "running", 0]
        ])
        expect(recorder.events).toEqual([
          ...startStop("a"),
          ...startStop("b"),
          ...startStop("c"),
          ...stop("c"),
          ...stop("b"),
          ...stop("a")
        ])
        expect((yield* services).map((s) => [s.name, s.state, s.stopMillis])).toEqual([
          ["a", "stopped", 0],
          ["b", "stopped", 0],
          ["c", "stopped", 0]
        ])
      }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
    })
  }

  it.effect("stops in reverse order in an app's main, with Lifecycle provided last", () => {
    const recorder = makeRecorder()
    const chain = makeChain(recorder)
    const Main = Layer.scopedDiscard(Effect.flatMap(C, (c) => recorder.record(`main uses ${c}`)))
    const App = Main.pipe(
      Layer.provide(chain.c),
      Layer.provide(chain.b),
      Layer.provide(chain.a),
      Layer.provide(Lifecycle.layer)
    )
    return Effect.gen(function*() {
      yield* Effect.scoped(Effect.flatMap(Effect.scope, (scope) => buildWithScope(App, scope)))
      expect(recorder.events).toEqual([
        ...startStop("a"),
        ...startStop("b"),
        ...startStop("c"),
        "main uses abc",
        ...stop("c"),
        ...stop("b"),
        ...stop("a")
      ])
    }).pipe(Effect.provide(recorder.loggerLayer))
  })

  it.effect("starts and stops independent siblings concurrently, between their dependents and dependencies", () => {
    const recorder = makeRecorder()
    const { record } = recorder
    const slow = (name: string) =>
      Effect.acquireRelease(
        Effect.zipRight(Effect.sleep("100 millis"), record(`acquire ${name}`)),
        () => Effect.zipRight(Effect.sleep("100 millis"), record(`release ${name}`))
      )
    const a = Lifecycle.service("a", Layer.scoped(A, Effect.as(recorder.resource("a"), "a")))
    const b1 = Lifecycle.service("b1", Layer.scoped(B, Effect.zipRight(A, Effect.as(slow("b1"), "b1"))))
    const b2 = Lifecycle.service("b2", Layer.scoped(B2, Effect.zipRight(A, Effect.as(slow("b2"), "b2"))))
    const c = Lifecycle.service(
      "c",
      Layer.scoped(C, Effect.zipRight(Effect.zip(B, B2), Effect.as(recorder.resource("c"), "c")))
    )
    const app = c.pipe(Layer.provide(Layer.merge(b1, b2)), Layer.provide(a))
    return Effect.gen(function*() {
      const scope = yield* Scope.make()
      const build = yield* Effect.fork(buildWithScope(app, scope))
      yield* TestClock.adjust("100 millis")
      expect(Option.isSome(yield* Fiber.poll(build))).toBe(true) // 100ms, not 200ms
      yield* Fiber.join(build)
      const close = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* TestClock.adjust("100 millis")
      expect(Option.isSome(yield* Fiber.poll(close))).toBe(true)

      const at = (event: string) => {
        const index = recorder.events.indexOf(event)
        expect(index, event).toBeGreaterThanOrEqual(0)
        return index
      }
      // start: a, then b1 and b2 together, then c
      expect(at("log:a started in 0ms")).toBeLessThan(Math.min(at("log:starting b1"), at("log:starting b2")))
      expect(Math.max(at("log:starting b1"), at("log:starting b2")))
        .toBeLessThan(Math.min(at("log:b1 started in 100ms"), at("log:b2 started in 100ms")))
      expect(Math.max(at("log:b1 started in 100ms"), at("log:b2 started in 100ms"))).toBeLessThan(at("log:starting c"))
      // stop: c, then b1 and b2 together, then a
      expect(at("log:c stopped in 0ms")).toBeLessThan(Math.min(at("log:stopping b1"), at("log:stopping b2")))
      expect(Math.max(at("log:stopping b1"), at("log:stopping b2")))
        .toBeLessThan(Math.min(at("release b1"), at("release b2")))
      expect(Math.max(at("log:b1 stopped in 100ms"), at("log:b2 stopped in 100ms"))).toBeLessThan(at("log:stopping a"))
      expect(recorder.events.slice(-3)).toEqual(stop("a"))
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })

  it.effect("keeps layer sharing: a layer used inside two managed services is built once", () => {
    const recorder = makeRecorder()
    const shared = Layer.scoped(A, Effect.as(recorder.resource("shared"), "shared"))
    const b = Lifecycle.service("b", Layer.effect(B, A).pipe(Layer.provide(shared)))
    const b2 = Lifecycle.service("b2", Layer.effect(B2, A).pipe(Layer.provide(shared)))
    return Effect.gen(function*() {
      yield* buildAndClose(buildWithScope, Layer.merge(b, b2), Effect.void)
      expect(recorder.events.filter((e) => e.endsWith("shared"))).toEqual(["acquire shared", "release shared"])
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })

  it.effect("times start-up and shutdown with the Clock and logs them annotated", () => {
    const recorder = makeRecorder()
    const db = Lifecycle.service(
      "db",
      Layer.scoped(
        A,
        Effect.acquireRelease(Effect.as(Effect.sleep("120 millis"), "db"), () => Effect.sleep("30 millis"))
      )
    )
    return Effect.gen(function*() {
      // Snapshots first, assertions after every fiber finished: a failed expect must not
      // leave a fiber sleeping in an uninterruptible acquire/release.
      const scope = yield* Scope.make()
      const build = yield* Effect.fork(buildWithScope(db, scope))
      yield* Effect.yieldNow()
      const starting = yield* services
      yield* TestClock.adjust("120 millis")
      yield* Fiber.join(build)
      const running = yield* services
      const close = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* TestClock.adjust("10 millis")
      const stopping = yield* services
      yield* TestClock.adjust("20 millis")
      yield* Fiber.join(close)

      expect(starting).toEqual([{ name: "db", state: "starting", startedAt: new Date(0) }])
      expect(running).toEqual([{ name: "db", state: "running", startedAt: new Date(0), startMillis: 120 }])
      expect(stopping.map((s) => s.state)).toEqual(["stopping"])
      const [info] = yield* services
      expect(info).toEqual({
        name: "db",
        state: "stopped",
        startedAt: new Date(0),
        startMillis: 120,
        stoppedAt: new Date(150),
        stopMillis: 30
      })
      expect(Schema.encodeSync(Lifecycle.ServiceInfo)(info)).toMatchObject({
        startedAt: "1970-01-01T00:00:00.000Z",
        stoppedAt: "1970-01-01T00:00:00.150Z"
      })
      expect(recorder.logs.map((l) => [l.level, l.message, l.annotations])).toEqual([
        ["INFO", "starting db", { service: "db" }],
        ["INFO", "db started in 120ms", { service: "db", durationMs: 120 }],
        ["INFO", "stopping db", { service: "db" }],
        ["INFO", "db stopped in 30ms", { service: "db", durationMs: 30 }]
      ])
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })

  it.effect("on a failed start: logs once, marks it failed, stops what started, error propagates unchanged", () => {
    const recorder = makeRecorder()
    const error = new Errors.Unavailable({ service: "redis", reason: "connection refused" })
    const { a } = makeChain(recorder)
    const b = Lifecycle.service(
      "b",
      Layer.scoped(B, Effect.gen(function*() {
        yield* A
        yield* recorder.resource("b-partial")
        yield* Effect.sleep("50 millis")
        return yield* error
      }))
    )
    const c = Lifecycle.service("c", Layer.effect(C, B))
    return Effect.gen(function*() {
      const scope = yield* Scope.make()
      const build = yield* Effect.fork(buildWithScope(c.pipe(Layer.provide(b), Layer.provide(a)), scope))
      yield* TestClock.adjust("50 millis")
      const exit = yield* Fiber.await(build)
      yield* Scope.close(scope, exit)
      expect(exit).toEqual(Exit.fail(error))
      // the very same instance
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))).toBe(error)
      expect((yield* services).map((s) => [s.name, s.state, s.startMillis, s.error])).toEqual([
        ["a", "stopped", 0, undefined],
        ["b", "failed", 50, "Unavailable: redis unavailable (connection refused)"]
      ])
      expect(recorder.events).toEqual([
        ...startStop("a"),
        "log:starting b",
        "acquire b-partial",
        "release b-partial",
        "log:b failed to start after 50ms",
        ...stop("a")
      ])
      const errors = recorder.logs.filter((l) => l.level === "ERROR")
      expect(errors.map((l) => [l.message, l.annotations])).toEqual([
        ["b failed to start after 50ms", { service: "b", durationMs: 50 }]
      ])
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })

  it.effect("marks a service interrupted by a failing sibling as stopped, not failed", () => {
    const recorder = makeRecorder()
    const error = new Errors.Unavailable({ service: "queue", reason: "down" })
    const slow = Lifecycle.service("slow", Layer.effect(A, Effect.as(Effect.sleep("1 second"), "slow")))
    const failing = Lifecycle.service("failing", Layer.fail(error))
    return Effect.gen(function*() {
      const exit = yield* Effect.exit(buildAndClose(buildWithScope, Layer.merge(slow, failing), Effect.void))
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))).toBe(error)
      const states = (yield* services).map((s) => [s.name, s.state, s.error])
      expect(states).toContainEqual(["slow", "stopped", undefined])
      expect(states).toContainEqual(["failing", "failed", "Unavailable: queue unavailable (down)"])
      expect(recorder.logs.map((l) => [l.level, l.message]))
        .toContainEqual(["WARN", "slow start interrupted after 0ms"])
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })

  it.effect("manages a plain scoped effect, in both call styles", () => {
    const recorder = makeRecorder()
    const error = new Error("no worker slots")
    return Effect.gen(function*() {
      const value = yield* Effect.scoped(Effect.gen(function*() {
        const worker = yield* Lifecycle.manage("worker", Effect.as(recorder.resource("worker"), 42))
        expect((yield* services).map((s) => s.state)).toEqual(["running"])
        return worker
      }))
      expect(value).toBe(42)
      const exit = yield* Effect.exit(Effect.scoped(Effect.fail(error).pipe(Lifecycle.manage("broken"))))
      expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))).toBe(error)
      expect((yield* services).map((s) => [s.name, s.state, s.error])).toEqual([
        ["worker", "stopped", undefined],
        ["broken", "failed", "no worker slots"]
      ])
      expect(recorder.events).toEqual([
        ...startStop("worker"),
        ...stop("worker"),
        "log:starting broken",
        "log:broken failed to start after 0ms"
      ])
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })

  it.effect("summarises the services as a table and logs it", () => {
    const recorder = makeRecorder()
    return Effect.gen(function*() {
      expect(yield* Lifecycle.summary).toBe("services: 0 total")
      const scope = yield* Scope.make()
      const db = yield* Effect.fork(Lifecycle.manage("database", Effect.sleep("120 millis")).pipe(Scope.extend(scope)))
      yield* TestClock.adjust("120 millis")
      yield* Fiber.join(db)
      yield* Effect.exit(Lifecycle.manage("cache", Effect.fail("ECONNREFUSED")).pipe(Scope.extend(scope)))
      const table = yield* Lifecycle.summary
      expect(table).toBe([
        "services: 2 total, 1 running, 1 failed",
        "  NAME      STATE    STARTED AT                START  STOP  ERROR",
        "  database  running  1970-01-01T00:00:00.000Z  120ms  -",
        "  cache     failed   1970-01-01T00:00:00.120Z  0ms    -     ECONNREFUSED"
      ].join("\n"))
      yield* Lifecycle.logSummary
      const last = recorder.logs[recorder.logs.length - 1]
      expect([last.message, last.annotations]).toEqual([table, { total: 2, running: 1, failed: 1 }])
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.provide(Lifecycle.layer), Effect.provide(recorder.loggerLayer))
  })
})
