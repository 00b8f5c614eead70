import { HttpServer } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { TestStrata } from "@strata/testing"
import { Effect, Layer } from "effect"
import { send, serve } from "./http-middleware/support.js"
import { apiLayer, app, custom } from "./http-middleware.js"

describe("the default stack", () => {
  it.scopedLive("around a router: request id, trace, security headers, problems", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const user = yield* send(url, "/users/42", { headers: { "x-request-id": "req-9" } })
      expect(JSON.parse(user.body)).toEqual({ id: 42, requestId: "req-9" })
      expect(user.headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-/)
      expect(user.headers["x-content-type-options"]).toBe("nosniff")
      expect(user.headers["cache-control"]).toBe("no-store")
      const gone = yield* send(url, "/gone")
      expect(gone.status).toBe(404)
      expect(gone.headers["strict-transport-security"]).toContain("max-age=")
      expect(JSON.parse(gone.body).requestId).toBe(gone.headers["x-request-id"])
      const preflight = yield* send(url, "/users/42", {
        method: "OPTIONS",
        headers: { origin: "https://app.example.com", "access-control-request-method": "GET" }
      })
      expect(preflight.headers["access-control-allow-origin"]).toBe("https://app.example.com")
    }))

  it.scopedLive("one by one: the correlation header and the custom CSP", () =>
    Effect.gen(function*() {
      const url = yield* serve(custom)
      const reply = yield* send(url, "/gone", { headers: { "x-correlation-id": "c-1" } })
      expect(reply.status).toBe(404)
      expect(reply.headers["x-correlation-id"]).toBe("c-1")
      expect(reply.headers["content-security-policy"]).toBe("default-src 'none'")
    }))

  it.effect("around an HttpApi app", () =>
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      if (server.address._tag !== "TcpAddress") return yield* Effect.dieMessage("expected TCP")
      const url = `http://127.0.0.1:${server.address.port}`
      const missing = yield* send(url, "/users/7")
      expect(missing.status).toBe(404)
      expect(missing.headers["content-type"]).toBe("application/problem+json")
      expect(missing.headers["x-frame-options"]).toBe("DENY")
      expect(JSON.parse(missing.body).requestId).toBe(missing.headers["x-request-id"])
      const invalid = yield* send(url, "/users/abc")
      expect(JSON.parse(invalid.body)).toMatchObject({ status: 422, errors: [{ path: "id" }] })
      const spec = yield* send(url, "/openapi.json")
      expect(spec.headers["x-content-type-options"]).toBe("nosniff")
      expect(Object.keys(JSON.parse(spec.body).paths["/users/{id}"].get.responses)).toContain("422")
    }).pipe(Effect.provide(apiLayer({ port: 0, host: "127.0.0.1" }).pipe(Layer.provideMerge(TestStrata.layer())))))
})
