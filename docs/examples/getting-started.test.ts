import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Cache } from "@strata/cache"
import { Errors } from "@strata/core"
import { Server } from "@strata/http"
import { Database, Migrations } from "@strata/sql"
import { TestStrata } from "@strata/testing"
import { Effect, Layer } from "effect"
import { Api, migrations, Products, ProductsHttp, ProductsLive } from "./getting-started.js"

// The service on in-memory layers: PGlite instead of a Postgres server, the memory cache.
const ProductsInMemory = ProductsLive.pipe(
  Layer.provide(Migrations.layer(migrations)),
  Layer.provideMerge(Database.layerPglite()),
  Layer.provide(Cache.layerMemory()),
  Layer.provide(TestStrata.layer())
)

// The endpoint with a mock service: only what the test calls (anything else is a defect).
const ProductsMock = Layer.mock(Products, {
  byId: (id) =>
    id === 1 ? Effect.succeed({ id, name: "Tea", priceCents: 350 }) : Effect.fail(Errors.notFound("Product", id))
})

const ApiOnFreePort = Server.layerApi({ port: 0, host: "127.0.0.1" }).pipe(
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(ProductsHttp))),
  Layer.provide(ProductsMock),
  Layer.provide(TestStrata.layer())
)

const get = (path: string) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.promise(async () => {
      const { port } = server.address as HttpServer.TcpAddress
      const response = await fetch(`http://127.0.0.1:${port}${path}`)
      return { status: response.status, type: response.headers.get("content-type"), body: await response.json() }
    }))

describe("getting started", () => {
  it.layer(ProductsInMemory, { timeout: "90 seconds" })("the service on in-memory layers", (it) => {
    it.effect("reads a product once, then from the cache; a missing one is NotFound", () =>
      Effect.gen(function*() {
        const products = yield* Products
        expect(yield* products.byId(1)).toEqual({ id: 1, name: "Tea", priceCents: 350 })
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE products SET price_cents = 999 WHERE id = 1`
        expect((yield* products.byId(1)).priceCents).toBe(350) // cached for a minute
        const missing = yield* Effect.flip(products.byId(42))
        expect(missing).toBeInstanceOf(Errors.NotFound)
        expect(missing.message).toBe("Product '42' not found")
      }))
  })

  it.layer(ApiOnFreePort)("the endpoint with a mock service", (it) => {
    it.effect("answers JSON, and a problem+json 404 for a missing product", () =>
      Effect.gen(function*() {
        expect(yield* get("/products/1")).toMatchObject({ status: 200, body: { name: "Tea" } })
        const missing = yield* get("/products/2")
        expect(missing).toMatchObject({ status: 404, type: "application/problem+json", body: { code: "NOT_FOUND" } })
      }))
  })
})
