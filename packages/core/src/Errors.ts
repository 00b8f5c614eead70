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
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
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

/**
 * Free-form structured context attached to an error.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Details = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * @since 0.1.0
 * @category models
 */
export type Details = typeof Details.Type

const details = Schema.optional(Details)
const message = Schema.String

type WithOptionalMessage<P> = Omit<P, "message"> & { readonly message?: string | undefined }
type Options = Schema.MakeOptions | undefined

/**
 * One field-level validation problem. `path` is the dotted path of the field
 * (`"address.city"`, `"items.0.sku"`; `""` for the input as a whole).
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const issue: Errors.FieldError = { path: "email", message: "Invalid email address", type: "email" }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export class FieldError extends Schema.Class<FieldError>("@strata/core/FieldError")({
  path: Schema.String,
  message: Schema.String,
  type: Schema.String
}) {}

/**
 * A resource that was looked up does not exist.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.NotFound({ resource: "User", id: "42" })
 * error.message // "User '42' not found"
 * error.status  // 404
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  resource: Schema.String,
  id: Schema.String,
  message,
  details
}, HttpApiSchema.annotations({ status: 404 })) {
  constructor(props: WithOptionalMessage<NotFound.Props>, options?: Options) {
    super({ ...props, message: props.message ?? `${props.resource} '${props.id}' not found` }, options)
  }
  /** @since 0.1.0 */
  get code(): "NOT_FOUND" {
    return "NOT_FOUND"
  }
  /** @since 0.1.0 */
  get status(): 404 {
    return 404
  }
}
/** @since 0.1.0 */
export declare namespace NotFound {
  /** @since 0.1.0 */
  export type Props = { readonly resource: string; readonly id: string; readonly message: string; readonly details?: Details }
}

/**
 * A resource with the same identifier already exists (a uniqueness violation).
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.AlreadyExists({ resource: "User", identifier: "ada@example.com", field: "email" })
 * error.code // "ALREADY_EXISTS"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  resource: Schema.String,
  identifier: Schema.String,
  field: Schema.String,
  message,
  details
}, HttpApiSchema.annotations({ status: 409 })) {
  constructor(props: WithOptionalMessage<AlreadyExists.Props>, options?: Options) {
    super({
      ...props,
      message: props.message ?? `${props.resource} with ${props.field} '${props.identifier}' already exists`
    }, options)
  }
  /** @since 0.1.0 */
  get code(): "ALREADY_EXISTS" {
    return "ALREADY_EXISTS"
  }
  /** @since 0.1.0 */
  get status(): 409 {
    return 409
  }
}
/** @since 0.1.0 */
export declare namespace AlreadyExists {
  /** @since 0.1.0 */
  export type Props = {
    readonly resource: string
    readonly identifier: string
    readonly field: string
    readonly message: string
    readonly details?: Details
  }
}

/**
 * The caller is not authenticated (missing, invalid or expired credentials).
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.Unauthenticated({ details: { reason: "expired_token" } })
 * error.status // 401
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  message,
  details
}, HttpApiSchema.annotations({ status: 401 })) {
  constructor(props: WithOptionalMessage<{ readonly details?: Details }> = {}, options?: Options) {
    super({ ...props, message: props.message ?? "Authentication required" }, options)
  }
  /** @since 0.1.0 */
  get code(): "UNAUTHENTICATED" {
    return "UNAUTHENTICATED"
  }
  /** @since 0.1.0 */
  get status(): 401 {
    return 401
  }
}

/**
 * The caller is authenticated but may not do this.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.PermissionDenied({ action: "edit", resource: "Document", permission: "documents:write" })
 * error.message // "Permission denied: edit on Document requires documents:write"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDenied extends Schema.TaggedError<PermissionDenied>()("PermissionDenied", {
  action: Schema.optional(Schema.String),
  resource: Schema.optional(Schema.String),
  permission: Schema.optional(Schema.String),
  message,
  details
}, HttpApiSchema.annotations({ status: 403 })) {
  constructor(props: WithOptionalMessage<PermissionDenied.Props> = {}, options?: Options) {
    const what = props.action !== undefined ? `: ${props.action}${props.resource ? ` on ${props.resource}` : ""}` : ""
    const needs = props.permission !== undefined ? ` requires ${props.permission}` : ""
    super({ ...props, message: props.message ?? `Permission denied${what}${needs}` }, options)
  }
  /** @since 0.1.0 */
  get code(): "PERMISSION_DENIED" {
    return "PERMISSION_DENIED"
  }
  /** @since 0.1.0 */
  get status(): 403 {
    return 403
  }
}
/** @since 0.1.0 */
export declare namespace PermissionDenied {
  /** @since 0.1.0 */
  export type Props = {
    readonly action?: string
    readonly resource?: string
    readonly permission?: string
    readonly message: string
    readonly details?: Details
  }
}

/**
 * A business rule forbids the request (e.g. "insufficient inventory").
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.BusinessRuleViolation({ message: "Cannot complete order", details: { reason: "insufficient_inventory" } })
 * error.status // 422
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class BusinessRuleViolation extends Schema.TaggedError<BusinessRuleViolation>()("BusinessRuleViolation", {
  message,
  details
}, HttpApiSchema.annotations({ status: 422 })) {
  /** @since 0.1.0 */
  get code(): "BUSINESS_RULE_VIOLATION" {
    return "BUSINESS_RULE_VIOLATION"
  }
  /** @since 0.1.0 */
  get status(): 422 {
    return 422
  }
}

/**
 * The resource is in a state that does not allow the transition.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.InvalidState({ currentState: "approved", expectedState: "pending" })
 * error.message // "Invalid state 'approved' (expected 'pending')"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidState extends Schema.TaggedError<InvalidState>()("InvalidState", {
  currentState: Schema.optional(Schema.String),
  expectedState: Schema.optional(Schema.String),
  message,
  details
}, HttpApiSchema.annotations({ status: 409 })) {
  constructor(props: WithOptionalMessage<InvalidState.Props> = {}, options?: Options) {
    const current = props.currentState !== undefined ? ` '${props.currentState}'` : ""
    const expected = props.expectedState !== undefined ? ` (expected '${props.expectedState}')` : ""
    super({ ...props, message: props.message ?? `Invalid state${current}${expected}` }, options)
  }
  /** @since 0.1.0 */
  get code(): "INVALID_STATE" {
    return "INVALID_STATE"
  }
  /** @since 0.1.0 */
  get status(): 409 {
    return 409
  }
}
/** @since 0.1.0 */
export declare namespace InvalidState {
  /** @since 0.1.0 */
  export type Props = {
    readonly currentState?: string
    readonly expectedState?: string
    readonly message: string
    readonly details?: Details
  }
}

/**
 * The operation is never allowed on this resource (e.g. deleting a system account).
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.OperationNotAllowed({ operation: "delete", reason: "system_account" })
 * error.status // 403
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class OperationNotAllowed extends Schema.TaggedError<OperationNotAllowed>()("OperationNotAllowed", {
  operation: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.String),
  message,
  details
}, HttpApiSchema.annotations({ status: 403 })) {
  constructor(props: WithOptionalMessage<OperationNotAllowed.Props> = {}, options?: Options) {
    const op = props.operation !== undefined ? ` '${props.operation}'` : ""
    const why = props.reason !== undefined ? `: ${props.reason}` : ""
    super({ ...props, message: props.message ?? `Operation${op} not allowed${why}` }, options)
  }
  /** @since 0.1.0 */
  get code(): "OPERATION_NOT_ALLOWED" {
    return "OPERATION_NOT_ALLOWED"
  }
  /** @since 0.1.0 */
  get status(): 403 {
    return 403
  }
}
/** @since 0.1.0 */
export declare namespace OperationNotAllowed {
  /** @since 0.1.0 */
  export type Props = {
    readonly operation?: string
    readonly reason?: string
    readonly message: string
    readonly details?: Details
  }
}

/**
 * Input failed validation. `errors` lists every field problem at once.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.ValidationFailed({
 *   errors: [{ path: "email", message: "Invalid email address", type: "email" }]
 * })
 * error.status // 422
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", {
  errors: Schema.Array(FieldError),
  message,
  details
}, HttpApiSchema.annotations({ status: 422 })) {
  constructor(
    props: WithOptionalMessage<{
      readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string; readonly type: string }>
      readonly details?: Details
    }>,
    options?: Options
  ) {
    const errors = props.errors.map((e) => e instanceof FieldError ? e : new FieldError(e))
    const summary = errors.map((e) => e.path === "" ? e.message : `${e.path}: ${e.message}`).join("; ")
    super({ ...props, errors, message: props.message ?? `Validation failed: ${summary}` }, options)
  }
  /** @since 0.1.0 */
  get code(): "VALIDATION_FAILED" {
    return "VALIDATION_FAILED"
  }
  /** @since 0.1.0 */
  get status(): 422 {
    return 422
  }
}

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
