/**
 * Secure request: suspicious or oversized requests are rejected before the handler runs. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as secure from "../internal/middlewareSecure.js"
import type { Middleware } from "../Middleware.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface SecureRequestOptions {
  /** Longer URLs are `414`; default 2048. */
  readonly maxUrlLength?: number | undefined
  /** More headers are `431`; default 100. */
  readonly maxHeaders?: number | undefined
  /** Header names and values together over this are `431`; default 8192 bytes. */
  readonly maxHeaderBytes?: number | undefined
  /**
   * A declared `Content-Length` over this is `413`; default 1 MiB. The Strata server has a
   * limit of its own (`bodyLimit`, also 1 MiB) that counts the bytes it reads: a body must
   * pass both, so the smaller wins. Raise both to accept more (`HTTP_BODY_LIMIT` sets both).
   */
  readonly maxBodySize?: number | undefined
  /**
   * Media types a `POST`/`PUT`/`PATCH` body may have, else `415`: exact, `text/*` or
   * `application/*+json` patterns; default JSON, `+json`, form-urlencoded, multipart — the
   * server's list (`HTTP_MEDIA_TYPES` sets both).
   */
  readonly mediaTypes?: ReadonlyArray<string> | undefined
  /** Reject `..` segments (also percent- and double-encoded), backslashes and NUL bytes with `400`; default true. */
  readonly blockTraversal?: boolean | undefined
}

/**
 * Rejects suspicious or oversized requests with a problem response before the handler runs:
 * path traversal (`400`, code `SECURITY_VIOLATION`), long URLs (`414`), too many or too large
 * headers (`431`), a declared body over the limit (`413`), a body of the wrong media type
 * (`415`). Malformed JSON and forbidden keys are `400` when the body is read (the server's
 * body parser). These checks run before routing, so `HttpServerRequest.withMaxBodySize` on a
 * route raises only the server's limit, not this one.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.post("/upload", HttpServerResponse.text("ok")),
 *   Middleware.secureRequest({ maxBodySize: 10 * 1024 * 1024 })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const secureRequest = (options?: SecureRequestOptions): Middleware => {
  const settings: { -readonly [K in keyof secure.Settings]?: secure.Settings[K] } = {}
  if (options?.maxUrlLength !== undefined) settings.maxUrlLength = options.maxUrlLength
  if (options?.maxHeaders !== undefined) settings.maxHeaders = options.maxHeaders
  if (options?.maxHeaderBytes !== undefined) settings.maxHeaderBytes = options.maxHeaderBytes
  if (options?.maxBodySize !== undefined) settings.maxBodySize = options.maxBodySize
  if (options?.mediaTypes !== undefined) settings.mediaTypes = options.mediaTypes
  if (options?.blockTraversal !== undefined) settings.blockTraversal = options.blockTraversal
  return secure.make(settings)
}
