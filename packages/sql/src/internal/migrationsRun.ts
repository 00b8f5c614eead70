/**
 * Running migrations: `@effect/sql`'s `Migrator.make` inside one transaction that first takes
 * a Postgres advisory lock, so replicas starting together apply each migration exactly once.
 *
 * Why the extra work around `Migrator.make`: on Postgres it creates its table with a racy
 * "select regclass, else CREATE TABLE" (concurrent first starts fail), it turns a failed
 * migration into a defect, and it silently skips a migration whose id is below the latest
 * applied one. Here the table is created under the lock, failures are typed with the
 * migration's id and name, and out-of-order migrations fail the run.
 *
 * @internal
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import { createHash } from "node:crypto"
import * as SqlErrors from "../SqlErrors.js"
import { MigrationError } from "./migrationsError.js"

/** @internal */
export interface RunOptions {
  readonly table?: string | undefined
  readonly lockKey?: bigint | undefined
}

/** @internal */
export interface Applied {
  readonly id: number
  readonly name: string
}

/** @internal */
export const defaultTable = "effect_sql_migrations"

const tablePattern = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/

/** A stable 64-bit advisory lock key per migrations table. @internal */
export const lockKeyFor = (table: string): bigint =>
  createHash("sha256").update(`strata/sql/migrations/${table}`).digest().readBigInt64BE(0)

class Failure extends Data.TaggedError("MigrationFailure")<{
  readonly id: number
  readonly name: string
  readonly cause: unknown
}> {}

// a SqlError's own message is "Failed to execute statement": the driver's reason is in its cause
const messageOf = (cause: unknown): string =>
  SqlErrors.isSqlError(cause)
    ? SqlErrors.classify(cause).message
    : cause instanceof Error
    ? cause.message
    : Predicate.hasProperty(cause, "message")
    ? String(cause.message)
    : String(cause)

/** Wraps what a migration's `load` returns so that its failure (or defect) names it. */
const tagLoaded = (id: number, name: string, loaded: unknown): unknown => {
  const tag = (effect: Effect.Effect<unknown, unknown, SqlClient.SqlClient>) =>
    effect.pipe(
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.failCause(cause)
          : Effect.fail(new Failure({ id, name, cause: Cause.squash(cause) }))
      )
    )
  if (Effect.isEffect(loaded)) return tag(loaded as Effect.Effect<unknown, unknown, SqlClient.SqlClient>)
  // a module: `Migrator.make` takes `default` (or `default.default`, a CommonJS interop artefact)
  if (Predicate.hasProperty(loaded, "default") && loaded.default) {
    const inner = Predicate.hasProperty(loaded.default, "default") && loaded.default.default
      ? loaded.default.default
      : loaded.default
    return Effect.isEffect(inner) ? tag(inner as Effect.Effect<unknown, unknown, SqlClient.SqlClient>) : loaded
  }
  return loaded
}

const fromMigrator = (error: Migrator.MigrationError): MigrationError =>
  error.cause instanceof Failure
    ? failed(error.cause)
    : new MigrationError({ reason: error.reason, message: error.message, cause: error.cause })

const failed = (failure: Failure): MigrationError =>
  new MigrationError({
    reason: "failed",
    migrationId: failure.id,
    migrationName: failure.name,
    message: `Migration ${failure.id}_${failure.name} failed: ${messageOf(failure.cause)}`,
    cause: failure.cause
  })

const fromSqlError = (error: unknown): MigrationError =>
  new MigrationError({ reason: "database", message: `Migrations failed: ${messageOf(error)}`, cause: error })

const outOfOrder = (
  migrations: ReadonlyArray<Migrator.ResolvedMigration>,
  recorded: ReadonlySet<number>
): Option.Option<MigrationError> => {
  const latest = Math.max(0, ...recorded)
  const missed = migrations.filter(([id]) => id < latest && !recorded.has(id))
  if (missed.length === 0) return Option.none()
  const names = missed.map(([id, name]) => `${id}_${name}`).join(", ")
  return Option.some(
    new MigrationError({
      reason: "out-of-order",
      migrationId: missed[0]![0],
      migrationName: missed[0]![1],
      message: `Migrations ${names} were never applied, but migration ${latest} already is: ` +
        `give them ids above ${latest}`
    })
  )
}

/** @internal */
export const run = <R>(
  loader: Migrator.Loader<R>,
  options: RunOptions = {}
): Effect.Effect<ReadonlyArray<Applied>, MigrationError, SqlClient.SqlClient | R> =>
  Effect.gen(function*() {
    const table = options.table ?? defaultTable
    if (!tablePattern.test(table)) {
      return yield* new MigrationError({
        reason: "bad-state",
        message: `Invalid migrations table name "${table}" (lower-case letters, digits, _; optionally schema.table)`
      })
    }
    const sql = yield* SqlClient.SqlClient
    const lockKey = String(options.lockKey ?? lockKeyFor(table))
    const migrations = yield* Effect.mapError(loader, fromMigrator)
    const tagged = migrations.map(([id, name, load]): Migrator.ResolvedMigration => [
      id,
      name,
      Effect.map(load, (loaded) => tagLoaded(id, name, loaded))
    ])

    const locked = Effect.gen(function*() {
      const [free] = yield* sql<{ readonly locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(${lockKey}::bigint) AS locked`.withoutTransform
      if (free?.locked !== true) {
        yield* Effect.logInfo("Another instance is running migrations; waiting for it")
        yield* sql`SELECT pg_advisory_xact_lock(${lockKey}::bigint)`.withoutTransform
      }
      // Same shape as Migrator.make's table, so both can share it.
      yield* sql`CREATE TABLE IF NOT EXISTS ${sql(table)} (
  migration_id integer primary key,
  created_at timestamp with time zone not null default now(),
  name text not null
)`.withoutTransform
      const rows = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM ${sql(table)}`
        .withoutTransform
      const problem = outOfOrder(migrations, new Set(rows.map((row) => Number(row.migration_id))))
      if (Option.isSome(problem)) return yield* problem.value
      return yield* Migrator.make({})({ loader: Effect.succeed(tagged), table })
    })

    const applied = yield* sql.withTransaction(locked).pipe(
      Effect.catchSomeDefect((defect) =>
        defect instanceof Migrator.MigrationError ? Option.some(Effect.fail(fromMigrator(defect))) : Option.none()
      ),
      Effect.mapError((error) =>
        error instanceof MigrationError
          ? error
          : error instanceof Migrator.MigrationError
          ? fromMigrator(error)
          : fromSqlError(error)
      )
    )
    for (const [id, name] of applied) {
      yield* Effect.logInfo(`Applied migration ${id}_${name}`).pipe(
        Effect.annotateLogs({ migrationId: id, migrationName: name })
      )
    }
    if (applied.length === 0) yield* Effect.logDebug("Database schema is up to date")
    return applied.map(([id, name]): Applied => ({ id, name }))
  }).pipe(Effect.withSpan("Migrations.run"))
