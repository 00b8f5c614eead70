/**
 * Uniqueness checks that answer like validation: `Username 'ada' is already taken` as a
 * field error of `ValidationFailed`, the seed's database validation.
 *
 * Two paths, used together:
 * - `ensureUnique` asks before writing, so a form gets a friendly field error. It is a
 *   check-then-act: a concurrent insert can still win the race.
 * - the unique constraint decides. `mapViolation` turns its violation (a `SqlError` with
 *   SQLSTATE 23505, or the `AlreadyExists` that `SqlErrors.mapError` made of it) into the
 *   same field error, so the race-free path answers exactly like the check.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Errors from "@strata/core/Errors"
import * as Effect from "effect/Effect"
import * as SqlErrors from "./SqlErrors.js"

/**
 * A value that can be compared in SQL.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 *
 * const value: Uniqueness.Value = "ada@example.com"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Value = string | number | bigint | boolean | Date

/**
 * What must be unique: `value` in `table.column`, ignoring the row `excludeId` (the row being
 * updated, found by `idColumn`, default `id`). Names are database identifiers and are
 * quoted, never concatenated. `field` is the error's path (default: the column);
 * `caseInsensitive` compares with `lower()`; `message` replaces the default text.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 *
 * const check: Uniqueness.Options = {
 *   table: "users",
 *   column: "email",
 *   value: "ada@example.com",
 *   excludeId: 42,
 *   caseInsensitive: true
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly table: string
  readonly column: string
  readonly value: Value | null | undefined
  readonly excludeId?: Value | undefined
  readonly idColumn?: string | undefined
  readonly field?: string | undefined
  readonly caseInsensitive?: boolean | undefined
  readonly message?: string | undefined
}

const toDatabaseError = (error: unknown): Errors.DatabaseError => {
  const mapped = SqlErrors.fromSqlError(error)
  return mapped instanceof Errors.DatabaseError
    ? mapped
    : new Errors.DatabaseError({ message: mapped.message, operation: "uniqueness check", cause: error })
}

const label = (field: string): string => {
  const words = field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_.-]+/g, " ").trim().toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The field error of a taken value, as the seed words it: `Email 'x' is already registered`
 * for e-mail fields, `Username 'x' is already taken` otherwise; type `unique`.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 *
 * Uniqueness.fieldError("username", "ada")
 * // { path: "username", message: "Username 'ada' is already taken", type: "unique" }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fieldError = (
  field: string,
  value: unknown,
  message?: string
): { readonly path: string; readonly message: string; readonly type: "unique" } => ({
  path: field,
  message: message ?? `${label(field)} '${value instanceof Date ? value.toISOString() : String(value)}' is already ${
    /e-?mail/i.test(field) ? "registered" : "taken"
  }`,
  type: "unique"
})

/**
 * True when no other row holds the value (the seed's `validate_unique`). A `null` value is
 * always unique, as in a unique constraint.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const free = Uniqueness.isUnique({ table: "users", column: "username", value: "ada" })
 * // Effect<boolean, DatabaseError, SqlClient>
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const isUnique = (options: Options): Effect.Effect<boolean, Errors.DatabaseError, SqlClient.SqlClient> =>
  options.value === null || options.value === undefined ? Effect.succeed(true) : Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const column = sql(options.column)
    const same = options.caseInsensitive === true
      ? sql`lower(${column}) = lower(${options.value})`
      : sql`${column} = ${options.value}`
    const others = options.excludeId === undefined
      ? same
      : sql.and([same, sql`${sql(options.idColumn ?? "id")} <> ${options.excludeId}`])
    const rows = yield* sql<{ readonly taken: boolean }>`SELECT EXISTS (SELECT 1 FROM ${
      sql(options.table)
    } WHERE ${others}) AS taken`.pipe(Effect.mapError(toDatabaseError))
    return rows[0]?.taken !== true
  }).pipe(Effect.withSpan("Uniqueness.check", { attributes: { table: options.table, column: options.column } }))

/**
 * Fails with `ValidationFailed` (the field error of {@link fieldError}) when another row
 * holds the value.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const rename = (id: number, username: string) =>
 *   Uniqueness.ensureUnique({ table: "users", column: "username", value: username, excludeId: id })
 * // fails with: Validation failed: username: Username 'ada' is already taken
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const ensureUnique = (
  options: Options
): Effect.Effect<void, Errors.ValidationFailed | Errors.DatabaseError, SqlClient.SqlClient> =>
  ensureAllUnique([options])

/**
 * Checks several values and reports every taken one in a single `ValidationFailed`, so a
 * sign-up form learns about username and e-mail at once.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 *
 * const signUp = (username: string, email: string) =>
 *   Uniqueness.ensureAllUnique([
 *     { table: "users", column: "username", value: username },
 *     { table: "users", column: "email", value: email, caseInsensitive: true }
 *   ])
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const ensureAllUnique = (
  checks: ReadonlyArray<Options>
): Effect.Effect<void, Errors.ValidationFailed | Errors.DatabaseError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const errors: Array<ReturnType<typeof fieldError>> = []
    for (const check of checks) {
      if (!(yield* isUnique(check))) errors.push(fieldError(check.field ?? check.column, check.value, check.message))
    }
    if (errors.length > 0) return yield* new Errors.ValidationFailed({ errors })
  })

/**
 * Options of {@link mapViolation}: the field name per constraint or column
 * (`{ users_email_key: "email" }`) and per-field messages.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 *
 * const options: Uniqueness.ViolationOptions = { fields: { users_lower_email_idx: "email" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ViolationOptions {
  readonly fields?: Readonly<Record<string, string>> | undefined
  readonly messages?: Readonly<Record<string, string>> | undefined
}

const violation = (error: unknown, options: ViolationOptions | undefined): Errors.ValidationFailed | undefined => {
  const conflict = error instanceof Errors.AlreadyExists
    ? error
    : SqlErrors.isSqlError(error) && SqlErrors.classify(error).kind === "unique_violation"
    ? SqlErrors.fromSqlError(error)
    : undefined
  if (!(conflict instanceof Errors.AlreadyExists)) return undefined
  const constraint = conflict.details?.["constraint"]
  const fields = options?.fields ?? {}
  const named = (key: unknown): string | undefined =>
    typeof key === "string" && Object.hasOwn(fields, key) ? fields[key] : undefined
  const field = named(constraint) ?? named(conflict.field) ?? conflict.field
  const messages = options?.messages ?? {}
  const message = Object.hasOwn(messages, field) ? messages[field] : undefined
  return new Errors.ValidationFailed({ errors: [fieldError(field, conflict.identifier, message)] })
}

/**
 * The race-free path: turns a unique-constraint violation of the effect (a raw `SqlError`
 * with SQLSTATE 23505, or the `AlreadyExists` of `SqlErrors.mapError`) into the same
 * `ValidationFailed` as {@link ensureUnique}. Other errors pass through.
 *
 * @example
 * ```ts
 * import { Uniqueness } from "@strata/sql"
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 *
 * const createUser = (username: string) =>
 *   Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO users ${sql.insert({ username })}`).pipe(
 *     Uniqueness.mapViolation({ fields: { users_username_key: "username" } })
 *   )
 * // a concurrent duplicate fails with: username: Username 'ada' is already taken
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapViolation = (options?: ViolationOptions) =>
<A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Errors.AlreadyExists> | Errors.ValidationFailed, R> =>
  Effect.mapError(self, (error) => violation(error, options) ?? error as Exclude<E, Errors.AlreadyExists>)
