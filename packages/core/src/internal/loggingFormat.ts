/**
 * The two line formats: JSON (one object per line, for machines) and pretty (one line plus
 * an indented cause, for people).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type { LogRecord } from "../Logging.js"
import { setKey, stringify } from "./loggingRecord.js"

// Fixed keys of a JSON line; a context field or annotation with one of these names is
// written under `context.<name>` / `annotation.<name>` so it can never overwrite them.
const reserved = new Set(["timestamp", "level", "message", "fiberId", "spans", "cause"])

/** @internal */
export const json = (record: LogRecord): string => {
  const out: Record<string, unknown> = {
    timestamp: record.timestamp,
    level: record.level,
    message: record.message
  }
  if (record.fiberId !== undefined) out.fiberId = record.fiberId
  const context = record.context
  for (const key in context) setKey(out, reserved.has(key) ? `context.${key}` : key, context[key])
  const annotations = record.annotations
  for (const key in annotations) setKey(out, reserved.has(key) ? `annotation.${key}` : key, annotations[key])
  // Open log spans only when there are any: an empty object on every line is noise.
  for (const _ in record.spans) {
    out.spans = record.spans
    break
  }
  if (record.cause !== undefined) out.cause = record.cause
  return stringify(out)
}

const ansi = (code: string) => (text: string): string => `\x1b[${code}m${text}\x1b[0m`
const plain = (text: string): string => text

interface Palette {
  readonly dim: (text: string) => string
  readonly key: (text: string) => string
  readonly cause: (text: string) => string
  readonly level: Record<LogRecord["level"], (text: string) => string>
}

const colored: Palette = {
  dim: ansi("90"),
  key: ansi("36"),
  cause: ansi("31"),
  level: {
    all: plain,
    trace: ansi("90"),
    debug: ansi("34"),
    info: ansi("32"),
    warn: ansi("33"),
    error: ansi("31"),
    fatal: ansi("101;30"),
    off: plain
  }
}

const uncolored: Palette = {
  dim: plain,
  key: plain,
  cause: plain,
  level: {
    all: plain,
    trace: plain,
    debug: plain,
    info: plain,
    warn: plain,
    error: plain,
    fatal: plain,
    off: plain
  }
}

const labels: Record<LogRecord["level"], string> = {
  all: "ALL  ",
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO ",
  warn: "WARN ",
  error: "ERROR",
  fatal: "FATAL",
  off: "OFF  "
}

const bare = /^[^\s"=]*$/

const value = (v: unknown): string => {
  if (typeof v === "string") return bare.test(v) ? v : JSON.stringify(v)
  if (typeof v === "object" && v !== null) return stringify(v)
  return String(v)
}

/** @internal */
export const pretty = (record: LogRecord, cause: Cause.Cause<unknown>, colors: boolean): string => {
  const p = colors ? colored : uncolored
  let out = p.dim(record.timestamp) + " " + p.level[record.level](labels[record.level])
  if (record.fiberId !== undefined) out += " " + p.dim(record.fiberId)
  if (record.message !== "") out += " " + record.message
  const annotations = record.annotations
  for (const key in annotations) out += " " + p.key(key + "=") + value(annotations[key])
  const context = record.context
  for (const key in context) out += " " + p.key(key + "=") + value(context[key])
  let spans = ""
  for (const label in record.spans) spans += (spans === "" ? "" : " ") + `${label}=${record.spans[label]}ms`
  if (spans !== "") out += " " + p.dim(`(${spans})`)
  if (record.cause !== undefined) {
    out += "\n" + p.cause(indent(Cause.pretty(cause, { renderErrorCause: true })))
  }
  return out
}

const indent = (text: string): string => "  " + text.replace(/\n/g, "\n  ")
