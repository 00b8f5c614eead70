/**
 * The errors of pagination requests. Re-exported by `Pagination`.
 *
 * @internal
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

const details = Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
type Options = Schema.MakeOptions | undefined

/**
 * A request asked to sort by a field that the query does not allow. `allowed` lists the
 * fields it does allow.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const error = new Pagination.InvalidSortField({ field: "password", allowed: ["createdAt", "username"] })
 * error.message // "Invalid sort field 'password' (allowed: createdAt, username)"
 * error.status  // 422
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSortField extends Schema.TaggedError<InvalidSortField>()("InvalidSortField", {
  field: Schema.String,
  allowed: Schema.Array(Schema.String),
  message: Schema.String,
  details
}, HttpApiSchema.annotations({ status: 422 })) {
  constructor(
    props: {
      readonly field: string
      readonly allowed: ReadonlyArray<string>
      readonly message?: string | undefined
      readonly details?: { readonly [key: string]: unknown }
    },
    options?: Options
  ) {
    super({
      ...props,
      message: props.message ?? `Invalid sort field '${props.field}' (allowed: ${props.allowed.join(", ")})`
    }, options)
  }
  /** @since 0.1.0 */
  get code(): "INVALID_SORT_FIELD" {
    return "INVALID_SORT_FIELD"
  }
  /** @since 0.1.0 */
  get status(): 422 {
    return 422
  }
}

/**
 * A cursor that this server did not issue for this query: malformed, tampered with (bad
 * signature), issued for another query, or for another sort. It is rejected before any
 * query runs; `reason` says which check failed.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const error = new Pagination.InvalidCursor({ reason: "signature" })
 * error.message // "Invalid cursor"
 * error.status  // 400
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()("InvalidCursor", {
  reason: Schema.Literal("malformed", "signature", "query", "sort"),
  message: Schema.String,
  details
}, HttpApiSchema.annotations({ status: 400 })) {
  constructor(
    props: {
      readonly reason: "malformed" | "signature" | "query" | "sort"
      readonly message?: string | undefined
      readonly details?: { readonly [key: string]: unknown }
    },
    options?: Options
  ) {
    super({ ...props, message: props.message ?? "Invalid cursor" }, options)
  }
  /** @since 0.1.0 */
  get code(): "INVALID_CURSOR" {
    return "INVALID_CURSOR"
  }
  /** @since 0.1.0 */
  get status(): 400 {
    return 400
  }
}
