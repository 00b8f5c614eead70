/**
 * Access log: one log line per request through the application's loggers. Re-exported by `Middleware`.
 *
 * @since 0.1.0
 */
import * as LogLevel from "effect/LogLevel"
import * as accessLog_ from "../internal/middlewareAccessLog.js"
import type { Middleware } from "../Middleware.js"
import { defaultIgnore } from "./observe.js"

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
