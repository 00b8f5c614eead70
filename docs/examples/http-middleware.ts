/**
 * Examples for docs/http-middleware.md (compiled by `npm run typecheck`).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Errors, RequestContext } from "@strata/core"
import { Http, Middleware, Server } from "@strata/http"
import { Prometheus } from "@strata/telemetry"
import { Effect, Layer } from "effect"

// --- 1. The default stack around a router ---

export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/users/:id",
    Effect.gen(function*() {
      const { requestId } = yield* RequestContext.get
      yield* Effect.log("loading user") // the line carries requestId, traceId and spanId
      return yield* HttpServerResponse.json({ id: 42, requestId })
    })
  ),
  HttpRouter.get("/gone", Effect.fail(new Errors.NotFound({ resource: "User", id: "0" }))),
  HttpRouter.get("/metrics", Prometheus.httpApp)
)

export const app = Http.defaults({
  cors: { origins: ["https://app.example.com", "*.example.org"], credentials: true },
  timeout: { duration: "10 seconds" }
})(router)

export const HttpLive = Server.layer(app, { port: 3000 })

// --- 2. The same, configured from HTTP_* ---

export const HttpLiveFromConfig = Layer.unwrapEffect(
  Effect.map(Http.defaultsConfig, (stack) => Server.layerConfig(stack(router)))
)

// --- 3. Middleware one by one (innermost first) ---

export const custom = router.pipe(
  Middleware.timeout({ duration: "2 seconds", status: 503 }),
  Middleware.metrics({ ignore: ["/metrics"] }),
  Middleware.tracing({ ignore: ["/metrics"] }),
  Middleware.requestContext({ header: "x-correlation-id" }),
  Middleware.securityHeaders({ "content-security-policy": "default-src 'none'" })
)

// --- 4. A JSON access log (with Logging's JSON format) ---

export const logged = router.pipe(Middleware.accessLog(), Middleware.tracing())
