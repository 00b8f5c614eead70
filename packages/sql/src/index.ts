/**
 * @since 0.1.0
 */
export * as Database from "./Database.js"

/**
 * @since 0.1.0
 */
export * as Migrations from "./Migrations.js"

/**
 * @since 0.1.0
 */
export * as Pagination from "./Pagination.js"

/**
 * @since 0.1.0
 */
export * as Uniqueness from "./Uniqueness.js"

/**
 * @since 0.1.0
 */
export * as PgliteClient from "./PgliteClient.js"

/**
 * @since 0.1.0
 */
export * as SqlErrors from "./SqlErrors.js"
