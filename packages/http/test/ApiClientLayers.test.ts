import { HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { CircuitBreaker, Errors } from "@strata/core"
import { ApiClient } from "@strata/http"
import { TestConfig } from "@strata/testing"
import { Context, Duration, Effect, Either, Exit, Layer } from "effect"
import type { Scope } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** A server answering `status` to everything, counting requests. */
interface CountingServer {
  readonly url: string
  readonly hits: () => number
}

const server = (status: number): Effect.Effect<CountingServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    let hits = 0
    const http = Http.createServer((req, res) => {
      hits++
      req.resume()
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify({ path: req.url }))
    })
    const url = yield* Effect.acquireRelease(
      Effect.async<string>((resume) => {
        http.listen(0, "127.0.0.1", () => {
          resume(Effect.succeed(`http://127.0.0.1:${(http.address() as AddressInfo).port}`))
        })
      }),
      () =>
        Effect.async<void>((resume) => {
          http.closeAllConnections()
          http.close(() => resume(Effect.void))
        })
    )
    return { url, hits: () => hits }
  })

// Builds a layer in the test's scope (the undici dispatcher with it).
const build = <I, S, E>(layer: Layer.Layer<I, E, never>, tag: Context.Tag<I, S>) =>
  Effect.map(Layer.build(layer), Context.get(tag))

describe("ApiClient tags and layers", () => {
  it("Tag: the same name is the same tag, and remembers the name", () => {
    const a = ApiClient.Tag("payments")
    expect(a.key).toBe(ApiClient.Tag("payments").key)
    expect(a.key).not.toBe(ApiClient.Tag("inventory").key)
    expect(a.clientName).toBe("payments")
  })

  it.scoped("layer(tag, options) names the client after the tag; errors carry the name", () =>
    Effect.gen(function*() {
      const srv = yield* server(500)
      const Payments = ApiClient.Tag("payments")
      const payments = yield* build(
        ApiClient.layer(Payments, { baseUrl: srv.url, retries: false }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        Payments
      )
      expect(payments.name).toBe("payments")
      const error = yield* Effect.flip(payments.get("/x"))
      expect(error).toMatchObject({ _tag: "ExternalServiceError", service: "payments", upstreamStatus: 500 })
    }))

  it.scoped("layer(options) provides the default tag; the name defaults to the host", () =>
    Effect.gen(function*() {
      const srv = yield* server(200)
      const client = yield* build(
        ApiClient.layer({ baseUrl: srv.url }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
        ApiClient.ApiClient
      )
      expect(client.name).toBe(new URL(srv.url).host)
      expect(yield* client.get("/hello")).toMatchObject({ status: 200, body: { path: "/hello" } })
    }))

  it.scoped("layerConfig reads <name>.baseUrl, timeout and retries (RETRIES=0 never retries)", () =>
    Effect.gen(function*() {
      const srv = yield* server(503)
      const Inventory = ApiClient.Tag("inventory")
      const layer = ApiClient.layerConfig(Inventory).pipe(
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.provide(TestConfig.layerEnv({ INVENTORY_BASE_URL: srv.url, INVENTORY_RETRIES: "0" }))
      )
      const inventory = yield* build(layer, Inventory)
      expect(inventory.baseUrl).toBe(srv.url)
      const error = yield* Effect.flip(inventory.get("/stock"))
      expect(error).toMatchObject({ service: "inventory", upstreamStatus: 503, retryable: true })
      expect(srv.hits()).toBe(1)
    }))

  it.effect("config: defaults, durations in several spellings, and clear errors", () =>
    Effect.gen(function*() {
      const read = (values: Record<string, string>) =>
        Effect.either(ApiClient.config("payments")).pipe(Effect.provide(TestConfig.layer({ payments: values })))
      const defaults = yield* read({ baseUrl: "https://payments.internal" })
      expect(defaults).toStrictEqual(
        Either.right({ baseUrl: "https://payments.internal", timeout: Duration.seconds(10), retries: 2 })
      )
      // A bare number is milliseconds, as everywhere in Strata (`ConfigValues`).
      for (const [text, millis] of [["5s", 5000], ["500ms", 500], ["3000", 3000], ["2 seconds", 2000]] as const) {
        const settings = yield* read({ baseUrl: "https://p.test", timeout: text })
        expect(Either.map(settings, (s) => Duration.toMillis(s.timeout))).toStrictEqual(Either.right(millis))
      }
      expect(Either.isLeft(yield* read({}))).toBe(true)
      expect(Either.isLeft(yield* read({ baseUrl: "not a url" }))).toBe(true)
      expect(Either.isLeft(yield* read({ baseUrl: "ftp://p.test" }))).toBe(true)
      expect(Either.isLeft(yield* read({ baseUrl: "https://p.test", timeout: "soon" }))).toBe(true)
      expect(Either.isLeft(yield* read({ baseUrl: "https://p.test", timeout: "0" }))).toBe(true)
      expect(Either.isLeft(yield* read({ baseUrl: "https://p.test", retries: "-1" }))).toBe(true)
    }))
})

describe("ApiClient circuit breaker and execute", () => {
  it.scoped("opens the circuit after repeated failures and fails fast with Unavailable", () =>
    Effect.gen(function*() {
      const srv = yield* server(503)
      const api = yield* Effect.flatMap(Layer.build(NodeHttpClient.layerUndici), (context) =>
        ApiClient.make({
          name: "fragile",
          baseUrl: srv.url,
          retries: false,
          circuitBreaker: { failureThreshold: 2, resetTimeout: "30 seconds" }
        }).pipe(Effect.provide(context)))
      yield* Effect.either(api.get("/a"))
      yield* Effect.either(api.get("/a"))
      const error = yield* Effect.flip(api.get("/a"))
      expect(error).toBeInstanceOf(Errors.Unavailable)
      expect(error).toMatchObject({ service: "fragile", reason: "circuit-open" })
      expect(srv.hits()).toBe(2)
    }))

  it.scoped("a shared breaker counts only retryable failures when made by the caller with isFailure", () =>
    Effect.gen(function*() {
      const srv = yield* server(404)
      const breaker = yield* CircuitBreaker.make({ name: "shared", failureThreshold: 1, isFailure: Errors.isRetryable })
      const api = yield* Effect.flatMap(Layer.build(NodeHttpClient.layerUndici), (context) =>
        ApiClient.make({ baseUrl: srv.url, circuitBreaker: breaker }).pipe(Effect.provide(context)))
      yield* Effect.either(api.get("/missing"))
      yield* Effect.either(api.get("/missing"))
      expect(yield* breaker.state).toBe("closed")
      expect(srv.hits()).toBe(2)
    }))

  it.scoped("execute sends a prepared request under the base URL and checks the status", () =>
    Effect.gen(function*() {
      const ok = yield* server(200)
      const failing = yield* server(500)
      const make = (url: string) =>
        Effect.flatMap(Layer.build(NodeHttpClient.layerUndici), (context) =>
          ApiClient.make({ name: "raw", baseUrl: url, retries: false }).pipe(Effect.provide(context)))
      const response = yield* Effect.flatMap(make(ok.url), (api) => api.execute(HttpClientRequest.get("/stream")))
      expect(response.status).toBe(200)
      expect(yield* response.json).toStrictEqual({ path: "/stream" })
      const api = yield* make(failing.url)
      const exit = yield* Effect.exit(api.execute(HttpClientRequest.get("/x")))
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
        _tag: "ExternalServiceError",
        upstreamStatus: 500
      })
    }))
})
