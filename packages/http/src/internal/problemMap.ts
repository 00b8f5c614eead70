/**
 * Errors and causes → RFC 9457 problem documents. Pure: no effects, no reporting; the
 * public `Problem` module adds the request id and the error reporter around it.
 *
 * @internal
 */
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as Multipart from "@effect/platform/Multipart"
import * as Errors from "@strata/core/Errors"
import * as Validation from "@strata/core/Validation"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import type * as AST from "effect/SchemaAST"
import { STATUS_CODES } from "node:http"

/** @internal */
export interface FieldError {
  readonly path: string
  readonly message: string
  readonly type: string
}

/** @internal */
export interface Document {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly code: string
  readonly errors?: ReadonlyArray<FieldError>
  readonly details?: Readonly<Record<string, unknown>>
  readonly requestId?: string
}

/** @internal */
export interface Rendered {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Document
  readonly unexpected: boolean
}

/** @internal */
export const contentType = "application/problem+json"

/** @internal */
export const title = (status: number): string => STATUS_CODES[status] ?? "Error"

const make = (
  status: number,
  code: string,
  detail: string | undefined,
  extra?: {
    readonly errors?: ReadonlyArray<FieldError> | undefined
    readonly details?: Readonly<Record<string, unknown>> | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
    readonly unexpected?: boolean | undefined
  }
): Rendered => {
  const body: {
    type: string
    title: string
    status: number
    detail?: string
    code: string
    errors?: ReadonlyArray<FieldError>
    details?: Readonly<Record<string, unknown>>
  } = { type: "about:blank", title: title(status), status, code }
  if (detail !== undefined) body.detail = detail
  if (extra?.errors !== undefined) body.errors = extra.errors
  if (extra?.details !== undefined) body.details = extra.details
  return { status, headers: extra?.headers ?? {}, body, unexpected: extra?.unexpected ?? false }
}

/** @internal */
export const internalError = (): Rendered => make(500, "INTERNAL_ERROR", undefined, { unexpected: true })

/** @internal */
export const unavailable = (detail: string): Rendered => make(503, "UNAVAILABLE", detail)

/** An error built like the catalogue: a string `code`, an error `status` and a `message`. */
const isCoded = (u: unknown): u is {
  readonly code: string
  readonly status: number
  readonly message: string
  readonly details?: unknown
} =>
  Predicate.hasProperty(u, "code") && typeof u.code === "string" &&
  Predicate.hasProperty(u, "status") && typeof u.status === "number" && u.status >= 400 && u.status <= 599 &&
  Predicate.hasProperty(u, "message") && typeof u.message === "string"

const retryAfter = (u: unknown): string | undefined => {
  if (Predicate.hasProperty(u, "retryAfterSeconds") && typeof u.retryAfterSeconds === "number") {
    return String(u.retryAfterSeconds)
  }
  if (Predicate.hasProperty(u, "retryAfter") && Duration.isDuration(u.retryAfter)) {
    return String(Math.max(1, Math.ceil(Duration.toMillis(u.retryAfter) / 1000)))
  }
  return undefined
}

const fromCoded = (error: {
  readonly code: string
  readonly status: number
  readonly message: string
  readonly details?: unknown
}): Rendered => {
  const seconds = retryAfter(error)
  const headers = seconds === undefined ? undefined : { "retry-after": seconds }
  if (error.status >= 500) {
    // Server-side messages may name hosts, tables or queries: the client only gets the code.
    return make(error.status, error.code, undefined, { headers, unexpected: error.status === 500 })
  }
  const details = Predicate.isRecord(error.details) ? error.details : undefined
  const errors = error instanceof Errors.ValidationFailed
    ? error.errors.map((e): FieldError => ({ path: e.path, message: e.message, type: e.type }))
    : undefined
  return make(error.status, error.code, error.message, { headers, details, errors })
}

// The platform's flat issues, for a decode error the server could not reproduce (one a
// handler raised itself): the types and messages core Validation uses where the tag says
// enough; a refinement or transformation keeps the platform's message.
const fromIssue = (issue: ParseResult.ArrayFormatterIssue): FieldError => {
  const path = issue.path.map(String).join(".")
  switch (issue._tag) {
    case "Missing":
      return { path, message: "Required", type: "required" }
    case "Unexpected":
      return { path, message: "Unexpected field", type: "unexpected" }
    case "Type":
      return { path, message: issue.message, type: "type" }
    case "Forbidden":
      return { path, message: issue.message, type: "forbidden" }
    default:
      return { path, message: issue.message, type: "invalid" }
  }
}

const fromDecodeError = (error: HttpApiError.HttpApiDecodeError): Rendered =>
  fromCoded(new Errors.ValidationFailed({ errors: error.issues.map(fromIssue) }))

/** The platform's bodiless `HttpApiError.*` classes, with the status and code of their problem. @internal */
export const emptyErrors: ReadonlyArray<
  readonly [{ readonly ast: AST.AST } & (new(...args: ReadonlyArray<never>) => unknown), number, string]
> = [
  [HttpApiError.BadRequest, 400, "BAD_REQUEST"],
  [HttpApiError.Unauthorized, 401, "UNAUTHENTICATED"],
  [HttpApiError.Forbidden, 403, "PERMISSION_DENIED"],
  [HttpApiError.NotFound, 404, "NOT_FOUND"],
  [HttpApiError.MethodNotAllowed, 405, "METHOD_NOT_ALLOWED"],
  [HttpApiError.NotAcceptable, 406, "NOT_ACCEPTABLE"],
  [HttpApiError.RequestTimeout, 408, "REQUEST_TIMEOUT"],
  [HttpApiError.Conflict, 409, "CONFLICT"],
  [HttpApiError.Gone, 410, "GONE"],
  [HttpApiError.InternalServerError, 500, "INTERNAL_ERROR"],
  [HttpApiError.NotImplemented, 501, "NOT_IMPLEMENTED"],
  [HttpApiError.ServiceUnavailable, 503, "UNAVAILABLE"]
]

const fromRequestError = (error: HttpServerError.RequestError): Rendered => {
  if (isCoded(error.cause)) return fromCoded(error.cause)
  if (error.reason === "Transport") return make(400, "BAD_REQUEST", "The request could not be read")
  return make(400, "MALFORMED_BODY", "The request body could not be decoded")
}

const isMultipartError = (u: unknown): u is Multipart.MultipartError => Predicate.hasProperty(u, Multipart.ErrorTypeId)

const fromMultipartError = (error: Multipart.MultipartError): Rendered => {
  switch (error.reason) {
    case "FileTooLarge":
    case "FieldTooLarge":
    case "BodyTooLarge":
    case "TooManyParts":
      return make(413, "PAYLOAD_TOO_LARGE", `Multipart body rejected: ${error.reason}`)
    case "Parse":
      return make(400, "MALFORMED_BODY", "The multipart body could not be parsed")
    case "InternalError":
      return internalError()
  }
}

/**
 * The problem for a known error, or `undefined` when the value is not one we know (an
 * unknown failure or a defect, which the caller turns into a 500).
 *
 * @internal
 */
export const fromKnown = (u: unknown): Rendered | undefined => {
  if (isCoded(u)) return fromCoded(u)
  if (u instanceof HttpApiError.HttpApiDecodeError) return fromDecodeError(u)
  if (ParseResult.isParseError(u)) return fromCoded(Validation.fromParseError(u))
  if (HttpServerError.isServerError(u)) {
    switch (u._tag) {
      case "RouteNotFound":
        return make(404, "ROUTE_NOT_FOUND", "No route matches this request")
      case "RequestError":
        return fromRequestError(u)
      default:
        return undefined
    }
  }
  if (isMultipartError(u)) return fromMultipartError(u)
  for (const [constructor, status, code] of emptyErrors) {
    if (u instanceof constructor) return make(status, code, undefined, { unexpected: status === 500 })
  }
  return undefined
}

/**
 * Any failure value → a problem; unknown values are a 500.
 *
 * @internal
 */
export const fromError = (u: unknown): Rendered => fromKnown(u) ?? internalError()

/**
 * A defect → a problem. Body errors that `HttpApi` turns into defects (`Effect.orDie`
 * around `request.json`) keep their meaning; anything else is a 500.
 *
 * @internal
 */
export const fromDefect = (defect: unknown): Rendered => {
  if (HttpServerError.isServerError(defect) && defect._tag === "RequestError") return fromRequestError(defect)
  if (isMultipartError(defect)) return fromMultipartError(defect)
  return internalError()
}

/**
 * The first failure of a cause, else its first defect, else (interruption only) a 503.
 *
 * @internal
 */
export const fromCause = (cause: Cause.Cause<unknown>): Rendered => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return fromError(failure.value)
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) return fromDefect(defect.value)
  return unavailable("The request was interrupted")
}

/** @internal */
export const withRequestId = (rendered: Rendered, requestId: string | undefined): Rendered =>
  requestId === undefined ? rendered : { ...rendered, body: { ...rendered.body, requestId } }
