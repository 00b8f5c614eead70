/**
 * Response envelope: `{ success, data, meta }` around successful JSON bodies (opt-in). Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as envelope_ from "../internal/middlewareEnvelope.js"
import type { Middleware } from "../Middleware.js"

/**
 * Wraps successful (`2xx`) JSON bodies as `{ success: true, data, meta: { requestId,
 * timestamp } }`. Problem responses keep their RFC 9457 shape (clients tell them apart by
 * `application/problem+json`); non-JSON and streamed bodies pass unchanged. Opt-in.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/user", HttpServerResponse.unsafeJson({ id: 1 })),
 *   Middleware.envelope
 * )
 * // GET /user → { "success": true, "data": { "id": 1 }, "meta": { "requestId": "...", "timestamp": "..." } }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const envelope: Middleware = envelope_.make()
