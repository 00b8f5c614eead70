/**
 * Rows 2 and 3, subject: the same router behind Strata's whole default stack
 * (`Http.defaults`: request id, tracing, metrics, secure request, timeout, CORS, security
 * headers, error handler), with or without the access log (`Middleware.accessLog`, JSON
 * through Strata's logging; the server's stdout is /dev/null).
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Http } from "@strata/http"
import { hello, origin } from "./shared.js"
import { serveStrata } from "./strataServe.js"

/** @internal */
export const serve = (options: { readonly log: boolean }): void => {
  const router = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.json(hello)))
  const stack = Http.defaults({ cors: { origins: [origin] }, accessLog: options.log ? {} : false })
  serveStrata(stack(router))
}
