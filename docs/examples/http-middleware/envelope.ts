/**
 * Examples for docs/http-middleware/envelope.md (compiled by `npm run typecheck`, run by
 * envelope.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Errors } from "@strata/core"
import { Http, Middleware, Problem } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/users/1", HttpServerResponse.unsafeJson({ id: 1, name: "Ada" })),
  HttpRouter.get("/users/2", Effect.fail(new Errors.NotFound({ resource: "User", id: "2" }))),
  HttpRouter.get("/robots.txt", HttpServerResponse.text("User-agent: *"))
)

// Alone, inside the request context (the envelope's meta carries the request id).
export const app = router.pipe(Problem.handleErrors, Middleware.envelope, Middleware.requestContext())

// In the default stack it is opt-in.
export const stacked = Http.defaults({ envelope: true })(router)
