/**
 * Sorting for pagination: parsing `-createdAt,username`, resolving API fields through the
 * query's allowlist, and the SQL fragments for `ORDER BY` and keyset conditions. Column
 * names only ever reach SQL as quoted identifiers taken from the allowlist; values only as
 * bound parameters.
 *
 * Nulls: a sort column may hold NULL. Ordering treats NULL as larger than every value (the
 * Postgres default: `ASC NULLS LAST`, `DESC NULLS FIRST`), and the keyset conditions follow
 * the same rule, so cursors step over NULL rows correctly.
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import { ValidationFailed } from "@strata/core/Errors"
import * as Either from "effect/Either"
import { InvalidSortField } from "./paginationErrors.js"

/** @internal */
export type Direction = "asc" | "desc"

/** @internal */
export interface SortField {
  readonly field: string
  readonly direction: Direction
}

/** @internal */
export type Sort = string | ReadonlyArray<SortField>

/** One ORDER BY key: the API field ("" for an appended tiebreaker), its column and direction. @internal */
export interface Key {
  readonly field: string
  readonly column: string
  readonly direction: Direction
}

/** @internal */
export const alias = "strata_page"

const sortError = (message: string): ValidationFailed =>
  new ValidationFailed({ errors: [{ path: "sort", message, type: "sort" }] })

/** `-createdAt, username, name:desc` → sort fields. @internal */
export const parseSort = (input: string): Either.Either<ReadonlyArray<SortField>, ValidationFailed> => {
  const fields: Array<SortField> = []
  for (const raw of input.split(",")) {
    const token = raw.trim()
    if (token === "") continue
    const colon = token.lastIndexOf(":")
    let field = token
    let direction: Direction = "asc"
    if (colon >= 0) {
      const suffix = token.slice(colon + 1).trim().toLowerCase()
      if (suffix !== "asc" && suffix !== "desc") return Either.left(sortError(`Invalid sort direction in '${token}'`))
      field = token.slice(0, colon).trim()
      direction = suffix
    } else if (token.startsWith("-") || token.startsWith("+")) {
      field = token.slice(1).trim()
      direction = token.startsWith("-") ? "desc" : "asc"
    }
    if (field === "") return Either.left(sortError(`Invalid sort '${token}'`))
    fields.push({ field, direction })
  }
  return Either.right(fields)
}

/** The sort as fields, from either form; directions of untyped input are checked. @internal */
export const normalize = (sort: Sort | undefined): Either.Either<ReadonlyArray<SortField>, ValidationFailed> => {
  if (sort === undefined) return Either.right([])
  if (typeof sort === "string") return parseSort(sort)
  for (const entry of sort) {
    if (typeof entry?.field !== "string" || (entry.direction !== "asc" && entry.direction !== "desc")) {
      return Either.left(sortError("Each sort entry needs a field and a direction of 'asc' or 'desc'"))
    }
  }
  return Either.right(sort)
}

/** @internal */
export interface Tiebreaker {
  readonly column: string
  readonly direction?: Direction | undefined
}

/**
 * Sort fields → keys through the allowlist (own properties only: `constructor` is not a
 * field), dropping repeated fields and appending the tiebreaker unless already sorted on.
 * @internal
 */
export const resolveKeys = (
  fields: ReadonlyArray<SortField>,
  sortable: Readonly<Record<string, string>>,
  tiebreaker: Tiebreaker
): Either.Either<ReadonlyArray<Key>, InvalidSortField> => {
  const keys: Array<Key> = []
  const seen = new Set<string>()
  for (const { direction, field } of fields) {
    if (!Object.hasOwn(sortable, field)) {
      return Either.left(new InvalidSortField({ field, allowed: Object.keys(sortable) }))
    }
    if (seen.has(field)) continue
    seen.add(field)
    keys.push({ field, column: sortable[field]!, direction })
  }
  if (!keys.some((key) => key.column === tiebreaker.column)) {
    const direction = tiebreaker.direction ?? keys.at(-1)?.direction ?? "asc"
    keys.push({ field: "", column: tiebreaker.column, direction })
  }
  return Either.right(keys)
}

/** The API-visible part of the keys (what a cursor records). @internal */
export const fieldsOf = (keys: ReadonlyArray<Key>): ReadonlyArray<SortField> =>
  keys.filter((key) => key.field !== "").map(({ direction, field }) => ({ field, direction }))

const column = (sql: SqlClient.SqlClient, name: string): Statement.Fragment => sql`${sql.literal(alias)}.${sql(name)}`

const flip = (direction: Direction): Direction => direction === "asc" ? "desc" : "asc"

/** `ORDER BY` keys, reversed when paging backwards. @internal */
export const orderBy = (sql: SqlClient.SqlClient, keys: ReadonlyArray<Key>, reverse = false): Statement.Fragment =>
  sql.csv(keys.map((key) => {
    const direction = reverse ? flip(key.direction) : key.direction
    return sql`${column(sql, key.column)} ${sql.literal(direction === "asc" ? "ASC NULLS LAST" : "DESC NULLS FIRST")}`
  }))

/** The key columns as text (exact for timestamps and numerics), aliased `stratakey<i>`. @internal */
export const keyColumns = (sql: SqlClient.SqlClient, keys: ReadonlyArray<Key>): Statement.Fragment =>
  sql.csv(keys.map((key, i) => sql`${column(sql, key.column)}::text AS ${sql.literal(keyAlias(i))}`))

/** Transform-proof aliases: no case, no underscore. @internal */
export const keyAlias = (i: number): string => `stratakey${i}`

/**
 * Rows strictly after `values` in the order of `keys` (before them when `reverse`): the
 * expanded form `(a > x) OR (a = x AND b > y) OR …`, which allows mixed directions and nulls.
 * @internal
 */
export const after = (
  sql: SqlClient.SqlClient,
  keys: ReadonlyArray<Key>,
  values: ReadonlyArray<string | null>,
  reverse = false
): Statement.Fragment => {
  const disjuncts: Array<Statement.Fragment> = []
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const value = values[i] ?? null
    const col = column(sql, key.column)
    const direction = reverse ? flip(key.direction) : key.direction
    // NULL sorts last ascending, first descending: it is the largest value
    const beyond = direction === "asc"
      ? (value === null ? undefined : sql`(${col} > ${value} OR ${col} IS NULL)`)
      : (value === null ? sql`${col} IS NOT NULL` : sql`${col} < ${value}`)
    if (beyond === undefined) continue
    const equal = keys.slice(0, i).map((prev, j) => {
      const v = values[j] ?? null
      const c = column(sql, prev.column)
      return v === null ? sql`${c} IS NULL` : sql`${c} = ${v}`
    })
    disjuncts.push(sql`(${sql.and([...equal, beyond])})`)
  }
  return disjuncts.length === 0 ? sql.literal("FALSE") : sql.or(disjuncts)
}
