/**
 * Examples for docs/http-middleware/access-log.md (compiled by `npm run typecheck`, run by
 * access-log.test.ts).
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Http, Middleware } from "@strata/http"
import { LogLevel } from "effect"

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/users/:id", HttpServerResponse.unsafeJson({ id: 7, name: "Ada" })),
  HttpRouter.get("/health/live", HttpServerResponse.text("up"))
)

// One line per request; place tracing outside it so the line has the route template.
export const logged = router.pipe(Middleware.accessLog(), Middleware.tracing())

// In the default stack: opt in (or HTTP_ACCESS_LOG=true with Http.defaultsConfig).
export const stack = Http.defaults({ accessLog: {} })(router)

// At debug level, under another message: nothing is formatted while LOG_LEVEL is info.
export const quiet = router.pipe(Middleware.accessLog({ level: LogLevel.Debug, message: "access" }))
