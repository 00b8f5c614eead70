import { HttpApiError, HttpServerError, HttpServerRequest, HttpServerResponse, Multipart } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors, RequestContext, Validation } from "@strata/core"
import { Problem } from "@strata/http"
import { LogCapture, TestErrorReporter } from "@strata/testing"
import { Cause, Duration, Effect, Either, FiberId, Schema } from "effect"

const request = HttpServerRequest.fromWeb(new Request("http://localhost/things?secret=1", { method: "POST" }))

const body = (response: HttpServerResponse.HttpServerResponse): unknown => {
  if (response.body._tag !== "Uint8Array") throw new Error(`unexpected body ${response.body._tag}`)
  return JSON.parse(new TextDecoder().decode(response.body.body))
}

describe("Problem", () => {
  describe("fromError", () => {
    it("maps catalogue errors by status and code, with the message as detail", () => {
      const error = new Errors.AlreadyExists({ resource: "User", identifier: "a@b.c", field: "email" })
      const problem = Problem.fromError(error, "r-1")
      expect(problem.status).toBe(409)
      expect(problem.unexpected).toBe(false)
      expect(problem.body).toEqual({
        type: "about:blank",
        title: "Conflict",
        status: 409,
        code: "ALREADY_EXISTS",
        detail: "User with email 'a@b.c' already exists",
        requestId: "r-1"
      })
    })

    it("keeps client-facing details of 4xx errors", () => {
      const details = { reason: "insufficient_inventory" }
      const problem = Problem.fromError(Errors.businessRule("Cannot complete order", details))
      expect(problem.body).toMatchObject({ status: 422, code: "BUSINESS_RULE_VIOLATION", details })
    })

    it("lists field errors of ValidationFailed", () => {
      const problem = Problem.fromError(Errors.validationError("email", "Invalid email address", "email"))
      expect(problem.body.errors).toEqual([{ path: "email", message: "Invalid email address", type: "email" }])
      expect(problem.status).toBe(422)
    })

    it("turns a Schema ParseError into 422 with every field", () => {
      const schema = Schema.Struct({ a: Schema.Number, b: Schema.String })
      const result = Schema.decodeUnknownEither(schema, { errors: "all" })({})
      if (Either.isRight(result)) throw new Error("expected a failure")
      const problem = Problem.fromError(result.left)
      expect(problem.status).toBe(422)
      expect(problem.body.errors?.map((e) => `${e.path}:${e.type}`)).toEqual(["a:required", "b:required"])
      expect(problem.body.errors).toEqual(Validation.fromParseError(result.left).errors.map((e) => ({ ...e })))
    })

    it("turns HttpApiDecodeError into 422 field errors in core Validation's words", () => {
      // What is left of a decode error the server cannot reproduce: the platform's flat issues.
      const error = new HttpApiError.HttpApiDecodeError({
        issues: [
          { _tag: "Missing", path: ["name"], message: "is missing" },
          { _tag: "Type", path: ["items", 0, "qty"], message: "Expected number" },
          { _tag: "Unexpected", path: ["colour"], message: "is unexpected, expected: \"name\" | \"items\"" },
          { _tag: "Refinement", path: ["sku"], message: "Invalid SKU" }
        ],
        message: "bad"
      })
      const problem = Problem.fromError(error)
      expect(problem.status).toBe(422)
      expect(problem.body.errors).toEqual([
        { path: "name", message: "Required", type: "required" },
        { path: "items.0.qty", message: "Expected number", type: "type" },
        { path: "colour", message: "Unexpected field", type: "unexpected" },
        { path: "sku", message: "Invalid SKU", type: "invalid" }
      ])
    })

    it("lists every problem of a ParseError that stopped at the first", () => {
      const schema = Schema.Struct({ a: Schema.Number, b: Schema.String.pipe(Schema.minLength(2)) })
      const result = Schema.decodeUnknownEither(schema)({ a: "x", b: "" })
      if (Either.isRight(result)) throw new Error("expected a failure")
      expect(Problem.fromError(result.left).body.errors).toEqual([
        { path: "a", message: "Expected a number", type: "type" },
        { path: "b", message: "Expected a string at least 2 character(s) long", type: "length" }
      ])
    })

    it("hides the message of 5xx errors and flags a 500 as unexpected", () => {
      const db = Problem.fromError(new Errors.DatabaseError({ message: "password authentication failed for user app" }))
      expect(db.status).toBe(500)
      expect(db.unexpected).toBe(true)
      expect(db.body.detail).toBeUndefined()
      const unavailable = Problem.fromError(
        new Errors.Unavailable({ service: "payments", reason: "circuit-open", retryAfter: Duration.millis(1500) })
      )
      expect(unavailable.status).toBe(503)
      expect(unavailable.unexpected).toBe(false)
      expect(unavailable.headers).toEqual({ "retry-after": "2" })
    })

    it("adds Retry-After for RateLimited", () => {
      const problem = Problem.fromError(new Errors.RateLimited({ retryAfter: Duration.millis(200) }))
      expect(problem.status).toBe(429)
      expect(problem.headers).toEqual({ "retry-after": "1" })
    })

    it("maps the platform's request errors", () => {
      expect(Problem.fromError(new HttpServerError.RouteNotFound({ request })).body.code).toBe("ROUTE_NOT_FOUND")
      const cause = new Problem.PayloadTooLarge({ limit: 10 })
      const tooLarge = new HttpServerError.RequestError({ request, reason: "Decode", cause })
      expect(Problem.fromError(tooLarge).body).toMatchObject({
        status: 413,
        code: "PAYLOAD_TOO_LARGE",
        detail: "Request body exceeds 10 bytes"
      })
      const media = new HttpServerError.RequestError({
        request,
        reason: "Decode",
        cause: new Problem.UnsupportedMediaType({ contentType: "", expected: "application/json" })
      })
      expect(Problem.fromError(media).status).toBe(415)
      const decode = new HttpServerError.RequestError({ request, reason: "Decode" })
      expect(Problem.fromError(decode).body.code).toBe("MALFORMED_BODY")
      expect(Problem.fromError(new HttpServerError.RequestError({ request, reason: "Transport" })).status).toBe(400)
    })

    it("maps HttpApiError values and multipart errors", () => {
      expect(Problem.fromError(new HttpApiError.NotFound()).body).toMatchObject({ status: 404, code: "NOT_FOUND" })
      expect(Problem.fromError(new HttpApiError.Unauthorized()).body.code).toBe("UNAUTHENTICATED")
      expect(Problem.fromError(new HttpApiError.InternalServerError()).unexpected).toBe(true)
      expect(Problem.fromError(new Multipart.MultipartError({ reason: "FileTooLarge", cause: null })).status).toBe(413)
      expect(Problem.fromError(new Multipart.MultipartError({ reason: "Parse", cause: null })).status).toBe(400)
    })

    it("makes anything unknown a bare 500", () => {
      const problem = Problem.fromError(new Error("connection string postgres://u:p@h/db"))
      expect(problem.body).toEqual({
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        code: "INTERNAL_ERROR"
      })
      expect(problem.unexpected).toBe(true)
    })
  })

  describe("fromCause", () => {
    it("prefers a failure, maps a defect to 500 and interruption to 503", () => {
      expect(Problem.fromCause(Cause.fail(new Errors.Unauthenticated())).status).toBe(401)
      expect(Problem.fromCause(Cause.die("bug")).status).toBe(500)
      expect(Problem.fromCause(Cause.interrupt(FiberId.none)).status).toBe(503)
      // HttpApi reads bodies with `Effect.orDie`: body errors stay what they are.
      const cause = new Problem.PayloadTooLarge({ limit: 1 })
      const tooLarge = new HttpServerError.RequestError({ request, reason: "Decode", cause })
      expect(Problem.fromCause(Cause.die(tooLarge)).status).toBe(413)
    })
  })

  describe("respond", () => {
    it.effect("uses the request id of the RequestContext and does not report expected errors", () =>
      Effect.gen(function*() {
        const response = yield* Problem.respond(Cause.fail(new Errors.PermissionDenied())).pipe(
          RequestContext.withRequestContext({ requestId: "ctx-1" })
        )
        expect(response.status).toBe(403)
        expect(response.headers["content-type"]).toBe("application/problem+json")
        expect(body(response)).toMatchObject({ code: "PERMISSION_DENIED", requestId: "ctx-1" })
        expect(yield* TestErrorReporter.reports).toEqual([])
      }).pipe(Effect.provide(TestErrorReporter.layer)))

    it.effect("reports a defect with the request and answers with only the id", () =>
      Effect.gen(function*() {
        const response = yield* Problem.respond(Cause.die(new Error("boom"))).pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, request)
        )
        const problem = body(response) as Problem.Problem
        expect(Object.keys(problem).sort()).toEqual(["code", "requestId", "status", "title", "type"])
        const [report] = yield* TestErrorReporter.reports
        expect(report?.defect).toBe(true)
        expect(report?.context).toMatchObject({
          function: "http",
          requestId: problem.requestId,
          details: { method: "POST", path: "/things" }
        })
      }).pipe(Effect.provide(TestErrorReporter.layer)))

    it.effect("logs a 500 when there is no ErrorReporter", () =>
      Effect.gen(function*() {
        const response = yield* Problem.respond(Cause.fail("unknown"))
        expect(response.status).toBe(500)
        expect(yield* LogCapture.messages).toEqual(["Unhandled error in HTTP request"])
      }).pipe(Effect.provide(LogCapture.layer)))

    it.effect("passes responses and other Respondables through; a client abort is a bodiless 499", () =>
      Effect.gen(function*() {
        const teapot = HttpServerResponse.text("short and stout", { status: 418 })
        expect(yield* Problem.respond(Cause.fail(teapot))).toBe(teapot)
        const aborted = yield* Problem.respond(Cause.interrupt(HttpServerError.clientAbortFiberId))
        expect(aborted.status).toBe(499)
        expect(aborted.body._tag).toBe("Empty")
        const interrupted = yield* Problem.respond(Cause.interrupt(FiberId.none))
        expect(interrupted.status).toBe(503)
      }))

    it.effect("handleErrors never fails", () =>
      Effect.gen(function*() {
        const response = yield* Problem.handleErrors(Effect.fail(new Errors.NotFound({ resource: "A", id: "1" }))).pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, request)
        )
        expect(response.status).toBe(404)
        const timeout = new Errors.Timeout({ operation: "x", after: Duration.seconds(1) })
        expect(Problem.toResponse(Problem.fromError(timeout)).status).toBe(504)
      }))
  })
})
