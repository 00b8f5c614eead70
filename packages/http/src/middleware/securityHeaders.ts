/**
 * Security headers: the OWASP Secure Headers Project values on every response. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as headers from "../internal/middlewareSecurityHeaders.js"
import type { Middleware } from "../Middleware.js"

/**
 * The default security headers: the OWASP Secure Headers Project values (HSTS two years,
 * CSP, `nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
 * `Permissions-Policy`, COOP/CORP/COEP, …), by lower-case name.
 *
 * @example
 * ```ts
 * import { Middleware } from "@strata/http"
 *
 * Middleware.owaspHeaders["x-content-type-options"] // "nosniff"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const owaspHeaders: Readonly<Record<string, string>> = headers.owasp

/**
 * Adds the security headers to every response that passes through it. `overrides` replaces
 * a value, or removes the header with `false`, or adds one; a header the handler set itself
 * is kept.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.securityHeaders({
 *     "content-security-policy": "default-src 'none'",
 *     "cross-origin-embedder-policy": false
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const securityHeaders = (overrides?: Readonly<Record<string, string | false>>): Middleware =>
  headers.make(overrides)
