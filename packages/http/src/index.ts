/**
 * @since 0.1.0
 */
export * as Server from "./Server.js"

/**
 * @since 0.1.0
 */
export * as Problem from "./Problem.js"

/**
 * @since 0.1.0
 */
export * as ClientIp from "./ClientIp.js"

/**
 * @since 0.1.0
 */
export * as Endpoints from "./Endpoints.js"

/**
 * @since 0.1.0
 */
export * as ApiClient from "./ApiClient.js"

/**
 * @since 0.1.0
 */
export * as Middleware from "./Middleware.js"

/**
 * @since 0.1.0
 */
export * as Http from "./Http.js"
