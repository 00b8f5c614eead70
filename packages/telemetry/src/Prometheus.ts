/**
 * Prometheus text exposition (format 0.0.4) of every metric of the process: the ones
 * declared through `Metrics`, the trackers, and anything recorded with plain `effect/Metric`
 * (other packages, effect's own fiber metrics when enabled). Serve it from your HTTP router
 * with `httpApp`, or on a port of its own with `layerServer`.
 *
 * @since 0.1.0
 */
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import type * as MetricPair from "effect/MetricPair"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as NodeHttp from "node:http"
import * as internal from "./internal/prometheusFormat.js"
import { Metrics } from "./Metrics.js"

/**
 * The `Content-Type` of the text format.
 *
 * @example
 * ```ts
 * import { Prometheus } from "@strata/telemetry"
 *
 * const headers = { "content-type": Prometheus.contentType }
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const contentType = "text/plain; version=0.0.4; charset=utf-8"

/**
 * Options of `renderWith` and `format`: labels added to every series that does not have
 * them already.
 *
 * @since 0.1.0
 * @category models
 */
export interface RenderOptions {
  readonly defaultLabels?: Readonly<Record<string, string>> | undefined
}

/**
 * Renders metric pairs (such as `Metric.unsafeSnapshot()`) as Prometheus text. Series of
 * one name form one family; families are sorted by name. Names and label names are made
 * valid (`-` → `_`), label values and help texts escaped, metrics without a description
 * get no `# HELP` line. A series whose type differs from the first one of its name is left
 * out; equal label sets under one name are merged (counters add up).
 *
 * @example
 * ```ts
 * import { Prometheus } from "@strata/telemetry"
 * import { Metric } from "effect"
 *
 * const text = Prometheus.format(Metric.unsafeSnapshot(), { defaultLabels: { service: "api" } })
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const format: (pairs: Iterable<MetricPair.MetricPair.Untyped>, options?: RenderOptions) => string =
  internal.format

/**
 * Renders every metric of the process, with the default labels of the options.
 *
 * @example
 * ```ts
 * import { Prometheus } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const text = Prometheus.renderWith({ defaultLabels: { env: "prod" } })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const renderWith = (options: RenderOptions): Effect.Effect<string> =>
  Effect.sync(() => internal.format(Metric.unsafeSnapshot(), options))

/**
 * Renders every metric of the process. When a `Metrics` service is in the context, its
 * default labels are added (it is not required).
 *
 * @example
 * ```ts
 * import { Metrics, Prometheus } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   yield* Metrics.trackRequest({ method: "GET", route: "/", status: 200, duration: 12 })
 *   return yield* Prometheus.render // "# HELP http_request_duration_seconds ..."
 * }).pipe(Effect.provide(Metrics.layer({ defaultLabels: { service: "api" } })))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const render: Effect.Effect<string> = Effect.flatMap(
  Effect.serviceOption(Metrics),
  (metrics) =>
    renderWith({ defaultLabels: Option.isSome(metrics) ? metrics.value.settings.defaultLabels : undefined })
)

/**
 * A response with the rendered text, for any `@effect/platform` router.
 *
 * @example
 * ```ts
 * import { HttpRouter } from "@effect/platform"
 * import { Prometheus } from "@strata/telemetry"
 *
 * const router = HttpRouter.empty.pipe(HttpRouter.get("/metrics", Prometheus.httpApp))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpApp: Effect.Effect<HttpServerResponse.HttpServerResponse> = Effect.map(
  render,
  (body) => HttpServerResponse.text(body, { contentType })
)

/**
 * Options of `serve` and `layerServer`: `port` (default 9464), `host` (default all
 * interfaces) and `path` (default `/metrics`; other paths answer 404).
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly path?: string | undefined
}

/**
 * Serves the metrics on a port of their own for as long as the scope lives, and returns
 * the address it listens on (`port: 0` picks a free port). Scrapes are not traced.
 *
 * @example
 * ```ts
 * import { Metrics, Prometheus } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const address = yield* Prometheus.serve({ port: 0, host: "127.0.0.1" })
 *   yield* Effect.log(address)
 * }).pipe(Effect.scoped, Effect.provide(Metrics.layer()))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (
  options: ServerOptions = {}
): Effect.Effect<HttpServer.Address, HttpServerError.ServeError, Scope.Scope | Metrics> =>
  Effect.gen(function*() {
    const metrics = yield* Metrics
    const path = options.path ?? "/metrics"
    const server = yield* NodeHttpServer.make(() => NodeHttp.createServer(), {
      port: options.port ?? 9464,
      ...(options.host === undefined ? {} : { host: options.host })
    })
    const response = Effect.map(
      renderWith({ defaultLabels: metrics.settings.defaultLabels }),
      (body) => HttpServerResponse.text(body, { contentType })
    )
    const app = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const query = request.url.indexOf("?")
      const requested = query === -1 ? request.url : request.url.slice(0, query)
      return requested === path ? response : Effect.succeed(HttpServerResponse.text("Not Found", { status: 404 }))
    })
    yield* server.serve(app).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))
    const address = server.address
    yield* Effect.logInfo(
      address._tag === "TcpAddress"
        ? `Prometheus metrics at http://${address.hostname}:${address.port}${path}`
        : `Prometheus metrics at ${address.path}`
    )
    return address
  })

/**
 * `serve` as a layer: the metrics endpoint lives as long as the layer.
 *
 * @example
 * ```ts
 * import { Metrics, Prometheus } from "@strata/telemetry"
 * import { Layer } from "effect"
 *
 * const MetricsLive = Prometheus.layerServer({ port: 9464 }).pipe(Layer.provideMerge(Metrics.layerConfig))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (
  options?: ServerOptions
): Layer.Layer<never, HttpServerError.ServeError, Metrics> => Layer.scopedDiscard(serve(options))

/**
 * `layerServer` from configuration: `METRICS_PORT` (or `metrics.port`; when unset, no server
 * is started), `METRICS_HOST`, `METRICS_PATH`.
 *
 * @example
 * ```ts
 * import { Metrics, Prometheus } from "@strata/telemetry"
 * import { Layer } from "effect"
 *
 * const MetricsLive = Prometheus.layerServerConfig.pipe(Layer.provideMerge(Metrics.layerConfig))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServerConfig: Layer.Layer<never, HttpServerError.ServeError | ConfigError.ConfigError, Metrics> =
  Layer.unwrapEffect(
    Effect.map(
      Config.all({
        port: Config.option(Config.port("port")),
        host: Config.option(Config.string("host")),
        path: Config.option(Config.string("path"))
      }).pipe(Config.nested("metrics")),
      ({ host, path, port }) =>
        Option.match(port, {
          onNone: () => Layer.empty,
          onSome: (port) =>
            layerServer({ port, host: Option.getOrUndefined(host), path: Option.getOrUndefined(path) })
        })
    )
  )
