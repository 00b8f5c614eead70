/**
 * The users table behind a service: plain SQL on the `SqlClient` (the same statements run
 * on Postgres and on embedded PGlite), rows decoded with {@link UserRow}, database failures
 * as the catalogue's `AlreadyExists` (unique username / e-mail) and `DatabaseError`.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Errors } from "@strata/core"
import { Pagination, SqlErrors } from "@strata/sql"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { NewUser, User, UserId, UserPatch } from "./User.js"
import { UserRow } from "./User.js"
import { sortable, type UserFilters, type UserListRequest, type UserPage } from "./UserQuery.js"

/**
 * The repository: one method per statement, no caching, no business rules.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { UserRepository } from "./UserRepository.js"
 *
 * const ada = Effect.flatMap(UserRepository, (users) => users.findById(1 as never))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class UserRepository extends Context.Tag("demo/UserRepository")<UserRepository, UserRepository.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace UserRepository {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly insert: (user: NewUser) => Effect.Effect<User, Errors.AlreadyExists | Errors.DatabaseError>
    readonly findById: (id: UserId) => Effect.Effect<Option.Option<User>, Errors.DatabaseError>
    /** `None` when there is no such user. */
    readonly update: (
      id: UserId,
      patch: UserPatch
    ) => Effect.Effect<Option.Option<User>, Errors.AlreadyExists | Errors.DatabaseError>
    /** `false` when there was no such user. */
    readonly delete: (id: UserId) => Effect.Effect<boolean, Errors.DatabaseError>
    readonly list: (
      request: UserListRequest
    ) => Effect.Effect<
      UserPage,
      Pagination.InvalidSortField | Pagination.InvalidCursor | Errors.ValidationFailed | Errors.DatabaseError
    >
  }
}

// The unique constraints of the migration, by the field a client sent.
const uniqueFields = { users_username_key: "username", users_email_key: "email" }

// A unique violation → `AlreadyExists` naming the field and value, without the table and
// constraint names the raw mapping carries (clients need not know them); the rest → `DatabaseError`.
const mapSqlError = (error: SqlError | ParseResult.ParseError): Errors.AlreadyExists | Errors.DatabaseError => {
  if (error._tag === "ParseError") {
    return new Errors.DatabaseError({ message: `A users row does not match the User schema: ${error.message}` })
  }
  const mapped = SqlErrors.fromSqlError(error, { resource: "User", fields: uniqueFields })
  switch (mapped._tag) {
    case "AlreadyExists":
      return Errors.alreadyExists("User", mapped.identifier, mapped.field)
    case "DatabaseError":
      return mapped
    default:
      return new Errors.DatabaseError({ message: mapped.message, cause: error })
  }
}

const onlyDatabaseErrors = (error: Errors.AlreadyExists | Errors.DatabaseError): Errors.DatabaseError =>
  error._tag === "DatabaseError" ? error : new Errors.DatabaseError({ message: error.message, cause: error })

const decodeRows = Schema.decodeUnknown(Schema.Array(UserRow))

// Escapes LIKE's wildcards, so a search for "50%" finds "50%" only.
const containing = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`

/**
 * Builds the repository on the `SqlClient`; the cursor key signs list cursors.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { make } from "./UserRepository.js"
 *
 * const repository = make // Effect<UserRepository.Service, never, SqlClient | CursorKey>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<UserRepository.Service, never, SqlClient.SqlClient | Pagination.CursorKey> = Effect
  .gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const context = yield* Effect.context<SqlClient.SqlClient | Pagination.CursorKey>()

    const columns = sql.literal(
      `id, username, email, full_name AS "fullName", active, tags, created_at AS "createdAt", updated_at AS "updatedAt"`
    )
    const rows = <E>(statement: Effect.Effect<ReadonlyArray<unknown>, E>) =>
      Effect.flatMap(statement, (result) => decodeRows(result))
    const first = (result: ReadonlyArray<User>) => Option.fromNullable(result[0])

    const listQuery = (filters: UserFilters) =>
      sql`SELECT ${columns} FROM users WHERE ${
        sql.and([
          ...(filters.active === undefined ? [] : [sql`active = ${filters.active}`]),
          ...(filters.tag === undefined ? [] : [sql`tags @> ${JSON.stringify([filters.tag])}::jsonb`]),
          ...(filters.search === undefined ? [] : [
            sql`(username ILIKE ${containing(filters.search)} OR email ILIKE ${containing(filters.search)}
                 OR full_name ILIKE ${containing(filters.search)})`
          ])
        ])
      }`
    const paging = {
      query: (_: SqlClient.SqlClient, filters: UserFilters) => listQuery(filters),
      schema: UserRow,
      sortable,
      tiebreaker: "id",
      defaultSort: "-createdAt",
      maxPageSize: 100
    }
    const offsetPage = Pagination.offset({ ...paging, name: "users" })
    const cursorPage = Pagination.cursor({ ...paging, name: "users" })

    return {
      insert: (user) =>
        sql`INSERT INTO users ${
          sql.insert({
            username: user.username,
            email: user.email,
            full_name: user.fullName ?? null,
            active: user.active ?? true,
            tags: JSON.stringify([...new Set(user.tags ?? [])])
          })
        } RETURNING ${columns}`.pipe(
          rows,
          Effect.map((result) => result[0]!),
          Effect.mapError(mapSqlError),
          Effect.withSpan("UserRepository.insert")
        ),

      findById: (id) =>
        sql`SELECT ${columns} FROM users WHERE id = ${id}`.pipe(
          rows,
          Effect.map(first),
          Effect.mapError((error) => onlyDatabaseErrors(mapSqlError(error))),
          Effect.withSpan("UserRepository.findById", { attributes: { id } })
        ),

      update: (id, patch) => {
        const changes: Record<string, unknown> = {}
        if (patch.username !== undefined) changes["username"] = patch.username
        if (patch.email !== undefined) changes["email"] = patch.email
        if (patch.fullName !== undefined) changes["full_name"] = patch.fullName
        if (patch.active !== undefined) changes["active"] = patch.active
        if (patch.tags !== undefined) changes["tags"] = JSON.stringify([...new Set(patch.tags)])
        const statement = Object.keys(changes).length === 0
          ? sql`SELECT ${columns} FROM users WHERE id = ${id}`
          : sql`UPDATE users SET ${sql.update(changes)}, updated_at = now() WHERE id = ${id} RETURNING ${columns}`
        return statement.pipe(
          rows,
          Effect.map(first),
          Effect.mapError(mapSqlError),
          Effect.withSpan("UserRepository.update", { attributes: { id } })
        )
      },

      delete: (id) =>
        sql`DELETE FROM users WHERE id = ${id} RETURNING id`.pipe(
          Effect.map((result) => result.length > 0),
          Effect.mapError((error) => onlyDatabaseErrors(mapSqlError(error))),
          Effect.withSpan("UserRepository.delete", { attributes: { id } })
        ),

      list: (request) => {
        const page: Effect.Effect<
          UserPage,
          Pagination.InvalidSortField | Pagination.InvalidCursor | Errors.ValidationFailed | Errors.DatabaseError,
          SqlClient.SqlClient | Pagination.CursorKey
        > = request._tag === "Offset"
          ? offsetPage(request.page, request.filters)
          : cursorPage(request.page, request.filters)
        return page.pipe(
          Effect.provide(context),
          Effect.withSpan("UserRepository.list", { attributes: { mode: request._tag } })
        )
      }
    }
  })

/**
 * The repository as a layer.
 *
 * @example
 * ```ts
 * import { Database, Pagination } from "@strata/sql"
 * import { Layer } from "effect"
 * import { layer } from "./UserRepository.js"
 *
 * const RepositoryLive = layer.pipe(Layer.provide(Pagination.layerConfig), Layer.provide(Database.layerPglite()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<UserRepository, never, SqlClient.SqlClient | Pagination.CursorKey> = Layer.effect(
  UserRepository,
  make
)
