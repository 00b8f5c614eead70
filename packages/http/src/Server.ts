/**
 * The HTTP server: `@effect/platform`'s `HttpServer` implemented on `node:http` for a lean
 * request path, with body limits, problem+json errors and a graceful shutdown with a
 * deadline. Apps written with `HttpRouter` or `HttpApi` run on it unchanged.
 *
 * - **Limits**: request bodies over `bodyLimit` (default 1 MiB) are `413`; bodies of a
 *   media type outside `mediaTypes` (default JSON, `+json`, form-urlencoded, multipart)
 *   are `415`; `request.json` needs a JSON media type and refuses the keys `__proto__`,
 *   `constructor` and `prototype` (`400`).
 * - **Errors**: whatever escapes the app becomes a problem response (see `Problem`).
 * - **Shutdown**: when the layer is released (Strata's runtime flips readiness to 503 just
 *   before), the server stops accepting, closes idle keep-alive sockets, answers in-flight
 *   requests with `Connection: close`, waits for them up to `shutdownTimeout` (default
 *   10 s), then interrupts what is left (answered 503 where possible) and closes every
 *   socket; then the layers below are released.
 * - **Client IP**: `ClientIp.current` inside requests, with the `trustedProxies` of the
 *   server.
 *
 * There is no request logging, span or metric here: those are middleware. WebSocket
 * upgrades are not supported by this server.
 *
 * @since 0.1.0
 */
import type * as Etag from "@effect/platform/Etag"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiError from "@effect/platform/HttpApiError"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpPlatform from "@effect/platform/HttpPlatform"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Lifecycle from "@strata/core/Lifecycle"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Http from "./Http.js"
import type { Stack } from "./Http.js"
import * as Problem from "./Problem.js"
import * as serverConfig from "./internal/serverConfig.js"
import * as apiDecode from "./internal/problemApiDecode.js"
import * as problemMap from "./internal/problemMap.js"
import * as core from "./internal/serverCore.js"

/**
 * Server options; every one has a default and a config key under `http`
 * (`HTTP_<NAME>` in env):
 *
 * | option | default | env |
 * |---|---|---|
 * | `host` | `0.0.0.0` | `HTTP_HOST` |
 * | `port` | `3000` (`0`: any free port) | `HTTP_PORT`, else `PORT` |
 * | `bodyLimit` | 1 MiB, in bytes (`Infinity`: none) | `HTTP_BODY_LIMIT` (`1mb`, `512kb`, `none`) |
 * | `mediaTypes` | JSON, `+json`, form-urlencoded, multipart — for any body read | `HTTP_MEDIA_TYPES` |
 * | `shutdownTimeout` | 10 s | `HTTP_SHUTDOWN_TIMEOUT` (`10s`, `500ms`) |
 * | `requestTimeout` | 30 s — to receive a whole request | `HTTP_REQUEST_TIMEOUT` |
 * | `headersTimeout` | 20 s — to receive the headers | `HTTP_HEADERS_TIMEOUT` |
 * | `keepAliveTimeout` | 65 s — longer than common load-balancer idle timeouts | `HTTP_KEEP_ALIVE_TIMEOUT` |
 * | `trustedProxies` | `loopback` | `HTTP_TRUSTED_PROXIES` (see `ClientIp`) |
 *
 * @example
 * ```ts
 * import { Server } from "@strata/http"
 *
 * const options: Server.Options = { port: 8080, bodyLimit: 256 * 1024, shutdownTimeout: "20 seconds" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly bodyLimit?: number | undefined
  readonly mediaTypes?: ReadonlyArray<string> | undefined
  readonly shutdownTimeout?: Duration.DurationInput | undefined
  readonly requestTimeout?: Duration.DurationInput | undefined
  readonly headersTimeout?: Duration.DurationInput | undefined
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
  readonly trustedProxies?: ReadonlyArray<string> | undefined
}

/**
 * What the server layers provide: the `HttpServer` and the services routes may use
 * (`HttpPlatform`, `Etag`, file system, path).
 *
 * @example
 * ```ts
 * import { HttpServer } from "@effect/platform"
 * import { Server } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const address: Effect.Effect<string, never, Server.Provided> = Effect.map(HttpServer.HttpServer, (server) =>
 *   HttpServer.formatAddress(server.address)
 * )
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Provided = HttpServer.HttpServer | HttpPlatform.HttpPlatform | Etag.Generator | NodeContext.NodeContext

/**
 * The options from configuration (`http.*`, env `HTTP_*`; `PORT` when `HTTP_PORT` is unset).
 *
 * @example
 * ```ts
 * import { Server } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const port = Effect.map(Server.config, (options) => options.port)
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const config: Config.Config<Options> = serverConfig.config

/**
 * Starts a server within the current scope and returns it; closing the scope shuts it
 * down gracefully. Prefer the layers.
 *
 * @example
 * ```ts
 * import { HttpServer } from "@effect/platform"
 * import { Server } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const server = yield* Server.make({ port: 0, host: "127.0.0.1" })
 *   yield* Effect.log(HttpServer.formatAddress(server.address))
 * }).pipe(Effect.scoped)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options?: Options
): Effect.Effect<HttpServer.HttpServer, HttpServerError.ServeError, Scope.Scope> =>
  Either.match(serverConfig.settings(options), {
    onLeft: (message) => Effect.dieMessage(`Invalid server options: ${message}`),
    onRight: core.make
  })

/**
 * The server alone, for `HttpServer.serve(app)` or `HttpApiBuilder.serve()`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
 * import { Server } from "@strata/http"
 * import { Layer } from "effect"
 *
 * const app = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.text("hello")))
 * const Main = HttpServer.serve(app).pipe(Layer.provide(Server.layerServer({ port: 3000 })))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (options?: Options): Layer.Layer<Provided, HttpServerError.ServeError> =>
  Layer.merge(Layer.scoped(HttpServer.HttpServer, make(options)), NodeHttpServer.layerContext)

/**
 * `layerServer` with the options from configuration.
 *
 * @example
 * ```ts
 * import { HttpApiBuilder } from "@effect/platform"
 * import { Server } from "@strata/http"
 * import { Layer } from "effect"
 *
 * const Main = HttpApiBuilder.serve().pipe(Layer.provide(Server.layerServerConfig))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServerConfig: Layer.Layer<Provided, HttpServerError.ServeError | ConfigError.ConfigError> = Layer
  .unwrapEffect(Effect.map(config, layerServer))

/**
 * Serves an app (an `HttpRouter`, or any `HttpApp`) as the managed service `http`: its
 * start and stop are logged by `Lifecycle`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Server } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.text("hello")))
 * const HttpLive = Server.layer(app, { port: 3000 })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(
  app: HttpApp.Default<E, R>,
  options?: Options
): Layer.Layer<
  HttpServer.HttpServer,
  HttpServerError.ServeError,
  Lifecycle.Lifecycle | Exclude<Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>, Provided>
> => Lifecycle.service("http", HttpServer.serve(app).pipe(Layer.provideMerge(layerServer(options))))

/**
 * `layer` with the options from configuration.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Strata } from "@strata/core"
 * import { Server } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.text("hello")))
 * // Strata.runMain(Server.layerConfig(app))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = <E, R>(
  app: HttpApp.Default<E, R>
): Layer.Layer<
  HttpServer.HttpServer,
  HttpServerError.ServeError | ConfigError.ConfigError,
  Lifecycle.Lifecycle | Exclude<Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>, Provided>
> => Lifecycle.service("http", HttpServer.serve(app).pipe(Layer.provideMerge(layerServerConfig)))

// Failures the Strata mapping knows become problems. Any other failure goes on to the
// platform, which answers an error the endpoint declared with its own schema and status, as
// the OpenAPI document says; what nobody declared comes back out and the server makes it a 500.
// A request decode failure lists every field problem (see `problemApiDecode`).
const apiErrors = HttpApiBuilder.middleware(Effect.gen(function*() {
  const { api } = yield* HttpApi.Api
  const redecode = yield* apiDecode.make(api)
  return (app) =>
    Effect.catchAllCause(app, (cause) => {
      const failure: Option.Option<unknown> = Cause.failureOption(cause)
      if (Option.isNone(failure)) return Problem.respond(cause)
      if (failure.value instanceof HttpApiError.HttpApiDecodeError) {
        return Effect.flatMap(
          redecode(failure.value),
          Option.match({ onNone: () => Problem.respond(cause), onSome: (error) => Problem.respond(Cause.fail(error)) })
        )
      }
      return problemMap.fromKnown(failure.value) === undefined ? Effect.failCause(cause) : Problem.respond(cause)
    })
}))

// `HttpApiBuilder.serve(middleware)` runs its middleware around an app that has already
// written its response (the platform's serve middleware observes, like a logger), so a stack
// that sets headers must wrap the API's app itself: this is `HttpApiBuilder.serve` with that.
const serveApi = (stack: Stack | undefined) =>
  HttpApiBuilder.httpApp.pipe(
    Effect.map((app) => HttpServer.serve(stack === undefined ? app : stack(app))),
    Layer.unwrapEffect,
    Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer]),
    Layer.provide(apiErrors)
  )

/**
 * Serves the `HttpApi` given by `HttpApiBuilder.api(Api)` as the managed service `http`.
 * `@strata/core` errors (declared or not), `HttpApiError.*` and body errors are answered as
 * problem+json, decode failures as 422 listing every field problem of the request part that
 * failed (path, payload, headers, query — the platform stops at the first problem; the
 * server decodes a failed request again with `errors: "all"`, no schema annotation needed);
 * an error the app defines and declares itself
 * (`addError(OutOfStock)`) is sent with its own schema and status. `Endpoints.layer` serves
 * an OpenAPI document that says exactly this. `stack` wraps the whole API, typically
 * `Http.defaults(...)`.
 *
 * @example
 * ```ts
 * import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
 * import { Http, Server } from "@strata/http"
 * import { Effect, Layer, Schema } from "effect"
 *
 * const Api = HttpApi.make("api").add(
 *   HttpApiGroup.make("hello").add(HttpApiEndpoint.get("hello", "/hello").addSuccess(Schema.String))
 * )
 * const HelloLive = HttpApiBuilder.group(Api, "hello", (handlers) =>
 *   handlers.handle("hello", () => Effect.succeed("hi")))
 * const HttpLive = Server.layerApi({ port: 3000 }, Http.defaults()).pipe(
 *   Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(HelloLive)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApi = (
  options?: Options,
  stack?: Stack
): Layer.Layer<HttpServer.HttpServer, HttpServerError.ServeError, Lifecycle.Lifecycle | HttpApi.Api> =>
  Lifecycle.service(
    "http",
    serveApi(stack).pipe(Layer.provideMerge(layerServer(options)))
  )

/**
 * `layerApi` with the options from configuration.
 *
 * @example
 * ```ts
 * import { Server } from "@strata/http"
 *
 * const HttpLive = Server.layerApiConfig
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiConfig: Layer.Layer<
  HttpServer.HttpServer,
  HttpServerError.ServeError | ConfigError.ConfigError,
  Lifecycle.Lifecycle | HttpApi.Api
> = Lifecycle.service(
  "http",
  serveApi(undefined).pipe(Layer.provideMerge(layerServerConfig))
)

/**
 * `layerApi` with the server options from configuration and a middleware stack around the
 * API; with `Http.defaultsConfig`, the stack is configured too.
 *
 * @example
 * ```ts
 * import { Http, Server } from "@strata/http"
 * import { Effect, Layer } from "effect"
 *
 * const HttpLive = Layer.unwrapEffect(Effect.map(Http.defaultsConfig, Server.layerApiConfigWith))
 * // ...then provide HttpApiBuilder.api(Api)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiConfigWith = (stack: Stack): Layer.Layer<
  HttpServer.HttpServer,
  HttpServerError.ServeError | ConfigError.ConfigError,
  Lifecycle.Lifecycle | HttpApi.Api
> =>
  Lifecycle.service(
    "http",
    serveApi(stack).pipe(Layer.provideMerge(layerServerConfig))
  )

/**
 * The usual production form: the `HttpApi` served with the server options and the default
 * middleware stack (`Http.defaultsConfig`) both from configuration.
 *
 * @example
 * ```ts
 * import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
 * import { Server } from "@strata/http"
 * import { Effect, Layer, Schema } from "effect"
 *
 * const Api = HttpApi.make("api").add(
 *   HttpApiGroup.make("hello").add(HttpApiEndpoint.get("hello", "/hello").addSuccess(Schema.String))
 * )
 * const HelloLive = HttpApiBuilder.group(Api, "hello", (handlers) =>
 *   handlers.handle("hello", () => Effect.succeed("hi")))
 * const HttpLive = Server.layerApiDefaults.pipe(
 *   Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(HelloLive)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiDefaults: Layer.Layer<
  HttpServer.HttpServer,
  HttpServerError.ServeError | ConfigError.ConfigError,
  Lifecycle.Lifecycle | HttpApi.Api
> = Layer.unwrapEffect(Effect.map(Http.defaultsConfig, layerApiConfigWith))
