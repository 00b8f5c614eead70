/**
 * Database migrations: numbered steps from a record or a directory, applied in order, each
 * recorded in a table, at start-up when configured.
 *
 * A run takes a Postgres advisory lock first (inside one transaction), so several replicas
 * starting at once apply each migration exactly once: the first one migrates, the others
 * wait and then find nothing to do. The run is one transaction: when a migration fails,
 * everything of that run rolls back (Postgres DDL is transactional) and the run fails with a
 * `MigrationError` naming the migration. The table is `@effect/sql`'s (`effect_sql_migrations`),
 * so `PgMigrator` and these functions can take turns on one database.
 *
 * @since 0.1.0
 */
import type * as Migrator from "@effect/sql/Migrator"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { MigrationError } from "./internal/migrationsError.js"
import * as loaders from "./internal/migrationsLoader.js"
import * as internal from "./internal/migrationsRun.js"

export {
  /** @since 0.1.0 */
  MigrationError
} from "./internal/migrationsError.js"

/**
 * Where migrations come from: an `@effect/sql` `Migrator` loader, so `Migrator.fromGlob`,
 * `Migrator.fromFileSystem` and friends work too.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * const loader: Migrations.Loader = Migrations.fromDirectory("./migrations")
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Loader<R = never> = Migrator.Loader<R>

/**
 * One migration: an Effect using the `SqlClient`, or a SQL script (several statements are fine).
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * const step: Migrations.Source = "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE)"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Source = Effect.Effect<unknown, unknown, SqlClient.SqlClient> | string

/**
 * A migration that a run applied.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * const applied: Migrations.Applied = { id: 1, name: "create_users" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Applied {
  readonly id: number
  readonly name: string
}

/**
 * Options of a run.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * const options: Migrations.RunOptions = { table: "app_migrations" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  /** The table that records applied migrations (default `effect_sql_migrations`; `schema.table` allowed). */
  readonly table?: string | undefined
  /** The advisory lock key (default: derived from the table name, so two tables never block each other). */
  readonly lockKey?: bigint | undefined
}

/**
 * Migrations from a record keyed `<id>_<name>` (`"0001_create_users"`); the id orders them.
 * A key of another shape fails the run (it would otherwise never run).
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const loader = Migrations.fromRecord({
 *   "0001_create_users": "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE)",
 *   "0002_add_name": Effect.flatMap(SqlClient.SqlClient, (sql) => sql`ALTER TABLE users ADD COLUMN name text`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRecord: (migrations: Readonly<Record<string, Source>>) => Loader = loaders.fromRecord

/**
 * Migrations from the files of a directory named `<id>_<name>.<ext>`: `.sql` scripts (run as
 * they are, several statements allowed) and `.js`/`.ts` modules whose default export is an
 * Effect. Other files are ignored. Files are read when the run needs them.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * // migrations/0001_create_users.sql, migrations/0002_seed_roles.js, ...
 * const loader = Migrations.fromDirectory(new URL("../migrations", import.meta.url).pathname)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDirectory: (directory: string) => Loader = loaders.fromDirectory

/**
 * Applies the migrations that are not applied yet, in id order, under a Postgres advisory
 * lock, in one transaction; logs each one applied and returns them. Migrations must be
 * transactional (no `CREATE INDEX CONCURRENTLY`).
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const migrate = Migrations.run(Migrations.fromDirectory("./migrations")).pipe(
 *   Effect.tap((applied) => Effect.log(`${applied.length} migrations applied`))
 * ) // Effect<ReadonlyArray<Applied>, MigrationError, SqlClient>
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const run: <R = never>(
  loader: Loader<R>,
  options?: RunOptions
) => Effect.Effect<ReadonlyArray<Applied>, MigrationError, SqlClient.SqlClient | R> = internal.run

/**
 * A layer that migrates when it is built: provide it under the layers that need the schema,
 * so they start after the migrations.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 * import { Layer } from "effect"
 *
 * const MigrationsLive = Migrations.layer(Migrations.fromDirectory("./migrations"))
 * // AppLayer.pipe(Layer.provide(MigrationsLive), Layer.provide(Database.layerConfig))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <R = never>(
  loader: Loader<R>,
  options?: RunOptions
): Layer.Layer<never, MigrationError, SqlClient.SqlClient | R> => Layer.effectDiscard(run(loader, options))

/**
 * Whether to migrate at start-up: `DATABASE_MIGRATE` (YAML `database.migrate`), default `true`.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const migrate = yield* Migrations.config
 *   yield* Effect.log(`migrate at start-up: ${migrate}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<boolean> = Config.boolean("migrate").pipe(
  Config.withDefault(true),
  Config.nested("database")
)

/**
 * {@link layer} when {@link config} (`DATABASE_MIGRATE`) is true, else a layer that only logs
 * that migrations were skipped (for deployments that migrate in a separate job).
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * const MigrationsLive = Migrations.layerConfig(Migrations.fromDirectory("./migrations"))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = <R = never>(
  loader: Loader<R>,
  options?: RunOptions
): Layer.Layer<never, MigrationError | ConfigError.ConfigError, SqlClient.SqlClient | R> =>
  Layer.effectDiscard(Effect.flatMap(config, (migrate) =>
    migrate
      ? run(loader, options)
      : Effect.logInfo("Migrations skipped (DATABASE_MIGRATE=false)")))
