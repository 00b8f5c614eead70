/**
 * Examples for docs/migrations.md (compiled by `npm run typecheck`; run by
 * packages/sql/test/MigrationsDocs.test.ts).
 */
import { SqlClient } from "@effect/sql"
import { Database, Migrations } from "@strata/sql"
import { Context, Effect, Layer } from "effect"

// --- 1. Migrations from a record: SQL scripts or Effects, keyed <id>_<name> ---

export const migrations = Migrations.fromRecord({
  "0001_create_users": `
    CREATE TABLE users (
      id serial PRIMARY KEY,
      username text NOT NULL UNIQUE,
      email text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_lower_email_idx ON users (lower(email));`,
  "0002_seed_admin": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO users ${sql.insert({ username: "admin", email: "admin@example.com" })}`
  })
})

// --- 2. Or from a directory: 0001_create_users.sql, 0002_seed_admin.ts (default export: an Effect) ---

export const fromFiles = (directory: string): Migrations.Loader => Migrations.fromDirectory(directory)

// --- 3. At start-up: provide the migrations under the layers that need the schema ---

export class Users extends Context.Tag("app/Users")<Users, {
  readonly count: Effect.Effect<number, unknown>
}>() {}

export const UsersLive: Layer.Layer<Users, never, SqlClient.SqlClient> = Layer.effect(
  Users,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    count: Effect.map(sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM users`, (rows) => rows[0]?.n ?? 0)
  }))
)

// DATABASE_MIGRATE=false skips them (for deployments that migrate in a separate job).
export const MigrationsLive = Migrations.layerConfig(migrations)

export const AppLive = UsersLive.pipe(
  Layer.provide(MigrationsLive), //           Users is built after the migrations ran
  Layer.provideMerge(Database.layerPglite()) // or Database.layerConfig
)

// --- 4. Run them yourself (a migration job, a CLI), and handle the typed error ---

export const migrate = Migrations.run(migrations).pipe(
  Effect.tap((applied) => Effect.log(`${applied.length} migration(s) applied`)),
  Effect.catchTag("MigrationError", (error) =>
    // error.reason: "failed" | "import-error" | "duplicates" | "out-of-order" | "database" | ...
    // error.migrationId / error.migrationName: the migration that failed (the whole run rolled back)
    Effect.logError(`migration ${error.migrationName ?? "?"} failed`, error).pipe(Effect.zipRight(Effect.fail(error))))
)
