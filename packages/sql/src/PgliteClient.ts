/**
 * A `SqlClient` on PGlite, Postgres compiled to WebAssembly and run inside the process: the
 * embedded default database and the fast test database. Statements are compiled exactly as
 * for `@effect/sql-pg` (the same `$n` placeholders, `sql.insert`, `onDialect("pg")`), so the
 * same queries and migrations run here and on a Postgres server.
 *
 * PGlite is one Postgres session. The client serialises statements: a transaction (or
 * `sql.reserve`) owns the session until it ends, and other statements wait for it. So keep
 * transactions short, and do not run a statement outside a transaction while you hold one.
 * `bigint`/`count(*)` come back as strings, as with node-postgres.
 *
 * Prefer `Database.layerPglite`, which adds query metrics and the health check.
 *
 * @since 0.1.0
 */
import type { ParserOptions, PGlite, PGliteOptions } from "@electric-sql/pglite"
import * as Reactivity from "@effect/experimental/Reactivity"
import * as Client from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as internal from "./internal/pgliteClient.js"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: TypeId = internal.TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof internal.TypeId

/**
 * The PGlite client: a `SqlClient` plus the PGlite instance and a `json` helper.
 *
 * @example
 * ```ts
 * import { PgliteClient } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const sql = yield* PgliteClient.PgliteClient
 *   yield* sql`INSERT INTO events ${sql.insert({ payload: sql.json({ a: 1 }) })}`
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface PgliteClient extends Client.SqlClient {
  readonly [TypeId]: TypeId
  readonly config: PgliteClientConfig
  /** The PGlite instance. Statements run on it directly bypass the session lock. */
  readonly pglite: PGlite
  /** A `json`/`jsonb` parameter, like `PgClient.json`. */
  readonly json: (value: unknown) => Statement.Fragment
  /** Runs an effect while no other statement can use the session (e.g. a `pglite.dumpDataDir()`). */
  readonly withSession: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * @since 0.1.0
 * @category tags
 */
export const PgliteClient: Context.Tag<PgliteClient, PgliteClient> = Context.GenericTag<PgliteClient>(
  "@strata/sql/PgliteClient"
)

/**
 * Options. Without `dataDir` the database lives in memory and is gone when the layer is
 * released; with one it is kept in that directory. `pglite` wraps an instance you own (it is
 * not closed). `options` go to `PGlite.create`; `parsers` override result parsers by type OID.
 *
 * @example
 * ```ts
 * import { PgliteClient } from "@strata/sql"
 *
 * const config: PgliteClient.PgliteClientConfig = { dataDir: "./.data/pglite" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface PgliteClientConfig {
  readonly dataDir?: string | undefined
  readonly database?: string | undefined
  readonly username?: string | undefined
  readonly pglite?: PGlite | undefined
  readonly options?: PGliteOptions | undefined
  readonly parsers?: ParserOptions | undefined
  readonly spanAttributes?: Record<string, unknown> | undefined
  readonly transformResultNames?: ((str: string) => string) | undefined
  readonly transformQueryNames?: ((str: string) => string) | undefined
  readonly transformJson?: boolean | undefined
}

/**
 * Starts PGlite (unless `pglite` is given) and builds the client; PGlite is closed with the
 * scope, after the statement in flight.
 *
 * @example
 * ```ts
 * import { PgliteClient } from "@strata/sql"
 * import { Reactivity } from "@effect/experimental"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const sql = yield* PgliteClient.make({})
 *   return yield* sql`SELECT 1 AS one`
 * }).pipe(Effect.scoped, Effect.provide(Reactivity.layer))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  config: PgliteClientConfig = {}
): Effect.Effect<PgliteClient, SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.map(internal.make(config), (made) => internal.toClient(made, config))

/**
 * Both tags, `PgliteClient` and `SqlClient.SqlClient`, from the options.
 *
 * @example
 * ```ts
 * import { PgliteClient } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const program = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
 *   Effect.provide(PgliteClient.layer())
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: PgliteClientConfig = {}): Layer.Layer<PgliteClient | Client.SqlClient, SqlError> =>
  Layer.scopedContext(
    Effect.map(make(config), (client) => Context.make(PgliteClient, client).pipe(Context.add(Client.SqlClient, client)))
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * `layer` with options read from `Config`.
 *
 * @example
 * ```ts
 * import { PgliteClient } from "@strata/sql"
 * import { Config } from "effect"
 *
 * const PgliteLive = PgliteClient.layerConfig({ dataDir: Config.string("PGLITE_DIR") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<PgliteClientConfig>
): Layer.Layer<PgliteClient | Client.SqlClient, SqlError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
