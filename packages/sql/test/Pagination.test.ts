import { describe, expect, it, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Database, Migrations, Pagination } from "@strata/sql"
import { LogCapture, TestConfig, TestServers } from "@strata/testing"
import { Effect, Either, Exit, Layer, Metric, Redacted, Schema } from "effect"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const people = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "fixtures", "migrations", "people")

const Person = Schema.Struct({
  id: Schema.Number,
  username: Schema.String,
  createdAt: Schema.DateFromSelf,
  score: Schema.NullOr(Schema.Number),
  team: Schema.String
})

interface Filters {
  readonly active?: boolean | undefined
  readonly search?: string | undefined
}

const like = (text: string) => `%${text}%`

const base = {
  query: (sql: SqlClient.SqlClient, filters: Filters) =>
    sql`SELECT id, username, created_at AS "createdAt", score, team FROM people WHERE ${
      sql.and([
        ...(filters.active === undefined ? [] : [sql`active = ${filters.active}`]),
        ...(filters.search === undefined ? [] : [sql`(username ILIKE ${like(filters.search)} OR email ILIKE ${like(filters.search)})`])
      ])
    }`,
  schema: Person,
  sortable: { createdAt: "createdAt", username: "username", score: "score", team: "team" },
  tiebreaker: "id"
} as const

const listPeople = Pagination.offset({ name: "people", ...base })

/** The expected order of ids, straight from the database. */
const oracle = (orderBy: string, where = "TRUE") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe<{ readonly id: number }>(`SELECT id FROM people WHERE ${where} ORDER BY ${orderBy}`)).pipe(
      Effect.map((rows) => rows.map((row) => row.id))
    )

const ids = (page: { readonly items: ReadonlyArray<{ readonly id: number }> }) => page.items.map((item) => item.id)

const recorded = (metric: string, kind: string, query: string, outcome: string) =>
  Effect.map(Metric.snapshot, (pairs) => {
    const pair = pairs.find(({ metricKey }) => {
      const tags = Object.fromEntries(metricKey.tags.map((tag) => [tag.key, tag.value]))
      return metricKey.name === metric && tags["kind"] === kind && tags["query"] === query &&
        tags["outcome"] === outcome
    })
    const state: unknown = pair?.metricState
    return typeof state === "object" && state !== null && "count" in state ? Number(state.count) : 0
  })

const suite = (backend: string, db: Layer.Layer<SqlClient.SqlClient, unknown>) =>
  layer(Layer.effectDiscard(Migrations.run(Migrations.fromDirectory(people))).pipe(Layer.provideMerge(db)), {
    timeout: "60 seconds"
  })(`offset pagination on ${backend}`, (it) => {
    it.effect("pages with totals, page count and neighbours; the tiebreaker orders equal values", () =>
      Effect.gen(function*() {
        const expected = yield* oracle("team ASC, id ASC")
        const first = yield* listPeople({ page: 1, pageSize: 10, sort: "team" }, {})
        expect(first).toMatchObject({ page: 1, pageSize: 10, total: 25, pages: 3, hasNext: true, hasPrev: false })
        expect(ids(first)).toEqual(expected.slice(0, 10))
        const last = yield* listPeople({ page: 3, pageSize: 10, sort: "team" }, {})
        expect(last).toMatchObject({ total: 25, pages: 3, hasNext: false, hasPrev: true })
        expect(ids(last)).toEqual(expected.slice(20))
        const beyond = yield* listPeople({ page: 9, pageSize: 10, sort: "team" }, {})
        expect(beyond).toMatchObject({ items: [], total: 25, pages: 3, hasNext: false, hasPrev: true })
        expect(first.items[0]?.createdAt).toBeInstanceOf(Date)
      }))

    it.effect("filters in the base query, the query-string sort with mixed directions and NULLs", () =>
      Effect.gen(function*() {
        const expected = yield* oracle("score DESC NULLS FIRST, username ASC, id DESC", "active")
        const pages = [
          yield* listPeople({ page: 1, pageSize: 8, sort: "-score,username" }, { active: true }),
          yield* listPeople({ page: 2, pageSize: 8, sort: "-score,username" }, { active: true }),
          yield* listPeople({ page: 3, pageSize: 8, sort: "-score,username" }, { active: true })
        ]
        expect(pages.map((page) => page.total)).toEqual([20, 20, 20])
        expect(pages.flatMap(ids)).toEqual(expected)
        const search = yield* listPeople({ sort: [{ field: "username", direction: "desc" }] }, { search: "user1" })
        // user1@example.com matches by email
        expect(ids(search)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 1])
        expect(search).toMatchObject({ total: 11, pageSize: 20, pages: 1 })
      }))

    it.effect("transform maps items; defaultSort applies without a sort; countQuery replaces the count", () =>
      Effect.gen(function*() {
        const counted: Array<Filters> = []
        const labels = Pagination.offset({
          name: "people-labels",
          ...base,
          defaultSort: "-createdAt",
          transform: (person) => ({ key: `p${person.id}`, label: person.username.toUpperCase() }),
          countQuery: (sql, filters) => {
            counted.push(filters)
            return sql`SELECT 1000`
          }
        })
        const expected = yield* oracle("created_at DESC, id DESC")
        const page = yield* labels({ page: 2, pageSize: 5 }, {})
        expect(page.items[0]).toEqual({ key: `p${expected[5]}`, label: `USER${String(expected[5]).padStart(2, "0")}` })
        expect(page.total).toBe(1000)
        expect(counted).toEqual([{}])
      }))

    it.effect("bounds: page, pageSize and maxPageSize are enforced, all problems at once", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(listPeople({ page: 0, pageSize: 101 }, {}))
        expect(error._tag).toBe("ValidationFailed")
        expect(error.status).toBe(422)
        if (error._tag !== "ValidationFailed") return
        expect(error.errors.map((e) => [e.path, e.type])).toEqual([["page", "range"], ["pageSize", "range"]])
        const fraction = yield* Effect.flip(listPeople({ pageSize: 2.5 }, {}))
        expect(fraction._tag).toBe("ValidationFailed")
        const small = Pagination.offset({ name: "small", ...base, maxPageSize: 5, defaultPageSize: 50 })
        expect((yield* small({}, {})).pageSize).toBe(5)
        expect((yield* Effect.flip(small({ pageSize: 6 }, {})))._tag).toBe("ValidationFailed")
      }))

    it.effect("sort fields outside the allowlist are InvalidSortField and never reach SQL", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(listPeople({ sort: "-email" }, {}))
        expect(error).toBeInstanceOf(Pagination.InvalidSortField)
        if (!(error instanceof Pagination.InvalidSortField)) return
        expect(error.field).toBe("email")
        expect(error.allowed).toEqual(["createdAt", "username", "score", "team"])
        expect(error.status).toBe(422)
        expect(error.code).toBe("INVALID_SORT_FIELD")
        for (const field of ["constructor", "__proto__", "toString", "id; DROP TABLE people", "created_at"]) {
          const rejected = yield* Effect.flip(listPeople({ sort: [{ field, direction: "asc" }] }, {}))
          expect(rejected._tag).toBe("InvalidSortField")
        }
        const direction = yield* Effect.flip(
          listPeople({ sort: [{ field: "username", direction: "asc; DROP TABLE people" as "asc" }] }, {})
        )
        expect(direction._tag).toBe("ValidationFailed")
        expect((yield* Effect.flip(listPeople({ sort: "username:sideways" }, {})))._tag).toBe("ValidationFailed")
        expect((yield* listPeople({}, {})).total).toBe(25)
      }))

    it.effect("rows that do not match the schema are a DatabaseError; SQL errors are mapped", () =>
      Effect.gen(function*() {
        const wrong = Pagination.offset({
          name: "wrong",
          query: (sql) => sql`SELECT id, username AS score FROM people`,
          schema: Schema.Struct({ id: Schema.Number, score: Schema.Number }),
          sortable: {},
          tiebreaker: "id"
        })
        const decode = yield* Effect.flip(wrong({}))
        expect(decode._tag).toBe("DatabaseError")
        expect(decode.message).toContain("do not match its schema")
        const broken = Pagination.offset({
          name: "broken",
          query: (sql) => sql`SELECT id FROM no_such_table`,
          schema: Schema.Struct({ id: Schema.Number }),
          sortable: {},
          tiebreaker: "id"
        })
        const missing = yield* Effect.flip(broken({}))
        expect(missing._tag).toBe("DatabaseError")
        if (missing._tag === "DatabaseError") expect(missing.sqlState).toBe("42P01")
      }))

    it.effect("records pagination_operations_total and pagination_duration_seconds by kind, query and outcome", () =>
      Effect.gen(function*() {
        const name = `metrics-${backend}`
        const counted = Pagination.offset({ name, ...base })
        yield* counted({ pageSize: 3 }, {})
        yield* counted({ pageSize: 3, page: 2 }, {})
        yield* Effect.flip(counted({ sort: "nope" }, {}))
        expect(yield* recorded("pagination_operations_total", "offset", name, "success")).toBe(2)
        expect(yield* recorded("pagination_operations_total", "offset", name, "failure")).toBe(1)
        expect(yield* recorded("pagination_duration_seconds", "offset", name, "success")).toBe(2)
        expect(yield* recorded("pagination_duration_seconds", "offset", name, "failure")).toBe(1)
      }))
  })

describe("Pagination", () => {
  suite("PGlite", Database.layerPglite())
  TestServers.describeWithPostgres("PostgreSQL", () => {
    suite(
      "PostgreSQL",
      Layer.unwrapScoped(Effect.map(
        TestServers.freshDatabase({ prefix: "pagination" }),
        (url) => PgClient.layer({ url: Redacted.make(url) })
      ))
    )
  })

  describe("parseSort", () => {
    it("reads -field, +field, field and field:direction", () => {
      expect(Pagination.parseSort("-createdAt, username,+team,score:DESC")).toEqual(Either.right([
        { field: "createdAt", direction: "desc" },
        { field: "username", direction: "asc" },
        { field: "team", direction: "asc" },
        { field: "score", direction: "desc" }
      ]))
      expect(Pagination.parseSort("")).toEqual(Either.right([]))
      expect(Pagination.parseSort(" , ")).toEqual(Either.right([]))
    })

    it("rejects empty names and unknown directions", () => {
      for (const input of ["-", "name:up", ":asc"]) {
        const result = Pagination.parseSort(input)
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) expect(result.left.errors[0]?.path).toBe("sort")
      }
    })
  })

  describe("cursor key layers", () => {
    const secret = "0123456789abcdef0123456789abcdef"

    it.effect("layer takes a secret of 32 bytes or more, else fails with a ConfigurationError", () =>
      Effect.gen(function*() {
        const key = yield* Effect.provide(
          Pagination.CursorKey,
          Pagination.layer({ cursorSecret: Redacted.make(secret) })
        )
        expect(Buffer.from(Redacted.value(key)).toString()).toBe(secret)
        const short = yield* Effect.flip(
          Effect.provide(Pagination.CursorKey, Pagination.layer({ cursorSecret: Redacted.make("short") }))
        )
        expect(short._tag).toBe("ConfigurationError")
        expect(short.message).toContain("PAGINATION_CURSOR_SECRET")
      }))

    it.effect("layerConfig reads PAGINATION_CURSOR_SECRET; without it, a random key and a warning", () =>
      Effect.gen(function*() {
        const configured = yield* Effect.provide(
          Pagination.CursorKey,
          Pagination.layerConfig.pipe(Layer.provide(TestConfig.layerEnv({ PAGINATION_CURSOR_SECRET: secret })))
        )
        expect(Buffer.from(Redacted.value(configured)).toString()).toBe(secret)
        const short = yield* Effect.exit(Effect.provide(
          Pagination.CursorKey,
          Pagination.layerConfig.pipe(Layer.provide(TestConfig.layerEnv({ PAGINATION_CURSOR_SECRET: "short" })))
        ))
        expect(Exit.isFailure(short)).toBe(true)
        const random = yield* Effect.provide(
          Pagination.CursorKey,
          Pagination.layerConfig.pipe(Layer.provide(TestConfig.layerEnv({})))
        )
        expect(Redacted.value(random).length).toBe(32)
        const warnings = yield* LogCapture.entries
        expect(warnings.some((e) => e.level === "warn" && e.message.includes("PAGINATION_CURSOR_SECRET"))).toBe(true)
      }).pipe(Effect.provide(LogCapture.layer)))
  })
})
