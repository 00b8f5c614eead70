import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Database, Migrations } from "@strata/sql"
import { LogCapture, TestConfig, TestServers } from "@strata/testing"
import { Context, Effect, Exit, Layer, Option, Redacted } from "effect"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const fixtures = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "fixtures", "migrations")

/** How a test gets more clients of the same database: real Postgres opens new pools, PGlite shares its one session. */
class Runners extends Context.Tag("test/Runners")<Runners, {
  readonly client: Option.Option<Layer.Layer<SqlClient.SqlClient, unknown>>
}>() {}

const sqlOf = (script: string) => Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(script))

const count = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM ${sql(table)}`.withoutTransform
  ).pipe(Effect.map((rows) => rows[0]?.n ?? -1))

const exists = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ readonly found: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS found`.withoutTransform
  ).pipe(Effect.map((rows) => rows[0]?.found === true))

const recorded = (table: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ readonly migration_id: number; readonly name: string }>`SELECT migration_id, name FROM ${
        sql(table)
      } ORDER BY migration_id`.withoutTransform
  ).pipe(Effect.map((rows) => rows.map((row) => `${row.migration_id}_${row.name}`)))

const suite = (backend: string, testLayer: Layer.Layer<SqlClient.SqlClient | Runners, unknown>) =>
  layer(testLayer, { timeout: "60 seconds" })(`Migrations on ${backend}`, (it) => {
    it.effect("applies a record in id order, records it, logs each, and applies nothing the second time", () =>
      Effect.gen(function*() {
        const loader = Migrations.fromRecord({
          "0002_fill": "INSERT INTO rec_items (label) VALUES ('a'); INSERT INTO rec_items (label) VALUES ('b')",
          "0001_create": sqlOf("CREATE TABLE rec_items (id serial PRIMARY KEY, label text NOT NULL)"),
          "0010_more": Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO rec_items (label) VALUES (${"c"})`)
        })
        const first = yield* Migrations.run(loader, { table: "rec_migrations" })
        expect(first).toEqual([{ id: 1, name: "create" }, { id: 2, name: "fill" }, { id: 10, name: "more" }])
        expect(yield* count("rec_items")).toBe(3)
        expect(yield* recorded("rec_migrations")).toEqual(["1_create", "2_fill", "10_more"])
        const messages = yield* LogCapture.messages
        expect(messages).toEqual(expect.arrayContaining([
          "Applied migration 1_create",
          "Applied migration 2_fill",
          "Applied migration 10_more"
        ]))
        const second = yield* Migrations.run(loader, { table: "rec_migrations" })
        expect(second).toEqual([])
        expect(yield* count("rec_items")).toBe(3)
      }).pipe(Effect.provide(LogCapture.layer)))

    it.effect("loads .sql scripts and default-exported Effects from a directory, ignoring other files", () =>
      Effect.gen(function*() {
        const applied = yield* Migrations.run(Migrations.fromDirectory(Path.join(fixtures, "directory")), {
          table: "dir_migrations"
        })
        expect(applied.map((m) => `${m.id}_${m.name}`)).toEqual(["1_create_books", "2_add_author", "3_empty"])
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ readonly title: string; readonly author: string | null }>`
          SELECT title, author FROM books ORDER BY title`
        expect(rows).toEqual([{ title: "Dune", author: "Frank Herbert" }, { title: "Emma", author: null }])
      }))

    it.effect("a failing migration rolls the whole run back and names itself; the fixed run applies all", () =>
      Effect.gen(function*() {
        const broken = Migrations.fromRecord({
          "0001_create": "CREATE TABLE fail_items (id int PRIMARY KEY)",
          "0002_broken": "INSERT INTO fail_items (id) VALUES (1); INSERT INTO fail_items (id) VALUES (1)",
          "0003_later": "CREATE TABLE fail_later (id int)"
        })
        const error = yield* Effect.flip(Migrations.run(broken, { table: "fail_migrations" }))
        expect(error._tag).toBe("MigrationError")
        expect(error.reason).toBe("failed")
        expect(error.migrationId).toBe(2)
        expect(error.migrationName).toBe("broken")
        expect(error.message).toMatch(/^Migration 2_broken failed: .*duplicate key/)
        expect(error.code).toBe("MIGRATION_FAILED")
        // transactional DDL: the table of 0001 is gone too, and nothing is recorded (not even the table)
        expect(yield* exists("fail_items")).toBe(false)
        expect(yield* exists("fail_later")).toBe(false)
        expect(yield* exists("fail_migrations")).toBe(false)

        const fixed = Migrations.fromRecord({
          "0001_create": "CREATE TABLE fail_items (id int PRIMARY KEY)",
          "0002_broken": "INSERT INTO fail_items (id) VALUES (1)",
          "0003_later": "CREATE TABLE fail_later (id int)"
        })
        expect((yield* Migrations.run(fixed, { table: "fail_migrations" })).length).toBe(3)
        expect(yield* count("fail_items")).toBe(1)
        expect(yield* recorded("fail_migrations")).toEqual(["1_create", "2_broken", "3_later"])
      }))

    it.effect("a defect inside a migration is a typed failure naming it", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Migrations.run(
          Migrations.fromRecord({ "0007_boom": Effect.die(new Error("boom")) }),
          { table: "defect_migrations" }
        ))
        expect(error.reason).toBe("failed")
        expect(error.migrationId).toBe(7)
        expect(error.message).toBe("Migration 7_boom failed: boom")
      }))

    it.effect("bad keys, missing directories, modules without a default Effect and duplicate ids fail to load", () =>
      Effect.gen(function*() {
        const badKey = yield* Effect.flip(Migrations.run(Migrations.fromRecord({ "create_users": "SELECT 1" })))
        expect(badKey.reason).toBe("import-error")
        expect(badKey.message).toContain("create_users")

        const missing = yield* Effect.flip(Migrations.run(Migrations.fromDirectory(Path.join(fixtures, "nope"))))
        expect(missing.reason).toBe("import-error")

        const noDefault = yield* Effect.flip(
          Migrations.run(Migrations.fromDirectory(Path.join(fixtures, "no-default")), { table: "nodefault_migrations" })
        )
        expect(noDefault.reason).toBe("import-error")
        expect(noDefault.message).toContain("1_no_default")
        expect(yield* exists("never_created")).toBe(false)

        const duplicates = yield* Effect.flip(Migrations.run(
          Migrations.fromRecord({ "0001_a": "SELECT 1", "001_b": "SELECT 2" }),
          { table: "dup_migrations" }
        ))
        expect(duplicates.reason).toBe("duplicates")

        const badTable = yield* Effect.flip(Migrations.run(Migrations.fromRecord({}), { table: "x; DROP TABLE y" }))
        expect(badTable.reason).toBe("bad-state")
      }))

    it.effect("a migration older than the latest applied one fails the run instead of being skipped", () =>
      Effect.gen(function*() {
        yield* Migrations.run(
          Migrations.fromRecord({ "0001_a": "CREATE TABLE ooo_a (id int)", "0003_c": "CREATE TABLE ooo_c (id int)" }),
          { table: "ooo_migrations" }
        )
        const error = yield* Effect.flip(Migrations.run(
          Migrations.fromRecord({
            "0001_a": "CREATE TABLE ooo_a (id int)",
            "0002_b": "CREATE TABLE ooo_b (id int)",
            "0003_c": "CREATE TABLE ooo_c (id int)"
          }),
          { table: "ooo_migrations" }
        ))
        expect(error.reason).toBe("out-of-order")
        expect(error.migrationName).toBe("b")
        expect(yield* exists("ooo_b")).toBe(false)
      }))

    it.effect("concurrent runners apply each migration exactly once", () =>
      Effect.gen(function*() {
        const { client } = yield* Runners
        const loader = Migrations.fromRecord({
          "0001_witness": "CREATE TABLE race_log (migration text NOT NULL); " +
            "SELECT pg_sleep(0.2); INSERT INTO race_log VALUES ('0001')",
          "0002_second": "INSERT INTO race_log VALUES ('0002')",
          "0003_third": Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO race_log VALUES (${"0003"})`)
        })
        const runner = (i: number) =>
          Option.match(client, {
            onNone: () => Migrations.run(loader, { table: "race_migrations" }),
            onSome: (own) => Effect.provide(Migrations.run(loader, { table: "race_migrations" }), own)
          }).pipe(Effect.map((applied) => [i, applied.length] as const))
        const results = yield* Effect.all([runner(1), runner(2), runner(3), runner(4)], { concurrency: "unbounded" })
        // one runner applied all three, the others found nothing to do
        expect(results.map(([, n]) => n).sort()).toEqual([0, 0, 0, 3])
        const sql = yield* SqlClient.SqlClient
        const log = yield* sql<{ readonly migration: string; readonly n: number }>`
          SELECT migration, count(*)::int AS n FROM race_log GROUP BY migration ORDER BY migration`
        expect(log).toEqual([{ migration: "0001", n: 1 }, { migration: "0002", n: 1 }, { migration: "0003", n: 1 }])
        expect(yield* recorded("race_migrations")).toEqual(["1_witness", "2_second", "3_third"])
      }))

    it.effect("layerConfig migrates unless DATABASE_MIGRATE is false", () =>
      Effect.gen(function*() {
        const loader = Migrations.fromRecord({ "0001_create": "CREATE TABLE cfg_items (id int)" })
        const build = (env: Record<string, string>) =>
          Layer.build(Migrations.layerConfig(loader, { table: "cfg_migrations" })).pipe(
            Effect.scoped,
            Effect.provide(TestConfig.layerEnv(env))
          )
        yield* build({ DATABASE_MIGRATE: "false" })
        expect(yield* exists("cfg_items")).toBe(false)
        expect(yield* exists("cfg_migrations")).toBe(false)
        const bad = yield* Effect.exit(build({ DATABASE_MIGRATE: "maybe" }))
        expect(Exit.isFailure(bad)).toBe(true)
        yield* build({})
        expect(yield* exists("cfg_items")).toBe(true)
      }))

    it.effect("layer fails to build with the MigrationError", () =>
      Effect.gen(function*() {
        const error = yield* Layer.build(
          Migrations.layer(Migrations.fromRecord({ "0001_bad": "SELEC nonsense" }), { table: "layer_migrations" })
        ).pipe(Effect.scoped, Effect.flip)
        expect(error.reason).toBe("failed")
        expect(error.migrationName).toBe("bad")
      }))
  })

describe("Migrations", () => {
  suite("PGlite", Layer.merge(Database.layerPglite(), Layer.succeed(Runners, { client: Option.none() })))
  TestServers.describeWithPostgres("PostgreSQL", () => {
    suite(
      "PostgreSQL",
      Layer.unwrapScoped(Effect.map(TestServers.freshDatabase({ prefix: "migrations" }), (url) => {
        const client = PgClient.layer({ url: Redacted.make(url), maxConnections: 4 })
        return Layer.merge(client, Layer.succeed(Runners, { client: Option.some(client) }))
      }))
    )
  })
})
