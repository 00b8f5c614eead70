/**
 * Reading driver errors (node-postgres, pg-pool, PGlite, Node sockets) out of a `SqlError`.
 *
 * @internal
 */
import { SqlErrorTypeId } from "@effect/sql/SqlError"
import * as Predicate from "effect/Predicate"

/** @internal */
export type Kind =
  | "unique_violation"
  | "foreign_key_violation"
  | "not_null_violation"
  | "check_violation"
  | "connection"
  | "acquire_timeout"
  | "transaction_conflict"
  | "statement_timeout"
  | "other"

/** @internal */
export interface Classified {
  readonly kind: Kind
  readonly sqlState: string | undefined
  /** SQLSTATE, else the Node error code (`ECONNREFUSED`), else `ACQUIRE_TIMEOUT`/`CONNECTION`/`unknown`. */
  readonly code: string
  readonly message: string
  readonly table: string | undefined
  readonly column: string | undefined
  readonly constraint: string | undefined
  readonly detail: string | undefined
}

const sqlStatePattern = /^[0-9A-Z]{5}$/
const nodeConnectionCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN"
])
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections
const connectionStates: ReadonlySet<string> = new Set(["57P01", "57P02", "57P03", "53300"])
const connectionMessages: ReadonlyArray<string> = [
  "connection terminated",
  "connection error",
  "not queryable",
  "server closed the connection",
  "pglite is closed",
  "client was closed",
  "cannot use a pool after calling end",
  "connection refused"
]

const str = (u: unknown, key: string): string | undefined =>
  Predicate.hasProperty(u, key) && typeof u[key] === "string" && u[key] !== "" ? u[key] : undefined

/** The chain error → cause → cause … (bounded), skipping the SqlError wrapper itself. @internal */
const chain = (error: unknown): Array<unknown> => {
  const out: Array<unknown> = []
  let current: unknown = error
  for (let i = 0; i < 5 && current !== undefined && current !== null; i++) {
    out.push(current)
    // AggregateError (dual-stack connect) keeps the real socket errors in `errors`
    if (Predicate.hasProperty(current, "errors") && Array.isArray(current.errors) && current.errors.length > 0) {
      out.push(current.errors[0])
    }
    current = Predicate.hasProperty(current, "cause") ? current.cause : undefined
  }
  return out
}

/** @internal */
export const isSqlError = (u: unknown): u is { readonly _tag: string; readonly cause?: unknown } =>
  Predicate.hasProperty(u, SqlErrorTypeId)

/** @internal */
export const classify = (error: unknown): Classified => {
  let sqlState: string | undefined
  let nodeCode: string | undefined
  let table: string | undefined
  let column: string | undefined
  let constraint: string | undefined
  let detail: string | undefined
  let driverMessage: string | undefined
  const messages: Array<string> = []
  for (const e of chain(error)) {
    const code = str(e, "code")
    if (code !== undefined) {
      if (sqlState === undefined && sqlStatePattern.test(code)) sqlState = code
      else if (nodeCode === undefined && code.startsWith("E")) nodeCode = code
    }
    table ??= str(e, "table")
    column ??= str(e, "column")
    constraint ??= str(e, "constraint")
    detail ??= str(e, "detail")
    const message = e instanceof Error ? e.message : str(e, "message")
    if (message !== undefined) {
      messages.push(message.toLowerCase())
      // the innermost driver message is the useful one ("Failed to execute statement" is not)
      if (e !== error) driverMessage = message
    }
  }
  const outer = error instanceof Error ? error.message : str(error, "message") ?? "Database error"
  const message = driverMessage !== undefined && driverMessage !== outer ? `${outer}: ${driverMessage}` : outer
  const kind = kindOf(sqlState, nodeCode, messages)
  return {
    kind,
    sqlState,
    code: sqlState ?? nodeCode ??
      (kind === "acquire_timeout" ? "ACQUIRE_TIMEOUT" : kind === "connection" ? "CONNECTION" : "unknown"),
    message,
    table,
    column,
    constraint,
    detail
  }
}

const kindOf = (sqlState: string | undefined, nodeCode: string | undefined, messages: ReadonlyArray<string>): Kind => {
  if (sqlState !== undefined) {
    switch (sqlState) {
      case "23505":
        return "unique_violation"
      case "23503":
        return "foreign_key_violation"
      case "23502":
        return "not_null_violation"
      case "23514":
        return "check_violation"
      case "40001":
      case "40P01":
        return "transaction_conflict"
      case "57014":
        return "statement_timeout"
    }
    if (sqlState.startsWith("08") || connectionStates.has(sqlState)) return "connection"
    return "other"
  }
  if (nodeCode !== undefined && nodeConnectionCodes.has(nodeCode)) return "connection"
  if (messages.some((m) => m.includes("timeout exceeded when trying to connect"))) return "acquire_timeout"
  if (messages.some((m) => connectionMessages.some((c) => m.includes(c)))) return "connection"
  return "other"
}

/** `Key (email)=(ada@example.com) already exists.` → fields and values. @internal */
export const parseKeyDetail = (
  detail: string | undefined
): { readonly field: string; readonly value: string } | undefined => {
  if (detail === undefined) return undefined
  const match = /Key \((.+?)\)=\((.*)\)/.exec(detail)
  return match === null ? undefined : { field: match[1]!, value: match[2]! }
}
