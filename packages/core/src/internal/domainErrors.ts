/**
 * Domain errors of the catalogue: what went wrong with the request itself (missing or
 * clashing resources, identity, permissions, business rules, validation). Re-exported by
 * `Errors`.
 *
 * @internal
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

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

