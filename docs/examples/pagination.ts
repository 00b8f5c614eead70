/**
 * Examples for docs/pagination.md (compiled by `npm run typecheck`; run by
 * packages/sql/test/PaginationDocs.test.ts). The `users` table comes from ./migrations.ts.
 */
import { SqlClient } from "@effect/sql"
import { Pagination, Uniqueness } from "@strata/sql"
import { Effect, Schema } from "effect"

// --- 1. A paginated query: base query + filters, row schema, sort allowlist, tiebreaker ---

export const User = Schema.Struct({
  id: Schema.Number,
  username: Schema.String,
  email: Schema.String,
  createdAt: Schema.DateFromSelf
})

export interface UserFilters {
  readonly search?: string | undefined
  readonly active?: boolean | undefined
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%` // escape LIKE wildcards

const usersQuery = (sql: SqlClient.SqlClient, filters: UserFilters) =>
  sql`SELECT id, username, email, created_at AS "createdAt" FROM users WHERE ${
    sql.and([
      ...(filters.active === undefined ? [] : [sql`active = ${filters.active}`]),
      ...(filters.search === undefined ? [] : [sql`(username ILIKE ${like(filters.search)} OR email ILIKE ${like(filters.search)})`])
    ])
  }`

export const listUsers = Pagination.offset({
  name: "users",
  query: usersQuery,
  schema: User,
  sortable: { createdAt: "createdAt", username: "username" }, // API field → column of the query
  tiebreaker: "id", //                                             unique: equal sort values stay in order
  defaultSort: "-createdAt",
  maxPageSize: 50
})

// --- 2. The same query with cursors, and a transform to the response shape ---

export const usersFeed = Pagination.cursor({
  name: "users-feed",
  query: usersQuery,
  schema: User,
  sortable: { createdAt: "createdAt", username: "username" },
  tiebreaker: "id",
  defaultSort: "username",
  transform: (user) => ({ id: String(user.id), handle: `@${user.username}` })
})

// --- 3. Serving requests: URL parameters in, a page out ---

export const offsetEndpoint = (query: Record<string, string>) =>
  Effect.gen(function*() {
    const params = yield* Schema.decodeUnknown(Pagination.OffsetParams)(query) // "?page=2&pageSize=2&sort=username"
    return yield* listUsers(params, { active: true })
    // { items: [...], page: 2, pageSize: 2, total: 5, pages: 3, hasNext: true, hasPrev: true }
  })

export const walkFeed = Effect.gen(function*() {
  const first = yield* usersFeed({ limit: 2 }, {})
  // { items: [{ id: "2", handle: "@ada" }, { id: "1", handle: "@admin" }], nextCursor: "eyJ2Ijox…",
  //   prevCursor: null, hasNext: true, hasPrev: false }
  const second = first.nextCursor === null ? first : yield* usersFeed({ cursor: first.nextCursor, limit: 2 }, {})
  const back = second.prevCursor === null ? second : yield* usersFeed({ cursor: second.prevCursor, limit: 2 }, {})
  return { first, second, back } // back.items equals first.items
})

// --- 4. Errors: typed, with a status for the HTTP layer ---

export const badRequests = Effect.gen(function*() {
  const sort = yield* Effect.flip(listUsers({ sort: "-password" }, {}))
  // InvalidSortField { status: 422, field: "password", allowed: ["createdAt", "username"] }
  const cursor = yield* Effect.flip(usersFeed({ cursor: "eyJ2IjoxfQ.forged" }, {}))
  // InvalidCursor { status: 400, reason: "signature" } — no query ran
  const size = yield* Effect.flip(listUsers({ pageSize: 500 }, {}))
  // ValidationFailed { status: 422, errors: [{ path: "pageSize", type: "range", ... }] }
  return [sort._tag, cursor._tag, size._tag] as const
})

// --- 5. Uniqueness: a friendly field error first, the constraint as the race-free path ---

export const createUser = (username: string, email: string) =>
  Effect.gen(function*() {
    // both fields at once: "username: Username 'admin' is already taken; email: Email '…' is already registered"
    yield* Uniqueness.ensureAllUnique([
      { table: "users", column: "username", value: username },
      { table: "users", column: "email", value: email, caseInsensitive: true }
    ])
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO users ${sql.insert({ username, email })}`
  }).pipe(
    // a concurrent sign-up that wins the race: the same ValidationFailed, from the unique index
    Uniqueness.mapViolation({ fields: { users_lower_email_idx: "email" } })
  )

export const renameUser = (id: number, username: string) =>
  Uniqueness.ensureUnique({ table: "users", column: "username", value: username, excludeId: id })
