/**
 * Examples for docs/database.md (compiled by `npm run typecheck`).
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Errors, Health } from "@strata/core"
import { Database, PgliteClient, SqlErrors } from "@strata/sql"
import { Effect, Layer, Option, Redacted } from "effect"

// --- 1. Pick a layer ---

// From configuration: Postgres when DATABASE_URL (or DATABASE_HOST) is set, else embedded PGlite.
export const DatabaseLive = Database.layerConfig.pipe(Layer.provideMerge(Health.layer))

// Explicitly: a Postgres server ...
export const PostgresLive = Database.layerPg({
  url: Redacted.make("postgres://app@localhost:5432/app"),
  maxConnections: 20, //            default 10
  connectTimeout: "3 seconds", //   default 5 s: also the longest wait for a free connection
  statementTimeout: "30 seconds", // Postgres statement_timeout; default none
  ssl: true
})

// ... or embedded Postgres, in memory (tests) or in a directory.
export const EmbeddedLive = Database.layerPglite({ dataDir: "./.data/pglite" })
export const TestDatabase = Database.layerPglite()

// --- 2. Queries, inserts, transactions ---

export const createSchema = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // several statements without parameters run in one go, on both back ends
  yield* sql`
    CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, age int CHECK (age >= 0));
    CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), total int NOT NULL)`
})

export const placeOrder = (email: string, total: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [user] = yield* sql<{ readonly id: number }>`
      INSERT INTO users ${sql.insert({ email })} RETURNING id`
    yield* sql`INSERT INTO orders ${sql.insert({ user_id: user!.id, total })}`
    return user!.id
  }).pipe(
    Database.withTransaction, // nested withTransaction calls become savepoints
    Database.mapErrors({ resources: { users: "User" } })
  )
// Effect<number, AlreadyExists | InvalidState | ValidationFailed | DatabaseError, SqlClient>

// --- 3. Typed errors ---

export const register = (email: string) =>
  placeOrder(email, 0).pipe(
    Effect.catchTags({
      AlreadyExists: (error) => Effect.succeed(`taken: ${error.field} ${error.identifier}`), // field "email"
      DatabaseError: (error) =>
        error.retryable ? Effect.fail(error) : Effect.die(error) // retryable: connection lost, deadlock, ...
    })
  )

// Without the combinator: classify one error yourself.
export const describeError = (error: SqlError): string => {
  const info = SqlErrors.classify(error) // { kind, sqlState, constraint, table, ... }
  return `${info.kind} (${info.code})`
}

// --- 4. Reads that survive a server restart ---

// layerPg retries a plain SELECT outside a transaction once; wrap other idempotent reads yourself.
export const monthlyReport = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql`WITH t AS (SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id) SELECT * FROM t`).pipe(
    Database.retryReads,
    Database.mapErrors()
  )

// --- 5. Health and pool statistics ---

export const status = Effect.gen(function*() {
  yield* Database.ping // SELECT 1 under the check's timeout; DatabaseError when down
  const pool = yield* Database.poolStats // Some({ total, idle, waiting, max }) on Postgres
  return Option.getOrUndefined(pool)
})

// --- 6. PGlite directly ---

export const withJson = Effect.gen(function*() {
  const sql = yield* PgliteClient.PgliteClient
  yield* sql`CREATE TABLE events (id serial PRIMARY KEY, payload jsonb NOT NULL)`
  yield* sql`INSERT INTO events ${sql.insert({ payload: sql.json({ kind: "signup" }) })}`
  return yield* sql<{ readonly payload: unknown }>`SELECT payload FROM events`
}).pipe(Effect.provide(PgliteClient.layer()))

export const isDown = (error: Errors.DatabaseError): boolean => SqlErrors.isConnectionError(error)
