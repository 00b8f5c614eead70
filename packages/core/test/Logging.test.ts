import { describe, expect, it } from "@effect/vitest"
import {
  ConfigProvider,
  Effect,
  Exit,
  Fiber,
  FiberRef,
  HashSet,
  Layer,
  Logger,
  LogLevel,
  Option,
  Redacted,
  TestClock
} from "effect"
import { Errors, Logging, RequestContext } from "@strata/core"
import { capturingStdout } from "./StdoutSupport.js"

const collect = (options: Omit<Logging.Options, "write">) => {
  const lines: Array<string> = []
  const layer = Logging.layer({ ...options, write: (line) => lines.push(line) })
  return { lines, layer }
}

const parse = (line: string | undefined): Record<string, unknown> => {
  expect(line).toBeDefined()
  return JSON.parse(line ?? "")
}

describe("Logging JSON format", () => {
  it.effect("writes one parseable object per line with every field, in a stable key order", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      yield* TestClock.adjust("1500 millis")
      yield* Effect.log("user loaded").pipe(
        Effect.annotateLogs({ userName: "ada", attempt: 2 }),
        Effect.withLogSpan("load"),
        RequestContext.withRequestContext({ requestId: "req-1", userId: "u-7" }),
        Effect.provide(layer)
      )
      expect(lines).toHaveLength(1)
      expect(lines[0]).not.toContain("\n")
      const line = parse(lines[0])
      // fixed keys first, then the context, annotations (in effect's stable HashMap order) and spans
      const keys = Object.keys(line)
      expect(keys.slice(0, 5)).toEqual(["timestamp", "level", "message", "requestId", "userId"])
      expect(keys.slice(5, 7).sort()).toEqual(["attempt", "userName"])
      expect(keys.at(-1)).toBe("spans")
      expect(line).toEqual({
        timestamp: "1970-01-01T00:00:01.500Z",
        level: "info",
        message: "user loaded",
        requestId: "req-1",
        userId: "u-7",
        userName: "ada",
        attempt: 2,
        spans: { load: 0 }
      })
    }))

  it.effect("adds the fiber id when asked and keeps fixed keys from being overwritten", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json", fiberId: true })
      yield* Effect.log("x").pipe(Effect.annotateLogs({ level: "custom", message: "m" }), Effect.provide(layer))
      const line = parse(lines[0])
      expect(line.level).toBe("info")
      expect(line.message).toBe("x")
      expect(line["annotation.level"]).toBe("custom")
      expect(line["annotation.message"]).toBe("m")
      expect(line.fiberId).toMatch(/^#\d+$/)
      // No open log span: no `spans` key (an empty object on every line is noise).
      expect(Object.keys(line)).not.toContain("spans")
    }))

  it.effect("joins several message parts and renders objects as redacted JSON", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      yield* Effect.log("login", { user: "ada", password: "hunter2" }, 3).pipe(Effect.provide(layer))
      expect(parse(lines[0]).message).toBe("login {\"user\":\"ada\",\"password\":\"[REDACTED]\"} 3")
      expect(lines[0]).not.toContain("hunter2")
    }))

  it.effect("carries the request context set by annotate, and nothing outside a request", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      yield* Effect.gen(function*() {
        yield* Effect.log("anonymous")
        yield* RequestContext.annotate({ userId: "user-456", tenantId: "t1" })
        yield* Effect.log("known")
      }).pipe(Effect.provide(layer))
      expect(parse(lines[0])).not.toHaveProperty("userId")
      expect(parse(lines[1])).toMatchObject({ userId: "user-456", tenantId: "t1" })
    }))

  it.effect("adds traceId and spanId of the current tracer span", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      const span = yield* Effect.gen(function*() {
        yield* Effect.log("inside")
        return yield* Effect.currentSpan
      }).pipe(Effect.withSpan("handler"), Effect.provide(layer))
      const line = parse(lines[0])
      expect(line.traceId).toBe(span.traceId)
      expect(line.spanId).toBe(span.spanId)
    }))

  it.effect("redacts sensitive keys in nested annotations, effect Redacted values and the request context", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json", redactKeys: ["ssn"] })
      yield* Effect.log("request").pipe(
        Effect.annotateLogs({
          headers: { "X-Api-Key": "k-123", Accept: "json", cookies: ["a=1"] },
          user: { name: "ada", credentials: { accessToken: "at-1", refresh_token: "rt-1" }, ssn: "078-05" },
          authorization: "Bearer abc",
          dbPassword: Redacted.make("pw-1"),
          plain: Redacted.make("shown-as-redacted")
        }),
        RequestContext.withRequestContext({ requestId: "r1", sessionToken: "st-1" }),
        Effect.provide(layer)
      )
      const line = parse(lines[0])
      expect(line).toMatchObject({
        requestId: "r1",
        sessionToken: "[REDACTED]",
        headers: { "X-Api-Key": "[REDACTED]", Accept: "json", cookies: "[REDACTED]" },
        user: { name: "ada", credentials: { accessToken: "[REDACTED]", refresh_token: "[REDACTED]" }, ssn: "[REDACTED]" },
        authorization: "[REDACTED]",
        dbPassword: "[REDACTED]",
        plain: "<redacted>"
      })
      for (const secret of ["k-123", "a=1", "at-1", "rt-1", "078-05", "abc", "pw-1", "st-1", "shown-as"]) {
        expect(lines[0]).not.toContain(secret)
      }
    }))

  it.effect("writes the squashed cause with name, message, code and stack", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      yield* Effect.fail(new Errors.NotFound({ resource: "User", id: "42" })).pipe(
        Effect.tapErrorCause((cause) => Effect.logError("lookup failed", cause)),
        Effect.ignore,
        Effect.provide(layer)
      )
      yield* Effect.logWarning("plain failure", Exit.causeOption(Exit.fail("boom")).pipe(Option.getOrThrow)).pipe(
        Effect.provide(layer)
      )
      const first = parse(lines[0])
      expect(first).toMatchObject({
        level: "error",
        message: "lookup failed",
        cause: { name: "NotFound", message: "User '42' not found", code: "NOT_FOUND" }
      })
      expect(Object.keys(first).at(-1)).toBe("cause")
      expect(String((first.cause as { stack?: unknown }).stack)).toContain("User '42' not found")
      expect(parse(lines[1]).cause).toEqual({ name: "Error", message: "boom" })
    }))
})

describe("Logging levels", () => {
  it.effect("drops lines below the minimum level and keeps the rest", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json", level: LogLevel.Warning })
      yield* Effect.gen(function*() {
        yield* Effect.logDebug("debug")
        yield* Effect.logInfo("info")
        yield* Effect.logWarning("warning")
        yield* Effect.logError("error")
      }).pipe(Effect.provide(layer))
      expect(lines.map((line) => parse(line).level)).toEqual(["warn", "error"])
    }))

  it.effect("defaults to info and logs debug when asked", () =>
    Effect.gen(function*() {
      const info = collect({ format: "json" })
      yield* Effect.all([Effect.logDebug("d"), Effect.logInfo("i")]).pipe(Effect.provide(info.layer))
      expect(info.lines.map((line) => parse(line).message)).toEqual(["i"])
      const debug = collect({ format: "json", level: LogLevel.Debug })
      yield* Effect.all([Effect.logTrace("t"), Effect.logDebug("d")]).pipe(Effect.provide(debug.layer))
      expect(debug.lines.map((line) => parse(line).level)).toEqual(["debug"])
    }))

  it.effect("formats nothing for a filtered line", () =>
    Effect.gen(function*() {
      let rendered = 0
      const expensive = { toJSON: () => (rendered++, "big") }
      const { layer, lines } = collect({ format: "json" })
      yield* Effect.logDebug("skipped", expensive).pipe(Effect.annotateLogs({ expensive }), Effect.provide(layer))
      expect([rendered, lines.length]).toEqual([0, 0])
      yield* Effect.logInfo("kept").pipe(Effect.annotateLogs({ expensive }), Effect.provide(layer))
      expect([rendered, lines.length]).toEqual([1, 1])
    }))

  it.effect("replaces effect's default and pretty loggers, keeps the tracer logger", () =>
    Effect.gen(function*() {
      const { layer } = collect({ format: "json" })
      const loggers = yield* FiberRef.get(FiberRef.currentLoggers).pipe(
        Effect.provide(layer),
        Effect.provide(Layer.merge(Logger.pretty, Logger.add(Logger.tracerLogger)))
      )
      expect(HashSet.has(loggers, Logger.prettyLoggerDefault)).toBe(false)
      expect(HashSet.has(loggers, Logger.defaultLogger)).toBe(false)
      expect(HashSet.has(loggers, Logger.tracerLogger)).toBe(true)
      expect(HashSet.size(loggers)).toBe(2)
    }))

  it.effect("is undone when the effect it was provided to ends", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json", level: LogLevel.Debug })
      const before = yield* FiberRef.get(FiberRef.currentLoggers)
      yield* Effect.logDebug("inside").pipe(Effect.provide(layer))
      yield* Effect.logDebug("outside")
      expect(yield* FiberRef.get(FiberRef.currentLoggers)).toEqual(before)
      expect(yield* FiberRef.get(FiberRef.currentMinimumLogLevel)).toEqual(LogLevel.Info)
      expect(lines.map((line) => parse(line).message)).toEqual(["inside"])
    }))

  it.effect("a second Logging layer replaces the first", () =>
    Effect.gen(function*() {
      const first = collect({ format: "json" })
      const second = collect({ format: "json" })
      yield* Effect.log("once").pipe(Effect.provide(second.layer), Effect.provide(first.layer))
      expect([first.lines.length, second.lines.length]).toEqual([0, 1])
    }))
})

describe("Logging pretty format", () => {
  it.effect("writes one readable line without colours", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "pretty", colors: false })
      yield* TestClock.adjust("1 second")
      const fiber = yield* Effect.log("user loaded").pipe(
        Effect.annotateLogs({ userName: "ada", note: "two words", password: "x" }),
        Effect.delay("12 millis"),
        Effect.withLogSpan("load"),
        RequestContext.withRequestContext({ requestId: "req-1" }),
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("12 millis")
      yield* Fiber.join(fiber)
      expect(lines).toEqual([
        "1970-01-01T00:00:01.012Z INFO  user loaded userName=ada note=\"two words\" password=[REDACTED] " +
        "requestId=req-1 (load=12ms)"
      ])
    }))

  it.effect("colours the level when asked and prints the cause below the line", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "pretty", colors: true })
      yield* Effect.logInfo("hi").pipe(Effect.provide(layer))
      expect(lines[0]).toContain("\x1b[32mINFO \x1b[0m")
      const plain = collect({ format: "pretty", colors: false })
      yield* Effect.die(new Error("boom")).pipe(
        Effect.catchAllCause((cause) => Effect.logError("crashed", cause)),
        Effect.provide(plain.layer)
      )
      const [first, ...rest] = (plain.lines[0] ?? "").split("\n")
      expect(first).toBe("1970-01-01T00:00:00.000Z ERROR crashed")
      expect(rest[0]).toBe("  Error: boom")
      expect(plain.lines[0]).not.toContain("\x1b[")
    }))
})

describe("Logging.timed", () => {
  it.effect("logs completion with the Clock-based duration and a span", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      const fiber = yield* Effect.sleep("150 millis").pipe(
        Effect.as(42),
        Logging.timed("load-user"),
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("150 millis")
      expect(yield* Fiber.join(fiber)).toBe(42)
      expect(parse(lines[0])).toMatchObject({
        level: "info",
        message: "load-user completed",
        durationMs: 150,
        spans: { "load-user": 150 }
      })
    }))

  it.effect("logs failures at warning with the cause and keeps the failure", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json" })
      const fiber = yield* Effect.sleep("20 millis").pipe(
        Effect.zipRight(Effect.fail(new Errors.NotFound({ resource: "User", id: "1" }))),
        (self) => Logging.timed(self, "load-user", { level: LogLevel.Debug }),
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("20 millis")
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isFailure(exit)).toBe(true)
      expect(parse(lines[0])).toMatchObject({
        level: "warn",
        message: "load-user failed",
        durationMs: 20,
        cause: { name: "NotFound" }
      })
    }))

  it.effect("logs interruption, and honours custom levels", () =>
    Effect.gen(function*() {
      const { layer, lines } = collect({ format: "json", level: LogLevel.Debug })
      const fiber = yield* Effect.never.pipe(
        Logging.timed("wait", { failureLevel: LogLevel.Error }),
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("5 millis")
      yield* Fiber.interrupt(fiber)
      yield* Effect.void.pipe(Logging.timed("quick", { level: LogLevel.Debug }), Effect.provide(layer))
      expect(lines.map((line) => parse(line))).toMatchObject([
        { level: "error", message: "wait interrupted", durationMs: 5 },
        { level: "debug", message: "quick completed", durationMs: 0 }
      ])
      expect(parse(lines[0])).not.toHaveProperty("cause")
    }))
})

describe("Logging.config", () => {
  const read = (values: Record<string, string>) =>
    Effect.withConfigProvider(
      Logging.config,
      ConfigProvider.fromMap(new Map(Object.entries(values)), { pathDelim: "_" }).pipe(ConfigProvider.constantCase)
    )

  it.effect("reads LOG_FORMAT, LOG_LEVEL, LOG_REDACT_KEYS and LOG_BUFFER", () =>
    Effect.gen(function*() {
      const options = yield* read({
        LOG_FORMAT: "JSON",
        LOG_LEVEL: "warning",
        LOG_REDACT_KEYS: "ssn, iban",
        LOG_BUFFER: "false"
      })
      expect(options).toEqual({ format: "json", level: LogLevel.Warning, redactKeys: ["ssn", "iban"], buffer: false })
      expect((yield* read({ LOG_BUFFER: "true" })).buffer).toBe(true)
      expect(String(yield* Effect.flip(read({ LOG_BUFFER: "sometimes" })))).toMatch(/LOG.BUFFER.*Expected a boolean/)
    }))

  it.effect("defaults to info, no extra keys, json and buffered outside a TTY or in production", () =>
    Effect.gen(function*() {
      const stdout: { isTTY?: boolean } = process.stdout
      const before = stdout.isTTY
      stdout.isTTY = false
      try {
        const production = yield* read({ NODE_ENV: "production" })
        expect(production).toEqual({ format: "json", level: LogLevel.Info, redactKeys: [], buffer: true })
        stdout.isTTY = true
        expect((yield* read({})).format).toBe("pretty")
        expect((yield* read({})).buffer).toBe(false)
        expect((yield* read({ NODE_ENV: "production" })).format).toBe("json")
      } finally {
        if (before === undefined) delete stdout.isTTY
        else stdout.isTTY = before
      }
    }))

  it.effect("fails on an unknown format or level", () =>
    Effect.gen(function*() {
      const format = yield* Effect.flip(read({ LOG_FORMAT: "xml" }))
      expect(String(format)).toContain("Expected one of (pretty, json) but received \"xml\"")
      const level = yield* Effect.flip(read({ LOG_LEVEL: "loud" }))
      expect(String(level)).toContain("Expected a log level")
    }))

  it.effect("layerConfig installs the configured logger on stdout", () =>
    capturingStdout((written) =>
      Effect.gen(function*() {
        yield* Effect.gen(function*() {
          yield* Effect.logInfo("hidden")
          yield* Effect.logError("shown", { token: "t-1" })
        }).pipe(
          Effect.provide(Logging.layerConfig),
          Effect.withConfigProvider(ConfigProvider.fromJson({ log: { format: "json", level: "error" } }))
        )
        expect(written).toHaveLength(1)
        expect(written[0]?.endsWith("\n")).toBe(true)
        expect(parse(written[0])).toMatchObject({ level: "error", message: "shown {\"token\":\"[REDACTED]\"}" })
      })
    ))
})
