/**
 * Pagination over any query you write: offset (`page`, `pageSize` → `total`, `pages`) and
 * cursor / keyset (`cursor`, `limit` → `nextCursor`, `prevCursor`).
 *
 * - Sort fields come from an allowlist per query (API field → column). Anything else is
 *   `InvalidSortField` (422); column names reach SQL only as quoted identifiers from the
 *   allowlist, values only as bound parameters.
 * - A tiebreaker column (unique, e.g. `id`) ends every ordering, so pages are stable even
 *   when sort values repeat.
 * - Cursors are opaque and signed (HMAC-SHA256 with `CursorKey`): a tampered cursor, or one
 *   from another query, is `InvalidCursor` (400) and no query runs.
 * - Rows are decoded with a Schema, then optionally `transform`ed to the response shape.
 * - Every request records `pagination_operations_total` and `pagination_duration_seconds`
 *   (labels `kind`, `query`, `outcome`) and runs in a `Pagination.<kind>` span.
 *
 * @since 0.1.0
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import type * as Errors from "@strata/core/Errors"
import type { ValidationFailed } from "@strata/core/Errors"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as codec from "./internal/cursorCodec.js"
import type { InvalidCursor, InvalidSortField } from "./internal/paginationErrors.js"
import * as internal from "./internal/paginationRun.js"
import type { CursorPage, OffsetPage } from "./internal/paginationSchemas.js"
import * as sort from "./internal/paginationSort.js"

export {
  /** @since 0.1.0 */
  CursorKey
} from "./internal/cursorCodec.js"
export {
  /** @since 0.1.0 */
  config,
  /** @since 0.1.0 */
  layer,
  /** @since 0.1.0 */
  layerConfig
} from "./internal/cursorKey.js"
export {
  /** @since 0.1.0 */
  CursorPage,
  /** @since 0.1.0 */
  CursorParams,
  /** @since 0.1.0 */
  OffsetPage,
  /** @since 0.1.0 */
  OffsetParams
} from "./internal/paginationSchemas.js"
export {
  /** @since 0.1.0 */
  InvalidCursor,
  /** @since 0.1.0 */
  InvalidSortField
} from "./internal/paginationErrors.js"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Direction = Schema.Literal("asc", "desc")

/**
 * A sort direction.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const newestFirst: Pagination.Direction = "desc"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Direction = sort.Direction

/**
 * @since 0.1.0
 * @category schemas
 */
export const SortField = Schema.Struct({ field: Schema.String, direction: Direction })

/**
 * One sort key: an API field name (from the query's allowlist) and a direction.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const sort: ReadonlyArray<Pagination.SortField> = [{ field: "createdAt", direction: "desc" }]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type SortField = sort.SortField

/**
 * A sort as fields, or as the query-string form `-createdAt,username` (`-` descending,
 * `+` or nothing ascending, `field:desc` also accepted).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const fromQueryString: Pagination.Sort = "-createdAt,username"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Sort = sort.Sort

/**
 * Parses the query-string form of a sort; a malformed one is `ValidationFailed` on `sort`.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * Pagination.parseSort("-createdAt,username")
 * // Right([{ field: "createdAt", direction: "desc" }, { field: "username", direction: "asc" }])
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const parseSort: (input: string) => Either.Either<ReadonlyArray<SortField>, ValidationFailed> = sort.parseSort

/**
 * The tiebreaker: a unique, non-null column of the query's result, sorted last. Its
 * direction defaults to the last sort field's (ascending without a sort).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const tiebreaker: Pagination.Tiebreaker = { column: "id", direction: "asc" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Tiebreaker = sort.Tiebreaker

/**
 * What a paginated query is. `query` returns the base query (with your filters); it becomes
 * a subquery, so `sortable` and `tiebreaker` name its output columns. `F` is the filters'
 * type, passed through from the call (omit it for a query without filters).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Schema } from "effect"
 *
 * const User = Schema.Struct({ id: Schema.Number, username: Schema.String })
 * const options: Pagination.Options<typeof User.Type, typeof User.Encoded, never, typeof User.Type, void> = {
 *   name: "users",
 *   query: (sql) => sql`SELECT id, username FROM users`,
 *   schema: User,
 *   sortable: { username: "username" },
 *   tiebreaker: "id"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<A, I, R, B, F> {
  /** Names the query: metric label, span attribute, and what a cursor is bound to. */
  readonly name: string
  readonly query: (sql: SqlClient.SqlClient, filters: F) => Statement.Fragment
  readonly schema: Schema.Schema<A, I, R>
  /** The allowlist: API field → output column. */
  readonly sortable: Readonly<Record<string, string>>
  readonly tiebreaker: string | Tiebreaker
  /** The sort when a request has none. */
  readonly defaultSort?: Sort | undefined
  /** Maps each decoded row to the response item (the seed's `transform_func`). */
  readonly transform?: ((item: A) => B) | undefined
  /** Largest `pageSize` / `limit` accepted (default 100). */
  readonly maxPageSize?: number | undefined
  /** `pageSize` / `limit` when the request has none (default 20). */
  readonly defaultPageSize?: number | undefined
}

/**
 * Options of offset pagination: `countQuery` replaces `SELECT count(*) FROM (<query>)` (its
 * first column of its first row is the total).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * type Row = { readonly id: number }
 * const countQuery: Pagination.OffsetOptions<Row, Row, never, Row, void>["countQuery"] =
 *   (sql) => sql`SELECT count(*) FROM users`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OffsetOptions<A, I, R, B, F> extends Options<A, I, R, B, F> {
  readonly countQuery?: ((sql: SqlClient.SqlClient, filters: F) => Statement.Fragment) | undefined
}

/**
 * An offset request: `page` (from 1, default 1), `pageSize` (1 to `maxPageSize`), `sort`.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const request: Pagination.OffsetRequest = { page: 2, pageSize: 20, sort: "-createdAt" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type OffsetRequest = internal.OffsetRequest

/**
 * A cursor request: `cursor` from a previous page (none for the first page), `limit`
 * (1 to `maxPageSize`), `sort` (only for the first page; a cursor carries its sort).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const request: Pagination.CursorRequest = { limit: 20, sort: [{ field: "createdAt", direction: "desc" }] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type CursorRequest = internal.CursorRequest

/**
 * Offset pagination: runs `<query> ORDER BY <sort>, <tiebreaker> LIMIT/OFFSET` and a count
 * (skipped when the page is not full). Bad `page`/`pageSize` or sort syntax is
 * `ValidationFailed`, a field outside the allowlist `InvalidSortField`, a database failure
 * or a row that does not match the schema `DatabaseError`.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Effect, Schema } from "effect"
 *
 * const User = Schema.Struct({ id: Schema.Number, username: Schema.String, createdAt: Schema.DateFromSelf })
 *
 * const listUsers = Pagination.offset({
 *   name: "users",
 *   query: (sql, filters: { readonly active: boolean }) =>
 *     sql`SELECT id, username, created_at AS "createdAt" FROM users WHERE active = ${filters.active}`,
 *   schema: User,
 *   sortable: { createdAt: "createdAt", username: "username" },
 *   tiebreaker: "id",
 *   defaultSort: "-createdAt"
 * })
 *
 * const page = listUsers({ page: 2, pageSize: 20, sort: "username" }, { active: true })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const offset: <A, I, R, B = A, F = void>(
  options: OffsetOptions<A, I, R, B, F>
) => (
  request: OffsetRequest,
  filters: F
) => Effect.Effect<OffsetPage<B>, InvalidSortField | ValidationFailed | Errors.DatabaseError, SqlClient.SqlClient | R> =
  internal.offset

/**
 * Cursor (keyset) pagination: `WHERE (<sort keys>) after <cursor values> ORDER BY … LIMIT`,
 * with mixed directions and nulls handled; `prevCursor` pages backwards. No count, no
 * offset: pages stay fast and stable while rows are added. Needs the `CursorKey`.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Effect, Schema } from "effect"
 *
 * const Post = Schema.Struct({ id: Schema.Number, title: Schema.String })
 *
 * const feed = Pagination.cursor({
 *   name: "posts",
 *   query: (sql) => sql`SELECT id, title, published_at FROM posts WHERE published`,
 *   schema: Post,
 *   sortable: { publishedAt: "published_at" },
 *   tiebreaker: "id",
 *   defaultSort: "-publishedAt"
 * })
 *
 * const program = Effect.gen(function*() {
 *   const first = yield* feed({ limit: 10 })
 *   if (first.nextCursor !== null) yield* feed({ cursor: first.nextCursor, limit: 10 })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursor: <A, I, R, B = A, F = void>(
  options: Options<A, I, R, B, F>
) => (
  request: CursorRequest,
  filters: F
) => Effect.Effect<
  CursorPage<B>,
  InvalidSortField | InvalidCursor | ValidationFailed | Errors.DatabaseError,
  SqlClient.SqlClient | codec.CursorKey | R
> = internal.cursor
