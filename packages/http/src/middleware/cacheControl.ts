/**
 * Cache control: `Cache-Control` by path and method, `no-store` by default. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as cacheControl_ from "../internal/middlewareCacheControl.js"
import type { Middleware } from "../Middleware.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface CacheControlOptions {
  /**
   * First match wins. `path`: exact, `/static/*` (prefix) or `/users/:id` (`:x` is one
   * segment); `methods`: default all.
   */
  readonly rules?: ReadonlyArray<{
    readonly path: string
    readonly methods?: ReadonlyArray<string> | undefined
    readonly value: string
  }> | undefined
  /** For responses no rule matches; default `no-store` (OWASP); `undefined` leaves them alone. */
  readonly fallback?: string | undefined
  /** `no-store` on 4xx/5xx; default true. */
  readonly noStoreOnErrors?: boolean | undefined
  /** `no-store` when the request carries `Authorization`; default true. */
  readonly noStoreWhenAuthenticated?: boolean | undefined
}

/**
 * Sets `Cache-Control` by path pattern and method. Errors and responses to authenticated
 * requests get `no-store`; a `Cache-Control` the handler set itself is kept.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/catalog/:id", HttpServerResponse.text("item")),
 *   Middleware.cacheControl({ rules: [{ path: "/catalog/*", methods: ["GET"], value: "public, max-age=300" }] })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cacheControl = (options?: CacheControlOptions): Middleware =>
  cacheControl_.make(cacheControl_.settingsOf(options))
