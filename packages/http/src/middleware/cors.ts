/**
 * CORS with an origin allowlist. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as cors_ from "../internal/middlewareCors.js"
import type { Middleware } from "../Middleware.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface CorsOptions {
  /**
   * Allowed origins: exact (`https://app.example.com`), patterns (`*.example.com`,
   * `https://*.example.com`) or `*`. Default none.
   */
  readonly origins?: ReadonlyArray<string> | undefined
  /** Send `Access-Control-Allow-Credentials: true` (the origin is then reflected, never `*`). Default false. */
  readonly credentials?: boolean | undefined
  /** Default `GET, HEAD, POST, PUT, PATCH, DELETE`. */
  readonly methods?: ReadonlyArray<string> | undefined
  /** Default `authorization, content-type, x-request-id, traceparent, tracestate`; empty: reflect the request's. */
  readonly allowedHeaders?: ReadonlyArray<string> | undefined
  /** Default `x-request-id, traceparent, retry-after`. */
  readonly exposedHeaders?: ReadonlyArray<string> | undefined
  /** How long browsers cache a preflight, in seconds; default 600. */
  readonly maxAge?: number | undefined
}

/**
 * CORS with an origin allowlist. Requests without `Origin` pass untouched; preflights
 * (`OPTIONS` with `Access-Control-Request-Method`) are answered `204` — with the CORS headers
 * when the origin is allowed, without them (so the browser blocks) when it is not.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.cors({ origins: ["https://app.example.com", "*.example.org"], credentials: true })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cors = (options?: CorsOptions): Middleware => cors_.make(cors_.settingsOf(options))
