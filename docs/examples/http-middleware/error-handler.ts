/**
 * Examples for docs/http-middleware/error-handler.md (compiled by `npm run typecheck`, run
 * by error-handler.test.ts).
 */
import { HttpApp, HttpRouter, HttpServerResponse } from "@effect/platform"
import { Errors } from "@strata/core"
import { Middleware, Problem } from "@strata/http"
import { Duration, Effect, Metric } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/orders/:id", Effect.fail(new Errors.NotFound({ resource: "Order", id: "7" }))),
  HttpRouter.get("/search", Effect.fail(new Errors.RateLimited({ retryAfter: Duration.seconds(30) }))),
  HttpRouter.get("/bug", Effect.die(new Error("connection string: postgres://admin:secret@db"))),
  HttpRouter.get("/ok", HttpServerResponse.text("ok"))
)

// A middleware of your own that counts final statuses: it must sit outside the error handler.
const responses = Metric.counter("app_responses_total")
const countStatuses = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.tap(app, (response) => Metric.increment(Metric.tagged(responses, "status", String(response.status))))

export const app = router.pipe(Problem.handleErrors, countStatuses, Middleware.requestContext())
