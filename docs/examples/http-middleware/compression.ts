/**
 * Examples for docs/http-middleware/compression.md (compiled by `npm run typecheck`, run by
 * compression.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Middleware } from "@strata/http"

const report = Array.from({ length: 200 }, (_, i) => ({ line: i, text: "quarterly figures" }))

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/report", HttpServerResponse.unsafeJson(report)), // ~8 KiB of JSON
  HttpRouter.get("/tiny", HttpServerResponse.unsafeJson({ ok: true })),
  HttpRouter.get("/logo.png", HttpServerResponse.uint8Array(new Uint8Array(4096), { contentType: "image/png" }))
)

// brotli when the client takes it, else gzip; bodies under 1 KiB and images are sent as they are.
export const app = router.pipe(Middleware.compression())

// gzip only, from 4 KiB, fastest level.
export const light = router.pipe(Middleware.compression({ brotli: false, minSize: 4096, level: 1 }))
