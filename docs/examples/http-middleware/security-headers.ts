/**
 * Examples for docs/http-middleware/security-headers.md (compiled by `npm run typecheck`,
 * run by security-headers.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Errors } from "@strata/core"
import { Middleware, Problem } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/", HttpServerResponse.text("home")),
  HttpRouter.get("/missing", Effect.fail(new Errors.NotFound({ resource: "Page", id: "x" }))),
  // A page that embeds its own policy: a header the handler sets is kept.
  HttpRouter.get(
    "/widget",
    HttpServerResponse.text("<p>widget</p>", {
      contentType: "text/html",
      headers: { "content-security-policy": "frame-ancestors https://partner.example" }
    })
  )
)

// Outside the error handler, so problem responses get the headers too.
export const app = router.pipe(Problem.handleErrors, Middleware.securityHeaders())

// TLS ends at a proxy that sets HSTS itself; frames from the same origin are fine.
export const behindProxy = router.pipe(
  Problem.handleErrors,
  Middleware.securityHeaders({ "strict-transport-security": false, "x-frame-options": "SAMEORIGIN" })
)
