/**
 * The default middleware stack. `Http.defaults(options)` wraps an app (an `HttpRouter` or
 * any `HttpApp`) in the recommended order, outermost first: request context → tracing →
 * access log (opt-in) → metrics → secure request → timeout → CORS → cache control → envelope (opt-in) → compression →
 * error handler
 * (`Problem.handleErrors`) → app. The security
 * headers wrap all of it, so every response has them — problem responses, timeouts and
 * preflights included; error responses made outside cache control get `no-store` there too.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as ConfigError from "effect/ConfigError"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Middleware from "./Middleware.js"
import * as Problem from "./Problem.js"
import * as config_ from "./internal/middlewareConfig.js"
import * as cacheControl_ from "./internal/middlewareCacheControl.js"
import * as cors_ from "./internal/middlewareCors.js"
import * as requestId from "./internal/middlewareRequestId.js"
import * as securityHeaders from "./internal/middlewareSecurityHeaders.js"
import * as responseHeaders from "./internal/responseHeaders.js"
import * as router from "./internal/serverRouter.js"

/**
 * Which middleware run and how; each key takes that middleware's options, or `false` to
 * leave it out. CORS is off unless `cors.origins` is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly requestContext?: Middleware.RequestContextOptions | false | undefined
  readonly tracing?: Middleware.ObserveOptions | false | undefined
  /** Opt-in: one log line per request (see `Middleware.accessLog`), inside tracing. */
  readonly accessLog?: Middleware.AccessLogOptions | false | undefined
  readonly metrics?: Middleware.ObserveOptions | false | undefined
  readonly secureRequest?: Middleware.SecureRequestOptions | false | undefined
  readonly timeout?: Middleware.TimeoutOptions | false | undefined
  readonly cors?: Middleware.CorsOptions | false | undefined
  readonly cacheControl?: Middleware.CacheControlOptions | false | undefined
  /** Opt-in: `{ success, data, meta }` around successful JSON bodies (see `Middleware.envelope`). */
  readonly envelope?: boolean | undefined
  readonly compression?: Middleware.CompressionOptions | false | undefined
  readonly securityHeaders?: Readonly<Record<string, string | false>> | false | undefined
}

/**
 * The whole stack applied to an app: its failures become problem responses, so the result
 * never fails.
 *
 * @since 0.1.0
 * @category models
 */
export type Stack = <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<never, R>

const enabled = <A>(value: A | false | undefined): value is A | undefined => value !== false

/**
 * Builds the default stack once (headers, regexes and metric labels are precomputed here).
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Http, Server } from "@strata/http"
 *
 * const router = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.text("ok")))
 * const stack = Http.defaults({ cors: { origins: ["https://app.example.com"] }, timeout: { duration: "10 seconds" } })
 * const app = stack(router)
 * const HttpLive = Server.layer(app, { port: 3000 })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaults = (options: Options = {}): Stack => {
  const inner: Array<Middleware.Middleware> = []
  // Listed innermost first.
  if (enabled(options.compression)) inner.push(Middleware.compression(options.compression))
  if (options.envelope === true) inner.push(Middleware.envelope)
  const cacheControl = enabled(options.cacheControl)
    ? cacheControl_.settingsOf(options.cacheControl)
    : undefined
  const corsOn = options.cors !== false && options.cors?.origins !== undefined && options.cors.origins.length > 0
  if (cacheControl !== undefined && !corsOn) inner.push(cacheControl_.make(cacheControl))
  if (corsOn) {
    // Cache control sits right inside CORS: applied by CORS's own step, in one rebuild.
    inner.push(cors_.make(cors_.settingsOf(options.cors), cacheControl && cacheControl_.decide(cacheControl)))
  }
  if (enabled(options.timeout)) inner.push(Middleware.timeout(options.timeout))
  if (enabled(options.secureRequest)) inner.push(Middleware.secureRequest(options.secureRequest))
  if (enabled(options.metrics)) inner.push(Middleware.metrics(options.metrics))
  if (options.accessLog !== undefined && options.accessLog !== false) {
    inner.push(Middleware.accessLog(options.accessLog))
  }
  if (enabled(options.tracing)) inner.push(Middleware.tracing(options.tracing))
  if (enabled(options.requestContext)) {
    // Tracing, right inside, completes the request context made there instead of copying it.
    inner.push(requestId.make({ ...options.requestContext, handOver: enabled(options.tracing) }))
  }
  // Secure request, timeout and CORS answer outside cache control: their errors get `no-store` here.
  const noStore = enabled(options.cacheControl) && options.cacheControl?.noStoreOnErrors !== false
  // The security headers and `no-store` on errors: one step and one rebuild of the response.
  const finish = enabled(options.securityHeaders)
    ? securityHeaders.apply(options.securityHeaders, noStore)
    : noStore
    ? noStoreOnErrors
    : undefined
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<never, R> => {
    // Only the app is interruptible (by the timeout, a client going away, the shutdown
    // deadline); the middleware around it then see every way it ends without each making
    // its own uninterruptible region.
    let out: HttpApp.Default<never, R> = Effect.interruptible(Problem.handleErrors(router.optimize(app)))
    for (const middleware of inner) out = middleware(out)
    out = Effect.uninterruptible(out)
    // A defect in a middleware itself still gets a problem response with the headers.
    out = Problem.handleErrors(out)
    return finish === undefined ? out : Effect.map(out, finish)
  }
}

const noStoreOnErrors = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse =>
  response.status >= 400 && response.headers["cache-control"] === undefined
    ? responseHeaders.setHeader(response, "cache-control", "no-store")
    : response

/**
 * The stack's options from configuration (`http.*`, env `HTTP_*`). A bad value fails with
 * a `ConfigError` naming its key (`HTTP_TIMEOUT: Expected a duration …`).
 *
 * | env | default | meaning |
 * |---|---|---|
 * | `HTTP_CORS_ORIGINS` | none (CORS off) | comma-separated origins: exact, `*.example.com`, or `*` |
 * | `HTTP_CORS_CREDENTIALS` | `false` | allow credentials (the origin is reflected) |
 * | `HTTP_TIMEOUT` | `30s` | per-request limit (`10s`, `500ms`, bare milliseconds; `off`/`0`); over it: `504` |
 * | `HTTP_SECURE_REQUEST` | `true` | the secure request checks below; `false` leaves them out |
 * | `HTTP_BODY_LIMIT` | `1mb` | declared bodies over it: `413` (also the server's limit: one key for both) |
 * | `HTTP_MEDIA_TYPES` | JSON, `+json`, form, multipart | body media types; others: `415` (also the server's) |
 * | `HTTP_MAX_URL_LENGTH` | `2048` | longer URLs: `414` |
 * | `HTTP_MAX_HEADERS` | `100` | more headers: `431` |
 * | `HTTP_MAX_HEADER_BYTES` | `8kb` | larger headers (names and values): `431` |
 * | `HTTP_BLOCK_TRAVERSAL` | `true` | `..`, backslashes and NUL in the path: `400` |
 * | `HTTP_HSTS` | `max-age=63072000; includeSubDomains` | `Strict-Transport-Security`; `off` drops it |
 * | `HTTP_CSP` | OWASP policy (`default-src 'self'; …`) | `Content-Security-Policy`; `off` drops it |
 * | `HTTP_CACHE_CONTROL` | `no-store` | `Cache-Control` of responses no rule matches; `off` leaves them alone |
 * | `HTTP_ENVELOPE` | `false` | wrap successful JSON bodies in `{ success, data, meta }` |
 * | `HTTP_COMPRESSION` | `true` | gzip/brotli for bodies of at least `HTTP_COMPRESSION_MIN_SIZE` (1024) bytes |
 * | `HTTP_METRICS_IGNORE` | `/metrics,/health,/health/*` | paths without metrics, spans, access log |
 * | `HTTP_ACCESS_LOG` | `false` | one log line per request (`Middleware.accessLog`) |
 *
 * @example
 * ```ts
 * import { Http } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const stack = Effect.map(Http.config, Http.defaults)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.map(config_.make(Middleware.defaultIgnore), (c): Options => {
  const headers: Record<string, string | false> = {}
  if (c.hsts !== undefined) headers["strict-transport-security"] = c.hsts
  if (c.csp !== undefined) headers["content-security-policy"] = c.csp
  return {
    cors: { origins: c.corsOrigins, credentials: c.corsCredentials },
    timeout: c.timeout === "off" ? false : { duration: c.timeout },
    secureRequest: c.secureRequest
      ? {
        maxBodySize: c.bodyLimit,
        mediaTypes: c.mediaTypes,
        maxUrlLength: c.maxUrlLength,
        maxHeaders: c.maxHeaders,
        maxHeaderBytes: c.maxHeaderBytes,
        blockTraversal: c.blockTraversal
      }
      : false,
    cacheControl: { fallback: c.cacheControl },
    compression: c.compression ? { minSize: c.compressionMinSize } : false,
    envelope: c.envelope,
    securityHeaders: headers,
    metrics: { ignore: c.metricsIgnore },
    tracing: { ignore: c.metricsIgnore },
    accessLog: c.accessLog ? { ignore: c.metricsIgnore } : false
  }
})

/**
 * The default stack with the options from configuration.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Http, Server } from "@strata/http"
 * import { Effect, Layer } from "effect"
 *
 * const router = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.text("ok")))
 * const HttpLive = Layer.unwrapEffect(Effect.map(Http.defaultsConfig, (stack) => Server.layerConfig(stack(router))))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultsConfig: Effect.Effect<Stack, ConfigError.ConfigError> = Effect.map(config, defaults)
