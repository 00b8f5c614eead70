import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Database, Migrations, Pagination } from "@strata/sql"
import { TestServers } from "@strata/testing"
import { Effect, Layer, Redacted, Schema } from "effect"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const people = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "fixtures", "migrations", "people")
const secret = Redacted.make("cursor-tests-secret-0123456789abcdef")

const Person = Schema.Struct({
  id: Schema.Number,
  username: Schema.String,
  createdAt: Schema.DateFromSelf,
  score: Schema.NullOr(Schema.Number),
  team: Schema.String
})

let built = 0
const base = {
  query: (sql: SqlClient.SqlClient, filters: { readonly active?: boolean }) => {
    built++
    return sql`SELECT id, username, created_at AS "createdAt", score, team FROM people WHERE ${
      filters.active === undefined ? sql`TRUE` : sql`active = ${filters.active}`
    }`
  },
  schema: Person,
  sortable: { createdAt: "createdAt", username: "username", score: "score", team: "team" },
  tiebreaker: "id"
} as const

const feed = Pagination.cursor({ name: "people", ...base })

const oracle = (orderBy: string, where = "TRUE") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe<{ readonly id: number }>(`SELECT id FROM people WHERE ${where} ORDER BY ${orderBy}`)).pipe(
      Effect.map((rows) => rows.map((row) => row.id))
    )

type Page = Pagination.CursorPage<{ readonly id: number }>
const ids = (page: Page) => page.items.map((item) => item.id)

/** Follows nextCursor from the first page to the last, then prevCursor back to the first. */
const walk = (request: Pagination.CursorRequest, filters: { readonly active?: boolean } = {}) =>
  Effect.gen(function*() {
    const forward: Array<Page> = [yield* feed(request, filters)]
    while (forward.at(-1)!.nextCursor !== null) {
      forward.push(yield* feed({ cursor: forward.at(-1)!.nextCursor!, limit: request.limit }, filters))
      if (forward.length > 30) throw new Error("no end")
    }
    const backward: Array<Page> = [forward.at(-1)!]
    while (backward.at(-1)!.prevCursor !== null) {
      backward.push(yield* feed({ cursor: backward.at(-1)!.prevCursor!, limit: request.limit }, filters))
      if (backward.length > 30) throw new Error("no start")
    }
    return { forward, backward: backward.reverse() }
  })

const suite = (backend: string, db: Layer.Layer<SqlClient.SqlClient, unknown>) =>
  layer(
    Layer.effectDiscard(Migrations.run(Migrations.fromDirectory(people))).pipe(
      Layer.provideMerge(Layer.merge(db, Pagination.layer({ cursorSecret: secret })))
    ),
    { timeout: "60 seconds" }
  )(`cursor pagination on ${backend}`, (it) => {
    const cases: ReadonlyArray<readonly [string, Pagination.Sort | undefined, string]> = [
      ["tiebreaker only", undefined, "id ASC"],
      ["duplicates (team)", "team", "team ASC, id ASC"],
      ["microsecond timestamps, descending", "-createdAt", "created_at DESC, id DESC"],
      ["NULLs ascending, mixed directions", "score,-createdAt", "score ASC NULLS LAST, created_at DESC, id DESC"],
      ["NULLs descending, mixed directions", "-score,team", "score DESC NULLS FIRST, team ASC, id ASC"]
    ]
    for (const [label, sort, orderBy] of cases) {
      it.effect(`walks forward and backward over every row exactly once: ${label}`, () =>
        Effect.gen(function*() {
          const expected = yield* oracle(orderBy)
          const { backward, forward } = yield* walk({ limit: 4, sort })
          expect(forward.flatMap(ids)).toEqual(expected)
          expect(forward.map((page) => page.items.length)).toEqual([4, 4, 4, 4, 4, 4, 1])
          expect(forward.map((page) => [page.hasPrev, page.hasNext])).toEqual([
            [false, true],
            [true, true],
            [true, true],
            [true, true],
            [true, true],
            [true, true],
            [true, false]
          ])
          // backwards from the last page: the same pages, the first one without a previous page
          expect(backward.map(ids)).toEqual(forward.map(ids))
          expect(backward[0]).toMatchObject({ hasPrev: false, prevCursor: null })
        }))
    }

    it.effect("filters in the base query; a page size that divides the rows ends without an empty page", () =>
      Effect.gen(function*() {
        const expected = yield* oracle("username DESC, id DESC", "active")
        const { forward } = yield* walk({ limit: 5, sort: "-username" }, { active: true })
        expect(forward.flatMap(ids)).toEqual(expected)
        expect(forward.map((page) => page.items.length)).toEqual([5, 5, 5, 5])
        expect(forward.at(-1)).toMatchObject({ hasNext: false, nextCursor: null })
      }))

    it.effect("a cursor carries its sort; no rows gives null cursors; transform shapes the items", () =>
      Effect.gen(function*() {
        const first = yield* feed({ limit: 3, sort: "-createdAt" }, {})
        const second = yield* feed({ cursor: first.nextCursor!, limit: 3 }, {})
        const expected = yield* oracle("created_at DESC, id DESC")
        expect(ids(second)).toEqual(expected.slice(3, 6))
        const nobody = Pagination.cursor({
          name: "nobody",
          ...base,
          query: (sql) => sql`SELECT * FROM people WHERE false`
        })
        const none = yield* nobody({ limit: 3 })
        expect(none).toEqual({ items: [], nextCursor: null, prevCursor: null, hasNext: false, hasPrev: false })
        const shaped = Pagination.cursor({ name: "shaped", ...base, transform: (p) => `${p.username}/${p.team}` })
        expect((yield* shaped({ limit: 2 }, {})).items).toEqual(["user01/blue", "user02/red"])
      }))

    it.effect("tampered, foreign, malformed or re-sorted cursors are InvalidCursor and run no query", () =>
      Effect.gen(function*() {
        const page = yield* feed({ limit: 3, sort: "team" }, {})
        const token = page.nextCursor!
        const [body, signature] = token.split(".") as [string, string]
        const payload = JSON.parse(Buffer.from(body, "base64url").toString())
        const forged = Buffer.from(JSON.stringify({ ...payload, k: ["zzz", "999"] })).toString("base64url")
        const otherKey = yield* Pagination.cursor({ name: "people", ...base })({ limit: 3, sort: "team" }, {}).pipe(
          Effect.provide(Pagination.layer({ cursorSecret: Redacted.make("another-secret-0123456789abcdef-xyz") }))
        )
        const other = yield* Pagination.cursor({ name: "other-query", ...base })({ limit: 3, sort: "team" }, {})
        const flipped = signature.slice(0, -2) + (signature.at(-2) === "A" ? "B" : "A") + signature.at(-1)
        const attempts: ReadonlyArray<readonly [string, Pagination.CursorRequest]> = [
          ["signature", { cursor: `${forged}.${signature}` }],
          ["signature", { cursor: `${body}.${flipped}` }],
          ["signature", { cursor: otherKey.nextCursor! }],
          ["malformed", { cursor: "not-a-cursor" }],
          ["malformed", { cursor: `${body}.${signature}.x` }],
          ["malformed", { cursor: `${"a".repeat(5000)}.${signature}` }],
          ["query", { cursor: other.nextCursor! }],
          ["sort", { cursor: token, sort: "-team" }]
        ]
        for (const [reason, request] of attempts) {
          built = 0
          const error = yield* Effect.flip(feed({ limit: 3, ...request }, {}))
          expect(error._tag, `${reason}: ${request.cursor?.slice(0, 20)}`).toBe("InvalidCursor")
          if (error._tag !== "InvalidCursor") continue
          expect(error.reason).toBe(reason)
          expect(error.status).toBe(400)
          expect(built).toBe(0)
        }
        // the same sort, spelled out, is fine
        expect((yield* feed({ cursor: token, sort: [{ field: "team", direction: "asc" }], limit: 3 }, {})).items)
          .toHaveLength(3)
      }))

    it.effect("limit bounds and sort fields are checked before anything runs", () =>
      Effect.gen(function*() {
        for (const limit of [0, -1, 101, 1.5]) {
          const error = yield* Effect.flip(feed({ limit }, {}))
          expect(error._tag).toBe("ValidationFailed")
        }
        const sorted = yield* Effect.flip(feed({ sort: "email" }, {}))
        expect(sorted._tag).toBe("InvalidSortField")
        const wide = Pagination.cursor({ name: "wide", ...base, maxPageSize: 500 })
        expect((yield* wide({ limit: 500 }, {})).items).toHaveLength(25)
      }))
  })

describe("Pagination.cursor", () => {
  suite("PGlite", Database.layerPglite())
  TestServers.describeWithPostgres("PostgreSQL", () => {
    suite(
      "PostgreSQL",
      Layer.unwrapScoped(Effect.map(
        TestServers.freshDatabase({ prefix: "cursor" }),
        (url) => PgClient.layer({ url: Redacted.make(url) })
      ))
    )
  })
})
