/**
 * Observation: a span (`tracing`) and the RED metrics (`metrics`) per request. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as observe from "../internal/middlewareObserve.js"
import type { Middleware } from "../Middleware.js"

/**
 * The paths that metrics and tracing skip by default.
 *
 * @example
 * ```ts
 * import { Middleware } from "@strata/http"
 *
 * const ignore = [...Middleware.defaultIgnore, "/ready"]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultIgnore: ReadonlyArray<string> = ["/metrics", "/health", "/health/*"]

/**
 * @since 0.1.0
 * @category models
 */
export interface ObserveOptions {
  /** Paths not observed: exact (`/metrics`) or a prefix (`/health/*`); default `defaultIgnore`. */
  readonly ignore?: ReadonlyArray<string> | undefined
}

/**
 * A `server` span per request, child of the W3C `traceparent` (or B3) of the request; the
 * response carries `traceparent` with the same trace id. Once the router matched, the span
 * is named `METHOD /route/:template`. The trace and span ids join the `RequestContext`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/users/:id", HttpServerResponse.text("ok")),
 *   Middleware.tracing()
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const tracing = (options?: ObserveOptions): Middleware => observe.tracing(options?.ignore ?? defaultIgnore)

/**
 * Records `http_requests_total` and `http_request_duration_seconds` by `method`, `route`
 * (the route template, `unmatched` for 404s outside any route) and `status`, and
 * `http_requests_in_progress` by `method` (the route is not known before routing). The route
 * template is read from the span of `tracing`, so place `tracing` outside `metrics` (as
 * `Http.defaults` does); without it `route` is `unknown`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/users/:id", HttpServerResponse.text("ok")),
 *   Middleware.metrics(),
 *   Middleware.tracing()
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const metrics = (options?: ObserveOptions): Middleware => observe.metrics(options?.ignore ?? defaultIgnore)
