/**
 * Row 1, subject: a Strata server (`Server.layer`) with an `HttpRouter` and no middleware.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { hello } from "./shared.js"
import { serveStrata } from "./strataServe.js"

/** @internal */
export const serve = (): void =>
  serveStrata(HttpRouter.empty.pipe(HttpRouter.get("/", HttpServerResponse.json(hello))))
