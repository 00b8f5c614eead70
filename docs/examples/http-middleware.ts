/**
 * Examples for docs/http-middleware.md (compiled by `npm run typecheck`, run by
 * http-middleware.test.ts).
 */
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpRouter, HttpServerResponse } from "@effect/platform"
import { Errors, RequestContext } from "@strata/core"
import { Endpoints, Http, Middleware, Problem, Server } from "@strata/http"
import { Prometheus } from "@strata/telemetry"
import { Effect, Layer, Schema } from "effect"

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

// --- 2. The same around an HttpApi app ---

export const Api = HttpApi.make("users").add(
  HttpApiGroup.make("users").add(
    HttpApiEndpoint.get("get", "/users/:id")
      .setPath(Schema.Struct({ id: Schema.NumberFromString }))
      .addSuccess(Schema.Struct({ id: Schema.Number }))
      .addError(Errors.NotFound)
  )
)

const UsersLive = HttpApiBuilder.group(Api, "users", (handlers) =>
  handlers.handle("get", ({ path }) =>
    path.id === 42 ? Effect.succeed({ id: 42 }) : Effect.fail(Errors.notFound("User", path.id))))

export const apiLayer = (options: Server.Options) =>
  Server.layerApi(options, Http.defaults()).pipe(
    Layer.provide(Endpoints.layer()),
    Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(UsersLive)))
  )

export const ApiLive = apiLayer({ port: 3000 })

// --- 3. Configured from HTTP_* ---

export const HttpLiveFromConfig = Layer.unwrapEffect(
  Effect.map(Http.defaultsConfig, (stack) => Server.layerConfig(stack(router)))
)

export const ApiLiveFromConfig = Layer.unwrapEffect(Effect.map(Http.defaultsConfig, Server.layerApiConfigWith))

// --- 4. Middleware one by one (innermost first) ---

export const custom = router.pipe(
  Problem.handleErrors,
  Middleware.timeout({ duration: "2 seconds", status: 503 }),
  Middleware.metrics({ ignore: ["/metrics"] }),
  Middleware.tracing({ ignore: ["/metrics"] }),
  Middleware.requestContext({ header: "x-correlation-id" }),
  Middleware.securityHeaders({ "content-security-policy": "default-src 'none'" })
)
