/**
 * Database layers. Each provides `SqlClient.SqlClient` from `@effect/sql` with Postgres
 * statement compilation, plus the `Database` service (ping, pool statistics), query metrics,
 * spans and a readiness check "database" (when a `Health` service is provided):
 *
 * - `layerPg` — a Postgres server through node-postgres, with a bounded acquire wait,
 *   logged and counted pool errors, and reads retried once on connection errors.
 * - `layerPglite` — embedded PGlite, in memory or in a data directory.
 * - `layerConfig` — `layerPg` when `DATABASE_URL` (or `DATABASE_HOST`) is set, else PGlite.
 *
 * Errors stay `SqlError` on the `SqlClient`; `Database.mapErrors` (= `SqlErrors.mapError`)
 * turns them into `AlreadyExists`, `InvalidState`, `ValidationFailed` or `DatabaseError`.
 *
 * @since 0.1.0
 */
import * as Client from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Errors from "@strata/core/Errors"
import type * as Health from "@strata/core/Health"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as PgliteClient from "./PgliteClient.js"
import * as SqlErrors from "./SqlErrors.js"
import * as dbConfig from "./internal/dbConfig.js"
import * as dbPg from "./internal/dbPg.js"
import * as dbPglite from "./internal/dbPglite.js"
import * as dbService from "./internal/dbService.js"

/**
 * The database the layers built: which back end, a `SELECT 1` ping (with a timeout) and the
 * connection pool's statistics (Postgres only).
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const db = yield* Database.Database
 *   yield* db.ping
 *   const stats = yield* db.poolStats
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export const Database: typeof dbService.Database = dbService.Database

/**
 * @since 0.1.0
 * @category tags
 */
export type Database = dbService.Database

/**
 * @since 0.1.0
 */
export declare namespace Database {
  /**
   * @since 0.1.0
   * @category models
   */
  export type Service = dbService.Service
}

/**
 * Connection pool statistics: open connections, idle ones, callers waiting for one, and the
 * pool size.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 *
 * const saturated = (stats: Database.PoolStats) => stats.idle === 0 && stats.waiting > 0
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type PoolStats = dbService.PoolStats

/**
 * The readiness check a layer registers when `Health` is provided: its name (default
 * `"database"`, `false` for none) and the ping timeout (default 2 seconds).
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 *
 * const health: Database.HealthOptions = { name: "orders-db", timeout: "1 second" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type HealthOptions = dbService.HealthOptions

/**
 * Options of `layerPglite`: the `PgliteClient` options (`dataDir`, …) and `health`.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 *
 * const options: Database.PgliteOptions = { dataDir: "./.data/pglite", health: { timeout: "1 second" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type PgliteOptions = dbPglite.PgliteOptions

/**
 * Options of `layerPg`. Give `url` or the parts. Defaults: `maxConnections` 10,
 * `connectTimeout` 5 seconds (also the longest wait for a free pooled connection),
 * `idleTimeout` 30 seconds, no `statementTimeout`, `retryReads` true.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { Redacted } from "effect"
 *
 * const options: Database.PgOptions = {
 *   host: "db.internal",
 *   database: "app",
 *   username: "app",
 *   password: Redacted.make("secret"),
 *   ssl: true
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type PgOptions = dbPg.PgOptions

/**
 * Embedded Postgres (PGlite): in memory, or kept in `dataDir`. Provides `SqlClient`,
 * `PgliteClient` and `Database`; statements record metrics; registers the readiness check
 * when `Health` is in the context. Start-up takes a few seconds (WebAssembly): in tests,
 * build it once per file (`it.layer`).
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const sql = yield* SqlClient.SqlClient
 *   yield* sql`CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL)`
 *   yield* sql`INSERT INTO users ${sql.insert({ email: "ada@example.com" })}`
 * }).pipe(Effect.provide(Database.layerPglite()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPglite: (
  options?: PgliteOptions
) => Layer.Layer<Client.SqlClient | PgliteClient.PgliteClient | Database, Errors.DatabaseError> =
  dbPglite.layerPglite

/**
 * A Postgres server through node-postgres (`@effect/sql-pg`'s statement compiler). Provides
 * `SqlClient` and `Database`. Fails with a `DatabaseError` when the server does not answer at
 * start-up. The pool's acquire wait is bounded by `connectTimeout`; errors of idle pooled
 * connections are logged (once per burst) and counted (`db_pool_errors_total`); a `SELECT`
 * outside a transaction is retried once on a connection error (`retryReads: false` to opt out).
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { Redacted } from "effect"
 *
 * const DatabaseLive = Database.layerPg({
 *   url: Redacted.make("postgres://app@localhost:5432/app"),
 *   maxConnections: 20,
 *   statementTimeout: "30 seconds"
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPg: (options: PgOptions) => Layer.Layer<Client.SqlClient | Database, Errors.DatabaseError> =
  dbPg.layerPg

/**
 * The database from configuration (nested under `database`: env `DATABASE_URL`, YAML
 * `database.url`). Postgres when `DATABASE_URL` or `DATABASE_HOST` is set (with
 * `DATABASE_PORT`, `DATABASE_NAME`, `DATABASE_USER`, `DATABASE_PASSWORD`, `DATABASE_SSL`,
 * `DATABASE_POOL_SIZE` (10), `DATABASE_IDLE_TIMEOUT` (30 s), `DATABASE_CONNECT_TIMEOUT` (5 s),
 * `DATABASE_STATEMENT_TIMEOUT`); else embedded PGlite, in `DATABASE_DATA_DIR` or in memory.
 * Registers the readiness check "database".
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Database } from "@strata/sql"
 * import { Layer } from "effect"
 *
 * const DatabaseLive = Database.layerConfig.pipe(Layer.provideMerge(Health.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<
  Client.SqlClient | Database,
  ConfigError.ConfigError | Errors.DatabaseError,
  Health.Health
> = dbConfig.layerConfig

/**
 * What `layerConfig` reads: Postgres options when `DATABASE_URL` or `DATABASE_HOST` is set,
 * else embedded PGlite (in `DATABASE_DATA_DIR` or in memory).
 *
 * @example
 * ```ts
 * import type { Database } from "@strata/sql"
 *
 * const describe = (settings: Database.ConfigSettings): string =>
 *   settings._tag === "Postgres" ? "a Postgres server" : "embedded PGlite"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ConfigSettings = dbConfig.Settings

/**
 * The settings `layerConfig` reads (`DATABASE_*`), for reading them up front, e.g. with
 * `Strata.checkConfig`, so that a bad value fails the start before anything is built.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Database } from "@strata/sql"
 *
 * const Preflight = Strata.checkConfig(Database.config)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<ConfigSettings> = dbConfig.settings

/**
 * Maps the `SqlError`s of an effect to the error catalogue (see `SqlErrors`): unique
 * violation → `AlreadyExists`, foreign key → `InvalidState`, not null / check →
 * `ValidationFailed`, connection failures → retryable `DatabaseError`, others →
 * `DatabaseError` with the SQLSTATE.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const createUser = (email: string) =>
 *   Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO users ${sql.insert({ email })}`).pipe(
 *     Database.mapErrors({ resources: { users: "User" } })
 *   )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapErrors: {
  (options?: SqlErrors.MapOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, SqlErrors.Mapped<E>, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, options?: SqlErrors.MapOptions): Effect.Effect<A, SqlErrors.Mapped<E>, R>
} = SqlErrors.mapError

/**
 * Retries an idempotent read once when it failed with a connection-class error (server
 * restarted, connection terminated, refused): the retry runs on a fresh connection. Use it
 * for reads that `layerPg` does not retry itself (a `WITH … SELECT`, several reads in a row).
 * Never wrap writes or transactions.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const report = Effect.flatMap(SqlClient.SqlClient, (sql) =>
 *   sql`WITH t AS (SELECT 1 AS n) SELECT n FROM t`
 * ).pipe(Database.retryReads)
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const retryReads = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.retry(self, { times: 1, while: SqlErrors.isConnectionError })

/**
 * Runs an effect in a transaction of the current `SqlClient` (nested calls become
 * savepoints), re-exported for convenience.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const transfer = Effect.gen(function*() {
 *   const sql = yield* SqlClient.SqlClient
 *   yield* sql`UPDATE accounts SET balance = balance - 10 WHERE id = 1`
 *   yield* sql`UPDATE accounts SET balance = balance + 10 WHERE id = 2`
 * }).pipe(Database.withTransaction)
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTransaction = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R | Client.SqlClient> =>
  Effect.flatMap(Client.SqlClient, (sql) => sql.withTransaction(self))

/**
 * The ping of the current `Database`: `SELECT 1` under its timeout.
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 *
 * const ready = Database.ping
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const ping: Effect.Effect<void, Errors.DatabaseError, Database> = Effect.flatMap(Database, (db) => db.ping)

/**
 * The pool statistics of the current `Database` (`None` for PGlite).
 *
 * @example
 * ```ts
 * import { Database } from "@strata/sql"
 *
 * const stats = Database.poolStats
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const poolStats: Effect.Effect<Option.Option<PoolStats>, never, Database> = Effect.flatMap(
  Database,
  (db) => db.poolStats
)
