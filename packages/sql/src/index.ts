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
