/**
 * @since 0.1.0
 */
export * as Errors from "./Errors.js"

/**
 * @since 0.1.0
 */
export * as RequestContext from "./RequestContext.js"

/**
 * @since 0.1.0
 */
export * as Validation from "./Validation.js"

/**
 * @since 0.1.0
 */
export * as Validators from "./Validators.js"

/**
 * @since 0.1.0
 */
export * as ConfigSource from "./ConfigSource.js"

/**
 * @since 0.1.0
 */
export * as ConfigValues from "./ConfigValues.js"

/**
 * @since 0.1.0
 */
export * as Logging from "./Logging.js"

/**
 * @since 0.1.0
 */
export * as Redaction from "./Redaction.js"

/**
 * @since 0.1.0
 */
export * as Health from "./Health.js"

/**
 * @since 0.1.0
 */
export * as Lifecycle from "./Lifecycle.js"

/**
 * @since 0.1.0
 */
export * as Resilience from "./Resilience.js"

/**
 * @since 0.1.0
 */
export * as CircuitBreaker from "./CircuitBreaker.js"

/**
 * @since 0.1.0
 */
export * as Bulkhead from "./Bulkhead.js"

/**
 * @since 0.1.0
 */
export * as ErrorReporter from "./ErrorReporter.js"

/**
 * @since 0.1.0
 */
export * as Strata from "./Strata.js"
