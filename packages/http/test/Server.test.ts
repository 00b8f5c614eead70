/**
 * The Strata server against real sockets: a server on a free port, real `fetch` / `node:http`
 * requests, good and bad input.
 */
import {
  HttpApiError,
  HttpApp,
  HttpMiddleware,
  HttpRouter,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors, RequestContext } from "@strata/core"
import { ClientIp, Problem, Server } from "@strata/http"
import { LogCapture, TestErrorReporter, TestStrata } from "@strata/testing"
import { Context, Deferred, Duration, Effect, Layer, Ref, Schema, Stream } from "effect"
import * as Http from "node:http"
import { fileURLToPath } from "node:url"

class User extends Schema.Class<User>("User")({
  name: Schema.String.pipe(Schema.minLength(2)),
  age: Schema.Number
}) {}

class Probes extends Effect.Service<Probes>()("test/Probes", {
  effect: Effect.gen(function*() {
    return {
      released: yield* Ref.make(0),
      interrupted: yield* Deferred.make<void>()
    }
  })
}) {}

// What the request-context middleware does: the id goes into `RequestContext` for the fiber.
const requestIds = HttpMiddleware.make((app) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.zipRight(RequestContext.annotate({ requestId: request.headers["x-request-id"] }), app))
)

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/hello", HttpServerResponse.text("hello")),
  HttpRouter.get("/users/:id", Effect.fail(new Errors.NotFound({ resource: "User", id: "42" }))),
  HttpRouter.post(
    "/users",
    Effect.flatMap(
      HttpServerRequest.schemaBodyJson(User, { errors: "all" }),
      (user) => HttpServerResponse.json({ created: user.name })
    )
  ),
  HttpRouter.post(
    "/echo",
    Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) => Effect.map(request.json, HttpServerResponse.unsafeJson)
    )
  ),
  HttpRouter.post(
    "/text",
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => Effect.map(request.text, HttpServerResponse.text))
  ),
  HttpRouter.get("/boom", Effect.die(new Error("secret: the db password is hunter2"))),
  HttpRouter.get("/limited", Effect.fail(new Errors.RateLimited({ retryAfter: Duration.seconds(30) }))),
  HttpRouter.get("/db", Effect.fail(new Errors.DatabaseError({ message: "connect ECONNREFUSED 10.0.0.5:5432" }))),
  HttpRouter.get("/forbidden", Effect.fail(new HttpApiError.Forbidden())),
  HttpRouter.get("/ip", Effect.map(ClientIp.current, (ip) => HttpServerResponse.text(ip))),
  HttpRouter.get(
    "/scoped",
    Effect.gen(function*() {
      const probes = yield* Probes
      yield* Effect.addFinalizer(() => Ref.update(probes.released, (n) => n + 1))
      return HttpServerResponse.text("scoped")
    })
  ),
  HttpRouter.get(
    "/stream",
    Effect.succeed(
      HttpServerResponse.stream(Stream.encodeText(Stream.make("a", "b", "c")), { contentType: "text/plain" })
    )
  ),
  HttpRouter.get("/file", HttpServerResponse.file(fileURLToPath(new URL("fixtures/hello.txt", import.meta.url)))),
  HttpRouter.get(
    "/form",
    Effect.sync(() => {
      const form = new FormData()
      form.append("a", "1")
      return HttpServerResponse.formData(form)
    })
  ),
  HttpRouter.get(
    "/cookie",
    HttpServerResponse.text("cookie").pipe(HttpServerResponse.setCookie("session", "abc", { httpOnly: true }))
  ),
  HttpRouter.get(
    "/pre",
    Effect.zipRight(
      HttpApp.appendPreResponseHandler((_request, response) =>
        Effect.succeed(HttpServerResponse.setHeader(response, "x-pre", "yes"))
      ),
      HttpServerResponse.text("pre")
    )
  ),
  HttpRouter.get(
    "/wait",
    Effect.flatMap(Probes, (probes) =>
      Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(probes.interrupted, void 0))))
  ),
  requestIds
)

const TestLive = Server.layer(app, { port: 0, host: "127.0.0.1" }).pipe(
  Layer.provideMerge(Probes.Default),
  Layer.provideMerge(TestStrata.layer())
)

interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: () => Record<string, unknown>
}

const baseUrl = Effect.map(HttpServer.HttpServer, (server) => {
  const address = server.address as HttpServer.TcpAddress
  return `http://127.0.0.1:${address.port}`
})

const send = (path: string, init?: RequestInit) =>
  Effect.flatMap(baseUrl, (url) =>
    Effect.promise(async (): Promise<Reply> => {
      const response = await fetch(url + path, init)
      const text = await response.text()
      return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }
    }))

const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  send(path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } })

const expectProblem = (reply: Reply, status: number, code: string) => {
  expect(reply.status).toBe(status)
  expect(reply.headers.get("content-type")).toBe("application/problem+json")
  const body = reply.json()
  expect(body).toMatchObject({ type: "about:blank", status, code })
  return body
}

describe("Server", () => {
  it.layer(TestLive)("over real HTTP", (it) => {
    it.effect("serves routes", () =>
      Effect.gen(function*() {
        const reply = yield* send("/hello")
        expect(reply.status).toBe(200)
        expect(reply.text).toBe("hello")
        expect(reply.headers.get("content-type")).toBe("text/plain")
        expect(reply.headers.get("x-powered-by")).toBeNull()
      }))

    it.effect("answers HEAD without a body, sets cookies, runs pre-response handlers, streams", () =>
      Effect.gen(function*() {
        const head = yield* send("/hello", { method: "HEAD" })
        expect(head.status).toBe(200)
        expect(head.text).toBe("")
        const cookie = yield* send("/cookie")
        expect(cookie.headers.get("set-cookie")).toBe("session=abc; HttpOnly")
        const pre = yield* send("/pre")
        expect(pre.headers.get("x-pre")).toBe("yes")
        const stream = yield* send("/stream")
        expect(stream.text).toBe("abc")
        const file = yield* send("/file")
        expect(file.text).toBe("hello from a file\n")
        expect(file.headers.get("content-type")).toBe("text/plain")
        const form = yield* send("/form")
        expect(form.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/)
        expect(form.text).toContain("name=\"a\"")
      }))

    it.effect("gives each request a scope that closes after the response", () =>
      Effect.gen(function*() {
        const probes = yield* Probes
        const before = yield* Ref.get(probes.released)
        const reply = yield* send("/scoped")
        expect(reply.text).toBe("scoped")
        // The scope closes right after the response is written; wait for it without sleeping.
        yield* Effect.repeat(Ref.get(probes.released), { until: (n) => n === before + 1 })
      }))

    it.effect("unknown route → 404 problem", () =>
      Effect.gen(function*() {
        const reply = yield* send("/nope", { headers: { "x-request-id": "req-404" } })
        const body = expectProblem(reply, 404, "ROUTE_NOT_FOUND")
        expect(body.title).toBe("Not Found")
        expect(body.requestId).toBe("req-404")
      }))

    it.effect("catalogue error → its status and code, with the message as detail", () =>
      Effect.gen(function*() {
        const reply = yield* send("/users/42", { headers: { "x-request-id": "req-1" } })
        expect(expectProblem(reply, 404, "NOT_FOUND")).toEqual({
          type: "about:blank",
          title: "Not Found",
          status: 404,
          code: "NOT_FOUND",
          detail: "User '42' not found",
          requestId: "req-1"
        })
      }))

    it.effect("schema decode failure of a body → 422 with field errors and the request id", () =>
      Effect.gen(function*() {
        const reply = yield* postJson("/users", JSON.stringify({ name: "x" }), { "x-request-id": "req-422" })
        const body = expectProblem(reply, 422, "VALIDATION_FAILED")
        expect(body.requestId).toBe("req-422")
        expect(body.errors).toEqual([
          { path: "name", message: expect.any(String), type: "length" },
          { path: "age", message: expect.any(String), type: "required" }
        ])
        const ok = yield* postJson("/users", JSON.stringify({ name: "Ada", age: 36 }))
        expect(ok.status).toBe(200)
        expect(ok.json()).toEqual({ created: "Ada" })
      }))

    it.effect("defect → 500 with only the request id, reported to the ErrorReporter", () =>
      Effect.gen(function*() {
        yield* TestErrorReporter.clear
        const reply = yield* send("/boom", { headers: { "x-request-id": "req-500" } })
        expect(expectProblem(reply, 500, "INTERNAL_ERROR")).toEqual({
          type: "about:blank",
          title: "Internal Server Error",
          status: 500,
          code: "INTERNAL_ERROR",
          requestId: "req-500"
        })
        expect(reply.text).not.toContain("hunter2")
        const reports = yield* TestErrorReporter.reports
        expect(reports).toHaveLength(1)
        expect(reports[0]!.defect).toBe(true)
        expect(reports[0]!.context).toMatchObject({ requestId: "req-500", details: { method: "GET", path: "/boom" } })
      }))

    it.effect("a 500 without a request id gets a generated one, the same in the body and the report", () =>
      Effect.gen(function*() {
        yield* TestErrorReporter.clear
        const reply = yield* send("/db")
        const body = expectProblem(reply, 500, "DATABASE_ERROR")
        expect(body.detail).toBeUndefined()
        expect(reply.text).not.toContain("10.0.0.5")
        expect(typeof body.requestId).toBe("string")
        const reports = yield* TestErrorReporter.reports
        expect(reports.map((r) => r.context.requestId)).toEqual([body.requestId])
      }))

    it.effect("RateLimited → 429 with Retry-After", () =>
      Effect.gen(function*() {
        const reply = yield* send("/limited")
        expectProblem(reply, 429, "RATE_LIMITED")
        expect(reply.headers.get("retry-after")).toBe("30")
      }))

    it.effect("@effect/platform HttpApiError values keep their status in a plain HttpRouter app", () =>
      Effect.gen(function*() {
        expectProblem(yield* send("/forbidden"), 403, "PERMISSION_DENIED")
      }))

    it.effect("a body over 1 MiB → 413, announced or chunked, and the connection is not reused", () =>
      Effect.gen(function*() {
        const big = "x".repeat(1024 * 1024 + 1)
        const announced = yield* postJson("/echo", JSON.stringify(big))
        expectProblem(announced, 413, "PAYLOAD_TOO_LARGE")
        expect(announced.headers.get("connection")).toBe("close")
        const encoder = new TextEncoder()
        const chunks = [encoder.encode("\"" + "y".repeat(700_000)), encoder.encode("y".repeat(700_000) + "\"")]
        const chunked = yield* send("/echo", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: new ReadableStream({
            start(controller) {
              for (const chunk of chunks) controller.enqueue(chunk)
              controller.close()
            }
          }),
          duplex: "half"
        } as RequestInit)
        expectProblem(chunked, 413, "PAYLOAD_TOO_LARGE")
        // Just under the limit is fine.
        const fits = yield* postJson("/echo", JSON.stringify("z".repeat(1024 * 1024 - 2)))
        expect(fits.status).toBe(200)
      }))

    it.effect("a wrong or missing content type → 415", () =>
      Effect.gen(function*() {
        const text = yield* send("/echo", { method: "POST", body: "{}", headers: { "content-type": "text/plain" } })
        expect(expectProblem(text, 415, "UNSUPPORTED_MEDIA_TYPE").detail).toContain("text/plain")
        const form = yield* send("/echo", {
          method: "POST",
          body: "a=1",
          headers: { "content-type": "application/x-www-form-urlencoded" }
        })
        expectProblem(form, 415, "UNSUPPORTED_MEDIA_TYPE")
        const none = yield* send("/echo", { method: "POST", body: new Uint8Array([123, 125]) })
        expectProblem(none, 415, "UNSUPPORTED_MEDIA_TYPE")
        // Outside the media-type allowlist for any body reader.
        const plain = yield* send("/text", { method: "POST", body: "hi", headers: { "content-type": "text/plain" } })
        expectProblem(plain, 415, "UNSUPPORTED_MEDIA_TYPE")
        const vendor = yield* send("/echo", {
          method: "POST",
          body: "{\"a\":1}",
          headers: { "content-type": "application/vnd.api+json; charset=utf-8" }
        })
        expect(vendor.json()).toEqual({ a: 1 })
      }))

    it.effect("JSON with __proto__ / constructor / prototype keys is rejected, escaped or nested", () =>
      Effect.gen(function*() {
        for (
          const body of [
            "{\"__proto__\":{\"admin\":true}}",
            "{\"a\":[{\"constructor\":{\"prototype\":{}}}]}",
            "{\"\\u005f_proto__\":{}}"
          ]
        ) {
          const reply = yield* postJson("/echo", body)
          expect(expectProblem(reply, 400, "SECURITY_VIOLATION").detail).toMatch(/not allowed/)
        }
        const harmless = yield* postJson("/echo", JSON.stringify({ text: "the constructor of a prototype" }))
        expect(harmless.status).toBe(200)
      }))

    it.effect("malformed JSON → 400", () =>
      Effect.gen(function*() {
        expectProblem(yield* postJson("/echo", "{\"a\":"), 400, "MALFORMED_BODY")
      }))

    it.effect("the client IP honours X-Forwarded-For from a trusted (loopback) proxy", () =>
      Effect.gen(function*() {
        expect((yield* send("/ip")).text).toBe("127.0.0.1")
        const forwarded = yield* send("/ip", { headers: { "x-forwarded-for": "198.51.100.9, 203.0.113.7" } })
        expect(forwarded.text).toBe("203.0.113.7")
      }))

    it.effect("a client that goes away interrupts its request", () =>
      Effect.gen(function*() {
        const probes = yield* Probes
        const url = yield* baseUrl
        yield* Effect.async<void>((resume) => {
          const request = Http.get(`${url}/wait`)
          request.on("error", () => resume(Effect.void))
          request.on("socket", (socket) => socket.on("connect", () => setImmediate(() => request.destroy())))
        })
        yield* Deferred.await(probes.interrupted)
      }))
  })

  it.layer(
    Server.layer(app, {
      port: 0,
      host: "127.0.0.1",
      trustedProxies: [],
      mediaTypes: ["text/*", "application/json"]
    }).pipe(
      Layer.provide(Probes.Default),
      Layer.provideMerge(TestStrata.layer())
    )
  )("with options", (it) => {
    it.effect("no trusted proxies: X-Forwarded-For is ignored", () =>
      Effect.gen(function*() {
        const reply = yield* send("/ip", { headers: { "x-forwarded-for": "203.0.113.7" } })
        expect(reply.text).toBe("127.0.0.1")
      }))

    it.effect("the media-type allowlist is configurable", () =>
      Effect.gen(function*() {
        const plain = yield* send("/text", { method: "POST", body: "hi", headers: { "content-type": "text/plain" } })
        expect(plain.text).toBe("hi")
        const json = yield* send("/echo", { method: "POST", body: "{}", headers: { "content-type": "text/plain" } })
        expectProblem(json, 415, "UNSUPPORTED_MEDIA_TYPE")
      }))
  })

  it.effect("Problem.handleErrors maps errors inside a middleware stack", () =>
    Effect.gen(function*() {
      const statuses: Array<number> = []
      const observe = HttpMiddleware.make((inner) =>
        Effect.tap(inner, (response) => Effect.sync(() => statuses.push(response.status))))
      const mapped = HttpRouter.empty.pipe(
        HttpRouter.get("/x", Effect.fail(new Errors.Unauthenticated())),
        Problem.handleErrors,
        observe
      )
      const reply = yield* send("/x").pipe(
        Effect.provide(Server.layer(mapped, { port: 0, host: "127.0.0.1" }).pipe(Layer.provide(TestStrata.layer())))
      )
      expectProblem(reply, 401, "UNAUTHENTICATED")
      expect(statuses).toEqual([401])
    }))

  it.effect("serves with HttpServer.serve and a serve middleware", () =>
    Effect.gen(function*() {
      const reply = yield* send("/hello")
      expect(reply.text).toBe("hello")
      expect(yield* LogCapture.messages).toContain("Sent HTTP response")
    }).pipe(
      Effect.provide(
        HttpServer.serve(app, HttpMiddleware.logger).pipe(
          Layer.provideMerge(Server.layerServer({ port: 0, host: "127.0.0.1" })),
          Layer.provide(Probes.Default),
          Layer.provideMerge(TestStrata.layer())
        )
      )
    ))

  it.effect("fails to start when the port is taken", () =>
    Effect.gen(function*() {
      const first = yield* Layer.build(Server.layerServer({ port: 0, host: "127.0.0.1" }))
      const port = Context.get(first, HttpServer.HttpServer).address as HttpServer.TcpAddress
      const error = yield* Layer.build(Server.layerServer({ port: port.port, host: "127.0.0.1" })).pipe(Effect.flip)
      expect(error._tag).toBe("ServeError")
    }).pipe(Effect.scoped))
})
