import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Health } from "@strata/core"
import { Database } from "@strata/sql"
import { TestServers } from "@strata/testing"
import { ConfigProvider, Effect, Exit, Layer } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const withConfig = (entries: ReadonlyArray<readonly [string, string]>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries)))

const build = (entries: ReadonlyArray<readonly [string, string]>) =>
  Database.layerConfig.pipe(
    Layer.provideMerge(Health.layerWith({})),
    Layer.provide(withConfig(entries))
  )

const backendAndReady = Effect.gen(function*() {
  const db = yield* Database.Database
  const report = yield* Health.report("readiness")
  return { backend: db.backend, ready: report.checks.find((c) => c.name === "database")?.status }
})

describe("Database.layerConfig", () => {
  it.effect("uses PGlite in DATABASE_DATA_DIR when no DATABASE_URL is set, and the data survives a restart", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "strata-pglite-"))
      const config = [["database.dataDir", dir]] as const
      const first = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE kept (v text)`
        yield* sql`INSERT INTO kept VALUES ('still here')`
        return yield* backendAndReady
      }).pipe(Effect.provide(build(config)))
      expect(first).toEqual({ backend: "pglite", ready: "up" })
      const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT v FROM kept`).pipe(
        Effect.provide(build(config))
      )
      expect(rows).toEqual([{ v: "still here" }])
      Fs.rmSync(dir, { recursive: true, force: true })
    }), 180_000)

  it.effect("rejects invalid settings with a ConfigError", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Layer.build(build([["database.url", "postgres://x@127.0.0.1:1/x"], [
        "database.poolSize",
        "0"
      ]])).pipe(Effect.scoped))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        expect(exit.cause.error._tag).toBe("ConfigError")
      }
      const badDuration = yield* Effect.exit(Layer.build(build([["database.url", "postgres://x@127.0.0.1:1/x"], [
        "database.connectTimeout",
        "soon"
      ]])).pipe(Effect.scoped))
      expect(Exit.isFailure(badDuration)).toBe(true)
    }))
})

TestServers.describeWithPostgres("Database.layerConfig with DATABASE_URL", () => {
  it.scoped("uses Postgres with the configured pool and timeouts", () =>
    Effect.gen(function*() {
      const url = yield* TestServers.freshDatabase({ prefix: "dbconfig" })
      const result = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const timeout = yield* sql<{ readonly statement_timeout: string }>`SHOW statement_timeout`
        const stats = yield* Database.poolStats
        return { ...(yield* backendAndReady), timeout, stats }
      }).pipe(Effect.provide(build([
        ["database.url", url],
        ["database.poolSize", "3"],
        ["database.connectTimeout", "2000"],
        ["database.statementTimeout", "3 seconds"]
      ])))
      expect(result.backend).toBe("postgres")
      expect(result.ready).toBe("up")
      expect(result.timeout).toEqual([{ statement_timeout: "3s" }])
      expect(result.stats).toMatchObject({ _tag: "Some", value: { max: 3 } })
    }))
})
