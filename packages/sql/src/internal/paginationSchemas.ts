/**
 * Schemas of pagination requests and pages, for HTTP endpoints. Re-exported by `Pagination`.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import type * as run from "./paginationRun.js"

/**
 * A page of an offset query.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const empty: Pagination.OffsetPage<string> = {
 *   items: [], page: 1, pageSize: 20, total: 0, pages: 0, hasNext: false, hasPrev: false
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type OffsetPage<A> = run.OffsetPage<A>

/**
 * A page of a cursor query; a cursor is `null` when there is no page on that side.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const last: Pagination.CursorPage<string> = {
 *   items: ["z"], nextCursor: null, prevCursor: "eyJ2Ijox...", hasNext: false, hasPrev: true
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type CursorPage<A> = run.CursorPage<A>

/**
 * The response Schema of an offset page of `item`, for an `HttpApi` endpoint.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Schema } from "effect"
 *
 * const UsersPage = Pagination.OffsetPage(Schema.Struct({ id: Schema.Number, username: Schema.String }))
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const OffsetPage = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    items: Schema.Array(item),
    page: Schema.Number,
    pageSize: Schema.Number,
    total: Schema.Number,
    pages: Schema.Number,
    hasNext: Schema.Boolean,
    hasPrev: Schema.Boolean
  })

/**
 * The response Schema of a cursor page of `item`.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Schema } from "effect"
 *
 * const UsersPage = Pagination.CursorPage(Schema.Struct({ id: Schema.Number, username: Schema.String }))
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const CursorPage = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    items: Schema.Array(item),
    nextCursor: Schema.NullOr(Schema.String),
    prevCursor: Schema.NullOr(Schema.String),
    hasNext: Schema.Boolean,
    hasPrev: Schema.Boolean
  })

/**
 * Offset request parameters as they arrive in a URL (`?page=2&pageSize=20&sort=-createdAt`).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Schema } from "effect"
 *
 * const request = Schema.decodeUnknownSync(Pagination.OffsetParams)({ page: "2", sort: "-createdAt" })
 * // { page: 2, sort: "-createdAt" }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const OffsetParams = Schema.Struct({
  page: Schema.optional(Schema.NumberFromString),
  pageSize: Schema.optional(Schema.NumberFromString),
  sort: Schema.optional(Schema.String)
})

/**
 * Cursor request parameters as they arrive in a URL (`?cursor=…&limit=20`).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Schema } from "effect"
 *
 * const request = Schema.decodeUnknownSync(Pagination.CursorParams)({ limit: "50" }) // { limit: 50 }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const CursorParams = Schema.Struct({
  cursor: Schema.optional(Schema.String),
  limit: Schema.optional(Schema.NumberFromString),
  sort: Schema.optional(Schema.String)
})
