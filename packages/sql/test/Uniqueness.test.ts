import { describe, expect, it, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Errors } from "@strata/core"
import { Database, Migrations, SqlErrors, Uniqueness } from "@strata/sql"
import { TestServers } from "@strata/testing"
import { Effect, Layer, Redacted } from "effect"

const schema = Migrations.fromRecord({
  "0001_accounts": `
    CREATE TABLE accounts (
      id integer PRIMARY KEY,
      username text NOT NULL UNIQUE,
      email text NOT NULL,
      nickname text
    );
    CREATE UNIQUE INDEX accounts_lower_email_idx ON accounts (lower(email));
    INSERT INTO accounts VALUES (1, 'ada', 'Ada@Example.com', NULL), (2, 'grace', 'grace@example.com', 'amazing');
    CREATE SCHEMA billing;
    CREATE TABLE billing."Invoices" ("Number" text PRIMARY KEY);
    INSERT INTO billing."Invoices" VALUES ('INV-1');`
})

const insert = (id: number, username: string, email: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO accounts ${sql.insert({ id, username, email })}`)

const suite = (backend: string, db: Layer.Layer<SqlClient.SqlClient, unknown>) =>
  layer(Layer.effectDiscard(Migrations.run(schema)).pipe(Layer.provideMerge(db)), { timeout: "60 seconds" })(
    `Uniqueness on ${backend}`,
    (it) => {
      it.effect("ensureUnique fails with the seed's field error when the value is taken", () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(
            Uniqueness.ensureUnique({ table: "accounts", column: "username", value: "ada" })
          )
          expect(error._tag).toBe("ValidationFailed")
          if (error._tag !== "ValidationFailed") return
          expect(error.errors).toEqual([
            new Errors.FieldError({ path: "username", message: "Username 'ada' is already taken", type: "unique" })
          ])
          expect(error.status).toBe(422)
          const email = yield* Effect.flip(Uniqueness.ensureUnique({
            table: "accounts",
            column: "email",
            value: "ADA@example.com",
            caseInsensitive: true
          }))
          expect(email.message).toBe("Validation failed: email: Email 'ADA@example.com' is already registered")
          yield* Uniqueness.ensureUnique({ table: "accounts", column: "username", value: "linus" })
          // exact comparison without caseInsensitive
          yield* Uniqueness.ensureUnique({ table: "accounts", column: "email", value: "ADA@example.com" })
        }))

      it.effect("excludeId ignores the row being updated; field and message can be named", () =>
        Effect.gen(function*() {
          yield* Uniqueness.ensureUnique({ table: "accounts", column: "username", value: "ada", excludeId: 1 })
          const error = yield* Effect.flip(Uniqueness.ensureUnique({
            table: "accounts",
            column: "username",
            value: "ada",
            excludeId: 2,
            field: "login",
            message: "Pick another login"
          }))
          expect(error._tag === "ValidationFailed" && error.errors[0]).toMatchObject({
            path: "login",
            message: "Pick another login",
            type: "unique"
          })
          expect(yield* Uniqueness.isUnique({ table: "accounts", column: "nickname", value: null })).toBe(true)
          expect(yield* Uniqueness.isUnique({ table: "accounts", column: "nickname", value: "amazing" })).toBe(false)
          expect(
            yield* Uniqueness.isUnique({ table: "billing.Invoices", column: "Number", value: "INV-1" })
          ).toBe(false)
        }))

      it.effect("ensureAllUnique reports every taken field at once", () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Uniqueness.ensureAllUnique([
            { table: "accounts", column: "username", value: "grace" },
            { table: "accounts", column: "email", value: "ada@example.com", caseInsensitive: true },
            { table: "accounts", column: "username", value: "nobody" }
          ]))
          expect(error._tag === "ValidationFailed" && error.errors.map((e) => e.path)).toEqual(["username", "email"])
        }))

      it.effect("identifiers are quoted: hostile names are a DatabaseError, never executed SQL", () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Uniqueness.ensureUnique({
            table: "accounts; DROP TABLE accounts; --",
            column: "username",
            value: "x"
          }))
          expect(error._tag).toBe("DatabaseError")
          if (error._tag === "DatabaseError") expect(error.sqlState).toBe("42P01")
          expect(yield* Uniqueness.isUnique({ table: "accounts", column: "username", value: "ada" })).toBe(false)
        }))

      it.effect("mapViolation gives the race-free path the same field error, from SqlError or AlreadyExists", () =>
        Effect.gen(function*() {
          const raw = yield* Effect.flip(insert(10, "ada", "new@example.com").pipe(Uniqueness.mapViolation()))
          expect(raw._tag === "ValidationFailed" && raw.errors[0]).toEqual(
            new Errors.FieldError({ path: "username", message: "Username 'ada' is already taken", type: "unique" })
          )
          const mapped = yield* Effect.flip(insert(11, "eve", "ADA@EXAMPLE.COM").pipe(
            SqlErrors.mapError(),
            Uniqueness.mapViolation({ fields: { accounts_lower_email_idx: "email" } })
          ))
          expect(mapped._tag === "ValidationFailed" && mapped.errors[0]).toMatchObject({
            path: "email",
            message: "Email 'ada@example.com' is already registered"
          })
          // not a unique violation: passes through untouched
          const other = yield* Effect.flip(
            Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT * FROM missing_table`).pipe(
              Uniqueness.mapViolation()
            )
          )
          expect(other._tag).toBe("SqlError")
        }))
    }
  )

describe("Uniqueness", () => {
  suite("PGlite", Database.layerPglite())
  TestServers.describeWithPostgres("PostgreSQL", () => {
    suite(
      "PostgreSQL",
      Layer.unwrapScoped(Effect.map(
        TestServers.freshDatabase({ prefix: "uniqueness" }),
        (url) => PgClient.layer({ url: Redacted.make(url) })
      ))
    )
  })

  it("fieldError words emails as registered and other fields as taken", () => {
    expect(Uniqueness.fieldError("email", "a@b.co").message).toBe("Email 'a@b.co' is already registered")
    expect(Uniqueness.fieldError("displayName", "Ada").message).toBe("Display name 'Ada' is already taken")
    expect(Uniqueness.fieldError("api_key", 7).message).toBe("Api key '7' is already taken")
  })
})
