import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Health } from "@strata/core"
import { Endpoints, Server } from "@strata/http"
import { TestStrata } from "@strata/testing"
import { Effect, Layer, Metric, Schema } from "effect"

const Api = HttpApi.make("Shop").add(
  HttpApiGroup.make("products").add(HttpApiEndpoint.get("list", "/products").addSuccess(Schema.Array(Schema.String)))
)

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/", HttpServerResponse.text("home")),
  HttpRouter.concat(Endpoints.router({ api: Api }))
)

const send = (path: string, init?: RequestInit) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.promise(async () => {
      const { port } = server.address as HttpServer.TcpAddress
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
      const bytes = new Uint8Array(await response.arrayBuffer())
      return { status: response.status, headers: response.headers, bytes, text: new TextDecoder().decode(bytes) }
    }))

const requests = Metric.counter("endpoints_test_requests_total", { description: "Requests seen by the test" })

describe("Endpoints", () => {
  it.layer(Server.layer(app, { port: 0, host: "127.0.0.1" }).pipe(Layer.provideMerge(TestStrata.layer())))(
    "in an HttpRouter app",
    (it) => {
      it.effect("health: live and ready are 200 with the JSON report", () =>
        Effect.gen(function*() {
          for (const path of ["/health/live", "/health/ready", "/health"]) {
            const reply = yield* send(path)
            expect(reply.status).toBe(200)
            expect(reply.headers.get("content-type")).toBe("application/json")
            expect(reply.headers.get("cache-control")).toBe("no-store")
            expect(JSON.parse(reply.text)).toMatchObject({ status: "healthy", checks: [] })
          }
        }))

      it.effect("health: a failing critical readiness check makes ready 503, live stays 200", () =>
        Effect.gen(function*() {
          yield* Health.register({ name: "db", check: Effect.fail("connection refused") })
          const ready = yield* send("/health/ready")
          expect(ready.status).toBe(503)
          expect(JSON.parse(ready.text)).toMatchObject({
            status: "unhealthy",
            checks: [{ name: "db", status: "down", error: "connection refused" }]
          })
          expect((yield* send("/health/live")).status).toBe(200)
        }).pipe(Effect.scoped))

      it.effect("metrics: Prometheus text with the process's metrics", () =>
        Effect.gen(function*() {
          yield* Metric.increment(requests)
          const reply = yield* send("/metrics")
          expect(reply.status).toBe(200)
          expect(reply.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8")
          expect(reply.text).toContain("# TYPE endpoints_test_requests_total counter")
          expect(reply.text).toMatch(/^endpoints_test_requests_total 1$/m)
        }))

      it.effect("openapi.json: the document of the API", () =>
        Effect.gen(function*() {
          const reply = yield* send("/openapi.json")
          expect(reply.status).toBe(200)
          const spec = JSON.parse(reply.text)
          expect(spec.openapi).toBe("3.1.0")
          expect(spec.info.title).toBe("Api")
          expect(Object.keys(spec.paths)).toEqual(["/products"])
        }))

      it.effect("docs: a page whose assets are all served locally, cached and revalidated", () =>
        Effect.gen(function*() {
          const page = yield* send("/docs")
          expect(page.status).toBe(200)
          expect(page.headers.get("content-type")).toBe("text/html")
          expect(page.text).not.toMatch(/https?:\/\//)
          const assets = Array.from(page.text.matchAll(/(?:href|src)="([^"]+)"/g), (match) => match[1]!)
          expect(assets).toEqual([
            "/docs/swagger-ui.css",
            "/docs/favicon-32x32.png",
            "/docs/favicon-16x16.png",
            "/docs/swagger-ui-bundle.js",
            "/docs/swagger-initializer.js"
          ])
          const types: Record<string, string> = {
            "/docs/swagger-ui.css": "text/css; charset=utf-8",
            "/docs/favicon-32x32.png": "image/png",
            "/docs/favicon-16x16.png": "image/png",
            "/docs/swagger-ui-bundle.js": "text/javascript; charset=utf-8",
            "/docs/swagger-initializer.js": "text/javascript; charset=utf-8"
          }
          for (const asset of assets) {
            const reply = yield* send(asset)
            expect(reply.status).toBe(200)
            expect(reply.headers.get("content-type")).toBe(types[asset])
            expect(reply.bytes.length).toBeGreaterThan(100)
          }
          expect((yield* send("/docs/swagger-initializer.js")).text).toContain("url: \"/openapi.json\"")
          const bundle = yield* send("/docs/swagger-ui-bundle.js")
          expect(bundle.text).toContain("SwaggerUIBundle")
          expect(bundle.headers.get("cache-control")).toBe("public, max-age=86400")
          const etag = bundle.headers.get("etag")!
          const again = yield* send("/docs/swagger-ui-bundle.js", { headers: { "if-none-match": etag } })
          expect(again.status).toBe(304)
          expect(again.bytes.length).toBe(0)
        }))

      it.effect("health: ready turns 503 once shutdown began, live stays 200", () =>
        Effect.gen(function*() {
          yield* Health.markShuttingDown
          const ready = yield* send("/health/ready")
          expect(ready.status).toBe(503)
          expect(JSON.parse(ready.text).checks).toEqual([expect.objectContaining({ name: "shutdown", status: "down" })])
          expect((yield* send("/health/live")).status).toBe(200)
        }))
    }
  )

  it.effect("router options switch endpoints off; openApi takes its paths", () =>
    Effect.gen(function*() {
      const only = HttpRouter.empty.pipe(
        HttpRouter.concat(Endpoints.router({ metrics: false })),
        HttpRouter.concat(Endpoints.openApi(Api, { path: "/spec.json", docsPath: "/api-docs" }))
      )
      const statuses = yield* Effect.all([
        send("/metrics"),
        send("/health/live"),
        send("/spec.json"),
        send("/api-docs"),
        send("/api-docs/swagger-initializer.js"),
        send("/openapi.json")
      ]).pipe(
        Effect.map((replies) => replies.map((reply) => reply.status)),
        Effect.provide(Server.layer(only, { port: 0, host: "127.0.0.1" }).pipe(Layer.provide(TestStrata.layer())))
      )
      expect(statuses).toEqual([404, 200, 200, 200, 200, 404])
    }))
})
