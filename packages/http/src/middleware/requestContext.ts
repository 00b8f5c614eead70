/**
 * Request context: the request id, accepted or created, in the fiber's `RequestContext`. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as requestId from "../internal/middlewareRequestId.js"
import type { Middleware } from "../Middleware.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface RequestContextOptions {
  /** The header read and echoed; default `x-request-id`. */
  readonly header?: string | undefined
  /** What an incoming id must look like to be kept; default 1–128 of `[A-Za-z0-9._:@=+/-]`. */
  readonly pattern?: RegExp | undefined
  /** Makes a new id; default `crypto.randomUUID`. */
  readonly generate?: (() => string) | undefined
}

/**
 * Accepts the incoming `X-Request-ID` when it is well formed, otherwise (missing, too long,
 * junk such as spaces or control characters) creates a new one — a bad id is replaced, not
 * rejected, so a misbehaving proxy cannot break requests. The id is echoed in the response
 * and put into the fiber's `RequestContext`, so every log line and problem response carries
 * it.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.requestContext()
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const requestContext = (options?: RequestContextOptions): Middleware =>
  requestId.make(options ?? {})
