/**
 * HTTP middleware, each usable alone: `app.pipe(Middleware.cors({ origins: [...] }))`.
 * `Http.defaults` composes them in the recommended order. Every middleware precomputes its
 * headers, regexes and label sets once, and skips its work early when it does not apply.
 * Each lives in a file of its own under `src/middleware/`; this module gathers them.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"

/**
 * A middleware that keeps the app's error and requirement types.
 *
 * @since 0.1.0
 * @category models
 */
export type Middleware = <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R>

export * from "./middleware/requestContext.js"
export * from "./middleware/observe.js"
export * from "./middleware/timeout.js"
export * from "./middleware/cors.js"
export * from "./middleware/securityHeaders.js"
export * from "./middleware/secureRequest.js"
export * from "./middleware/compression.js"
export * from "./middleware/cacheControl.js"
export * from "./middleware/envelope.js"
export * from "./middleware/accessLog.js"
