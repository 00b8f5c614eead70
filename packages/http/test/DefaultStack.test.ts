/**
 * The whole default stack as an application runs it: server and stack configured from
 * `http.*`, a real server on a free port, real requests — good ones and every kind of bad
 * input. Each bad request must get the right 4xx/5xx problem+json, with the security
 * headers, the request id and `no-store`.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { Endpoints, Http, Server } from "@strata/http"
import { TestStrata } from "@strata/testing"
import { Duration, Effect, Exit, Layer, Schema } from "effect"
import { gunzipSync } from "node:zlib"
import { config, expectProblem, json, send } from "./DefaultStackSupport.js"

const Note = Schema.Struct({ title: Schema.String.pipe(Schema.minLength(1)), tags: Schema.Array(Schema.String) })

const router = HttpRouter.empty.pipe(
  HttpRouter.post(
    "/notes",
    Effect.gen(function*() {
      const note = yield* HttpServerRequest.schemaBodyJson(Note)
      return yield* HttpServerResponse.json(note, { status: 201 })
    })
  ),
  HttpRouter.post(
    "/text",
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => request.text).pipe(
      Effect.map((text) => HttpServerResponse.text(`got ${text.length} characters`))
    )
  ),
  HttpRouter.get("/files/*", HttpServerResponse.text("a file")),
  HttpRouter.get("/report", HttpServerResponse.unsafeJson(Array.from({ length: 300 }, (_, i) => ({ line: i })))),
  HttpRouter.get("/slow", Effect.as(Effect.never, HttpServerResponse.empty())),
  HttpRouter.get("/bug", Effect.die(new Error("password=hunter2"))),
  HttpRouter.get("/limited", Effect.fail(new Errors.RateLimited({ retryAfter: Duration.seconds(7) }))),
  HttpRouter.concat(Endpoints.router())
)

const AppLive = Layer.unwrapEffect(Effect.map(Http.defaultsConfig, (stack) => Server.layerConfig(stack(router)))).pipe(
  Layer.provideMerge(TestStrata.layer(config))
)

describe("the default stack from configuration, on a real server", () => {
  it.layer(AppLive, { timeout: 30_000 })("an HttpRouter app", (it) => {
    it.effect("a good request: 201, echoed request id, trace, security headers", () =>
      Effect.gen(function*() {
        const note = JSON.stringify({ title: "Tea", tags: ["a"] })
        const reply = yield* send("/notes", json(note, { "x-request-id": "r-1" }))
        expect(reply.status).toBe(201)
        expect(reply.json()).toEqual({ title: "Tea", tags: ["a"] })
        expect(reply.headers["x-request-id"]).toBe("r-1")
        expect(reply.headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
        expect(reply.headers["x-content-type-options"]).toBe("nosniff")
        expect(reply.headers["cache-control"]).toBe("no-store")
        const report = yield* send("/report", { headers: { "accept-encoding": "gzip" } })
        expect(report.headers["content-encoding"]).toBe("gzip")
        expect(JSON.parse(gunzipSync(report.body).toString("utf8"))).toHaveLength(300)
      }))

    it.effect("bad bodies: malformed, polluting keys, wrong or missing type, invalid", () =>
      Effect.gen(function*() {
        expectProblem(yield* send("/notes", json("{\"title\": \"Tea\",")), 400, "MALFORMED_BODY")
        for (
          const body of [
            "{\"title\":\"Tea\",\"tags\":[],\"__proto__\":{\"admin\":true}}",
            "{\"title\":\"Tea\",\"tags\":[{\"constructor\":{\"prototype\":{}}}]}",
            "{\"title\":\"Tea\",\"tags\":[],\"\\u005f_proto__\":{}}"
          ]
        ) {
          expectProblem(yield* send("/notes", json(body)), 400, "SECURITY_VIOLATION")
        }
        const xml = yield* send("/notes", {
          method: "POST",
          headers: { "content-type": "application/xml" },
          body: "<a/>"
        })
        expect(expectProblem(xml, 415, "UNSUPPORTED_MEDIA_TYPE")["detail"]).toContain("application/xml")
        const untyped = yield* send("/notes", { method: "POST", headers: { "content-length": "2" }, body: "{}" })
        expectProblem(untyped, 415, "UNSUPPORTED_MEDIA_TYPE")
        const invalid = yield* send("/notes", json(JSON.stringify({ title: "", tags: "x" })))
        const body = expectProblem(invalid, 422, "VALIDATION_FAILED")
        expect((body["errors"] as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(["tags", "title"])
      }))

    it.effect("oversized bodies: declared (secure request) and chunked (the server) both 413 at HTTP_BODY_LIMIT", () =>
      Effect.gen(function*() {
        const big = JSON.stringify({ title: "x".repeat(20 * 1024), tags: [] })
        expectProblem(yield* send("/notes", json(big)), 413, "PAYLOAD_TOO_LARGE")
        const chunked = yield* send("/notes", { ...json(big, { "transfer-encoding": "chunked" }), chunked: true })
        expectProblem(chunked, 413, "PAYLOAD_TOO_LARGE")
        const fits = JSON.stringify({ title: "x".repeat(12 * 1024), tags: [] })
        expect((yield* send("/notes", json(fits))).status).toBe(201)
        expect((yield* send("/notes", { ...json(fits, { "transfer-encoding": "chunked" }), chunked: true })).status)
          .toBe(201)
      }))

    it.effect("HTTP_MEDIA_TYPES means the same to secure request and the server", () =>
      Effect.gen(function*() {
        const text = yield* send("/text", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" })
        expect(text.status).toBe(200)
        expect(text.body.toString()).toBe("got 5 characters")
        const csv = yield* send("/text", { method: "POST", headers: { "content-type": "text/csv" }, body: "a,b" })
        expect(csv.status).toBe(200)
        const binary = yield* send("/text", {
          method: "POST",
          headers: { "content-type": "application/octet-stream" },
          body: "x"
        })
        expectProblem(binary, 415, "UNSUPPORTED_MEDIA_TYPE")
      }))

    it.effect("bad requests: traversal, long URL, header flood, unknown route", () =>
      Effect.gen(function*() {
        expect((yield* send("/files/a.txt")).status).toBe(200)
        for (const path of ["/files/../../etc/passwd", "/files/%2e%2e/%2e%2e/etc", "/files/..%5c..%5cwin.ini"]) {
          expectProblem(yield* send(path), 400, "SECURITY_VIOLATION")
        }
        expectProblem(yield* send(`/files/${"a".repeat(1100)}`), 414, "URI_TOO_LONG")
        const flood: Record<string, string> = {}
        for (let i = 0; i < 150; i++) flood[`x-flood-${i}`] = "1"
        expectProblem(yield* send("/files/a.txt", { headers: flood }), 431, "REQUEST_HEADERS_TOO_LARGE")
        expectProblem(yield* send("/no/such/route"), 404, "ROUTE_NOT_FOUND")
      }))

    it.effect("junk request ids are replaced, not echoed", () =>
      Effect.gen(function*() {
        const reply = yield* send("/files/a.txt", { headers: { "x-request-id": "a b <script>" } })
        expect(reply.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
      }))

    it.effect("server-side failures: timeout 504, defect 500 without internals, rate limit 429", () =>
      Effect.gen(function*() {
        expectProblem(yield* send("/slow"), 504, "TIMEOUT")
        const bug = yield* send("/bug")
        const body = expectProblem(bug, 500, "INTERNAL_ERROR")
        expect(Object.keys(body).sort()).toEqual(["code", "requestId", "status", "title", "type"])
        expect(bug.body.toString()).not.toContain("hunter2")
        const limited = yield* send("/limited")
        expectProblem(limited, 429, "RATE_LIMITED")
        expect(limited.headers["retry-after"]).toBe("7")
      }))

    it.effect("CORS from HTTP_CORS_ORIGINS; health and metrics endpoints answer through the stack", () =>
      Effect.gen(function*() {
        const preflight = yield* send("/notes", {
          method: "OPTIONS",
          headers: { origin: "https://app.example.com", "access-control-request-method": "POST" }
        })
        expect(preflight.status).toBe(204)
        expect(preflight.headers["access-control-allow-origin"]).toBe("https://app.example.com")
        expect(preflight.headers["x-content-type-options"]).toBe("nosniff")
        const denied = yield* send("/files/a.txt", { headers: { origin: "https://evil.example" } })
        expect(denied.headers["access-control-allow-origin"]).toBeUndefined()
        expect((yield* send("/health/ready")).status).toBe(200)
        const metrics = yield* send("/metrics")
        expect(metrics.body.toString()).toContain("http_requests_total")
        expect(metrics.body.toString()).not.toContain("route=\"/metrics\"")
      }))
  })

  it.effect("a bad HTTP_* value stops start-up naming the key", () =>
    Effect.gen(function*() {
      for (const [http, key] of [[{ timeout: "bad" }, "timeout"], [{ maxHeaders: "lots" }, "maxHeaders"]] as const) {
        const exit = yield* Effect.exit(
          Layer.build(Layer.unwrapEffect(Effect.map(Http.defaultsConfig, (stack) => Server.layerConfig(stack(router)))))
            .pipe(Effect.provide(TestStrata.layer({ http: { ...config.http, ...http } })), Effect.scoped)
        )
        expect(Exit.isFailure(exit) && String(exit.cause)).toContain(key)
      }
    }))
})
