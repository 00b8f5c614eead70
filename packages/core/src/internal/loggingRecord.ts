/**
 * Turns effect's logger input into the structured record every Strata log line (and every
 * `LogCapture` entry) is made of. On the hot path: nothing is walked or copied unless an
 * annotation or message part is an object, and empty parts share one frozen object.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as HashMap from "effect/HashMap"
import * as List from "effect/List"
import type * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import type { Level, LogCause, LogRecord } from "../Logging.js"
import type { Redactor } from "../Redaction.js"
import { placeholder } from "../Redaction.js"
import { currentRequestContext } from "../RequestContext.js"

/** @internal */
export const empty: Readonly<Record<string, never>> = Object.freeze({})

/** @internal */
export const levels: Record<LogLevel.LogLevel["_tag"], Level> = {
  All: "all",
  Fatal: "fatal",
  Error: "error",
  Warning: "warn",
  Info: "info",
  Debug: "debug",
  Trace: "trace",
  None: "off"
}

/** @internal */
export interface RecordOptions {
  readonly redactor: Redactor
  readonly fiberId: boolean
}

// Lines come many to the millisecond under load: the last timestamp's text is reused
// (`toISOString` takes ~0.5 µs).
let lastTime = Number.NaN
let lastTimestamp = ""

/** `date.toISOString()`, reusing the previous result for the same millisecond. @internal */
export const timestampOf = (date: Date): string => {
  const time = date.getTime()
  if (time !== lastTime) {
    lastTimestamp = date.toISOString()
    lastTime = time
  }
  return lastTimestamp
}

/** @internal */
export const buildRecord = (
  input: Logger.Logger.Options<unknown>,
  options: RecordOptions,
  fields?: Readonly<Record<string, unknown>>
): LogRecord => {
  const redactor = options.redactor
  const record: {
    timestamp: string
    level: Level
    message: string
    fiberId?: string
    context: Readonly<Record<string, string>>
    annotations: Readonly<Record<string, unknown>>
    spans: Readonly<Record<string, number>>
    cause?: LogCause
  } = {
    timestamp: timestampOf(input.date),
    level: levels[input.logLevel._tag],
    message: renderMessage(input.message, redactor),
    context: requestContext(input.context, redactor),
    annotations: annotations(input.annotations, redactor, fields),
    spans: spans(input.spans, input.date.getTime())
  }
  if (options.fiberId) record.fiberId = FiberId.threadName(input.fiberId)
  if (!Cause.isEmpty(input.cause)) record.cause = squash(input.cause, redactor)
  return record
}

const requestContext = (refs: FiberRefs.FiberRefs, redactor: Redactor): Readonly<Record<string, string>> => {
  const fields = FiberRefs.getOrDefault(refs, currentRequestContext)
  const span = Context.getOption(FiberRefs.getOrDefault(refs, FiberRef.currentContext), Tracer.ParentSpan)
  let out: Record<string, string> | undefined
  for (const key in fields) {
    const value = fields[key]
    if (value === undefined) continue
    if (out === undefined) out = {}
    setKey(out, key, redactor.isSensitive(key) ? placeholder : value)
  }
  if (span._tag === "Some") {
    // the live span is more precise than a trace id copied into the context earlier
    if (out === undefined) out = {}
    out.traceId = span.value.traceId
    out.spanId = span.value.spanId
  }
  return out ?? empty
}

const annotations = (
  map: HashMap.HashMap<string, unknown>,
  redactor: Redactor,
  fields: Readonly<Record<string, unknown>> | undefined
): Readonly<Record<string, unknown>> => {
  if (HashMap.size(map) === 0 && fields === undefined) return empty
  const out: Record<string, unknown> = {}
  if (HashMap.size(map) > 0) {
    for (const [key, value] of map) {
      // Where a field has the same name, it takes the annotation's place (as `HashMap.set` would).
      if (fields === undefined || !Object.hasOwn(fields, key)) {
        setKey(out, key, redactor.isSensitive(key) ? placeholder : loggable(value, redactor))
      }
    }
  }
  if (fields !== undefined) {
    for (const key in fields) {
      setKey(out, key, redactor.isSensitive(key) ? placeholder : loggable(fields[key], redactor))
    }
  }
  return out
}

const loggable = (value: unknown, redactor: Redactor): unknown => {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return value
    default:
      return value === null ? null : redactor.redact(value)
  }
}

const spans = (list: List.List<{ readonly label: string; readonly startTime: number }>, now: number) => {
  if (List.isNil(list)) return empty
  const out: Record<string, number> = {}
  for (const span of list) setKey(out, span.label, now - span.startTime)
  return out
}

const renderMessage = (message: unknown, redactor: Redactor): string => {
  if (typeof message === "string") return message
  if (!Array.isArray(message)) return renderPart(message, redactor)
  if (message.length === 1) return renderPart(message[0], redactor)
  let out = ""
  for (let i = 0; i < message.length; i++) {
    if (i > 0) out += " "
    out += renderPart(message[i], redactor)
  }
  return out
}

const renderPart = (part: unknown, redactor: Redactor): string => {
  switch (typeof part) {
    case "string":
      return part
    case "number":
    case "boolean":
    case "bigint":
    case "symbol":
    case "undefined":
      return String(part)
  }
  if (part === null) return "null"
  if (part instanceof Error) return `${part.name}: ${part.message}`
  if (Redacted.isRedacted(part)) return "<redacted>"
  return stringify(redactor.redact(part))
}

/**
 * Sets a key on a fresh record; `"__proto__"` (possible in keys that came from parsed
 * input) is defined as a plain property instead of replacing the prototype.
 *
 * @internal
 */
export const setKey = <A>(out: Record<string, A>, key: string, value: A): void => {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
}

/** @internal */
export const stringify = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const squash = (cause: Cause.Cause<unknown>, redactor: Redactor): LogCause => {
  const error = Cause.squash(cause)
  if (error instanceof Error) {
    const out: { name: string; message: string; code?: string; stack?: string } = {
      name: error.name,
      message: error.message
    }
    if (Predicate.hasProperty(error, "code") && typeof error.code === "string") out.code = error.code
    if (error.stack !== undefined) out.stack = error.stack
    return out
  }
  const name = Predicate.hasProperty(error, "_tag") && typeof error._tag === "string" ? error._tag : "Error"
  return { name, message: renderPart(error, redactor) }
}
