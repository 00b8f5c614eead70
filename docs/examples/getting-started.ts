/**
 * Getting started: a service of your own with one endpoint, one cached query, and tests with
 * in-memory and mock layers (getting-started.test.ts). Compiled by `npm run typecheck`;
 * quoted in docs/getting-started.md.
 */
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Cache } from "@strata/cache"
import { Errors, Lifecycle, Strata } from "@strata/core"
import { Endpoints, Server } from "@strata/http"
import { Database, Migrations } from "@strata/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"

// --- 1. The data: a table, created by a numbered migration ---

export const migrations = Migrations.fromRecord({
  "0001_create_products": `
    CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL);
    INSERT INTO products (name, price_cents) VALUES ('Tea', 350), ('Coffee', 420);`
})

// --- 2. A service: a Context.Tag with an interface, and a layer that builds it ---

export const Product = Schema.Struct({ id: Schema.Number, name: Schema.String, priceCents: Schema.Number })
export type Product = typeof Product.Type

export class Products extends Context.Tag("app/Products")<Products, {
  readonly byId: (id: number) => Effect.Effect<Product, Errors.NotFound | Errors.DatabaseError>
}>() {}

export const ProductsLive: Layer.Layer<Products, never, SqlClient.SqlClient | Cache.Cache> = Layer.effect(
  Products,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cache = yield* Cache.Cache

    const find = (id: number) =>
      sql<Product>`SELECT id, name, price_cents AS "priceCents" FROM products WHERE id = ${id}`.pipe(
        Effect.mapError((cause) => new Errors.DatabaseError({ message: "Could not read products", cause })),
        Effect.flatMap((rows) => Option.match(Option.fromNullable(rows[0]), {
          onNone: () => Effect.fail(Errors.notFound("Product", id)), // → 404
          onSome: Effect.succeed
        }))
      )

    return {
      // The cached query: the first read loads from the database, the next ones (for a
      // minute) come from the cache; a NotFound is never cached.
      byId: (id) =>
        cache.getOrSet(Cache.key("product", String(id)), Product, find(id), { ttl: "1 minute" }).pipe(
          Effect.catchTag("CacheError", Effect.die) // only when a value does not encode: a bug
        )
    }
  })
)

// --- 3. One endpoint: GET /products/:id, declared with HttpApi (OpenAPI comes with it) ---

export const Api = HttpApi.make("shop")
  .add(
    HttpApiGroup.make("products").add(
      HttpApiEndpoint.get("byId", "/products/:id")
        .setPath(Schema.Struct({ id: Schema.NumberFromString }))
        .addSuccess(Product)
        .addError(Errors.NotFound)
    )
  )
  .addError(Errors.DatabaseError)

export const ProductsHttp = HttpApiBuilder.group(Api, "products", (handlers) =>
  Effect.map(Products, (products) => handlers.handle("byId", ({ path }) => products.byId(path.id))))

// --- 4. The application: the layer graph, read top to bottom ---

export const App = Server.layerApiDefaults.pipe( // HTTP on PORT (3000) behind the default stack, graceful shutdown
  Layer.provide(Endpoints.layer()), //                            /health/*, /metrics, /openapi.json, /docs
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(ProductsHttp))),
  Layer.provide(ProductsLive),
  Layer.provide(Migrations.layerConfig(migrations)), //          the schema, before anything uses it
  Layer.provideMerge(Lifecycle.service("cache", Cache.layerMemory())),
  Layer.provideMerge(Lifecycle.service("database", Database.layerConfig)) // DATABASE_URL, else PGlite
)

// main.ts: config, logging, health, lifecycle underneath; Ctrl-C stops everything in reverse order.
export const main = (): void => Strata.runMain(App)
