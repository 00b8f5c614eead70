/**
 * Examples for docs/http-middleware/request-context.md (compiled by `npm run typecheck`,
 * run by request-context.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { RequestContext } from "@strata/core"
import { Middleware } from "@strata/http"
import { Effect } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/hello",
    Effect.gen(function*() {
      const { requestId } = yield* RequestContext.get
      yield* Effect.log("saying hello") // this log line carries requestId
      return HttpServerResponse.text(`hello from request ${requestId}`)
    })
  )
)

// Accept a well-formed X-Request-ID, else create a UUID; echo it; put it in RequestContext.
export const app = router.pipe(Middleware.requestContext())

// Another header, and ids of your own making.
let next = 0
export const correlated = router.pipe(
  Middleware.requestContext({ header: "x-correlation-id", generate: () => `req-${++next}` })
)
