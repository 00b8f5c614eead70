/**
 * HTTP middleware, each usable alone: `app.pipe(Middleware.cors({ origins: [...] }))`.
 * `Http.defaults` composes them in the recommended order. Every middleware precomputes its
 * headers, regexes and label sets once, and skips its work early when it does not apply.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as Duration from "effect/Duration"
import * as LogLevel from "effect/LogLevel"
import * as accessLog_ from "./internal/middlewareAccessLog.js"
import * as cacheControl_ from "./internal/middlewareCacheControl.js"
import * as compression_ from "./internal/middlewareCompression.js"
import * as cors_ from "./internal/middlewareCors.js"
import * as envelope_ from "./internal/middlewareEnvelope.js"
import * as observe from "./internal/middlewareObserve.js"
import * as requestId from "./internal/middlewareRequestId.js"
import * as secure from "./internal/middlewareSecure.js"
import * as headers from "./internal/middlewareSecurityHeaders.js"
import * as timeout_ from "./internal/middlewareTimeout.js"

/**
 * A middleware that keeps the app's error and requirement types.
 *
 * @since 0.1.0
 * @category models
 */
export type Middleware = <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R>

/**
 * @since 0.1.0
 * @category models
 */
export interface RequestContextOptions {
  /** The header read and echoed; default `x-request-id`. */
  readonly header?: string | undefined
  /** What an incoming id must look like to be kept; default 1–128 of `[A-Za-z0-9._:@=+/-]`. */
  readonly pattern?: RegExp | undefined
  /** Makes a new id; default `crypto.randomUUID`. */
  readonly generate?: (() => string) | undefined
}

/**
 * Accepts the incoming `X-Request-ID` when it is well formed, otherwise (missing, too long,
 * junk such as spaces or control characters) creates a new one — a bad id is replaced, not
 * rejected, so a misbehaving proxy cannot break requests. The id is echoed in the response
 * and put into the fiber's `RequestContext`, so every log line and problem response carries
 * it.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.requestContext()
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const requestContext = (options?: RequestContextOptions): Middleware =>
  requestId.make({
    ...(options?.header !== undefined ? { header: options.header } : {}),
    ...(options?.pattern !== undefined ? { pattern: options.pattern } : {}),
    ...(options?.generate !== undefined ? { generate: options.generate } : {})
  })

/**
 * The paths that metrics and tracing skip by default.
 *
 * @example
 * ```ts
 * import { Middleware } from "@strata/http"
 *
 * const ignore = [...Middleware.defaultIgnore, "/ready"]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultIgnore: ReadonlyArray<string> = ["/metrics", "/health", "/health/*"]

/**
 * @since 0.1.0
 * @category models
 */
export interface ObserveOptions {
  /** Paths not observed: exact (`/metrics`) or a prefix (`/health/*`); default `defaultIgnore`. */
  readonly ignore?: ReadonlyArray<string> | undefined
}

/**
 * A `server` span per request, child of the W3C `traceparent` (or B3) of the request; the
 * response carries `traceparent` with the same trace id. Once the router matched, the span
 * is named `METHOD /route/:template`. The trace and span ids join the `RequestContext`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/users/:id", HttpServerResponse.text("ok")),
 *   Middleware.tracing()
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const tracing = (options?: ObserveOptions): Middleware => observe.tracing(options?.ignore ?? defaultIgnore)

/**
 * Records `http_requests_total` and `http_request_duration_seconds` by `method`, `route`
 * (the route template, `unmatched` for 404s outside any route) and `status`, and
 * `http_requests_in_progress` by `method` (the route is not known before routing). The route
 * template is read from the span of `tracing`, so place `tracing` outside `metrics` (as
 * `Http.defaults` does); without it `route` is `unknown`.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/users/:id", HttpServerResponse.text("ok")),
 *   Middleware.metrics(),
 *   Middleware.tracing()
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const metrics = (options?: ObserveOptions): Middleware => observe.metrics(options?.ignore ?? defaultIgnore)

/**
 * @since 0.1.0
 * @category models
 */
export interface TimeoutOptions {
  /** Default 30 seconds; `Infinity` disables the middleware. */
  readonly duration?: Duration.DurationInput | undefined
  /** `504` (default, code `TIMEOUT`) or `503` (code `UNAVAILABLE`). */
  readonly status?: 503 | 504 | undefined
}

/**
 * Interrupts a request that runs over the limit and answers it with a problem response.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.timeout({ duration: "10 seconds" })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const timeout = (options?: TimeoutOptions): Middleware =>
  timeout_.make(options?.duration ?? "30 seconds", options?.status ?? 504)

/**
 * @since 0.1.0
 * @category models
 */
export interface CorsOptions {
  /**
   * Allowed origins: exact (`https://app.example.com`), patterns (`*.example.com`,
   * `https://*.example.com`) or `*`. Default none.
   */
  readonly origins?: ReadonlyArray<string> | undefined
  /** Send `Access-Control-Allow-Credentials: true` (the origin is then reflected, never `*`). Default false. */
  readonly credentials?: boolean | undefined
  /** Default `GET, HEAD, POST, PUT, PATCH, DELETE`. */
  readonly methods?: ReadonlyArray<string> | undefined
  /** Default `authorization, content-type, x-request-id, traceparent, tracestate`; empty: reflect the request's. */
  readonly allowedHeaders?: ReadonlyArray<string> | undefined
  /** Default `x-request-id, traceparent, retry-after`. */
  readonly exposedHeaders?: ReadonlyArray<string> | undefined
  /** How long browsers cache a preflight, in seconds; default 600. */
  readonly maxAge?: number | undefined
}

/**
 * CORS with an origin allowlist. Requests without `Origin` pass untouched; preflights
 * (`OPTIONS` with `Access-Control-Request-Method`) are answered `204` — with the CORS headers
 * when the origin is allowed, without them (so the browser blocks) when it is not.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.cors({ origins: ["https://app.example.com", "*.example.org"], credentials: true })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cors = (options?: CorsOptions): Middleware => {
  const settings: { -readonly [K in keyof cors_.Settings]?: cors_.Settings[K] } = {}
  if (options?.origins !== undefined) settings.origins = options.origins
  if (options?.credentials !== undefined) settings.credentials = options.credentials
  if (options?.methods !== undefined) settings.methods = options.methods
  if (options?.allowedHeaders !== undefined) settings.allowedHeaders = options.allowedHeaders
  if (options?.exposedHeaders !== undefined) settings.exposedHeaders = options.exposedHeaders
  if (options?.maxAge !== undefined) settings.maxAge = options.maxAge
  return cors_.make(settings)
}

/**
 * The default security headers: the OWASP Secure Headers Project values (HSTS two years,
 * CSP, `nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
 * `Permissions-Policy`, COOP/CORP/COEP, …), by lower-case name.
 *
 * @example
 * ```ts
 * import { Middleware } from "@strata/http"
 *
 * Middleware.owaspHeaders["x-content-type-options"] // "nosniff"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const owaspHeaders: Readonly<Record<string, string>> = headers.owasp

/**
 * Adds the security headers to every response that passes through it. `overrides` replaces
 * a value, or removes the header with `false`, or adds one; a header the handler set itself
 * is kept.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/", HttpServerResponse.text("ok")),
 *   Middleware.securityHeaders({
 *     "content-security-policy": "default-src 'none'",
 *     "cross-origin-embedder-policy": false
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const securityHeaders = (overrides?: Readonly<Record<string, string | false>>): Middleware =>
  headers.make(overrides)

/**
 * @since 0.1.0
 * @category models
 */
export interface SecureRequestOptions {
  /** Longer URLs are `414`; default 2048. */
  readonly maxUrlLength?: number | undefined
  /** More headers are `431`; default 100. */
  readonly maxHeaders?: number | undefined
  /** Header names and values together over this are `431`; default 8192 bytes. */
  readonly maxHeaderBytes?: number | undefined
  /** A declared `Content-Length` over this is `413`; default 1 MiB. */
  readonly maxBodySize?: number | undefined
  /** Media types a `POST`/`PUT`/`PATCH` body may have, else `415`; `application/*+json` style suffixes allowed. */
  readonly mediaTypes?: ReadonlyArray<string> | undefined
  /** Reject `..` segments (also percent- and double-encoded), backslashes and NUL bytes with `400`; default true. */
  readonly blockTraversal?: boolean | undefined
}

/**
 * Rejects suspicious or oversized requests with a problem response before the handler runs:
 * path traversal (`400`, code `SECURITY_VIOLATION`), long URLs (`414`), too many or too large
 * headers (`431`), a declared body over the limit (`413`), a body of the wrong media type
 * (`415`). Malformed JSON and forbidden keys are `400` when the body is read (the server's
 * body parser).
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.post("/upload", HttpServerResponse.text("ok")),
 *   Middleware.secureRequest({ maxBodySize: 10 * 1024 * 1024 })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const secureRequest = (options?: SecureRequestOptions): Middleware => {
  const settings: { -readonly [K in keyof secure.Settings]?: secure.Settings[K] } = {}
  if (options?.maxUrlLength !== undefined) settings.maxUrlLength = options.maxUrlLength
  if (options?.maxHeaders !== undefined) settings.maxHeaders = options.maxHeaders
  if (options?.maxHeaderBytes !== undefined) settings.maxHeaderBytes = options.maxHeaderBytes
  if (options?.maxBodySize !== undefined) settings.maxBodySize = options.maxBodySize
  if (options?.mediaTypes !== undefined) settings.mediaTypes = options.mediaTypes
  if (options?.blockTraversal !== undefined) settings.blockTraversal = options.blockTraversal
  return secure.make(settings)
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CompressionOptions {
  /** Smaller bodies are sent as they are; default 1024 bytes. */
  readonly minSize?: number | undefined
  /** Prefer brotli when the client accepts it; default true. */
  readonly brotli?: boolean | undefined
  /** gzip level 1–9 (brotli quality is `level - 2`); default 6. */
  readonly level?: number | undefined
}

/**
 * Compresses complete response bodies (not streams) of at least `minSize` bytes with brotli
 * or gzip, as the request's `Accept-Encoding` allows; already-compressed media types
 * (images except SVG, audio, video, archives, PDF, `octet-stream`) are left alone. Adds
 * `Content-Encoding` and `Vary: Accept-Encoding`. Bodies up to 64 KiB are compressed
 * synchronously, larger ones on the libuv thread pool.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/report", HttpServerResponse.text("a long report")),
 *   Middleware.compression({ minSize: 2048 })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const compression = (options?: CompressionOptions): Middleware =>
  compression_.make({
    minSize: options?.minSize ?? 1024,
    brotli: options?.brotli ?? true,
    level: options?.level ?? 6
  })

/**
 * @since 0.1.0
 * @category models
 */
export interface CacheControlOptions {
  /**
   * First match wins. `path`: exact, `/static/*` (prefix) or `/users/:id` (`:x` is one
   * segment); `methods`: default all.
   */
  readonly rules?: ReadonlyArray<{
    readonly path: string
    readonly methods?: ReadonlyArray<string> | undefined
    readonly value: string
  }> | undefined
  /** For responses no rule matches; default `no-store` (OWASP); `undefined` leaves them alone. */
  readonly fallback?: string | undefined
  /** `no-store` on 4xx/5xx; default true. */
  readonly noStoreOnErrors?: boolean | undefined
  /** `no-store` when the request carries `Authorization`; default true. */
  readonly noStoreWhenAuthenticated?: boolean | undefined
}

/**
 * Sets `Cache-Control` by path pattern and method. Errors and responses to authenticated
 * requests get `no-store`; a `Cache-Control` the handler set itself is kept.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/catalog/:id", HttpServerResponse.text("item")),
 *   Middleware.cacheControl({ rules: [{ path: "/catalog/*", methods: ["GET"], value: "public, max-age=300" }] })
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cacheControl = (options?: CacheControlOptions): Middleware =>
  cacheControl_.make({
    rules: options?.rules ?? [],
    fallback: options !== undefined && "fallback" in options ? options.fallback : "no-store",
    noStoreOnErrors: options?.noStoreOnErrors ?? true,
    noStoreWhenAuthenticated: options?.noStoreWhenAuthenticated ?? true
  })

/**
 * Wraps successful (`2xx`) JSON bodies as `{ success: true, data, meta: { requestId,
 * timestamp } }`. Problem responses keep their RFC 9457 shape (clients tell them apart by
 * `application/problem+json`); non-JSON and streamed bodies pass unchanged. Opt-in.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/user", HttpServerResponse.unsafeJson({ id: 1 })),
 *   Middleware.envelope
 * )
 * // GET /user → { "success": true, "data": { "id": 1 }, "meta": { "requestId": "...", "timestamp": "..." } }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const envelope: Middleware = envelope_.make()

/**
 * @since 0.1.0
 * @category models
 */
export interface AccessLogOptions {
  /** Default `Info`; below the minimum log level the middleware does nothing at all. */
  readonly level?: LogLevel.LogLevel | undefined
  /** Default `http request`. */
  readonly message?: string | undefined
  /** Paths not logged: exact or a prefix (`/health/*`); default `defaultIgnore`. */
  readonly ignore?: ReadonlyArray<string> | undefined
}

/**
 * One log line per request through the application's logger, with the annotations
 * `method`, `path` (no query string), `route` (the route template, when `tracing` runs
 * outside), `status` and `durationMs`; the request id and trace ids come with the request
 * context as on every line. With `Logging`'s JSON format this is a JSON access log.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { Middleware } from "@strata/http"
 *
 * const app = HttpRouter.empty.pipe(
 *   HttpRouter.get("/users/:id", HttpServerResponse.text("ok")),
 *   Middleware.accessLog(),
 *   Middleware.tracing()
 * )
 * // {"timestamp":"…","level":"info","message":"http request","requestId":"…","method":"GET",
 * //  "path":"/users/7","status":200,"durationMs":0.41,"route":"/users/:id",…}
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const accessLog = (options?: AccessLogOptions): Middleware =>
  accessLog_.make({
    level: options?.level ?? LogLevel.Info,
    message: options?.message ?? "http request",
    ignore: options?.ignore ?? defaultIgnore
  })
