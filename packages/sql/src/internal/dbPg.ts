/**
 * `Database.layerPg`: a node-postgres pool behind `SqlClient`, compiled by
 * `@effect/sql-pg`'s `PgClient.makeCompiler`.
 *
 * @internal
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Client from "@effect/sql/SqlClient"
import * as Statement from "@effect/sql/Statement"
import type * as Errors from "@strata/core/Errors"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import type { ConnectionOptions } from "node:tls"
import * as Pg from "pg"
import { instrument, poolErrorsTotal } from "./dbMetrics.js"
import { ClientConnection, lease, PooledConnection } from "./dbPgConnection.js"
import { Database, type HealthOptions, makeService, registerHealth, startupError } from "./dbService.js"

/** @internal */
export interface PgOptions {
  readonly url?: Redacted.Redacted | undefined
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly database?: string | undefined
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted | undefined
  /** `true` for TLS with certificate verification, or Node TLS options. */
  readonly ssl?: boolean | ConnectionOptions | undefined
  /** Pool size; default 10. */
  readonly maxConnections?: number | undefined
  readonly minConnections?: number | undefined
  /** Idle connections are closed after this; default 30 seconds. */
  readonly idleTimeout?: Duration.DurationInput | undefined
  /** Bounds connecting and waiting for a free pooled connection; default 5 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** Postgres `statement_timeout`; default none. */
  readonly statementTimeout?: Duration.DurationInput | undefined
  readonly applicationName?: string | undefined
  /** Retry a `SELECT` outside a transaction once on a connection error; default true. */
  readonly retryReads?: boolean | undefined
  readonly health?: HealthOptions | undefined
  readonly spanAttributes?: Record<string, unknown> | undefined
  readonly transformResultNames?: ((str: string) => string) | undefined
  readonly transformQueryNames?: ((str: string) => string) | undefined
  readonly transformJson?: boolean | undefined
  readonly types?: Pg.CustomTypesConfig | undefined
}

const burstMillis = 10_000

/** Logs pool errors at most once per burst window, with the count of the ones skipped. */
const poolErrorListener = (runtime: Runtime.Runtime<never>) => {
  let lastLogged = 0
  let suppressed = 0
  return (error: Error): void => {
    poolErrorsTotal.unsafeUpdate(1, [])
    const now = Date.now()
    if (now - lastLogged < burstMillis) {
      suppressed++
      return
    }
    const skipped = suppressed
    lastLogged = now
    suppressed = 0
    Runtime.runFork(runtime)(
      Effect.logWarning(`Database pool: idle connection failed: ${error.message}`).pipe(
        Effect.annotateLogs({ component: "database", suppressed: skipped })
      )
    )
  }
}

// Span attributes only: never the credentials.
const parseUrl = (url: string): { database?: string; host?: string; port?: number } | undefined => {
  try {
    const parsed = new URL(url)
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""))
    return {
      ...(database !== "" ? { database } : {}),
      ...(parsed.hostname !== "" ? { host: parsed.hostname } : {}),
      ...(parsed.port !== "" ? { port: Number(parsed.port) } : {})
    }
  } catch {
    return undefined
  }
}

const millis = (duration: Duration.DurationInput | undefined, fallback: Duration.DurationInput): number =>
  Duration.toMillis(duration ?? fallback)

/** @internal */
export const layerPg = (
  options: PgOptions
): Layer.Layer<Client.SqlClient | Database, Errors.DatabaseError> =>
  Layer.scopedContext(Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const connectTimeout = millis(options.connectTimeout, "5 seconds")
    const max = options.maxConnections ?? 10
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const pool = new Pg.Pool({
          ...(options.url !== undefined ? { connectionString: Redacted.value(options.url) } : {}),
          ...(options.host !== undefined ? { host: options.host } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.database !== undefined ? { database: options.database } : {}),
          ...(options.username !== undefined ? { user: options.username } : {}),
          ...(options.password !== undefined ? { password: Redacted.value(options.password) } : {}),
          ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
          ...(options.types !== undefined ? { types: options.types } : {}),
          ...(options.statementTimeout !== undefined
            ? { statement_timeout: millis(options.statementTimeout, 0) }
            : {}),
          max,
          min: options.minConnections ?? 0,
          // pg-pool waits forever for a free client by default; this bounds the wait too
          connectionTimeoutMillis: connectTimeout,
          idleTimeoutMillis: millis(options.idleTimeout, "30 seconds"),
          keepAlive: true,
          application_name: options.applicationName ?? "strata"
        })
        pool.on("error", poolErrorListener(runtime))
        return pool
      }),
      (pool) => Effect.promise(() => pool.end().catch(() => undefined)).pipe(Effect.timeoutOption(connectTimeout))
    )

    const startup = Effect.scoped(
      Effect.flatMap(lease(pool), (client) => new ClientConnection(pool, client).execute("SELECT 1", [], undefined))
    )
    yield* startup.pipe(
      Effect.timeoutFail({
        duration: connectTimeout,
        // ETIMEDOUT: a connection-class (retryable) failure like a refused connection
        onTimeout: () =>
          Object.assign(new Error(`Connection timed out after ${connectTimeout} ms`), { code: "ETIMEDOUT" })
      }),
      Effect.mapError(startupError)
    )

    const target = options.url !== undefined ? parseUrl(Redacted.value(options.url)) : undefined
    const transformRows = options.transformResultNames
      ? Statement.defaultTransforms(options.transformResultNames, options.transformJson).array
      : undefined
    const client = yield* Client.make({
      acquirer: Effect.succeed(instrument(new PooledConnection(pool, options.retryReads ?? true))),
      transactionAcquirer: Effect.map(lease(pool), (pgClient) => instrument(new ClientConnection(pool, pgClient))),
      compiler: PgClient.makeCompiler(options.transformQueryNames, options.transformJson),
      spanAttributes: [
        ...(options.spanAttributes ? Object.entries(options.spanAttributes) : []),
        ["db.system.name", "postgresql"],
        ["db.namespace", options.database ?? target?.database ?? "postgres"],
        ["server.address", options.host ?? target?.host ?? "localhost"],
        ["server.port", options.port ?? target?.port ?? 5432]
      ],
      transformRows
    })
    const poolStats = Effect.sync(() =>
      Option.some({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max })
    )
    const service = makeService("postgres", client, poolStats, options.health?.timeout ?? "2 seconds")
    yield* registerHealth(service, options.health)
    return Context.make(Client.SqlClient, client).pipe(Context.add(Database, service))
  })).pipe(Layer.provide(Reactivity.layer))
