/**
 * The access log: one line per request with method, path, route, status and duration, the
 * request context, nothing for ignored paths or below the minimum level.
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors, Logging } from "@strata/core"
import { Http, Middleware } from "@strata/http"
import { LogCapture } from "@strata/testing"
import { Effect, Logger, LogLevel } from "effect"
import { recordingTracer, request, serve } from "./MiddlewareSupport.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/users/:id", HttpServerResponse.text("user")),
  HttpRouter.get("/missing", Effect.fail(new Errors.NotFound({ resource: "User", id: "42" }))),
  HttpRouter.get("/health/live", HttpServerResponse.text("up"))
)

const accessLines = Effect.map(
  LogCapture.entries,
  (entries) => entries.filter((entry) => entry.message === "http request")
)

describe("Middleware.accessLog", () => {
  it.scopedLive("logs one line per request with route, status, duration and the request context", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults({ accessLog: {} })(router))
      const ok = yield* request(`${url}/users/7?token=secret`, { headers: { "x-request-id": "req-7" } })
      expect(ok.status).toBe(200)
      yield* request(`${url}/missing`)
      yield* request(`${url}/health/live`)
      const lines = yield* accessLines
      expect(lines).toHaveLength(2)
      const [first, second] = lines
      expect(first!.level).toBe("info")
      expect(first!.annotations).toMatchObject({ method: "GET", path: "/users/7", route: "/users/:id", status: 200 })
      expect(typeof first!.annotations["durationMs"]).toBe("number")
      expect(first!.context["requestId"]).toBe("req-7")
      expect(first!.context["traceId"]).toMatch(/^[0-9a-f]{32}$/)
      expect(JSON.stringify(first)).not.toContain("secret")
      expect(second!.annotations).toMatchObject({ path: "/missing", route: "/missing", status: 404 })
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("writes nothing below the minimum level, and is off in Http.defaults unless asked", () =>
    Effect.gen(function*() {
      const quiet = yield* serve(router.pipe(Middleware.accessLog({ level: LogLevel.Debug })))
      yield* request(`${quiet}/users/1`)
      const plain = yield* serve(Http.defaults()(router))
      yield* request(`${plain}/users/1`)
      expect(yield* accessLines).toHaveLength(0)
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("is a JSON line with Logging's JSON format", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logging.make({ format: "json", write: (line) => lines.push(line) })
      const url = yield* serve(router.pipe(Middleware.accessLog({ message: "access" }), Middleware.tracing())).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        // The fiber's annotations are kept; a field of the line wins over an annotation of its name.
        Effect.annotateLogs({ service: "api", status: "annotated" })
      )
      yield* request(`${url}/users/3`)
      const line = lines.map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((json) => json.message === "access")
      expect(line).toMatchObject({
        level: "info",
        method: "GET",
        path: "/users/3",
        route: "/users/:id",
        status: 200,
        service: "api"
      })
      expect(typeof line?.durationMs).toBe("number")
      // The documented order of the line's fields.
      const keys = Object.keys(line ?? {}).filter((key) => ["method", "path", "route", "status", "durationMs"].includes(key))
      expect(keys).toEqual(["method", "path", "route", "status", "durationMs"])
      expect(line?.traceId).toMatch(/^[0-9a-f]{32}$/)
    }))

  it.scopedLive("is not copied onto the request's span as an event, unlike the handler's own log lines", () =>
    Effect.gen(function*() {
      const { events, tracer } = yield* recordingTracer
      const app = HttpRouter.empty.pipe(
        HttpRouter.get("/traced", Effect.as(Effect.log("handler line"), HttpServerResponse.text("ok")))
      )
      const url = yield* serve(Http.defaults({ accessLog: {} })(app)).pipe(Effect.withTracer(tracer))
      expect((yield* request(`${url}/traced`)).status).toBe(200)
      expect(events).toEqual(["handler line"])
      expect((yield* accessLines).map((line) => line.annotations["path"])).toEqual(["/traced"])
    }).pipe(Effect.provide(LogCapture.layer)))
})
