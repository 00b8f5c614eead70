/**
 * Examples for docs/http-server.md (compiled by `npm run typecheck`).
 */
import {
  HttpApi,
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApp,
  HttpRouter,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Errors, Strata, Validators } from "@strata/core"
import { ClientIp, Endpoints, Problem, Server } from "@strata/http"
import { TestStrata } from "@strata/testing"
import { Duration, Effect, Layer, Schema } from "effect"

// --- 1. An HttpRouter app ---

class NewUser extends Schema.Class<NewUser>("NewUser")({
  name: Schema.String.pipe(Schema.minLength(2)),
  email: Schema.String
}) {}

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/users/:id", Effect.fail(new Errors.NotFound({ resource: "User", id: "42" }))), // → 404 problem
  HttpRouter.post(
    "/users",
    Effect.gen(function*() {
      // A bad body is a 422 listing every field error; over 1 MiB a 413; not JSON a 415.
      const user = yield* HttpServerRequest.schemaBodyJson(NewUser)
      return yield* HttpServerResponse.json({ created: user.name }, { status: 201 })
    })
  ),
  HttpRouter.get("/search", Effect.fail(new Errors.RateLimited({ retryAfter: Duration.seconds(30) }))), // 429 + Retry-After
  HttpRouter.get("/whoami", Effect.map(ClientIp.current, (ip) => HttpServerResponse.text(`you are ${ip}`))),
  HttpRouter.concat(Endpoints.router()) // /health/live, /health/ready, /health, /metrics
)

// HTTP_PORT (or PORT), HTTP_SHUTDOWN_TIMEOUT, HTTP_TRUSTED_PROXIES, … from env or strata.yaml.
export const HttpLive = Server.layerConfig(router)

// In main.ts: SIGTERM → readiness 503 → drain (10 s at most) → layers released → exit 0.
export const main = () => Strata.runMain(HttpLive)

// --- 2. An HttpApi app: typed endpoints, OpenAPI at /openapi.json, Swagger UI at /docs ---

export const Api = HttpApi.make("shop").add(
  HttpApiGroup.make("products").add(
    HttpApiEndpoint.get("get", "/products/:id")
      .setPath(Schema.Struct({ id: Schema.NumberFromString }))
      .addSuccess(Schema.Struct({ id: Schema.Number, name: Schema.String }))
      .addError(Errors.NotFound)
  )
)

const ProductsLive = HttpApiBuilder.group(Api, "products", (handlers) =>
  handlers.handle("get", ({ path }) =>
    path.id === 1
      ? Effect.succeed({ id: 1, name: "Tea" })
      : Effect.fail(new Errors.NotFound({ resource: "Product", id: String(path.id) }))))

export const ApiLive = Server.layerApiConfig.pipe(
  Layer.provide(Endpoints.layer()), // health, metrics, /openapi.json, /docs
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(ProductsLive)))
)

// --- 3. Problem responses inside a middleware stack ---

// Middleware outside `Problem.handleErrors` sees the final status of every request.
const countStatuses = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.tap(Problem.handleErrors(app), (response) => Effect.log(`answered ${response.status}`))

export const counted = countStatuses(router)

// The same mapping, by hand:
export const problem = Problem.fromError(new Errors.PermissionDenied({ action: "delete" }), "req-1")
// problem.status === 403, problem.body.code === "PERMISSION_DENIED"

// --- 4. Testing: a real server on a free port ---

export const testRequest = Effect.gen(function*() {
  const server = yield* HttpServer.HttpServer
  const { port } = server.address as HttpServer.TcpAddress
  const response = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/users/42`))
  return response.status // 404
}).pipe(
  Effect.provide(Server.layer(router, { port: 0, host: "127.0.0.1" }).pipe(Layer.provide(TestStrata.layer())))
)

// --- 5. Bad input: a 422 with every field error, as core Validation words them ---

const Signup = Schema.Struct({
  username: Schema.String.pipe(Schema.minLength(3), Schema.pattern(/^[a-z0-9]+$/)),
  email: Validators.Email,
  age: Schema.optional(Schema.Number.pipe(Schema.int())),
  tags: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.maxLength(10))), { exact: true })
}).annotations({ parseOptions: { onExcessProperty: "error" } }) // opt-in: unknown keys are errors too

export const SignupApi = HttpApi.make("signup").add(
  HttpApiGroup.make("users").add(
    HttpApiEndpoint.post("signup", "/signup").setPayload(Signup).addSuccess(Schema.String, { status: 201 })
  )
)

const SignupLive = HttpApiBuilder.group(SignupApi, "users", (handlers) =>
  handlers.handle("signup", ({ payload }) => Effect.succeed(`welcome ${payload.username}`)))

export const badSignup = Effect.gen(function*() {
  const server = yield* HttpServer.HttpServer
  const { port } = server.address as HttpServer.TcpAddress
  const response = yield* Effect.promise(() =>
    fetch(`http://127.0.0.1:${port}/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "Ada L", email: "ada@", age: "36", tags: ["mathematician"], colour: "red" })
    })
  )
  // A client reads the problem with `Problem.schema`.
  const body = yield* Schema.decodeUnknown(Problem.schema)(yield* Effect.promise(() => response.json()))
  return { status: response.status, body }
}).pipe(
  Effect.provide(
    Server.layerApi({ port: 0, host: "127.0.0.1" }).pipe(
      Layer.provide(HttpApiBuilder.api(SignupApi).pipe(Layer.provide(SignupLive))),
      Layer.provide(TestStrata.layer())
    )
  )
)
// status 422, body.errors:
// [{ path: "colour",   type: "unexpected", message: "Unexpected field" },
//  { path: "username", type: "pattern",    message: "Expected a string matching the pattern ^[a-z0-9]+$" },
//  { path: "email",    type: "email",      message: "Invalid email address" },
//  { path: "age",      type: "type",       message: "Expected a number" },
//  { path: "tags.0",   type: "length",     message: "Expected a string at most 10 character(s) long" }]
