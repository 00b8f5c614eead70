/**
 * The operational endpoints every service exposes:
 *
 * - `GET /health/live` — liveness checks; `GET /health/ready` — readiness checks (503 once
 *   shutdown began); `GET /health` — every check. Bodies are the `Health.Report` as JSON;
 *   the status is `Health.httpStatus` (503 when unhealthy, else 200).
 * - `GET /metrics` — Prometheus text (`text/plain; version=0.0.4`).
 * - `GET /openapi.json` and `GET /docs` — the OpenAPI document of an `HttpApi` and its
 *   Swagger UI, whose assets are served locally from `swagger-ui-dist` (no internet needed).
 *
 * They are `HttpRouter`s: concatenate them into an `HttpRouter` app, or add them to an
 * `HttpApi` app with `layer`.
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Health from "@strata/core/Health"
import * as Prometheus from "@strata/telemetry/Prometheus"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as docs from "./internal/endpointsDocs.js"
import * as openApiDocs from "./internal/endpointsOpenApi.js"

const noStore = { "cache-control": "no-store" }

const probe = (kind?: Health.Kind) =>
  Effect.map(
    Health.report(kind),
    (report) => HttpServerResponse.unsafeJson(report, { status: Health.httpStatus(report), headers: noStore })
  )

/**
 * `GET /health/live`, `GET /health/ready` and `GET /health`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Endpoints } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("hello")),
 *   HttpRouter.concat(Endpoints.health)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const health: HttpRouter.HttpRouter<never, Health.Health> = HttpRouter.empty.pipe(
  HttpRouter.get("/health/live", probe("liveness")),
  HttpRouter.get("/health/ready", probe("readiness")),
  HttpRouter.get("/health", probe())
)

/**
 * `GET /metrics`: every metric of the process in the Prometheus text format.
 *
 * @example
 * ```ts
 * import { HttpRouter } from "@effect/platform"
 * import { Endpoints } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(HttpRouter.concat(Endpoints.metrics))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const metrics: HttpRouter.HttpRouter = HttpRouter.empty.pipe(
  HttpRouter.get("/metrics", Effect.map(Prometheus.httpApp, HttpServerResponse.setHeaders(noStore)))
)

/**
 * Where the OpenAPI document and its UI are served (defaults `/openapi.json`, `/docs`).
 *
 * @example
 * ```ts
 * import { Endpoints } from "@strata/http"
 *
 * const options: Endpoints.OpenApiOptions = { path: "/api/openapi.json", docsPath: "/api/docs" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface OpenApiOptions {
  readonly path?: `/${string}` | undefined
  readonly docsPath?: `/${string}` | undefined
}

/**
 * The OpenAPI document of an `HttpApi` as the Strata server answers it — what
 * `GET /openapi.json` serves. It is `@effect/platform`'s `OpenApi.fromApi(api)` with the
 * errors told the way the server sends them:
 *
 * - request decode failures (path, query, headers, payload) are `422` problems with field
 *   `errors`, not the platform's `400 HttpApiDecodeError`;
 * - declared `@strata/core` errors and `HttpApiError.*` are `application/problem+json` with
 *   the `Problem` schema (`Problem.schema`); errors you define yourself keep their own schema;
 * - endpoints with a body also list `400` (malformed, forbidden key), `413` and `415`;
 * - every operation has a `default` problem response (timeouts, 500, …).
 *
 * @example
 * ```ts
 * import { HttpApi, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
 * import { Endpoints } from "@strata/http"
 * import { Schema } from "effect"
 *
 * const Api = HttpApi.make("api").add(
 *   HttpApiGroup.make("users").add(
 *     HttpApiEndpoint.get("get", "/users/:id").setPath(Schema.Struct({ id: Schema.NumberFromString }))
 *   )
 * )
 * const spec = Endpoints.openApiDocument(Api)
 * Object.keys(spec.paths["/users/{id}"]?.get?.responses ?? {}) // ["204", "422", "default"]
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const openApiDocument = (api: HttpApi.HttpApi.Any): OpenApi.OpenAPISpec =>
  JSON.parse(openApiDocs.document(api))

/**
 * `GET /openapi.json` (the document of `api`, built once: see `openApiDocument`) and the Swagger UI at
 * `GET /docs` with its assets under `/docs/`.
 *
 * @example
 * ```ts
 * import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpRouter } from "@effect/platform"
 * import { Endpoints } from "@strata/http"
 * import { Schema } from "effect"
 *
 * const Api = HttpApi.make("api").add(
 *   HttpApiGroup.make("hello").add(HttpApiEndpoint.get("hello", "/hello").addSuccess(Schema.String))
 * )
 * const docs = Endpoints.openApi(Api, { docsPath: "/api-docs" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const openApi = (api: HttpApi.HttpApi.Any, options?: OpenApiOptions): HttpRouter.HttpRouter => {
  const specPath = options?.path ?? "/openapi.json"
  const docsPath = options?.docsPath ?? "/docs"
  let spec: HttpServerResponse.HttpServerResponse | undefined
  const document = Effect.sync(() =>
    spec ??= HttpServerResponse.text(openApiDocs.document(api), {
      contentType: "application/json",
      headers: { "cache-control": "no-cache" }
    })
  )
  let html: HttpServerResponse.HttpServerResponse | undefined
  const page = Effect.sync(() => {
    if (html === undefined) {
      const title = OpenApi.fromApi(api as HttpApi.HttpApi.AnyWithProps).info.title
      html = docs.page(docsPath, `${title} — API documentation`)
    }
    return html
  })
  let router = HttpRouter.empty.pipe(
    HttpRouter.get(specPath, document),
    HttpRouter.get(docsPath, page),
    HttpRouter.get(`${docsPath}/swagger-initializer.js`, Effect.succeed(docs.initializer(specPath)))
  )
  for (const name of Object.keys(docs.assets)) {
    router = HttpRouter.get(router, `${docsPath}/${name}`, docs.asset(name))
  }
  return router
}

/**
 * Which endpoints `router` and `layer` serve: health and metrics unless switched off, the
 * OpenAPI document and UI when there is an `api` (`layer` takes the served `HttpApi`).
 *
 * @example
 * ```ts
 * import { Endpoints } from "@strata/http"
 *
 * const options: Endpoints.Options = { metrics: false } // metrics on a port of their own
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends OpenApiOptions {
  readonly health?: boolean | undefined
  readonly metrics?: boolean | undefined
  readonly api?: HttpApi.HttpApi.Any | undefined
}

/**
 * The endpoints as one router, for an `HttpRouter` app.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Endpoints, Server } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("hello")),
 *   HttpRouter.concat(Endpoints.router())
 * )
 * const HttpLive = Server.layer(app)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const router = (options?: Options): HttpRouter.HttpRouter<never, Health.Health> => {
  let out: HttpRouter.HttpRouter<never, Health.Health> = HttpRouter.empty
  if (options?.health !== false) out = HttpRouter.concat(out, health)
  if (options?.metrics !== false) out = HttpRouter.concat(out, metrics)
  if (options?.api !== undefined) out = HttpRouter.concat(out, openApi(options.api, options))
  return out
}

/**
 * Adds the endpoints to an `HttpApi` app (served with `Server.layerApi` or
 * `HttpApiBuilder.serve`), with the OpenAPI document of that API.
 *
 * @example
 * ```ts
 * import { Endpoints, Server } from "@strata/http"
 * import { Layer } from "effect"
 *
 * const HttpLive = Server.layerApi({ port: 3000 }).pipe(Layer.provide(Endpoints.layer()))
 * // ...then provide HttpApiBuilder.api(Api) and the Health service
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Omit<Options, "api">): Layer.Layer<never, never, Health.Health | HttpApi.Api> =>
  HttpApiBuilder.Router.use((apiRouter) =>
    Effect.gen(function*() {
      const { api } = yield* HttpApi.Api
      const service = yield* Health.Health
      yield* apiRouter.concat(HttpRouter.provideService(router({ ...options, api }), Health.Health, service))
    })
  )
