import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Logger, LogLevel, TestClock } from "effect"
import { Errors, Logging, RequestContext } from "@strata/core"
import { LogCapture } from "@strata/testing"

describe("LogCapture", () => {
  it.effect("captures structured entries: level, message, context, redacted annotations, spans, cause", () =>
    Effect.gen(function*() {
      yield* Effect.logWarning("user lookup").pipe(
        Effect.annotateLogs({ userName: "ada", password: "hunter2" }),
        Effect.withLogSpan("lookup"),
        RequestContext.withRequestContext({ requestId: "req-1", userId: "u-1" })
      )
      yield* Effect.fail(new Errors.NotFound({ resource: "User", id: "9" })).pipe(
        Effect.tapErrorCause((cause) => Effect.logError("failed", cause)),
        Effect.ignore
      )
      const [first, second, ...rest] = yield* LogCapture.entries
      expect(rest).toEqual([])
      expect(first).toEqual({
        timestamp: "1970-01-01T00:00:00.000Z",
        level: "warn",
        message: "user lookup",
        context: { requestId: "req-1", userId: "u-1" },
        annotations: { userName: "ada", password: "[REDACTED]" },
        spans: { lookup: 0 }
      })
      expect(second).toMatchObject({
        level: "error",
        message: "failed",
        context: {},
        cause: { name: "NotFound", code: "NOT_FOUND", message: "User '9' not found" }
      })
    }).pipe(Effect.provide(LogCapture.layer)))

  it.effect("records exactly what the JSON format writes", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const json = Logger.add(Logging.make({ format: "json", write: (line) => lines.push(line) }))
      yield* Effect.log("same", { token: "t" }).pipe(
        Effect.annotateLogs({ n: 1, nested: { secret: "s" } }),
        RequestContext.withRequestContext({ requestId: "r" }),
        Effect.provide(json)
      )
      const [entry] = yield* LogCapture.entries
      expect(entry).toBeDefined()
      expect(lines).toHaveLength(1)
      expect(JSON.parse(lines[0] ?? "")).toEqual(JSON.parse(Logging.formatJson(entry!)))
    }).pipe(Effect.provide(LogCapture.layer)))

  it.effect("clear forgets earlier entries; messages lists what is left", () =>
    Effect.gen(function*() {
      yield* Effect.log("one")
      yield* LogCapture.clear
      yield* Effect.log("two")
      yield* Effect.log("three")
      expect(yield* LogCapture.messages).toEqual(["two", "three"])
    }).pipe(Effect.provide(LogCapture.layer)))

  it.effect("leaves the level alone by default, so withMinimumLogLevel still applies", () =>
    Effect.gen(function*() {
      yield* Effect.logDebug("hidden")
      yield* Effect.logDebug("shown").pipe(Logger.withMinimumLogLevel(LogLevel.Debug))
      yield* Effect.logInfo("info")
      expect(yield* LogCapture.messages).toEqual(["shown", "info"])
    }).pipe(Effect.provide(LogCapture.layer)))

  it.effect("layerWith sets the level and the redaction keys", () =>
    Effect.gen(function*() {
      yield* Effect.logTrace("trace")
      yield* Effect.logDebug("debug").pipe(Effect.annotateLogs({ ssn: "078", password: "p" }))
      const entries = yield* LogCapture.entries
      expect(entries.map((entry) => entry.level)).toEqual(["debug"])
      expect(entries[0]?.annotations).toEqual({ ssn: "[REDACTED]", password: "[REDACTED]" })
    }).pipe(Effect.provide(LogCapture.layerWith({ level: LogLevel.Debug, redactKeys: ["ssn"] }))))

  it.effect("wins over the application's Logging layer, whichever is built first", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const app = Logging.layer({ format: "json", write: (line) => written.push(line) })
      // the app layer built after the capture (inner provide) ...
      const inner = yield* Effect.log("a").pipe(
        Effect.provide(app),
        Effect.zipRight(LogCapture.messages),
        Effect.provide(LogCapture.layer)
      )
      // ... before it ...
      const outer = yield* Effect.log("b").pipe(
        Effect.zipRight(LogCapture.messages),
        Effect.provide(LogCapture.layer),
        Effect.provide(app)
      )
      expect([inner, outer, written]).toEqual([["a"], ["b"], []])
      // without a capture the app logs again
      yield* Effect.log("after").pipe(Effect.provide(app))
      expect(written).toHaveLength(1)
      // ... or merged with it
      const merged = yield* Effect.log("c").pipe(
        Effect.zipRight(LogCapture.messages),
        Effect.provide(Layer.merge(LogCapture.layer, app))
      )
      expect([merged, written.length]).toEqual([["c"], 1])
    }))

  it.effect("sees TestClock time and Logging.timed durations", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.sleep("150 millis").pipe(Logging.timed("job"), Effect.fork)
      yield* TestClock.adjust("150 millis")
      yield* Fiber.join(fiber)
      const [entry] = yield* LogCapture.entries
      expect(entry).toMatchObject({
        timestamp: "1970-01-01T00:00:00.150Z",
        message: "job completed",
        annotations: { durationMs: 150 },
        spans: { job: 150 }
      })
    }).pipe(Effect.provide(LogCapture.layer)))

  it.effect("gives every build its own buffer", () =>
    Effect.gen(function*() {
      yield* Effect.log("first").pipe(Effect.provide(LogCapture.layer))
      expect(yield* LogCapture.entries.pipe(Effect.provide(LogCapture.layer))).toEqual([])
    }))
})

layer(LogCapture.layer)("LogCapture shared through it.layer", (it) => {
  it.effect("captures in the first test", () =>
    Effect.gen(function*() {
      yield* Effect.log("from test one")
      expect(yield* LogCapture.messages).toEqual(["from test one"])
    }))

  it.effect("keeps the buffer across tests until cleared", () =>
    Effect.gen(function*() {
      expect(yield* LogCapture.messages).toEqual(["from test one"])
      yield* LogCapture.clear
      expect(yield* LogCapture.entries).toEqual([])
    }))
})
