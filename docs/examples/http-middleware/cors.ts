/**
 * Examples for docs/http-middleware/cors.md (compiled by `npm run typecheck`, run by
 * cors.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Middleware } from "@strata/http"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/profile", HttpServerResponse.unsafeJson({ name: "Ada" })),
  HttpRouter.put("/profile", HttpServerResponse.unsafeJson({ saved: true }))
)

// A browser app on app.example.com and any subdomain of example.org, with cookies.
export const app = router.pipe(
  Middleware.cors({
    origins: ["https://app.example.com", "*.example.org"],
    credentials: true,
    maxAge: 3600
  })
)

// A public, read-only API: any origin, no credentials (answers `*`).
export const open = router.pipe(Middleware.cors({ origins: ["*"], methods: ["GET"] }))
