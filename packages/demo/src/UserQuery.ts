/**
 * How a list of users is asked for (`GET /users?…`) and what comes back: filters, a sort
 * from an allowlist, and either offset pages (`page`, `pageSize`) or cursor pages (`cursor`,
 * `limit`).
 *
 * @since 0.1.0
 */
import { Errors, Validators } from "@strata/core"
import { Pagination } from "@strata/sql"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { optional, Tag, User } from "./User.js"

const IntFromString = Schema.NumberFromString.pipe(Schema.int())

/**
 * The query string of `GET /users`. Offset mode: `page` (from 1) and `pageSize` (1–100,
 * default 20). Cursor mode: `cursor` (from the previous page) and `limit`; a request with
 * neither `cursor` nor `limit` is offset mode. `sort` is a list such as
 * `-createdAt,username` (`-` = descending) of the fields in {@link sortable}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { UserListParams } from "./UserQuery.js"
 *
 * Schema.decodeUnknownSync(UserListParams)({ active: "true", tag: "admin", sort: "-createdAt", page: "2" })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserListParams = Schema.Struct({
  search: optional(Schema.String.pipe(Validators.length({ min: 1, max: 100 }))).annotations({
    description: "Case-insensitive text in the username, e-mail or full name"
  }),
  active: optional(Schema.BooleanFromString).annotations({ description: "`true` or `false`" }),
  tag: optional(Tag).annotations({ description: "Only users with this tag" }),
  sort: optional(Schema.String).annotations({
    description: "Fields to sort by, `-` for descending: id, username, email, createdAt, updatedAt (default -createdAt)"
  }),
  page: optional(IntFromString).annotations({ description: "Offset mode: the page, from 1" }),
  pageSize: optional(IntFromString).annotations({ description: "Offset mode: users per page, 1–100 (default 20)" }),
  cursor: optional(Schema.String).annotations({ description: "`nextCursor` or `prevCursor` of a page" }),
  limit: optional(IntFromString).annotations({ description: "Cursor mode: users per page, 1–100 (default 20)" })
})

/**
 * @since 0.1.0
 * @category models
 */
export type UserListParams = typeof UserListParams.Type

/**
 * The filters of a list: free-text `search` (username, e-mail or name, case-insensitive),
 * `active`, and one `tag` the user must have.
 *
 * @example
 * ```ts
 * import type { UserFilters } from "./UserQuery.js"
 *
 * const filters: UserFilters = { search: "ada", active: true, tag: "admin" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface UserFilters {
  readonly search?: string | undefined
  readonly active?: boolean | undefined
  readonly tag?: string | undefined
}

/**
 * A list request, parsed: the filters and one of the two page modes.
 *
 * @example
 * ```ts
 * import type { UserListRequest } from "./UserQuery.js"
 *
 * const request: UserListRequest = { _tag: "Cursor", filters: { tag: "admin" }, page: { limit: 10 } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type UserListRequest =
  | { readonly _tag: "Offset"; readonly filters: UserFilters; readonly page: Pagination.OffsetRequest }
  | { readonly _tag: "Cursor"; readonly filters: UserFilters; readonly page: Pagination.CursorRequest }

/**
 * Splits the query string into filters and a page mode; `page`/`pageSize` together with
 * `cursor`/`limit` is a `ValidationFailed` naming both.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { toListRequest } from "./UserQuery.js"
 *
 * const request = Effect.runSync(toListRequest({ tag: "admin", limit: 10 })) // { _tag: "Cursor", ... }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const toListRequest = (params: UserListParams): Effect.Effect<UserListRequest, Errors.ValidationFailed> => {
  const filters: UserFilters = { search: params.search, active: params.active, tag: params.tag }
  const cursorMode = params.cursor !== undefined || params.limit !== undefined
  if (cursorMode && (params.page !== undefined || params.pageSize !== undefined)) {
    const message = "Use page and pageSize, or cursor and limit, not both"
    return Effect.fail(
      new Errors.ValidationFailed({
        errors: [
          { path: params.page !== undefined ? "page" : "pageSize", message, type: "exclusive" },
          { path: params.cursor !== undefined ? "cursor" : "limit", message, type: "exclusive" }
        ]
      })
    )
  }
  return Effect.succeed(
    cursorMode
      ? { _tag: "Cursor", filters, page: { cursor: params.cursor, limit: params.limit, sort: params.sort } }
      : { _tag: "Offset", filters, page: { page: params.page, pageSize: params.pageSize, sort: params.sort } }
  )
}

/**
 * An offset page of users: `items`, `page`, `pageSize`, `total`, `pages`, `hasNext`, `hasPrev`.
 *
 * @example
 * ```ts
 * import { UserOffsetPage } from "./UserQuery.js"
 *
 * const fields = Object.keys(UserOffsetPage.fields)
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserOffsetPage = Pagination.OffsetPage(User).annotations({ identifier: "UserOffsetPage" })

/**
 * A cursor page of users: `items`, `nextCursor`, `prevCursor` (null at either end), `hasNext`, `hasPrev`.
 *
 * @example
 * ```ts
 * import { UserCursorPage } from "./UserQuery.js"
 *
 * const fields = Object.keys(UserCursorPage.fields)
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserCursorPage = Pagination.CursorPage(User).annotations({ identifier: "UserCursorPage" })

/**
 * What `GET /users` returns: an offset page, or a cursor page in cursor mode.
 *
 * @example
 * ```ts
 * import { UserPage } from "./UserQuery.js"
 *
 * const isCursorPage = (page: typeof UserPage.Type) => "nextCursor" in page
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserPage = Schema.Union(UserOffsetPage, UserCursorPage)

/**
 * @since 0.1.0
 * @category models
 */
export type UserPage = typeof UserPage.Type

/**
 * The fields a list may be sorted by; anything else is an `InvalidSortField` (422). Maps
 * each API field to its column in the list query.
 *
 * @example
 * ```ts
 * import { sortable } from "./UserQuery.js"
 *
 * Object.keys(sortable) // ["id", "username", "email", "createdAt", "updatedAt"]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const sortable = {
  id: "id",
  username: "username",
  email: "email",
  createdAt: "createdAt",
  updatedAt: "updatedAt"
} as const
