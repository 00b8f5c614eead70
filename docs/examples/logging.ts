/**
 * Examples for docs/logging.md (compiled by `npm run typecheck`).
 */
import { Logging, Redaction, RequestContext } from "@strata/core"
import { LogCapture } from "@strata/testing"
import { Effect, Layer, Logger, LogLevel, Redacted } from "effect"

// --- 1. Install a logger: from config (LOG_FORMAT, LOG_LEVEL, LOG_REDACT_KEYS) or explicitly ---

export const LoggingLive = Logging.layerConfig // Layer<never, ConfigError>

export const JsonDebug = Logging.layer({ format: "json", level: LogLevel.Debug })

export const PrettyNoColours = Logging.layer({ format: "pretty", colors: false, redactKeys: ["ssn"] })

// --- 2. Log with plain effect: messages, annotations, spans, causes ---

export const handler = Effect.gen(function*() {
  yield* Effect.logInfo("order placed")
  yield* Effect.logDebug("cart", { items: 3, coupon: "WELCOME" })
}).pipe(
  Effect.annotateLogs({ orderId: "o-17", amount: 42.5 }),
  Effect.withLogSpan("checkout")
)
// {"timestamp":"…","level":"info","message":"order placed","orderId":"o-17","amount":42.5,"spans":{"checkout":0}}

export const failing = Effect.fail(new Error("card declined")).pipe(
  Effect.tapErrorCause((cause) => Effect.logError("payment failed", cause))
)
// {…,"level":"error","message":"payment failed","cause":{"name":"Error","message":"card declined","stack":"…"}}

// --- 3. Request context: every line inside carries requestId / userId ---

export const request = Effect.gen(function*() {
  yield* Effect.log("performing administrative operation")
  yield* RequestContext.annotate({ userId: "user-456" }) // from here on in this fiber
  yield* Effect.log("user context operation")
}).pipe(RequestContext.withRequestContext({ requestId: "manual-123" }))
// …"message":"user context operation","requestId":"manual-123","userId":"user-456"…

// Inside a tracer span (Effect.withSpan, or any HTTP request) lines also get traceId and spanId.
export const traced = Effect.log("inside a span").pipe(Effect.withSpan("load-user"))

// --- 4. Timing: the seeds' log_execution_time ---

const loadUser = (id: string) => Effect.succeed({ id, name: "Ada" }).pipe(Effect.delay("12 millis"))

export const timedLoad = loadUser("u-1").pipe(Logging.timed("load-user"))
// INFO  load-user completed durationMs=12.04 (load-user=12ms)
// on failure: WARN  load-user failed durationMs=… + the cause

export const quietTimer = loadUser("u-2").pipe(Logging.timed("load-user", { level: LogLevel.Debug }))

// --- 5. Redaction: automatic in log lines, available for anything else ---

export const secrets = Effect.log("login attempt").pipe(
  Effect.annotateLogs({
    user: { name: "ada", password: "hunter2" }, //  password: "[REDACTED]"
    headers: { "X-Api-Key": "k-123" }, //            "X-Api-Key": "[REDACTED]"
    dbUrl: Redacted.make("postgres://u:p@db/app") // "<redacted>"
  })
)

export const reportPayload = Redaction.redact({ token: "t", body: { refresh_token: "r", page: 2 } })
// { token: "[REDACTED]", body: { refresh_token: "[REDACTED]", page: 2 } }

export const strict = Redaction.make([...Redaction.defaultKeys, "ssn", "iban"])
export const StrictLogging = Logging.layer({ format: "json", redactor: strict })

// --- 6. Tests: capture log lines as structured entries ---

export const test = Effect.gen(function*() {
  yield* request
  const entries = yield* LogCapture.entries
  const last = entries[entries.length - 1]
  return last?.context.userId === "user-456" && last.level === "info"
}).pipe(Effect.provide(LogCapture.layer))

export const debugTest = Effect.logDebug("cache miss").pipe(
  Effect.zipRight(LogCapture.messages),
  Effect.provide(LogCapture.layerWith({ level: LogLevel.Debug }))
)

// --- 7. Your own sink: the same records, anywhere ---

export const sink: Array<Logging.LogRecord> = []
export const ToSink: Layer.Layer<never> = Logging.replaceLogger(
  Logging.recordLogger().pipe(Logger.map((record) => {
    sink.push(record)
  }))
)
