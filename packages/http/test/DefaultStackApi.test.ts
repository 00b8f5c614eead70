/**
 * The default stack around an `HttpApi` app, configured from `http.*`, on a real server: bad
 * input gets the same problems, headers and request ids as in an `HttpRouter` app. (A file of
 * its own: `Lifecycle.service` layers built by two `it.layer` blocks of one file share a memo
 * map, so the second block would reuse the first one's server.)
 */
import { HttpApi, HttpApiBuilder } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { Endpoints, Http, Problem, Server } from "@strata/http"
import { TestStrata } from "@strata/testing"
import { Effect, Layer, Schema } from "effect"
import { config, expectProblem, json, send } from "./DefaultStackSupport.js"
import { products } from "./ShopApi.js"

const Api = HttpApi.make("shop").add(products)

const ProductsLive = HttpApiBuilder.group(Api, "products", (handlers) =>
  handlers
    .handle("create", ({ payload }) => Effect.succeed(payload))
    .handle("get", ({ path }) => Effect.fail(Errors.notFound("Product", path.id))))

const ApiLive = Layer.unwrapEffect(Effect.map(Http.defaultsConfig, Server.layerApiConfigWith)).pipe(
  Layer.provide(Endpoints.layer()),
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(ProductsLive))),
  Layer.provideMerge(TestStrata.layer(config))
)

describe("the default stack around an HttpApi app", () => {
  it.layer(ApiLive, { timeout: 30_000 })("from configuration", (it) => {
    it.effect("bad input gets the same problems, headers and request ids", () =>
      Effect.gen(function*() {
        const created = yield* send("/products", json(JSON.stringify({ name: "Tea", price: 3 })))
        expect(created.status).toBe(201)
        expect(created.headers["x-frame-options"]).toBe("DENY")
        expectProblem(yield* send("/products", json("{")), 400, "MALFORMED_BODY")
        const polluting = json("{\"name\":\"a\",\"price\":1,\"__proto__\":{}}")
        expectProblem(yield* send("/products", polluting), 400, "SECURITY_VIOLATION")
        expectProblem(
          yield* send("/products", { method: "POST", headers: { "content-type": "application/xml" }, body: "<b/>" }),
          415,
          "UNSUPPORTED_MEDIA_TYPE"
        )
        const big = json(JSON.stringify({ name: "x".repeat(20_000), price: 1 }))
        expectProblem(yield* send("/products", big), 413, "PAYLOAD_TOO_LARGE")
        const invalid = expectProblem(
          yield* send("/products", json("{\"name\":\"\",\"price\":-1}")),
          422,
          "VALIDATION_FAILED"
        )
        Schema.decodeUnknownSync(Problem.schema)(invalid, { onExcessProperty: "error" })
        expectProblem(yield* send("/products/abc"), 422, "VALIDATION_FAILED")
        expectProblem(yield* send("/products/7"), 404, "NOT_FOUND")
        expectProblem(yield* send("/products/../../etc/passwd"), 400, "SECURITY_VIOLATION")
        const spec = yield* send("/openapi.json")
        expect(spec.status).toBe(200)
        expect(Object.keys(spec.json()["paths"] as object)).toEqual(["/products", "/products/{id}"])
      }))
  })
})
