/**
 * Compression: brotli or gzip response bodies, as the client accepts. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as compression_ from "../internal/middlewareCompression.js"
import type { Middleware } from "../Middleware.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface CompressionOptions {
  /** Smaller bodies are sent as they are; default 1024 bytes. */
  readonly minSize?: number | undefined
  /** Prefer brotli when the client accepts it; default true. */
  readonly brotli?: boolean | undefined
  /** gzip level 1–9 (brotli quality is `level - 2`); default 6. */
  readonly level?: number | undefined
}

/**
 * Compresses complete response bodies (not streams) of at least `minSize` bytes with brotli
 * or gzip, as the request's `Accept-Encoding` allows; already-compressed media types
 * (images except SVG, audio, video, archives, PDF, `octet-stream`) are left alone. Adds
 * `Content-Encoding` and `Vary: Accept-Encoding`. Bodies up to 64 KiB are compressed
 * synchronously, larger ones on the libuv thread pool.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/report", HttpServerResponse.text("a long report")),
 *   Middleware.compression({ minSize: 2048 })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const compression = (options?: CompressionOptions): Middleware =>
  compression_.make({
    minSize: options?.minSize ?? 1024,
    brotli: options?.brotli ?? true,
    level: options?.level ?? 6
  })
