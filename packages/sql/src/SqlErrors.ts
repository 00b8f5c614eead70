/**
 * Turns `SqlError`s (from Postgres through `@effect/sql-pg`/`Database.layerPg`, or from
 * PGlite) into errors of the Strata catalogue, so a handler never sees a driver error:
 *
 * | SQLSTATE / cause | Error |
 * |---|---|
 * | `23505` unique violation | `AlreadyExists` (resource from the table, field and value from the key) |
 * | `23503` foreign key violation | `InvalidState` (`details.reason`: `missing_reference` / `still_referenced`) |
 * | `23502` not null, `23514` check | `ValidationFailed` (one field error) |
 * | `08xxx`, `57P01-03`, `53300`, `ECONNREFUSED`, "Connection terminated" | `DatabaseError`, `retryable: true` |
 * | pool acquire timeout | `DatabaseError`, `retryable: true` |
 * | `40001` serialization failure, `40P01` deadlock | `DatabaseError` with `retryable: true` |
 * | anything else | `DatabaseError` with the `sqlState` |
 *
 * @since 0.1.0
 */
import type { ResultLengthMismatch, SqlError } from "@effect/sql/SqlError"
import * as Errors from "@strata/core/Errors"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as internal from "./internal/dbErrors.js"

/**
 * The errors a mapped database failure can become.
 *
 * @since 0.1.0
 * @category models
 */
export type DbError = Errors.AlreadyExists | Errors.InvalidState | Errors.ValidationFailed | Errors.DatabaseError

/**
 * What the mapping knows about an error: its kind, SQLSTATE and the constraint fields the
 * server reported.
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 * import { SqlError } from "@effect/sql/SqlError"
 *
 * const info = SqlErrors.classify(new SqlError({ cause: { code: "23505", constraint: "users_email_key" } }))
 * info.kind // "unique_violation"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Classification {
  readonly kind:
    | "unique_violation"
    | "foreign_key_violation"
    | "not_null_violation"
    | "check_violation"
    | "connection"
    | "acquire_timeout"
    | "transaction_conflict"
    | "statement_timeout"
    | "other"
  readonly sqlState: string | undefined
  /** SQLSTATE, else the Node error code (`ECONNREFUSED`), else `ACQUIRE_TIMEOUT`, `CONNECTION` or `unknown`. */
  readonly code: string
  readonly message: string
  readonly table: string | undefined
  readonly column: string | undefined
  readonly constraint: string | undefined
  readonly detail: string | undefined
}

/**
 * Options of the mapping: a resource name for `AlreadyExists` (default: the table name),
 * or one per table, and field names per constraint (default: the key columns from the
 * server's detail, else the constraint name).
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 *
 * const options: SqlErrors.MapOptions = {
 *   resources: { users: "User" },
 *   fields: { users_email_key: "email" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface MapOptions {
  readonly resource?: string | undefined
  readonly resources?: Readonly<Record<string, string>> | undefined
  readonly fields?: Readonly<Record<string, string>> | undefined
}

/**
 * Reads the kind, SQLSTATE and constraint fields out of a `SqlError` (or any driver error).
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 * import { SqlError } from "@effect/sql/SqlError"
 *
 * SqlErrors.classify(new SqlError({ cause: { code: "57P01" } })).kind // "connection"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const classify: (error: unknown) => Classification = internal.classify

/**
 * True for connection-class failures: the statement may succeed on a new connection
 * (SQLSTATE class `08`, `57P01`-`57P03`, `53300`, `ECONNREFUSED`/`ECONNRESET`/…,
 * "Connection terminated"). Also true for a `DatabaseError` mapped from one.
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 * import { SqlError } from "@effect/sql/SqlError"
 *
 * SqlErrors.isConnectionError(new SqlError({ cause: new Error("Connection terminated unexpectedly") })) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isConnectionError = (error: unknown): boolean => {
  if (error instanceof Errors.DatabaseError) {
    return error.details?.["kind"] === "connection"
  }
  return internal.isSqlError(error) && internal.classify(error).kind === "connection"
}

/**
 * True for `SqlError` and `ResultLengthMismatch`.
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 * import { SqlError } from "@effect/sql/SqlError"
 *
 * SqlErrors.isSqlError(new SqlError({ cause: "boom" })) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isSqlError = (u: unknown): u is SqlError | ResultLengthMismatch => internal.isSqlError(u)

const resourceOf = (info: Classification, options: MapOptions | undefined): string =>
  (info.table !== undefined ? options?.resources?.[info.table] : undefined) ?? options?.resource ?? info.table ??
    "Resource"

const fieldOf = (info: Classification, options: MapOptions | undefined, fromKey: string | undefined): string =>
  (info.constraint !== undefined ? options?.fields?.[info.constraint] : undefined) ?? fromKey ?? info.column ??
    info.constraint ?? "unknown"

// Postgres names an inline check `<table>_<column>_check`: recover the column from it.
const checkField = (info: Classification, options: MapOptions | undefined): string => {
  const constraint = info.constraint
  if (constraint === undefined) return info.column ?? ""
  const configured = options?.fields?.[constraint]
  if (configured !== undefined) return configured
  if (info.column !== undefined) return info.column
  const prefix = info.table !== undefined ? `${info.table}_` : undefined
  if (prefix !== undefined && constraint.startsWith(prefix) && constraint.endsWith("_check")) {
    const column = constraint.slice(prefix.length, -"_check".length)
    if (column !== "") return column
  }
  return constraint
}

const baseDetails = (info: Classification): Errors.Details => {
  const details: Record<string, unknown> = {}
  if (info.sqlState !== undefined) details["sqlState"] = info.sqlState
  if (info.table !== undefined) details["table"] = info.table
  if (info.constraint !== undefined) details["constraint"] = info.constraint
  return details
}

/**
 * Maps one `SqlError` (or `ResultLengthMismatch`, or any driver error) to the catalogue.
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 * import { SqlError } from "@effect/sql/SqlError"
 *
 * const error = SqlErrors.fromSqlError(new SqlError({
 *   cause: {
 *     code: "23505",
 *     table: "users",
 *     constraint: "users_email_key",
 *     detail: "Key (email)=(ada@example.com) already exists."
 *   }
 * }), { resources: { users: "User" } })
 * // AlreadyExists { resource: "User", field: "email", identifier: "ada@example.com" }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSqlError = (error: unknown, options?: MapOptions): DbError => {
  const info = internal.classify(error)
  switch (info.kind) {
    case "unique_violation": {
      const key = internal.parseKeyDetail(info.detail)
      return new Errors.AlreadyExists({
        resource: resourceOf(info, options),
        identifier: key?.value ?? "",
        field: fieldOf(info, options, key?.field),
        details: baseDetails(info)
      })
    }
    case "foreign_key_violation": {
      const key = internal.parseKeyDetail(info.detail)
      const stillReferenced = info.detail?.includes("still referenced") ?? false
      const field = fieldOf(info, options, key?.field)
      return new Errors.InvalidState({
        message: stillReferenced
          ? `${resourceOf(info, options)} is still referenced (${field})`
          : `Referenced ${field}${key !== undefined ? ` '${key.value}'` : ""} does not exist`,
        details: {
          ...baseDetails(info),
          field,
          reason: stillReferenced ? "still_referenced" : "missing_reference"
        }
      })
    }
    case "not_null_violation":
    case "check_violation": {
      const notNull = info.kind === "not_null_violation"
      const path = notNull ? fieldOf(info, options, undefined) : checkField(info, options)
      return new Errors.ValidationFailed({
        errors: [{
          path,
          message: notNull ? "Required" : `Violates check constraint ${info.constraint ?? ""}`.trim(),
          type: notNull ? "required" : "check"
        }],
        details: baseDetails(info)
      })
    }
    default: {
      const retryable = info.kind === "connection" || info.kind === "acquire_timeout" ||
        info.kind === "transaction_conflict"
      const props: Errors.DatabaseError.Props = {
        message: info.message,
        retryable,
        cause: error,
        details: { ...baseDetails(info), kind: info.kind, code: info.code }
      }
      return new Errors.DatabaseError(info.sqlState !== undefined ? { ...props, sqlState: info.sqlState } : props)
    }
  }
}

/**
 * The error channel after `mapError`: every `SqlError` replaced by the catalogue errors.
 *
 * @since 0.1.0
 * @category models
 */
export type Mapped<E> = Exclude<E, SqlError | ResultLengthMismatch> | DbError

/**
 * Maps the `SqlError`s of an effect to the catalogue (other errors pass through). Use it
 * at the edge of a repository so services see `AlreadyExists`, `DatabaseError`, ….
 * Data-last `mapError(options?)` or data-first `mapError(effect, options?)`.
 *
 * @example
 * ```ts
 * import { SqlErrors } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const insertUser = (email: string) =>
 *   Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO users ${sql.insert({ email })}`).pipe(
 *     SqlErrors.mapError({ resources: { users: "User" } })
 *   )
 * // Effect<..., AlreadyExists | InvalidState | ValidationFailed | DatabaseError, SqlClient>
 *
 * // in a pipe, call it (`SqlErrors.mapError()`), do not pass it bare
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapError: {
  (options?: MapOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, Mapped<E>, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, options?: MapOptions): Effect.Effect<A, Mapped<E>, R>
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(self: Effect.Effect<A, E, R>, options?: MapOptions): Effect.Effect<A, Mapped<E>, R> =>
    Effect.mapError(
      self,
      (error) => internal.isSqlError(error) ? fromSqlError(error, options) : error
    ) as Effect.Effect<A, Mapped<E>, R>
)
