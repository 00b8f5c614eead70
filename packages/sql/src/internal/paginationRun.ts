/**
 * Offset and keyset pagination over any base query: the query becomes a subquery
 * (`SELECT … FROM (<query>) AS strata_page`), so sort columns are the base query's output
 * columns and filters stay the user's own SQL.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import { DatabaseError, ValidationFailed } from "@strata/core/Errors"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SqlErrors from "../SqlErrors.js"
import { CursorKey, decode, encode, type Payload } from "./cursorCodec.js"
import { measured } from "./paginationMetrics.js"
import { InvalidCursor, type InvalidSortField } from "./paginationErrors.js"
import * as sort from "./paginationSort.js"

/** @internal */
export interface Options<A, I, R, B, F> {
  readonly name: string
  readonly query: (sql: SqlClient.SqlClient, filters: F) => Statement.Fragment
  readonly schema: Schema.Schema<A, I, R>
  readonly sortable: Readonly<Record<string, string>>
  readonly tiebreaker: string | sort.Tiebreaker
  readonly defaultSort?: sort.Sort | undefined
  readonly transform?: ((item: A) => B) | undefined
  readonly maxPageSize?: number | undefined
  readonly defaultPageSize?: number | undefined
}

/** @internal */
export interface OffsetOptions<A, I, R, B, F> extends Options<A, I, R, B, F> {
  readonly countQuery?: ((sql: SqlClient.SqlClient, filters: F) => Statement.Fragment) | undefined
}

/** @internal */
export interface OffsetRequest {
  readonly page?: number | undefined
  readonly pageSize?: number | undefined
  readonly sort?: sort.Sort | undefined
}

/** @internal */
export interface CursorRequest {
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
  readonly sort?: sort.Sort | undefined
}

/** @internal */
export interface OffsetPage<A> {
  readonly items: ReadonlyArray<A>
  readonly page: number
  readonly pageSize: number
  readonly total: number
  readonly pages: number
  readonly hasNext: boolean
  readonly hasPrev: boolean
}

/** @internal */
export interface CursorPage<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor: string | null
  readonly prevCursor: string | null
  readonly hasNext: boolean
  readonly hasPrev: boolean
}

/** @internal */
export type OffsetError = InvalidSortField | ValidationFailed | DatabaseError

/** @internal */
export type CursorError = InvalidSortField | InvalidCursor | ValidationFailed | DatabaseError

type Row = Record<string, unknown>

const toDatabaseError = (name: string) => (error: unknown): DatabaseError => {
  const mapped = SqlErrors.fromSqlError(error)
  return mapped instanceof DatabaseError
    ? mapped
    : new DatabaseError({ message: mapped.message, operation: `pagination ${name}`, cause: error })
}

type Issue = { readonly path: string; readonly message: string; readonly type: string }

const sizeIssue = (path: string, value: number | undefined, min: number, max: number): Array<Issue> =>
  value === undefined || (Number.isInteger(value) && value >= min && value <= max)
    ? []
    : [{ path, message: `Must be an integer between ${min} and ${max}`, type: "range" }]

type Limits = Pick<Options<unknown, unknown, never, unknown, never>, "maxPageSize" | "defaultPageSize">

const limitsOf = (options: Limits): { readonly max: number; readonly fallback: number } => {
  const max = options.maxPageSize ?? 100
  return { max, fallback: Math.min(options.defaultPageSize ?? 20, max) }
}

const tiebreakerOf = (options: { readonly tiebreaker: string | sort.Tiebreaker }): sort.Tiebreaker =>
  typeof options.tiebreaker === "string" ? { column: options.tiebreaker } : options.tiebreaker

const requestedSort = (requested: sort.Sort | undefined, fallback: sort.Sort | undefined) =>
  Effect.flatMap(
    sort.normalize(requested),
    (fields) => fields.length > 0 ? Effect.succeed(fields) : sort.normalize(fallback)
  )

const decodeItems = <A, I, R, B, F>(options: Options<A, I, R, B, F>, rows: ReadonlyArray<Row>) =>
  Schema.decodeUnknown(Schema.Array(options.schema))(rows).pipe(
    Effect.mapError((error) =>
      new DatabaseError({
        message: `Rows of pagination '${options.name}' do not match its schema: ${error.message}`,
        operation: `pagination ${options.name}`,
        cause: error
      })
    ),
    Effect.map((items) =>
      options.transform === undefined ? items as unknown as ReadonlyArray<B> : items.map(options.transform)
    )
  )

/** @internal */
export const offset = <A, I, R, B, F>(options: OffsetOptions<A, I, R, B, F>) =>
(request: OffsetRequest, filters: F): Effect.Effect<OffsetPage<B>, OffsetError, SqlClient.SqlClient | R> =>
  Effect.gen(function*() {
    const { fallback, max } = limitsOf(options)
    const issues = [
      ...sizeIssue("page", request.page, 1, Number.MAX_SAFE_INTEGER),
      ...sizeIssue("pageSize", request.pageSize, 1, max)
    ]
    if (issues.length > 0) return yield* new ValidationFailed({ errors: issues })
    const page = request.page ?? 1
    const pageSize = request.pageSize ?? fallback
    const fields = yield* requestedSort(request.sort, options.defaultSort)
    const keys = yield* sort.resolveKeys(fields, options.sortable, tiebreakerOf(options))
    const sql = yield* SqlClient.SqlClient
    const base = options.query(sql, filters)
    const offsetRows = (page - 1) * pageSize
    const rows = yield* sql<Row>`SELECT * FROM (${base}) AS ${sql.literal(sort.alias)} ORDER BY ${
      sort.orderBy(sql, keys)
    } LIMIT ${pageSize} OFFSET ${offsetRows}`.pipe(Effect.mapError(toDatabaseError(options.name)))
    // a page that is not full ends the result, so the total is known without counting
    const total = rows.length < pageSize && (rows.length > 0 || page === 1)
      ? offsetRows + rows.length
      : yield* count(sql, options, filters, base)
    const items = yield* decodeItems(options, rows)
    const pages = Math.ceil(total / pageSize)
    return { items, page, pageSize, total, pages, hasNext: page < pages, hasPrev: page > 1 }
  }).pipe(measured("offset", options.name))

const count = <A, I, R, B, F>(
  sql: SqlClient.SqlClient,
  options: OffsetOptions<A, I, R, B, F>,
  filters: F,
  base: Statement.Fragment
): Effect.Effect<number, DatabaseError> =>
  (options.countQuery === undefined
    ? sql<Row>`SELECT count(*) AS total FROM (${base}) AS ${sql.literal(sort.alias)}`
    : sql<Row>`${options.countQuery(sql, filters)}`).pipe(
      Effect.mapError(toDatabaseError(options.name)),
      Effect.map((rows) => Number(Object.values(rows[0] ?? {})[0] ?? 0))
    )

const sameSort = (a: ReadonlyArray<sort.SortField>, b: ReadonlyArray<sort.SortField>): boolean =>
  a.length === b.length && a.every((field, i) => field.field === b[i]!.field && field.direction === b[i]!.direction)

const keyValues = (row: Row, count: number): ReadonlyArray<string | null> =>
  Array.from({ length: count }, (_, i) => {
    const value = row[sort.keyAlias(i)]
    return value === null || value === undefined ? null : String(value)
  })

const withoutKeys = (row: Row, count: number): Row => {
  const out: Row = { ...row }
  for (let i = 0; i < count; i++) delete out[sort.keyAlias(i)]
  return out
}

/** @internal */
export const cursor = <A, I, R, B, F>(options: Options<A, I, R, B, F>) =>
(request: CursorRequest, filters: F): Effect.Effect<CursorPage<B>, CursorError, SqlClient.SqlClient | CursorKey | R> =>
  Effect.gen(function*() {
    const { fallback, max } = limitsOf(options)
    const issues = sizeIssue("limit", request.limit, 1, max)
    if (issues.length > 0) return yield* new ValidationFailed({ errors: issues })
    const limit = request.limit ?? fallback
    const key = yield* CursorKey
    const tiebreaker = tiebreakerOf(options)
    const explicit = yield* sort.normalize(request.sort)

    let keys: ReadonlyArray<sort.Key>
    let position: Payload | undefined
    if (request.cursor !== undefined && request.cursor !== "") {
      position = yield* decode(key, request.cursor)
      if (position.q !== options.name) return yield* new InvalidCursor({ reason: "query" })
      const recorded = position.s.map(([field, direction]) => ({ field, direction }))
      if (explicit.length > 0 && !sameSort(explicit, recorded)) return yield* new InvalidCursor({ reason: "sort" })
      keys = yield* sort.resolveKeys(recorded, options.sortable, tiebreaker).pipe(
        Effect.mapError(() => new InvalidCursor({ reason: "sort" }))
      )
      if (position.k.length !== keys.length) return yield* new InvalidCursor({ reason: "malformed" })
    } else {
      const fields = explicit.length > 0 ? explicit : yield* sort.normalize(options.defaultSort)
      keys = yield* sort.resolveKeys(fields, options.sortable, tiebreaker)
    }

    const backwards = position?.d === "b"
    const sql = yield* SqlClient.SqlClient
    const where = position === undefined ? sql.literal("TRUE") : sort.after(sql, keys, position.k, backwards)
    const rows = yield* sql<Row>`SELECT ${sql.literal(sort.alias)}.*, ${sort.keyColumns(sql, keys)} FROM (${
      options.query(sql, filters)
    }) AS ${sql.literal(sort.alias)} WHERE ${where} ORDER BY ${sort.orderBy(sql, keys, backwards)} LIMIT ${limit + 1}`
      .pipe(Effect.mapError(toDatabaseError(options.name)))

    const more = rows.length > limit
    const page = backwards ? rows.slice(0, limit).reverse() : rows.slice(0, limit)
    const items = yield* decodeItems(options, page.map((row) => withoutKeys(row, keys.length)))
    const fields = sort.fieldsOf(keys).map(({ direction, field }) => [field, direction] as const)
    const cursorAt = (d: "a" | "b", values: ReadonlyArray<string | null>) =>
      encode(key, { v: 1, q: options.name, d, s: fields, k: values })
    const first = page[0]
    const last = page.at(-1)
    // without rows, the neighbours of the requested position are still reachable from it
    const firstValues = first === undefined ? position?.k : keyValues(first, keys.length)
    const lastValues = last === undefined ? position?.k : keyValues(last, keys.length)
    const hasNext = backwards ? true : more
    const hasPrev = backwards ? more : position !== undefined
    return {
      items,
      nextCursor: hasNext && lastValues !== undefined ? cursorAt("a", lastValues) : null,
      prevCursor: hasPrev && firstValues !== undefined ? cursorAt("b", firstValues) : null,
      hasNext,
      hasPrev
    }
  }).pipe(measured("cursor", options.name))
