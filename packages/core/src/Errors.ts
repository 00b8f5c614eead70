/**
 * The shared error catalogue. Every Strata package fails with these (or with its own
 * errors built the same way), so one mapping turns any of them into an HTTP problem
 * response, a log line or an event payload.
 *
 * Each error is a `Schema.TaggedError`: it is yieldable, it has a stable `code` and HTTP
 * `status`, a human `message`, optional `details`, and it encodes/decodes with Schema so it
 * survives crossing a process boundary.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import {
  NotFound,
  AlreadyExists,
  Unauthenticated,
  PermissionDenied,
  BusinessRuleViolation,
  InvalidState,
  OperationNotAllowed,
  ValidationFailed
} from "./internal/domainErrors.js"
import type { Details } from "./internal/domainErrors.js"
import {
  ConfigurationError,
  DatabaseError,
  ExternalServiceError,
  NetworkError,
  RateLimited,
  SecurityViolation,
  Timeout,
  Unavailable
} from "./internal/systemErrors.js"

export {
  /** @since 0.1.0 */
  Details,
  /** @since 0.1.0 */
  FieldError,
  /** @since 0.1.0 */
  NotFound,
  /** @since 0.1.0 */
  AlreadyExists,
  /** @since 0.1.0 */
  Unauthenticated,
  /** @since 0.1.0 */
  PermissionDenied,
  /** @since 0.1.0 */
  BusinessRuleViolation,
  /** @since 0.1.0 */
  InvalidState,
  /** @since 0.1.0 */
  OperationNotAllowed,
  /** @since 0.1.0 */
  ValidationFailed
} from "./internal/domainErrors.js"

export {
  /** @since 0.1.0 */
  ConfigIssue,
  /** @since 0.1.0 */
  ConfigurationError,
  /** @since 0.1.0 */
  DatabaseError,
  /** @since 0.1.0 */
  ExternalServiceError,
  /** @since 0.1.0 */
  NetworkError,
  /** @since 0.1.0 */
  RateLimited,
  /** @since 0.1.0 */
  SecurityViolation,
  /** @since 0.1.0 */
  Timeout,
  /** @since 0.1.0 */
  Unavailable
} from "./internal/systemErrors.js"

/**
 * Every error of the catalogue, as one Schema: decode an error that crossed a process
 * boundary (an event payload, an HTTP body) back into its class.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const wire = Schema.encodeSync(Errors.StrataError)(new Errors.NotFound({ resource: "User", id: "1" }))
 * const back = Schema.decodeUnknownSync(Errors.StrataError)(JSON.parse(JSON.stringify(wire)))
 * back._tag // "NotFound"
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const StrataError = Schema.Union(
  NotFound,
  AlreadyExists,
  Unauthenticated,
  PermissionDenied,
  BusinessRuleViolation,
  InvalidState,
  OperationNotAllowed,
  ValidationFailed,
  DatabaseError,
  NetworkError,
  ExternalServiceError,
  ConfigurationError,
  SecurityViolation,
  RateLimited,
  Timeout,
  Unavailable
)

/**
 * @since 0.1.0
 * @category models
 */
export type StrataError = typeof StrataError.Type

const tags: ReadonlySet<string> = new Set(StrataError.members.map((member) => member.identifier))

/**
 * True for an instance of any error in the catalogue.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * Errors.isStrataError(new Errors.NotFound({ resource: "User", id: "1" })) // true
 * Errors.isStrataError(new Error("boom")) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isStrataError = (u: unknown): u is StrataError =>
  u instanceof Error && Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) &&
  Predicate.hasProperty(u, "code")

/**
 * True when an error says that trying again may succeed (`retryable: true`). Retry
 * policies in `Resilience` retry only these by default.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * Errors.isRetryable(new Errors.NetworkError({ message: "reset" })) // true
 * Errors.isRetryable(new Errors.NotFound({ resource: "User", id: "1" })) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isRetryable = (u: unknown): boolean => Predicate.hasProperty(u, "retryable") && u.retryable === true

/**
 * Unwraps an `Option` or a nullable value, failing with `NotFound` when it is empty — the
 * seeds' `ensure_not_none`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Effect, Option } from "effect"
 *
 * const user = Errors.ensureFound(Option.none<{ name: string }>(), "User", "42")
 * // Effect<{ name: string }, NotFound>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const ensureFound = <A>(
  value: Option.Option<A> | A | null | undefined,
  resource: string,
  id: string | number
): Effect.Effect<Exclude<A, null | undefined>, NotFound> => {
  const option = Option.isOption(value) ? value : Option.fromNullable(value)
  return Option.match(option as Option.Option<Exclude<A, null | undefined>>, {
    onNone: () => Effect.fail(new NotFound({ resource, id: String(id) })),
    onSome: Effect.succeed
  })
}

/**
 * `NotFound` for a resource type and id — the seeds' `resource_not_found`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = Errors.notFound("Product", 7)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const notFound = (resource: string, id: string | number, message?: string): NotFound =>
  new NotFound({ resource, id: String(id), message })

/**
 * `AlreadyExists` for a resource and the field that clashed — the seeds' `resource_already_exists`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = Errors.alreadyExists("User", "ada@example.com", "email")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const alreadyExists = (resource: string, identifier: string, field = "id"): AlreadyExists =>
  new AlreadyExists({ resource, identifier, field })

/**
 * `ValidationFailed` for one field — the seeds' `validation_error`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = Errors.validationError("email", "Invalid email format", "email")
 * error.errors[0].path // "email"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const validationError = (path: string, message: string, type = "invalid"): ValidationFailed =>
  new ValidationFailed({ errors: [{ path, message, type }] })

/**
 * `PermissionDenied` for an action on a resource type — the seeds' `permission_denied`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = Errors.permissionDenied("edit", "Document", "documents:write")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const permissionDenied = (action: string, resource: string, permission?: string): PermissionDenied =>
  new PermissionDenied(permission === undefined ? { action, resource } : { action, resource, permission })

/**
 * `BusinessRuleViolation` with a message and details — the seeds' `business_logic_error`.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = Errors.businessRule("Cannot complete order", { reason: "insufficient_inventory" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const businessRule = (message: string, details?: Details): BusinessRuleViolation =>
  new BusinessRuleViolation(details === undefined ? { message } : { message, details })
