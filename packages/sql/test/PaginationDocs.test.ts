import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Database, Migrations, Pagination } from "@strata/sql"
import { Effect, Layer, Redacted } from "effect"
import { migrations } from "../../../docs/examples/migrations.js"
import { badRequests, createUser, offsetEndpoint, renameUser, walkFeed } from "../../../docs/examples/pagination.js"

const seed = Effect.gen(function*() {
  yield* Migrations.run(migrations)
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO users ${
    sql.insert([
      { username: "ada", email: "ada@example.com", active: true },
      { username: "grace", email: "grace@example.com", active: true },
      { username: "linus", email: "linus@example.com", active: false },
      { username: "margaret", email: "margaret@example.com", active: true },
      { username: "barbara", email: "barbara@example.com", active: true }
    ])
  }`
})

const TestLive = Layer.effectDiscard(seed).pipe(
  Layer.provideMerge(Layer.merge(
    Database.layerPglite(),
    Pagination.layer({ cursorSecret: Redacted.make("docs-example-secret-0123456789abcdef") })
  ))
)

describe("docs/examples/pagination.ts", () => {
  layer(TestLive, { timeout: "60 seconds" })((it) => {
    it.effect("the offset endpoint answers what the page says", () =>
      Effect.gen(function*() {
        const page = yield* offsetEndpoint({ page: "2", pageSize: "2", sort: "username" })
        expect(page).toMatchObject({ page: 2, pageSize: 2, total: 5, pages: 3, hasNext: true, hasPrev: true })
        expect(page.items.map((user) => user.username)).toEqual(["barbara", "grace"])
      }))

    it.effect("the feed walks forward and back", () =>
      Effect.gen(function*() {
        const { back, first, second } = yield* walkFeed
        expect(first).toMatchObject({
          items: [{ id: "2", handle: "@ada" }, { id: "1", handle: "@admin" }],
          prevCursor: null,
          hasNext: true,
          hasPrev: false
        })
        expect(second.items.map((user) => user.handle)).toEqual(["@barbara", "@grace"])
        expect(back.items).toEqual(first.items)
      }))

    it.effect("bad requests are typed errors", () =>
      Effect.gen(function*() {
        expect(yield* badRequests).toEqual(["InvalidSortField", "InvalidCursor", "ValidationFailed"])
      }))

    it.effect("createUser and renameUser answer with field errors", () =>
      Effect.gen(function*() {
        const taken = yield* Effect.flip(createUser("admin", "ADA@example.com"))
        expect(taken.message).toBe(
          "Validation failed: username: Username 'admin' is already taken; " +
            "email: Email 'ADA@example.com' is already registered"
        )
        yield* createUser("alan", "alan@example.com")
        yield* renameUser(1, "admin")
        expect((yield* Effect.flip(renameUser(1, "alan")))._tag).toBe("ValidationFailed")
      }))
  })
})
