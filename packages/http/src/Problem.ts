/**
 * Errors as HTTP responses: every `@strata/core` error (and anything built like one, with
 * a `code` and a `status`) becomes an `application/problem+json` body (RFC 9457):
 *
 * ```json
 * { "type": "about:blank", "title": "Not Found", "status": 404, "code": "NOT_FOUND",
 *   "detail": "User '42' not found", "requestId": "..." }
 * ```
 *
 * - `type` is always `about:blank`, so `title` is the HTTP reason phrase; `code` is the
 *   stable, machine-readable identifier clients switch on.
 * - `ValidationFailed`, Schema `ParseError`s and `HttpApiDecodeError`s are `422` with
 *   `errors: [{ path, message, type }]`, formatted by `@strata/core` Validation. A
 *   `ParseError` lists every problem even when it was decoded stopping at the first (see
 *   `Validation.fromParseError`); for an `HttpApi` served by the Strata server, a request
 *   that fails to decode is decoded again with every error (see `Server.layerApi`).
 * - `RateLimited` (and `Unavailable` with a `retryAfter`) add a `Retry-After` header.
 * - 5xx errors carry no `detail` (their messages may name hosts or queries). A `500` —
 *   defects, unknown failures, `DatabaseError`, `ConfigurationError` — is reported to the
 *   `ErrorReporter` (logged when there is none) with the request id, which is the only thing
 *   the client gets.
 * - Body errors of the server are `413` (too large), `415` (wrong media type) and `400`
 *   (malformed, or a forbidden `__proto__` / `constructor` / `prototype` key); a route that
 *   does not exist is `404` with code `ROUTE_NOT_FOUND`; `@effect/platform`'s own
 *   `HttpApiError.*` keep their statuses.
 *
 * The Strata server applies this mapping to whatever escapes the app. Use `handleErrors`
 * inside a middleware stack, so that middleware placed outside it sees the final status.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerRespondable from "@effect/platform/HttpServerRespondable"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as ErrorReporter from "@strata/core/ErrorReporter"
import * as RequestContext from "@strata/core/RequestContext"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HashSet from "effect/HashSet"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import * as internal from "./internal/problemMap.js"
import { DocumentSchema } from "./internal/problemSchema.js"

export {
  /** @since 0.1.0 */
  MalformedBody,
  /** @since 0.1.0 */
  PayloadTooLarge,
  /** @since 0.1.0 */
  UnsupportedMediaType
} from "./internal/problemErrors.js"

/**
 * The media type of problem responses.
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 *
 * const isProblem = (contentType: string) => contentType.startsWith(Problem.contentType)
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const contentType: "application/problem+json" = "application/problem+json"

/**
 * One field problem of a validation error.
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 *
 * const error: Problem.FieldError = { path: "items.0.qty", message: "Expected a positive number", type: "range" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type FieldError = internal.FieldError

/**
 * A problem document (RFC 9457) with Strata's extension members `code`, `errors`,
 * `details` (4xx only) and `requestId`.
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 *
 * const body: Problem.Problem = { type: "about:blank", title: "Forbidden", status: 403, code: "PERMISSION_DENIED" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Problem = internal.Document

/**
 * The problem document as a Schema: the OpenAPI documents of `Endpoints` declare it for
 * error responses, and a client can decode a problem body with it.
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 * import { Schema } from "effect"
 *
 * const body = Schema.decodeUnknownSync(Problem.schema)(
 *   JSON.parse('{"type":"about:blank","title":"Not Found","status":404,"code":"NOT_FOUND"}')
 * )
 * body.code // "NOT_FOUND"
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const schema: Schema.Schema<Problem> = DocumentSchema

/**
 * A problem ready to be sent: status, extra headers (`retry-after`) and body. `unexpected`
 * is true for a 500: a bug or an unexpected failure, which is reported.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Problem } from "@strata/http"
 *
 * const rendered: Problem.Rendered = Problem.fromError(new Errors.Unauthenticated())
 * rendered.status // 401
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Rendered = internal.Rendered

/**
 * The problem for a failure value: a catalogue error by its `code` and `status`, the
 * platform's request, route, decode and `HttpApiError` errors by their meaning, anything
 * else a 500.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Problem } from "@strata/http"
 *
 * const problem = Problem.fromError(new Errors.NotFound({ resource: "User", id: "42" }), "req-1")
 * problem.status // 404
 * problem.body
 * // { type: "about:blank", title: "Not Found", status: 404, code: "NOT_FOUND",
 * //   detail: "User '42' not found", requestId: "req-1" }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromError = (error: unknown, requestId?: string): Rendered =>
  internal.withRequestId(internal.fromError(error), requestId)

/**
 * The problem for a whole `Cause`: its first failure, else its first defect (a 500), else
 * — interruption only — a 503.
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 * import { Cause } from "effect"
 *
 * const problem = Problem.fromCause(Cause.die(new Error("bug")))
 * problem.status // 500
 * problem.unexpected // true
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromCause = (cause: Cause.Cause<unknown>, requestId?: string): Rendered =>
  internal.withRequestId(internal.fromCause(cause), requestId)

/**
 * The `HttpServerResponse` of a rendered problem.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Problem } from "@strata/http"
 * import { Duration } from "effect"
 *
 * const response = Problem.toResponse(Problem.fromError(new Errors.RateLimited({ retryAfter: Duration.seconds(30) })))
 * response.headers["retry-after"] // "30"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const toResponse = (rendered: Rendered): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(JSON.stringify(rendered.body), {
    status: rendered.status,
    contentType,
    headers: rendered.headers
  })

const clientClosed = HttpServerResponse.empty({ status: 499 })

const describe = (context: Context.Context<never>): Record<string, unknown> | undefined => {
  const request = Context.getOption(context, HttpServerRequest.HttpServerRequest)
  if (Option.isNone(request)) return undefined
  const url = request.value.url
  const query = url.indexOf("?")
  return { method: request.value.method, path: query === -1 ? url : url.slice(0, query) }
}

/**
 * The response for a failed request, as the Strata server sends it: a problem with the
 * request id of the `RequestContext`; a 500 is reported to the `ErrorReporter` (or logged
 * when there is none) with a request id generated when the context has none. An error that
 * is itself a response (or another `Respondable`) is used as is; a request cut because the
 * client went away is a bodiless `499`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Problem } from "@strata/http"
 * import { Cause } from "effect"
 *
 * const response = Problem.respond(Cause.fail(new Errors.Unauthenticated()))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const respond = (cause: Cause.Cause<unknown>): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.withFiberRuntime((fiber) => {
    if (Cause.isInterruptedOnly(cause) && HashSet.has(Cause.interruptors(cause), HttpServerError.clientAbortFiberId)) {
      return Effect.succeed(clientClosed)
    }
    const failure = Cause.failureOption(cause)
    const value = Option.isSome(failure) ? failure.value : Option.getOrUndefined(Cause.dieOption(cause))
    if (HttpServerResponse.isServerResponse(value)) return Effect.succeed(value)
    if (HttpServerRespondable.isRespondable(value) && internal.fromKnown(value) === undefined) {
      return HttpServerRespondable.toResponse(value)
    }
    const rendered = internal.fromCause(cause)
    const requestId = fiber.getFiberRef(RequestContext.currentRequestContext).requestId
    if (!rendered.unexpected) return Effect.succeed(toResponse(internal.withRequestId(rendered, requestId)))
    const id = requestId ?? randomUUID()
    const response = toResponse(internal.withRequestId(rendered, id))
    const context = fiber.currentContext
    const reporter = Context.getOption(context, ErrorReporter.ErrorReporter)
    const details = describe(context)
    const report = Option.isSome(reporter)
      ? reporter.value.reportCause(cause, { function: "http", requestId: id, details })
      : Effect.logError("Unhandled error in HTTP request", cause).pipe(
        Effect.annotateLogs({ requestId: id, ...details })
      )
    return Effect.as(report, response)
  })

/**
 * Turns every failure and defect of an app into its problem response (see `respond`), so
 * the app never fails. Apply it inside middleware that wants to see final statuses
 * (metrics, access logs); the Strata server applies the same mapping to whatever escapes.
 * In a plain `HttpRouter` app it also gives `HttpApiError.*` values their statuses (the
 * platform alone sends them as 500).
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Errors } from "@strata/core"
 * import { Problem } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/users/:id", Effect.fail(new Errors.NotFound({ resource: "User", id: "42" }))),
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Problem.handleErrors
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const handleErrors = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<never, R> =>
  Effect.catchAllCause(app, respond)
