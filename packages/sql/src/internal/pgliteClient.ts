/**
 * Building the PGlite-backed `SqlClient`.
 *
 * @internal
 */
import { PGlite, types } from "@electric-sql/pglite"
import type { ParserOptions, PGliteOptions, QueryOptions } from "@electric-sql/pglite"
import type * as Reactivity from "@effect/experimental/Reactivity"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Client from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { PgliteClient, PgliteClientConfig } from "../PgliteClient.js"
import { PgliteConnection } from "./pgliteConnection.js"

/** @internal */
export const TypeId = "~@strata/sql/PgliteClient" as const

/** @internal */
export interface Config {
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

/** @internal */
export interface Made {
  readonly client: Client.SqlClient
  readonly pglite: PGlite
  /** Runs an effect while holding the session (no statement of anyone else runs meanwhile). */
  readonly withSession: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

interface PgJson extends Statement.Custom<"PgJson", unknown> {}
/** The same custom `PgClient.makeCompiler` compiles for `pg.json(...)`. @internal */
export const PgJson: (value: unknown) => Statement.Fragment = Statement.custom<PgJson>("PgJson")

// node-postgres returns int8 (bigint, count(*)) as a string; do the same so queries and
// schemas behave alike on both.
const defaultParsers: ParserOptions = { [types.INT8]: (value: string) => value }

const open = (config: Config): Effect.Effect<PGlite, SqlError, Scope.Scope> => {
  const existing = config.pglite
  if (existing !== undefined) {
    return Effect.succeed(existing)
  }
  return Effect.acquireRelease(
    Effect.tryPromise({
      try: () =>
        PGlite.create({
          ...config.options,
          ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
          ...(config.database !== undefined ? { database: config.database } : {}),
          ...(config.username !== undefined ? { username: config.username } : {}),
          parsers: { ...defaultParsers, ...config.options?.parsers, ...config.parsers }
        }),
      catch: (cause) => new SqlError({ cause, message: "PgliteClient: failed to start PGlite" })
    }),
    (db) => Effect.promise(() => db.close().catch(() => undefined))
  )
}

/** @internal */
export const make = (
  config: Config,
  wrap: (conn: Connection) => Connection = (conn) => conn
): Effect.Effect<Made, SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function*() {
    const db = yield* open(config)
    const session = yield* Effect.makeSemaphore(1)
    const withSession = session.withPermits(1)
    // With a caller's instance, its own parsers stay in charge; ours apply per query.
    const queryOptions: QueryOptions = config.pglite !== undefined && config.parsers !== undefined
      ? { parsers: config.parsers }
      : {}
    const free = wrap(new PgliteConnection(db, withSession, queryOptions))
    const held = wrap(new PgliteConnection(db, (effect) => effect, queryOptions))
    // Closing waits for the statement in flight (scopes close in reverse: this runs before close()).
    yield* Effect.addFinalizer(() => withSession(Effect.void).pipe(Effect.timeoutOption("5 seconds")))

    const compiler = PgClient.makeCompiler(config.transformQueryNames, config.transformJson)
    const transformRows = config.transformResultNames
      ? Statement.defaultTransforms(config.transformResultNames, config.transformJson).array
      : undefined
    const client = yield* Client.make({
      acquirer: Effect.succeed(free),
      // A transaction (and `sql.reserve`) owns the session until its scope closes.
      transactionAcquirer: Effect.uninterruptibleMask((restore) =>
        Effect.zipRight(restore(session.take(1)), Effect.addFinalizer(() => session.release(1)))
      ).pipe(Effect.as(held)),
      compiler,
      spanAttributes: [
        ...(config.spanAttributes ? Object.entries(config.spanAttributes) : []),
        ["db.system.name", "postgresql"],
        ["db.namespace", config.database ?? "postgres"],
        ["server.address", "pglite"]
      ],
      transformRows
    })
    return { client, pglite: db, withSession }
  })

/** The public client: the `SqlClient` plus the PGlite extras. @internal */
export const toClient = (made: Made, config: PgliteClientConfig): PgliteClient =>
  Object.assign(made.client, {
    [TypeId]: TypeId,
    config,
    pglite: made.pglite,
    json: PgJson,
    withSession: made.withSession
  })
