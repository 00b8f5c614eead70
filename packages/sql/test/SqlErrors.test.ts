import { ResultLengthMismatch, SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { SqlErrors } from "@strata/sql"
import { Effect } from "effect"

const pgError = (fields: Record<string, string>): Error =>
  Object.assign(new Error(fields["message"] ?? "db error"), fields)
const sqlError = (cause: unknown) => new SqlError({ cause, message: "Failed to execute statement" })

describe("SqlErrors", () => {
  it("maps a unique violation to AlreadyExists with resource, field and value, composite keys too", () => {
    const error = SqlErrors.fromSqlError(sqlError(pgError({
      code: "23505",
      table: "users",
      constraint: "users_email_key",
      detail: "Key (email)=(ada@example.com) already exists."
    })), { resources: { users: "User" } })
    expect(error).toBeInstanceOf(Errors.AlreadyExists)
    expect(error).toMatchObject({ resource: "User", field: "email", identifier: "ada@example.com", status: 409 })

    const composite = SqlErrors.fromSqlError(sqlError(pgError({
      code: "23505",
      table: "members",
      constraint: "members_org_user_key",
      detail: "Key (org_id, user_id)=(1, 2) already exists."
    })), { fields: { members_org_user_key: "membership" } })
    expect(composite).toMatchObject({ resource: "members", field: "membership", identifier: "1, 2" })

    // without a detail (hidden by the server) the constraint names the field
    const bare = SqlErrors.fromSqlError(sqlError(pgError({ code: "23505", constraint: "users_email_key" })))
    expect(bare).toMatchObject({ resource: "Resource", field: "users_email_key", identifier: "" })
  })

  it("maps foreign key, not null and check violations", () => {
    const fk = SqlErrors.fromSqlError(sqlError(pgError({
      code: "23503",
      table: "orders",
      constraint: "orders_user_id_fkey",
      detail: "Key (user_id)=(9) is not present in table \"users\"."
    })))
    expect(fk).toBeInstanceOf(Errors.InvalidState)
    expect(fk.message).toBe("Referenced user_id '9' does not exist")
    expect(fk.details).toMatchObject({
      reason: "missing_reference",
      sqlState: "23503",
      constraint: "orders_user_id_fkey"
    })

    const notNull = SqlErrors.fromSqlError(sqlError(pgError({ code: "23502", table: "users", column: "email" })))
    expect(notNull).toBeInstanceOf(Errors.ValidationFailed)
    expect((notNull as Errors.ValidationFailed).errors).toMatchObject([{ path: "email", type: "required" }])

    const check = SqlErrors.fromSqlError(
      sqlError(pgError({ code: "23514", table: "items", constraint: "positive_qty" }))
    )
    expect((check as Errors.ValidationFailed).errors).toMatchObject([{ path: "positive_qty", type: "check" }])
  })

  it("classifies connection-class failures as retryable DatabaseErrors", () => {
    const causes: ReadonlyArray<unknown> = [
      pgError({ code: "57P01", message: "terminating connection due to administrator command" }),
      pgError({ code: "08006" }),
      pgError({ code: "53300" }),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      Object.assign(new AggregateError([Object.assign(new Error("refused"), { code: "ECONNREFUSED" })], "")),
      new Error("Connection terminated unexpectedly"),
      new Error("PGlite is closed")
    ]
    for (const cause of causes) {
      const error = SqlErrors.fromSqlError(sqlError(cause))
      expect(error).toBeInstanceOf(Errors.DatabaseError)
      expect(Errors.isRetryable(error)).toBe(true)
      expect(SqlErrors.isConnectionError(sqlError(cause))).toBe(true)
      expect(SqlErrors.isConnectionError(error)).toBe(true)
    }
    const acquire = SqlErrors.classify(sqlError(new Error("timeout exceeded when trying to connect")))
    expect(acquire).toMatchObject({ kind: "acquire_timeout", code: "ACQUIRE_TIMEOUT" })
    // retryable, but not a reason to retry a read at once on a saturated pool
    expect(Errors.isRetryable(SqlErrors.fromSqlError(sqlError(new Error("timeout exceeded when trying to connect")))))
      .toBe(true)
    expect(SqlErrors.isConnectionError(sqlError(new Error("timeout exceeded when trying to connect")))).toBe(false)
  })

  it("keeps the SQLSTATE of other errors, retryable only for serialization failures and deadlocks", () => {
    const syntax = SqlErrors.fromSqlError(
      sqlError(pgError({ code: "42601", message: "syntax error at or near \"SELEC\"" }))
    )
    expect(syntax).toMatchObject({ _tag: "DatabaseError", sqlState: "42601", retryable: false })
    expect(syntax.message).toBe("Failed to execute statement: syntax error at or near \"SELEC\"")
    expect(SqlErrors.isConnectionError(syntax)).toBe(false)
    expect(SqlErrors.fromSqlError(sqlError(pgError({ code: "40001" })))).toMatchObject({ retryable: true })
    expect(SqlErrors.fromSqlError(sqlError(pgError({ code: "40P01" })))).toMatchObject({ retryable: true })
    expect(SqlErrors.fromSqlError(new ResultLengthMismatch({ expected: 1, actual: 2 }))).toMatchObject({
      _tag: "DatabaseError",
      retryable: false,
      message: "Expected 1 results but got 2"
    })
  })

  it.effect("mapError replaces SqlErrors and lets other errors through, data-first and data-last", () =>
    Effect.gen(function*() {
      const failing = Effect.fail(
        sqlError(pgError({ code: "23505", table: "t", detail: "Key (id)=(1) already exists." }))
      )
      const mapped = yield* Effect.flip(failing.pipe(SqlErrors.mapError()))
      expect(mapped).toBeInstanceOf(Errors.AlreadyExists)
      const withOptions = yield* Effect.flip(SqlErrors.mapError(failing, { resource: "Thing" }))
      expect(withOptions).toMatchObject({ resource: "Thing", field: "id" })
      const other = yield* Effect.flip(Effect.fail("not sql" as const).pipe(SqlErrors.mapError()))
      expect(other).toBe("not sql")
      expect(yield* SqlErrors.mapError(Effect.succeed(1))).toBe(1)
    }))
})
