/**
 * node-postgres connections for `Database.layerPg`. Unlike `@effect/sql-pg` 0.53:
 *
 * - acquiring a pooled client is interruptible without leaking it (a client that arrives
 *   after the fiber gave up goes straight back to the pool);
 * - a client whose socket failed, or whose statement was interrupted, is destroyed rather
 *   than returned to the pool (the interrupted backend query gets a best-effort cancel);
 * - a `SELECT` outside a transaction is retried once on a connection-class error, on a
 *   fresh client.
 *
 * @internal
 */
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Pg from "pg"
import { classify } from "./dbErrors.js"
import { operationOf } from "./dbMetrics.js"

type TransformRows = (<A extends object>(row: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined

interface Lease {
  client: Pg.PoolClient | undefined
  release: ((err?: Error | boolean) => void) | undefined
  error: Error | undefined
  closed: boolean
  readonly onError: (error: Error) => void
}

const releaseLease = (lease: Lease): void => {
  lease.closed = true
  const { client, release } = lease
  if (client === undefined || release === undefined) return
  lease.client = undefined
  lease.release = undefined
  client.off("error", lease.onError)
  // An error destroys the client instead of returning it to the pool.
  release(lease.error ?? false)
}

const leases = new WeakMap<Pg.PoolClient, Lease>()

/** A pooled client for the current scope. @internal */
export const lease = (pool: Pg.Pool): Effect.Effect<Pg.PoolClient, SqlError, Scope.Scope> =>
  Effect.suspend(() => {
    const state: Lease = {
      client: undefined,
      release: undefined,
      error: undefined,
      closed: false,
      onError: (error) => {
        // Without a listener, a socket error on a checked-out client would crash the process.
        state.error = error
      }
    }
    return Effect.zipRight(
      Effect.addFinalizer(() => Effect.sync(() => releaseLease(state))),
      Effect.async<Pg.PoolClient, SqlError>((resume) => {
        pool.connect((err, client, release) => {
          if (state.closed) {
            // The fiber gave up (interrupted) while waiting: hand the client back.
            if (client !== undefined) release()
            return
          }
          if (err || client === undefined) {
            resume(Effect.fail(new SqlError({ cause: err, message: "Failed to acquire connection" })))
            return
          }
          state.client = client
          state.release = release
          client.on("error", state.onError)
          leases.set(client, state)
          resume(Effect.succeed(client))
        })
      })
    )
  })

const markBroken = (client: Pg.PoolClient, error: Error): void => {
  const state = leases.get(client)
  if (state !== undefined && state.error === undefined) state.error = error
}

const isFatal = (error: Error): boolean =>
  (Predicate.hasProperty(error, "severity") && error.severity === "FATAL") || classify(error).kind === "connection"

const cancelBackend = (pool: Pg.Pool, client: Pg.PoolClient): void => {
  const pid = Predicate.hasProperty(client, "processID") && typeof client.processID === "number"
    ? client.processID
    : undefined
  if (pid === undefined || pool.ending) return
  // best effort: a query that ignores the destroyed socket keeps running server-side otherwise
  pool.query("SELECT pg_cancel_backend($1)", [pid], () => {})
}

const query = <A>(
  pool: Pg.Pool,
  client: Pg.PoolClient,
  config: Pg.QueryArrayConfig | string,
  params: ReadonlyArray<unknown>,
  map: (result: Pg.QueryResult | Array<Pg.QueryResult>) => A
): Effect.Effect<A, SqlError> =>
  Effect.async<A, SqlError>((resume) => {
    client.query(config as string, params as Array<unknown>, (err: Error | undefined, result: Pg.QueryResult) => {
      if (err) {
        // A FATAL error (57P01 …) arrives before the socket closes: the client must not go
        // back to the pool, or the next caller (a retry) would get a dying connection.
        if (isFatal(err)) markBroken(client, err)
        resume(Effect.fail(new SqlError({ cause: err, message: "Failed to execute statement" })))
      } else {
        resume(Effect.succeed(map(result)))
      }
    })
    return Effect.sync(() => {
      markBroken(client, new Error("Statement interrupted"))
      cancelBackend(pool, client)
    })
  })

const rowsOf = (result: Pg.QueryResult | Array<Pg.QueryResult>): ReadonlyArray<any> =>
  // The simple protocol (no params) returns one result per statement.
  Array.isArray(result) ? result.map((r) => r.rows ?? []) : result.rows ?? []

const valuesOf = (result: Pg.QueryResult | Array<Pg.QueryResult>): ReadonlyArray<ReadonlyArray<unknown>> =>
  Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows ?? []

/** Statements on one client (a transaction or `sql.reserve`). @internal */
export class ClientConnection implements Connection {
  constructor(readonly pool: Pg.Pool, readonly client: Pg.PoolClient) {}

  execute(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    const rows = query(this.pool, this.client, sql, params, rowsOf)
    return transformRows ? Effect.map(rows, transformRows) : rows
  }
  executeRaw(sql: string, params: ReadonlyArray<unknown>) {
    return query(this.pool, this.client, sql, params, (result): unknown => result)
  }
  executeValues(sql: string, params: ReadonlyArray<unknown>) {
    return query(this.pool, this.client, { text: sql, rowMode: "array" }, params, valuesOf)
  }
  executeUnprepared(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    return this.execute(sql, params, transformRows)
  }
  executeStream(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    // No cursor support here: rows are read at once (keep big exports paged).
    return Stream.flatMap(Stream.fromEffect(this.execute(sql, params, transformRows)), Stream.fromIterable)
  }
}

/** Statements outside a transaction: each one leases a client for itself. @internal */
export class PooledConnection implements Connection {
  constructor(readonly pool: Pg.Pool, readonly retryReads: boolean) {}

  private use<A>(sql: string, f: (conn: ClientConnection) => Effect.Effect<A, SqlError>): Effect.Effect<A, SqlError> {
    const once = Effect.scoped(Effect.flatMap(lease(this.pool), (client) => f(new ClientConnection(this.pool, client))))
    return this.retryReads && operationOf(sql) === "select"
      ? Effect.retry(once, { times: 1, while: (error) => classify(error).kind === "connection" })
      : once
  }

  execute(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    return this.use(sql, (conn) => conn.execute(sql, params, transformRows))
  }
  executeRaw(sql: string, params: ReadonlyArray<unknown>) {
    return this.use(sql, (conn) => conn.executeRaw(sql, params))
  }
  executeValues(sql: string, params: ReadonlyArray<unknown>) {
    return this.use(sql, (conn) => conn.executeValues(sql, params))
  }
  executeUnprepared(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    return this.execute(sql, params, transformRows)
  }
  executeStream(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    return Stream.flatMap(Stream.fromEffect(this.execute(sql, params, transformRows)), Stream.fromIterable)
  }
}
