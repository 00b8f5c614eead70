import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { PgliteClient } from "@strata/sql"
import { Deferred, Effect, Exit, Fiber, Option, Stream } from "effect"

describe("PgliteClient", () => {
  it.layer(PgliteClient.layer(), { timeout: "60 seconds" })("in memory", (it) => {
    it.effect("runs multi-statement SQL without params (simple protocol) and returns one row set per statement", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const results = yield* sql.unsafe<{ readonly a: number }>("SELECT 1 AS a; SELECT 2 AS a")
        expect(results).toEqual([[{ a: 1 }], [{ a: 2 }]])
        yield* sql`CREATE TABLE multi_a (id int); CREATE TABLE multi_b (id int)`
        const tables = yield* sql<{ readonly n: string }>`
          SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('multi_a', 'multi_b')`
        // int8 comes back as a string, as with node-postgres
        expect(tables).toEqual([{ n: "2" }])
      }))

    it.effect("executes values, raw and streams", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const values = yield* sql`SELECT ${1}::int AS a, ${"x"}::text AS b`.values
        expect(values).toEqual([[1, "x"]])
        const rows = yield* sql<{ readonly n: number }>`SELECT generate_series(1, ${3}) AS n`.stream.pipe(
          Stream.runCollect
        )
        expect(Array.from(rows).map((r) => r.n)).toEqual([1, 2, 3])
        const raw = yield* sql`SELECT 1 AS one`.raw
        expect(raw).toMatchObject({ rows: [{ one: 1 }], command: "SELECT" })
      }))

    it.effect("round-trips jsonb through the json helper and plain objects", () =>
      Effect.gen(function*() {
        const sql = yield* PgliteClient.PgliteClient
        yield* sql`CREATE TABLE docs (id serial PRIMARY KEY, body jsonb NOT NULL)`
        yield* sql`INSERT INTO docs ${sql.insert({ body: sql.json({ a: [1, 2], b: { c: "d" } }) })}`
        yield* sql`INSERT INTO docs (body) VALUES (${{ plain: true }})`
        const rows = yield* sql<{ readonly body: unknown }>`SELECT body FROM docs ORDER BY id`
        expect(rows.map((r) => r.body)).toEqual([{ a: [1, 2], b: { c: "d" } }, { plain: true }])
      }))

    it.effect("serializes the session: a statement waits for an open transaction and never sees its rows", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE iso (id int)`
        const inside = yield* Deferred.make<void>()
        const finish = yield* Deferred.make<void>()
        const tx = yield* sql.withTransaction(Effect.gen(function*() {
          yield* sql`INSERT INTO iso VALUES (1)`
          yield* Deferred.succeed(inside, undefined)
          yield* Deferred.await(finish)
          return yield* Effect.fail("roll back" as const)
        })).pipe(Effect.fork)
        yield* Deferred.await(inside)
        const reader = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM iso`.pipe(Effect.fork)
        for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
        expect(Option.isNone(yield* Fiber.poll(reader))).toBe(true)
        yield* Deferred.succeed(finish, undefined)
        const txExit = yield* Fiber.await(tx)
        expect(Exit.isFailure(txExit)).toBe(true)
        // had it run inside the transaction's session it would have counted 1
        expect(yield* Fiber.join(reader)).toEqual([{ n: 0 }])
      }))
  })
})
