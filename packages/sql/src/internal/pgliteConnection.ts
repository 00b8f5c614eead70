/**
 * The `Connection` of the PGlite adapter. PGlite is a single Postgres session, so every
 * statement holds a one-permit semaphore for as long as it runs, and a transaction (or
 * `sql.reserve`) holds it for its whole scope: a concurrent statement waits and never sees
 * uncommitted rows or lands inside someone else's transaction.
 *
 * @internal
 */
import type { PGlite, QueryOptions, Results } from "@electric-sql/pglite"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

type TransformRows = (<A extends object>(row: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined

/**
 * Runs a PGlite promise. Interruption waits until PGlite has finished the statement (it
 * cannot be cancelled), so the permit is only handed on once the session is idle.
 */
const fromPromise = <A>(run: () => Promise<A>): Effect.Effect<A, SqlError> =>
  Effect.async<A, SqlError>((resume) => {
    let promise: Promise<A>
    try {
      promise = run()
    } catch (cause) {
      resume(Effect.fail(new SqlError({ cause, message: "Failed to execute statement" })))
      return
    }
    const settled = promise.then(
      (value) => resume(Effect.succeed(value)),
      (cause: unknown) => resume(Effect.fail(new SqlError({ cause, message: "Failed to execute statement" })))
    )
    return Effect.promise(() => settled)
  })

/** @internal */
export class PgliteConnection implements Connection {
  constructor(
    readonly db: PGlite,
    /** Wraps a statement in the session lock; identity for a connection that already holds it. */
    readonly locked: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>,
    readonly options: QueryOptions
  ) {}

  private run(sql: string, params: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<any>, SqlError> {
    return this.locked(
      params.length === 0
        // query() is the extended protocol, one statement only; exec() is the simple protocol,
        // which node-postgres also uses without params (multi-statement DDL, migrations)
        ? Effect.map(fromPromise(() => this.db.exec(sql, this.options)), rowsOfAll)
        : Effect.map(
          fromPromise(() => this.db.query(sql, params as Array<unknown>, this.options)),
          (result) => result.rows
        )
    )
  }

  execute(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    return transformRows ? Effect.map(this.run(sql, params), transformRows) : this.run(sql, params)
  }

  executeRaw(sql: string, params: ReadonlyArray<unknown>) {
    return this.locked(
      params.length === 0
        ? Effect.map(
          fromPromise(() => this.db.exec(sql, this.options)),
          (results): unknown => results.length === 1 ? results[0] : results
        )
        : fromPromise((): Promise<unknown> => this.db.query(sql, params as Array<unknown>, this.options))
    )
  }

  executeValues(sql: string, params: ReadonlyArray<unknown>) {
    return this.locked(
      Effect.map(
        fromPromise(() =>
          this.db.query<Array<unknown>>(sql, params as Array<unknown>, { ...this.options, rowMode: "array" })
        ),
        (result) => result.rows
      )
    )
  }

  executeUnprepared(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    return this.execute(sql, params, transformRows)
  }

  executeStream(sql: string, params: ReadonlyArray<unknown>, transformRows: TransformRows) {
    // PGlite has no cursors: the rows are read at once, then streamed.
    return Stream.flatMap(
      Stream.fromEffect(this.execute(sql, params, transformRows)),
      (rows) => Stream.fromIterable(rows)
    )
  }
}

// Like node-postgres: one statement → its rows; several → one array of rows per statement.
const rowsOfAll = (results: ReadonlyArray<Results>): ReadonlyArray<any> =>
  results.length === 1 ? results[0]!.rows : results.length === 0 ? [] : results.map((r) => r.rows)
