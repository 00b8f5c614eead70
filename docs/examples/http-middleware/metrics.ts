/**
 * Examples for docs/http-middleware/metrics.md (compiled by `npm run typecheck`, run by
 * metrics.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Endpoints, Middleware, Problem } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/invoices/:id", HttpServerResponse.text("invoice")),
  HttpRouter.post("/invoices", Effect.succeed(HttpServerResponse.empty({ status: 201 }))),
  HttpRouter.concat(Endpoints.metrics) // GET /metrics: Prometheus text
)

// Innermost first: failures become problem responses (so a 404 is counted as 404, not 500),
// then metrics, then tracing outside it (metrics read the route template from its span).
export const app = router.pipe(Problem.handleErrors, Middleware.metrics(), Middleware.tracing())
