/**
 * System errors of the catalogue: failures of the world outside the request (database,
 * network, other services, configuration, limits). Re-exported by `Errors`.
 *
 * @internal
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"

const Details = Schema.Record({ key: Schema.String, value: Schema.Unknown })
type Details = typeof Details.Type
const details = Schema.optional(Details)
const cause = Schema.optional(Schema.Defect)
type WithOptional<P, K extends keyof P> = Omit<P, K> & { readonly [Key in K]?: P[Key] | undefined }
type Options = Schema.MakeOptions | undefined

/**
 * A database operation failed. `retryable` is true for connection-class failures
 * (the operation may succeed on another connection); `sqlState` carries the SQLSTATE.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.DatabaseError({ message: "connection refused", retryable: true })
 * Errors.isRetryable(error) // true
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseError extends Schema.TaggedError<DatabaseError>()("DatabaseError", {
  message: Schema.String,
  operation: Schema.optional(Schema.String),
  sqlState: Schema.optional(Schema.String),
  retryable: Schema.Boolean,
  cause,
  details
}, HttpApiSchema.annotations({ status: 500 })) {
  constructor(props: WithOptional<DatabaseError.Props, "retryable">, options?: Options) {
    super({ ...props, retryable: props.retryable ?? false }, options)
  }
  /** @since 0.1.0 */
  get code(): "DATABASE_ERROR" {
    return "DATABASE_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 500 {
    return 500
  }
}
/** @since 0.1.0 */
export declare namespace DatabaseError {
  /** @since 0.1.0 */
  export type Props = {
    readonly message: string
    readonly operation?: string
    readonly sqlState?: string
    readonly retryable: boolean
    readonly cause?: unknown
    readonly details?: Details
  }
}

/**
 * A network call failed before an answer came back (refused, reset, DNS). Retryable by default.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.NetworkError({ message: "ECONNRESET", target: "payments" })
 * error.retryable // true
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class NetworkError extends Schema.TaggedError<NetworkError>()("NetworkError", {
  message: Schema.String,
  target: Schema.optional(Schema.String),
  retryable: Schema.Boolean,
  cause,
  details
}, HttpApiSchema.annotations({ status: 502 })) {
  constructor(props: WithOptional<NetworkError.Props, "retryable">, options?: Options) {
    super({ ...props, retryable: props.retryable ?? true }, options)
  }
  /** @since 0.1.0 */
  get code(): "NETWORK_ERROR" {
    return "NETWORK_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 502 {
    return 502
  }
}
/** @since 0.1.0 */
export declare namespace NetworkError {
  /** @since 0.1.0 */
  export type Props = {
    readonly message: string
    readonly target?: string
    readonly retryable: boolean
    readonly cause?: unknown
    readonly details?: Details
  }
}

/**
 * Another service answered with a failure. `upstreamStatus` is its HTTP status, when any.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.ExternalServiceError({ service: "stripe", upstreamStatus: 503 })
 * error.message // "External service 'stripe' failed"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ExternalServiceError extends Schema.TaggedError<ExternalServiceError>()("ExternalServiceError", {
  service: Schema.String,
  upstreamStatus: Schema.optional(Schema.Number),
  message: Schema.String,
  retryable: Schema.Boolean,
  cause,
  details
}, HttpApiSchema.annotations({ status: 502 })) {
  constructor(props: WithOptional<ExternalServiceError.Props, "retryable" | "message">, options?: Options) {
    super({
      ...props,
      message: props.message ?? `External service '${props.service}' failed`,
      retryable: props.retryable ?? (props.upstreamStatus === undefined || props.upstreamStatus >= 500)
    }, options)
  }
  /** @since 0.1.0 */
  get code(): "EXTERNAL_SERVICE_ERROR" {
    return "EXTERNAL_SERVICE_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 502 {
    return 502
  }
}
/** @since 0.1.0 */
export declare namespace ExternalServiceError {
  /** @since 0.1.0 */
  export type Props = {
    readonly service: string
    readonly upstreamStatus?: number
    readonly message: string
    readonly retryable: boolean
    readonly cause?: unknown
    readonly details?: Details
  }
}

/**
 * One configuration problem: the key as the user writes it, what is wrong, and where the
 * value came from (`env`, `file`, `default`, `missing`).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ConfigIssue extends Schema.Class<ConfigIssue>("@strata/core/ConfigIssue")({
  key: Schema.String,
  message: Schema.String,
  source: Schema.String
}) {}

/**
 * Configuration is missing or invalid. `issues` lists every bad key at once.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.ConfigurationError({
 *   issues: [{ key: "DATABASE_URL", message: "Expected a URL", source: "env" }]
 * })
 * error.message // "Invalid configuration:\n  - DATABASE_URL (env): Expected a URL"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>()("ConfigurationError", {
  issues: Schema.Array(ConfigIssue),
  message: Schema.String,
  details
}, HttpApiSchema.annotations({ status: 500 })) {
  constructor(
    props: {
      readonly issues: ReadonlyArray<{ readonly key: string; readonly message: string; readonly source: string }>
      readonly message?: string | undefined
      readonly details?: Details
    },
    options?: Options
  ) {
    const issues = props.issues.map((i) => i instanceof ConfigIssue ? i : new ConfigIssue(i))
    const lines = issues.map((i) => `  - ${i.key} (${i.source}): ${i.message}`).join("\n")
    super({ ...props, issues, message: props.message ?? `Invalid configuration:\n${lines}` }, options)
  }
  /** @since 0.1.0 */
  get code(): "CONFIGURATION_ERROR" {
    return "CONFIGURATION_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 500 {
    return 500
  }
}

/**
 * A request looks like an attack or breaks a security rule (bad CSRF token, path traversal).
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.SecurityViolation({ message: "Path traversal rejected" })
 * error.status // 400
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class SecurityViolation extends Schema.TaggedError<SecurityViolation>()("SecurityViolation", {
  message: Schema.String,
  details
}, HttpApiSchema.annotations({ status: 400 })) {
  /** @since 0.1.0 */
  get code(): "SECURITY_VIOLATION" {
    return "SECURITY_VIOLATION"
  }
  /** @since 0.1.0 */
  get status(): 400 {
    return 400
  }
}

/**
 * Too many requests. `retryAfter` says when the caller may try again.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Duration } from "effect"
 *
 * const error = new Errors.RateLimited({ retryAfter: Duration.seconds(60) })
 * error.retryAfterSeconds // 60
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  retryAfter: Schema.DurationFromMillis,
  limit: Schema.optional(Schema.Number),
  message: Schema.String,
  details
}, HttpApiSchema.annotations({ status: 429 })) {
  constructor(props: WithOptional<RateLimited.Props, "message">, options?: Options) {
    super({ ...props, message: props.message ?? "Too many requests" }, options)
  }
  /** @since 0.1.0 */
  get code(): "RATE_LIMITED" {
    return "RATE_LIMITED"
  }
  /** @since 0.1.0 */
  get status(): 429 {
    return 429
  }
  /** Whole seconds to wait, at least 1 (the `Retry-After` header value). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(Duration.toMillis(this.retryAfter) / 1000))
  }
}
/** @since 0.1.0 */
export declare namespace RateLimited {
  /** @since 0.1.0 */
  export type Props = {
    readonly retryAfter: Duration.Duration
    readonly limit?: number
    readonly message: string
    readonly details?: Details
  }
}

/**
 * An operation did not finish within its deadline and was interrupted.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 * import { Duration } from "effect"
 *
 * const error = new Errors.Timeout({ operation: "fetch-user", after: Duration.seconds(2) })
 * error.message // "fetch-user timed out after 2s"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Schema.TaggedError<Timeout>()("Timeout", {
  operation: Schema.String,
  after: Schema.DurationFromMillis,
  message: Schema.String,
  retryable: Schema.Boolean,
  details
}, HttpApiSchema.annotations({ status: 504 })) {
  constructor(props: WithOptional<Timeout.Props, "message" | "retryable">, options?: Options) {
    super({
      ...props,
      message: props.message ?? `${props.operation} timed out after ${Duration.format(props.after)}`,
      retryable: props.retryable ?? true
    }, options)
  }
  /** @since 0.1.0 */
  get code(): "TIMEOUT" {
    return "TIMEOUT"
  }
  /** @since 0.1.0 */
  get status(): 504 {
    return 504
  }
}
/** @since 0.1.0 */
export declare namespace Timeout {
  /** @since 0.1.0 */
  export type Props = {
    readonly operation: string
    readonly after: Duration.Duration
    readonly message: string
    readonly retryable: boolean
    readonly details?: Details
  }
}

/**
 * A dependency refused work to protect itself: a circuit breaker is open, a bulkhead is
 * full, the process is shutting down. `reason` says which.
 *
 * @example
 * ```ts
 * import { Errors } from "@strata/core"
 *
 * const error = new Errors.Unavailable({ service: "payments", reason: "circuit-open" })
 * error.status // 503
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", {
  service: Schema.String,
  reason: Schema.String,
  retryAfter: Schema.optional(Schema.DurationFromMillis),
  message: Schema.String,
  details
}, HttpApiSchema.annotations({ status: 503 })) {
  constructor(props: WithOptional<Unavailable.Props, "message">, options?: Options) {
    super({ ...props, message: props.message ?? `${props.service} unavailable (${props.reason})` }, options)
  }
  /** @since 0.1.0 */
  get code(): "UNAVAILABLE" {
    return "UNAVAILABLE"
  }
  /** @since 0.1.0 */
  get status(): 503 {
    return 503
  }
}
/** @since 0.1.0 */
export declare namespace Unavailable {
  /** @since 0.1.0 */
  export type Props = {
    readonly service: string
    readonly reason: string
    readonly retryAfter?: Duration.Duration
    readonly message: string
    readonly details?: Details
  }
}
