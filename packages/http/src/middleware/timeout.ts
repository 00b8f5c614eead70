/**
 * Timeout: a request over its time limit is interrupted and answered 504 (or 503). Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as timeout_ from "../internal/middlewareTimeout.js"
import type { Middleware } from "../Middleware.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface TimeoutOptions {
  /** Default 30 seconds; `Infinity` disables the middleware. */
  readonly duration?: Duration.DurationInput | undefined
  /** `504` (default, code `TIMEOUT`) or `503` (code `UNAVAILABLE`). */
  readonly status?: 503 | 504 | undefined
}

/**
 * Interrupts a request that runs over the limit and answers it with a problem response.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.timeout({ duration: "10 seconds" })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const timeout = (options?: TimeoutOptions): Middleware =>
  timeout_.make(options?.duration ?? "30 seconds", options?.status ?? 504)
