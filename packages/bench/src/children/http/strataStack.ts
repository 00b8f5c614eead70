/**
 * Rows 2 and 3, subject: the same router behind Strata's whole default stack
 * (`Http.defaults`: request id, tracing, metrics, secure request, timeout, CORS, security
 * headers, error handler), with or without the access log.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Http } from "@strata/http"
import { accessLog } from "./accessLog.js"
import { hello, origin } from "./shared.js"
import { serveStrata } from "./strataServe.js"

/** @internal */
export const serve = (options: { readonly log: boolean }): void => {
  const router = HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.json(hello)))
  const stack = Http.defaults({ cors: { origins: [origin] } })
  // Inside the stack, so every line carries the request id and trace id of the request.
  serveStrata(stack(options.log ? accessLog(router) : router))
}
