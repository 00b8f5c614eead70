/**
 * An `HttpApi` app on the Strata server, and the server's configuration.
 */
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiError, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors, Health, Lifecycle } from "@strata/core"
import { Endpoints, Server } from "@strata/http"
import { LogCapture, TestConfig, TestStrata } from "@strata/testing"
import { ConfigProvider, Duration, Effect, Exit, Layer, Schema } from "effect"
import { products } from "./ShopApi.js"

const Api = HttpApi.make("Shop").add(
  products
    .add(HttpApiEndpoint.get("gone", "/gone").addSuccess(Schema.String).addError(HttpApiError.Gone))
    .add(HttpApiEndpoint.get("crash", "/crash").addSuccess(Schema.String))
)

const ProductsLive = HttpApiBuilder.group(Api, "products", (handlers) =>
  handlers
    .handle("create", ({ payload }) => Effect.succeed(payload))
    .handle("get", ({ path }) => Effect.fail(new Errors.NotFound({ resource: "Product", id: String(path.id) })))
    .handle("gone", () => Effect.fail(new HttpApiError.Gone()))
    .handle("crash", () => Effect.die(new Error("stack trace with secrets"))))

const ApiLive = Server.layerApi({ port: 0, host: "127.0.0.1" }).pipe(
  Layer.provide(Endpoints.layer()),
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(ProductsLive))),
  Layer.provideMerge(TestStrata.layer())
)

const send = (path: string, init?: RequestInit) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.promise(async () => {
      const { port } = server.address as HttpServer.TcpAddress
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
      const text = await response.text()
      return { status: response.status, contentType: response.headers.get("content-type"), text }
    }))

const post = (path: string, body: string, contentType = "application/json") =>
  send(path, { method: "POST", body, headers: { "content-type": contentType } })

describe("Server.layerApi", () => {
  it.layer(ApiLive)("an HttpApi app", (it) => {
    it.effect("serves endpoints and encodes success", () =>
      Effect.gen(function*() {
        const reply = yield* post("/products", JSON.stringify({ name: "Tea", price: 3 }))
        expect(reply.status).toBe(201)
        expect(JSON.parse(reply.text)).toEqual({ name: "Tea", price: 3 })
      }))

    it.effect("payload decode failures are 422 problems with field errors", () =>
      Effect.gen(function*() {
        const reply = yield* post("/products", JSON.stringify({ name: "", price: -1 }))
        expect(reply.status).toBe(422)
        expect(reply.contentType).toBe("application/problem+json")
        const body = JSON.parse(reply.text)
        expect(body).toMatchObject({ code: "VALIDATION_FAILED", status: 422 })
        expect(body.errors).toEqual([
          { path: "name", message: "Expected a string at least 1 character(s) long", type: "length" },
          { path: "price", message: "Expected a positive number", type: "range" }
        ])
        const path = yield* send("/products/abc")
        expect(JSON.parse(path.text)).toMatchObject({ status: 422, errors: [{ path: "id" }] })
      }))

    it.effect("declared errors are problems too", () =>
      Effect.gen(function*() {
        const reply = yield* send("/products/7")
        expect(reply.status).toBe(404)
        expect(reply.contentType).toBe("application/problem+json")
        expect(JSON.parse(reply.text)).toMatchObject({ code: "NOT_FOUND", detail: "Product '7' not found" })
        expect(JSON.parse((yield* send("/gone")).text)).toMatchObject({ status: 410, code: "GONE" })
      }))

    it.effect("body errors: too large, wrong media type, polluting keys, malformed", () =>
      Effect.gen(function*() {
        const big = yield* post("/products", JSON.stringify({ name: "x".repeat(1024 * 1024), price: 1 }))
        expect(JSON.parse(big.text)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" })
        const text = yield* post("/products", "name=Tea", "text/plain")
        expect(JSON.parse(text.text)).toMatchObject({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" })
        const proto = yield* post("/products", "{\"name\":\"Tea\",\"price\":1,\"__proto__\":{\"x\":1}}")
        expect(JSON.parse(proto.text)).toMatchObject({ status: 400, code: "SECURITY_VIOLATION" })
        const malformed = yield* post("/products", "{")
        expect(JSON.parse(malformed.text)).toMatchObject({ status: 400, code: "MALFORMED_BODY" })
      }))

    it.effect("defects are a bare 500; unknown routes a 404 problem", () =>
      Effect.gen(function*() {
        const crash = yield* send("/crash")
        expect(crash.status).toBe(500)
        expect(crash.text).not.toContain("secrets")
        const missing = yield* send("/nothing-here")
        expect(JSON.parse(missing.text)).toMatchObject({ status: 404, code: "ROUTE_NOT_FOUND" })
      }))

    it.effect("Endpoints.layer adds health, metrics and the API's docs", () =>
      Effect.gen(function*() {
        expect((yield* send("/health/ready")).status).toBe(200)
        expect((yield* send("/metrics")).status).toBe(200)
        const spec = JSON.parse((yield* send("/openapi.json")).text)
        expect(Object.keys(spec.paths).sort()).toEqual(["/crash", "/gone", "/products", "/products/{id}"])
        expect((yield* send("/docs")).status).toBe(200)
      }))
  })
})

describe("Server configuration", () => {
  const app = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.text("ok")))
  const start = (values: TestConfig.Values) =>
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      return server.address as HttpServer.TcpAddress
    }).pipe(Effect.provide(Server.layerConfig(app).pipe(Layer.provideMerge(TestStrata.layer(values)))), Effect.scoped)

  it.effect("reads http.* and logs the address; the managed service is named http", () =>
    Effect.gen(function*() {
      const address = yield* Effect.gen(function*() {
        const server = yield* HttpServer.HttpServer
        const services = yield* Effect.flatMap(Lifecycle.Lifecycle, (lifecycle) => lifecycle.services)
        expect(services.map((s) => `${s.name}:${s.state}`)).toEqual(["http:running"])
        const messages = yield* LogCapture.messages
        const { port } = server.address as HttpServer.TcpAddress
        expect(messages).toContain(`HTTP server listening on http://127.0.0.1:${port}`)
        return server.address as HttpServer.TcpAddress
      }).pipe(
        Effect.provide(
          Server.layerConfig(app).pipe(
            Layer.provideMerge(TestStrata.layer({ http: { host: "127.0.0.1", port: 0, shutdownTimeout: "2s" } }))
          )
        ),
        Effect.scoped
      )
      expect(address.hostname).toBe("127.0.0.1")
    }))

  it.effect("falls back to PORT when HTTP_PORT is unset", () =>
    Effect.gen(function*() {
      const options = yield* Server.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PORT", "8080"], ["HTTP_BODY_LIMIT", "2mb"]]), {
          pathDelim: "_"
        }).pipe(ConfigProvider.constantCase))
      )
      expect(options.port).toBe(8080)
      expect(options.bodyLimit).toBe(2 * 1024 * 1024)
      const both = yield* Server.config.pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([["PORT", "8080"], ["HTTP_PORT", "9090"]]), { pathDelim: "_" }).pipe(
            ConfigProvider.constantCase
          )
        )
      )
      expect(both.port).toBe(9090)
    }))

  it.effect("parses durations, sizes and lists", () =>
    Effect.gen(function*() {
      const options = yield* Server.config.pipe(
        Effect.provide(
          TestConfig.layer({
            http: {
              shutdownTimeout: "1500ms",
              keepAliveTimeout: "70s",
              requestTimeout: "1 minute",
              bodyLimit: "none",
              trustedProxies: "10.0.0.0/8, loopback",
              mediaTypes: "application/json,text/*"
            }
          })
        )
      )
      expect(Duration.toMillis(Duration.decode(options.shutdownTimeout!))).toBe(1500)
      expect(Duration.toMillis(Duration.decode(options.keepAliveTimeout!))).toBe(70_000)
      expect(Duration.toMillis(Duration.decode(options.requestTimeout!))).toBe(60_000)
      expect(options.bodyLimit).toBe(Number.POSITIVE_INFINITY)
      expect(options.trustedProxies).toEqual(["10.0.0.0/8", "loopback"])
      expect(options.mediaTypes).toEqual(["application/json", "text/*"])
    }))

  it.effect("rejects bad values with the key in the error", () =>
    Effect.gen(function*() {
      for (
        const [values, key] of [
          [{ http: { port: "eighty" } }, "port"],
          [{ http: { bodyLimit: "huge" } }, "bodyLimit"],
          [{ http: { shutdownTimeout: "soon" } }, "shutdownTimeout"],
          [{ http: { trustedProxies: "proxy.internal" } }, "trustedProxies"]
        ] as const
      ) {
        const exit = yield* Effect.exit(start(values))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain(key)
      }
    }))

  it.effect("unbounded body limit and invalid programmatic options", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Layer.build(Server.layerServer({ trustedProxies: ["not an ip"] })).pipe(Effect.scoped)
      )
      expect(Exit.isFailure(exit) && String(exit.cause)).toContain("Invalid server options")
      expect(yield* Health.isShuttingDown.pipe(Effect.provide(Health.layer))).toBe(false)
    }))
})
