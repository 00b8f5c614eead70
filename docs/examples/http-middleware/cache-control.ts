/**
 * Examples for docs/http-middleware/cache-control.md (compiled by `npm run typecheck`, run
 * by cache-control.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Errors } from "@strata/core"
import { Middleware, Problem } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/catalog/:id", HttpServerResponse.unsafeJson({ id: 1, name: "Tea" })),
  HttpRouter.get("/catalog/gone", Effect.fail(new Errors.NotFound({ resource: "Item", id: "gone" }))),
  HttpRouter.get("/assets/app.js", HttpServerResponse.text("console.log(1)", { contentType: "text/javascript" })),
  HttpRouter.get("/me", HttpServerResponse.unsafeJson({ name: "Ada" })),
  // The handler knows best: its own Cache-Control is kept.
  HttpRouter.get("/news", HttpServerResponse.text("news", { headers: { "cache-control": "public, max-age=60" } }))
)

export const app = router.pipe(
  Problem.handleErrors, // inside, so errors are seen with their final status
  Middleware.cacheControl({
    rules: [
      { path: "/catalog/:id", methods: ["GET"], value: "public, max-age=300" },
      { path: "/assets/*", value: "public, max-age=31536000, immutable" }
    ]
    // everything else: no-store (the default `fallback`)
  })
)
