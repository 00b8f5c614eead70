import { SqlClient } from "@effect/sql"
import { describe, expect, it, type Vitest } from "@effect/vitest"
import { Errors, Health } from "@strata/core"
import { Database, PgliteClient, SqlErrors } from "@strata/sql"
import { TestServers } from "@strata/testing"
import { Effect, Layer, Metric, MetricState, Option, Redacted } from "effect"

const countOf = (state: MetricState.MetricState.Untyped): number =>
  MetricState.isCounterState(state) ? Number(state.count) : 0

const counter = (name: string, tags: Record<string, string>): Effect.Effect<number> =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs
      .filter((pair) =>
        pair.metricKey.name === name &&
        Object.entries(tags).every(([key, value]) =>
          pair.metricKey.tags.some((tag) => tag.key === key && tag.value === value)
        )
      )
      .reduce((sum, pair) => sum + countOf(pair.metricState), 0))

type Env = SqlClient.SqlClient | Database.Database | Health.Health

/** The same behaviour on every back end. */
const suite = (backend: "pglite" | "postgres") => (it: Vitest.MethodsNonLive<Env>) => {
  it.effect("creates, reads, updates and deletes rows, with sql.insert", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int NOT NULL DEFAULT 0)`
      const inserted = yield* sql<{ readonly id: number; readonly name: string }>`
        INSERT INTO items ${sql.insert([{ name: "a", qty: 1 }, { name: "b", qty: 2 }])} RETURNING id, name`
      expect(inserted.map((r) => r.name)).toEqual(["a", "b"])
      yield* sql`UPDATE items SET qty = qty + 10 WHERE name = ${"a"}`
      yield* sql`DELETE FROM items WHERE name = ${"b"}`
      const rows = yield* sql<{ readonly name: string; readonly qty: number }>`SELECT name, qty FROM items ORDER BY id`
      expect(rows).toEqual([{ name: "a", qty: 11 }])
      // bigint is a string on both back ends
      expect(yield* sql`SELECT count(*) AS n FROM items`).toEqual([{ n: "1" }])
    }))

  it.effect("runs multi-statement DDL without params", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe("CREATE TABLE ddl_a (id int); CREATE TABLE ddl_b (id int); INSERT INTO ddl_a VALUES (1)")
      expect(yield* sql`SELECT id FROM ddl_a`).toEqual([{ id: 1 }])
      expect(yield* sql`SELECT id FROM ddl_b`).toEqual([])
    }))

  it.effect("round-trips jsonb", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE json_docs (id serial PRIMARY KEY, body jsonb NOT NULL)`
      const body = { name: "ada", tags: ["x", "y"], nested: { n: 1, ok: true, none: null } }
      yield* sql`INSERT INTO json_docs ${sql.insert({ body: JSON.stringify(body) })}`
      const rows = yield* sql<{ readonly body: unknown }>`SELECT body FROM json_docs`
      expect(rows).toEqual([{ body }])
      const picked = yield* sql<{ readonly name: string }>`SELECT body->>'name' AS name FROM json_docs`
      expect(picked).toEqual([{ name: "ada" }])
    }))

  it.effect("commits a transaction, rolls back on failure, and rolls back a failed nested savepoint only", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE ledger (id int PRIMARY KEY)`
      yield* Database.withTransaction(sql`INSERT INTO ledger VALUES (1)`)
      const failed = yield* sql`INSERT INTO ledger VALUES (2)`.pipe(
        Effect.zipRight(Effect.fail("boom" as const)),
        sql.withTransaction,
        Effect.flip
      )
      expect(failed).toBe("boom")
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO ledger VALUES (3)`
        const inner = yield* sql`INSERT INTO ledger VALUES (4)`.pipe(
          Effect.zipRight(Effect.fail("inner" as const)),
          sql.withTransaction,
          Effect.flip
        )
        expect(inner).toBe("inner")
        yield* sql`INSERT INTO ledger VALUES (5)`
      }))
      const ids = yield* sql<{ readonly id: number }>`SELECT id FROM ledger ORDER BY id`
      expect(ids.map((r) => r.id)).toEqual([1, 3, 5])
    }))

  it.effect("maps constraint violations and other errors to the catalogue", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE users (
        id serial PRIMARY KEY, email text UNIQUE NOT NULL, age int CHECK (age >= 0))`
      yield* sql`CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id))`
      const mapped = Database.mapErrors({ resources: { users: "User", orders: "Order" } })
      yield* sql`INSERT INTO users ${sql.insert({ email: "ada@example.com", age: 36 })}`

      const duplicate = yield* sql`INSERT INTO users ${sql.insert({ email: "ada@example.com" })}`.pipe(
        mapped,
        Effect.flip
      )
      expect(duplicate).toBeInstanceOf(Errors.AlreadyExists)
      expect(duplicate).toMatchObject({ resource: "User", field: "email", identifier: "ada@example.com" })

      const missingParent = yield* sql`INSERT INTO orders ${sql.insert({ user_id: 999 })}`.pipe(mapped, Effect.flip)
      expect(missingParent).toBeInstanceOf(Errors.InvalidState)
      expect(missingParent.details).toMatchObject({ reason: "missing_reference", field: "user_id" })

      yield* sql`INSERT INTO orders (user_id) SELECT id FROM users`
      const stillReferenced = yield* sql`DELETE FROM users`.pipe(mapped, Effect.flip)
      expect(stillReferenced).toBeInstanceOf(Errors.InvalidState)
      expect(stillReferenced.details).toMatchObject({ reason: "still_referenced" })

      const notNull = yield* sql`INSERT INTO users (email) VALUES (NULL)`.pipe(mapped, Effect.flip)
      expect(notNull).toBeInstanceOf(Errors.ValidationFailed)
      expect((notNull as Errors.ValidationFailed).errors[0]).toMatchObject({ path: "email", type: "required" })

      const check = yield* sql`INSERT INTO users ${sql.insert({ email: "b@example.com", age: -1 })}`.pipe(
        mapped,
        Effect.flip
      )
      expect(check).toBeInstanceOf(Errors.ValidationFailed)
      expect((check as Errors.ValidationFailed).errors[0]).toMatchObject({ path: "age", type: "check" })

      const syntax = yield* sql`SELEC 1`.pipe(mapped, Effect.flip)
      expect(syntax).toBeInstanceOf(Errors.DatabaseError)
      expect(syntax).toMatchObject({ sqlState: "42601", retryable: false })
    }))

  it.effect("records query metrics by operation and failures by SQLSTATE", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE metered (id int PRIMARY KEY)`
      const inserts = yield* counter("db_queries_total", { operation: "insert" })
      const failures = yield* counter("db_query_errors_total", { operation: "insert", code: "23505" })
      yield* sql`INSERT INTO metered VALUES (1)`
      yield* Effect.flip(sql`INSERT INTO metered VALUES (1)`)
      expect(yield* counter("db_queries_total", { operation: "insert" })).toBe(inserts + 2)
      expect(yield* counter("db_query_errors_total", { operation: "insert", code: "23505" })).toBe(failures + 1)
    }))

  it.effect("pings and reports the database as ready", () =>
    Effect.gen(function*() {
      yield* Database.ping
      const report = yield* Health.report("readiness")
      const check = report.checks.find((c) => c.name === "database")
      expect(check).toMatchObject({ status: "up", details: { backend } })
      const stats = yield* Database.poolStats
      if (backend === "postgres") {
        expect(Option.getOrThrow(stats)).toMatchObject({ max: 10 })
      } else {
        expect(Option.isNone(stats)).toBe(true)
      }
    }))

  if (backend === "postgres") {
    // flaky() terminates its own backend (57P01) on the first call, and answers 42 afterwards.
    const setupFlaky = Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe(`
        CREATE SEQUENCE IF NOT EXISTS flaky_calls;
        CREATE TABLE IF NOT EXISTS flaky_out (v int);
        CREATE OR REPLACE FUNCTION flaky() RETURNS int LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('flaky_calls') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
          RETURN 42;
        END $$;`)
      yield* sql`SELECT setval('flaky_calls', 1, false)`
      return sql
    })
    const calls = (sql: SqlClient.SqlClient) =>
      Effect.map(sql<{ readonly n: string }>`SELECT last_value AS n FROM flaky_calls`, (rows) => Number(rows[0]!.n))

    it.effect("retries a SELECT once on a connection error, on a fresh connection", () =>
      Effect.gen(function*() {
        const sql = yield* setupFlaky
        expect(yield* sql`SELECT flaky() AS v`).toEqual([{ v: 42 }])
        expect(yield* calls(sql)).toBe(2)
      }))

    it.effect("does not retry writes; Database.retryReads retries a read the layer does not recognise", () =>
      Effect.gen(function*() {
        const sql = yield* setupFlaky
        const write = yield* sql`INSERT INTO flaky_out SELECT flaky()`.pipe(Database.mapErrors(), Effect.flip)
        expect(write).toBeInstanceOf(Errors.DatabaseError)
        expect(write).toMatchObject({ retryable: true, sqlState: "57P01" })
        expect(yield* calls(sql)).toBe(1)

        yield* sql`SELECT setval('flaky_calls', 1, false)`
        const cte = sql`WITH r AS (SELECT flaky() AS v) SELECT v FROM r`
        expect(yield* Effect.flip(cte)).toSatisfy(SqlErrors.isConnectionError)
        yield* sql`SELECT setval('flaky_calls', 1, false)`
        expect(yield* Database.retryReads(cte)).toEqual([{ v: 42 }])
      }))

    it.effect("applies the statement timeout", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ readonly statement_timeout: string }>`SHOW statement_timeout`
        expect(rows).toEqual([{ statement_timeout: "2s" }])
        const error = yield* sql`SELECT pg_sleep(5)`.pipe(Database.mapErrors(), Effect.flip)
        expect(error).toMatchObject({ _tag: "DatabaseError", sqlState: "57014", retryable: false })
      }))
  }
}

describe("Database.layerPglite", () => {
  it.layer(Layer.provideMerge(Database.layerPglite(), Health.layer), { timeout: "60 seconds" })(
    "in memory",
    suite("pglite")
  )

  it.effect("reports the database down once PGlite is closed, and the ping fails with a DatabaseError", () =>
    Effect.gen(function*() {
      const client = yield* PgliteClient.PgliteClient
      yield* Effect.promise(() => client.pglite.close())
      const report = yield* Health.report("readiness")
      expect(report.status).toBe("unhealthy")
      expect(report.checks.find((c) => c.name === "database")).toMatchObject({ status: "down" })
      const error = yield* Effect.flip(Database.ping)
      expect(error).toBeInstanceOf(Errors.DatabaseError)
      expect(error.retryable).toBe(true)
    }).pipe(Effect.provide(Layer.provideMerge(Database.layerPglite(), Health.layer))), 60_000)
})

TestServers.describeWithPostgres("Database.layerPg", () => {
  const layer = Layer.unwrapScoped(Effect.map(
    TestServers.freshDatabase({ prefix: "database" }),
    (url) => Database.layerPg({ url: Redacted.make(url), statementTimeout: "2 seconds" })
  )).pipe(Layer.provideMerge(Health.layerWith({}))) // its own Health: `Health.layer` is memoized across the file
  it.layer(layer, { timeout: "60 seconds" })("shared server", suite("postgres"))
})
