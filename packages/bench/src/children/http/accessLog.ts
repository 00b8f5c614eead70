/**
 * The access log of row 2, in this one place.
 *
 * `@strata/http` has no access-log middleware yet (`Middleware.accessLog` is being added).
 * Until it lands this bench-local stand-in writes one JSON line per request through
 * Effect's logger, which the server's `Strata.runMain` sets up as Strata's JSON logging
 * (`LOG_FORMAT=json`; stdout is /dev/null). When `Middleware.accessLog` exists, make
 * `accessLog` below return it (with its defaults) and delete the stand-in.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"

/** One line per request: method, path, status, duration; the request id comes from the context. */
export const accessLog = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const started = performance.now()
    return Effect.tap(app, (response) =>
      Effect.logInfo("request completed").pipe(
        Effect.annotateLogs({
          method: request.method,
          path: request.url,
          status: response.status,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000
        })
      ))
  })
