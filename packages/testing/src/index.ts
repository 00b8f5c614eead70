/**
 * @since 0.1.0
 */
export * as TestConfig from "./TestConfig.js"

/**
 * @since 0.1.0
 */
export * as LogCapture from "./LogCapture.js"

/**
 * @since 0.1.0
 */
export * as TestErrorReporter from "./TestErrorReporter.js"

/**
 * @since 0.1.0
 */
export * as TestServers from "./TestServers.js"

/**
 * @since 0.1.0
 */
export * as TestStrata from "./TestStrata.js"
