/**
 * @since 0.1.0
 */
export * as Metrics from "./Metrics.js"

/**
 * @since 0.1.0
 */
export * as Prometheus from "./Prometheus.js"

/**
 * @since 0.1.0
 */
export * as Tracing from "./Tracing.js"
