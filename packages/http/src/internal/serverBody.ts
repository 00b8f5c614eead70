/**
 * Request body reading for the Strata server: a size limit checked before and while
 * reading, a media-type allowlist, and JSON parsing that refuses prototype-polluting keys.
 *
 * @internal
 */
import * as Errors from "@strata/core/Errors"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Http from "node:http"
import { MalformedBody, PayloadTooLarge, UnsupportedMediaType } from "./problemErrors.js"

/** @internal */
export const defaultMediaTypes: ReadonlyArray<string> = [
  "application/json",
  "application/*+json",
  "application/x-www-form-urlencoded",
  "multipart/form-data"
]

/** `type/subtype` of a Content-Type header, lower case, without parameters. @internal */
export const mediaType = (header: string | undefined): string => {
  if (header === undefined) return ""
  const semi = header.indexOf(";")
  return (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase()
}

/** @internal */
export const isJson = (type: string): boolean =>
  type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"))

const matches = (pattern: string, type: string): boolean => {
  if (pattern === type || pattern === "*/*") return true
  const star = pattern.indexOf("*")
  if (star === -1) return false
  // `text/*`, `application/*+json`
  return type.length >= pattern.length - 1 && type.startsWith(pattern.slice(0, star)) &&
    type.endsWith(pattern.slice(star + 1))
}

/** @internal */
export const accepts = (patterns: ReadonlyArray<string>, type: string): boolean => {
  for (let i = 0; i < patterns.length; i++) {
    if (matches(patterns[i]!, type)) return true
  }
  return false
}

/** Whether the request announces a body (HTTP/1.1: a non-zero length or chunked). @internal */
export const hasBody = (source: Http.IncomingMessage): boolean => {
  const length = source.headers["content-length"]
  return source.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0")
}

/** @internal */
export type BodyFailure = PayloadTooLarge | UnsupportedMediaType | MalformedBody | Errors.SecurityViolation

/** @internal */
export type ReadFailure = BodyFailure | { readonly _tag: "Transport"; readonly cause: unknown }

const empty = Buffer.alloc(0)

/**
 * Reads a request body once; concurrent and later readers share the result.
 *
 * @internal
 */
export class BodyReader {
  private exit: Exit.Exit<Buffer, ReadFailure> | undefined = undefined
  private waiters: Array<(exit: Exit.Exit<Buffer, ReadFailure>) => void> | undefined = undefined

  constructor(readonly source: Http.IncomingMessage, readonly response: Http.ServerResponse) {}

  read(limit: number | undefined): Effect.Effect<Buffer, ReadFailure> {
    return Effect.async<Buffer, ReadFailure>((resume) => {
      if (this.exit !== undefined) return resume(this.exit)
      const waiter = (exit: Exit.Exit<Buffer, ReadFailure>) => resume(exit)
      if (this.waiters === undefined) {
        this.waiters = [waiter]
        this.start(limit)
      } else {
        this.waiters.push(waiter)
      }
      return Effect.sync(() => {
        const index = this.waiters?.indexOf(waiter) ?? -1
        if (index !== -1) this.waiters!.splice(index, 1)
      })
    })
  }

  private done(exit: Exit.Exit<Buffer, ReadFailure>): void {
    if (this.exit !== undefined) return
    this.exit = exit
    if (Exit.isFailure(exit)) {
      // The rest of the body stays unread: do not reuse the connection for another request.
      if (!this.response.headersSent) this.response.setHeader("connection", "close")
    }
    const waiters = this.waiters ?? []
    this.waiters = []
    for (const waiter of waiters) waiter(exit)
  }

  private start(limit: number | undefined): void {
    const source = this.source
    if (!hasBody(source)) return this.done(Exit.succeed(empty))
    const declared = source.headers["content-length"]
    if (limit !== undefined && declared !== undefined && Number(declared) > limit) {
      return this.done(Exit.fail(new PayloadTooLarge({ limit })))
    }
    const chunks: Array<Buffer> = []
    let size = 0
    const cleanup = () => {
      source.removeListener("data", onData)
      source.removeListener("end", onEnd)
      source.removeListener("error", onError)
      source.removeListener("close", onClose)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (limit !== undefined && size > limit) {
        cleanup()
        source.pause()
        this.done(Exit.fail(new PayloadTooLarge({ limit })))
      } else {
        chunks.push(chunk)
      }
    }
    const onEnd = () => {
      cleanup()
      this.done(Exit.succeed(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    }
    const onError = (cause: unknown) => {
      cleanup()
      this.done(Exit.fail({ _tag: "Transport", cause }))
    }
    const onClose = () => onError(new Error("The connection closed before the request body was complete"))
    source.on("data", onData)
    source.on("end", onEnd)
    source.on("error", onError)
    source.on("close", onClose)
  }
}

const forbiddenKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"])

// A JSON text that contains none of these cannot produce a forbidden key (a key written
// with escapes, like "\u005f_proto__", contains a backslash-u).
const suspicious = /__proto__|constructor|prototype|\\u/

const findForbiddenKey = (root: unknown): string | undefined => {
  const stack: Array<unknown> = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value !== "object" || value === null) continue
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push(value[i])
      continue
    }
    for (const key of Object.keys(value)) {
      if (forbiddenKeys.has(key)) return key
      stack.push((value as Record<string, unknown>)[key])
    }
  }
  return undefined
}

/**
 * `JSON.parse`, plus the refusal of `__proto__` / `constructor` / `prototype` keys at any
 * depth; `""` is `null` (an empty body).
 *
 * @internal
 */
export const parseJson = (text: string): Exit.Exit<unknown, MalformedBody | Errors.SecurityViolation> => {
  if (text === "") return Exit.succeed(null)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return Exit.fail(new MalformedBody({ message: "The request body is not valid JSON" }))
  }
  if (suspicious.test(text)) {
    const key = findForbiddenKey(value)
    if (key !== undefined) {
      return Exit.fail(
        new Errors.SecurityViolation({
          message: `The JSON key "${key}" is not allowed`,
          details: { key }
        })
      )
    }
  }
  return Exit.succeed(value)
}

/** @internal */
export const checkMediaType = (
  source: Http.IncomingMessage,
  accepted: ReadonlyArray<string>,
  json: boolean
): UnsupportedMediaType | undefined => {
  if (!hasBody(source)) return undefined
  const type = mediaType(source.headers["content-type"])
  if (json ? isJson(type) : accepts(accepted, type)) return undefined
  return new UnsupportedMediaType({
    contentType: type.length > 100 ? `${type.slice(0, 100)}…` : type,
    expected: json ? "application/json" : accepted.join(", ")
  })
}
