/**
 * Examples for docs/http-middleware/tracing.md (compiled by `npm run typecheck`, run by
 * tracing.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { RequestContext } from "@strata/core"
import { Middleware } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/orders/:id",
    Effect.gen(function*() {
      // Spans made here are children of the request's server span.
      yield* Effect.sleep("1 millis").pipe(Effect.withSpan("load-order"))
      const { traceId } = yield* RequestContext.get
      return HttpServerResponse.unsafeJson({ traceId })
    })
  ),
  HttpRouter.get("/health/live", HttpServerResponse.text("up"))
)

// A server span per request, named `GET /orders/:id`; `/metrics` and `/health/*` are skipped.
export const app = router.pipe(Middleware.tracing())

// Skip other paths instead.
export const quieter = router.pipe(Middleware.tracing({ ignore: [...Middleware.defaultIgnore, "/internal/*"] }))
