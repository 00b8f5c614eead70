/**
 * The cache's error. Re-exported by `Cache`.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * A cache operation failed.
 *
 * - `reason: "BackendFailure"`: the backend did not answer or refused the command (Redis
 *   down, timeout). Only seen with `strict: true`; otherwise the cache degrades.
 * - `reason: "InvalidValue"`: the caller's value cannot be stored (it does not encode with
 *   its schema or to JSON) or `increment` met a value that is not an integer. Always seen:
 *   degrading would hide a bug that fails the same way on every call.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 *
 * const error = new Cache.CacheError({
 *   reason: "BackendFailure",
 *   operation: "get",
 *   backend: "redis",
 *   message: "Connection is closed."
 * })
 * error.status // 503
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class CacheError extends Schema.TaggedError<CacheError>()("CacheError", {
  reason: Schema.Literal("BackendFailure", "InvalidValue"),
  operation: Schema.String,
  backend: Schema.String,
  key: Schema.optional(Schema.String),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  /** @since 0.1.0 */
  get code(): "CACHE_ERROR" {
    return "CACHE_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 500 | 503 {
    return this.reason === "BackendFailure" ? 503 : 500
  }
  /** Backend failures may succeed later; invalid values never will. @since 0.1.0 */
  get retryable(): boolean {
    return this.reason === "BackendFailure"
  }
}

/** @internal */
export const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : String(cause)

/** The value (or increment) given to `operation` is not acceptable. @internal */
export const invalidValue = (
  operation: string,
  backend: string,
  key: string,
  message: string,
  cause?: unknown
): CacheError => new CacheError({ reason: "InvalidValue", operation, backend, key, message, cause })
