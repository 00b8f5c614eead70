/**
 * Examples for docs/http-middleware/timeout.md (compiled by `npm run typecheck`, run by
 * timeout.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Middleware } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/report", Effect.as(Effect.sleep("5 seconds"), HttpServerResponse.text("report"))),
  HttpRouter.get("/ping", HttpServerResponse.text("pong"))
)

// Over 2 seconds: the handler is interrupted (its finalizers run) and the client gets a 504 problem.
export const app = router.pipe(Middleware.timeout({ duration: "2 seconds" }))

// Behind a load balancer that retries 503s: answer 503 UNAVAILABLE instead.
export const retryable = router.pipe(Middleware.timeout({ duration: "2 seconds", status: 503 }))
