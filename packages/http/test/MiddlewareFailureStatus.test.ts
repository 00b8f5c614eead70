/**
 * Metrics, tracing and the access log used on their own (no `Problem.handleErrors` inside
 * them, so the app's failures reach them as failures) record the status the client gets
 * from the server's error handling, not a blanket 500.
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { Middleware } from "@strata/http"
import { LogCapture } from "@strata/testing"
import { Effect, Exit, Tracer } from "effect"
import { eventually, request, requestCount, serve } from "./MiddlewareSupport.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/failure/not-found", Effect.fail(new Errors.NotFound({ resource: "User", id: "42" }))),
  HttpRouter.get("/failure/response", Effect.fail(HttpServerResponse.empty({ status: 409 }))),
  HttpRouter.get("/failure/defect", Effect.die(new Error("bug")))
)

describe("middleware used on their own record the status the client gets", () => {
  it.scopedLive("404 for a catalogue NotFound, a failed response's own status, 500 for a defect", () =>
    Effect.gen(function*() {
      const native = yield* Effect.tracer
      const spanStatuses: Array<unknown> = []
      const tracer = Tracer.make({
        context: native.context,
        span: (...args) => {
          const span = native.span(...args)
          const end = span.end.bind(span)
          span.end = (endTime, exit) => {
            if (Exit.isFailure(exit)) spanStatuses.push(span.attributes.get("http.response.status_code"))
            end(endTime, exit)
          }
          return span
        }
      })
      const url = yield* serve(router.pipe(Middleware.metrics(), Middleware.accessLog(), Middleware.tracing())).pipe(
        Effect.withTracer(tracer)
      )
      const answers = [
        yield* request(`${url}/failure/not-found`),
        yield* request(`${url}/failure/response`),
        yield* request(`${url}/failure/defect`)
      ].map((reply) => reply.status)
      expect(answers).toEqual([404, 409, 500])
      expect(requestCount("/failure/not-found", "404")).toBe(1)
      expect(requestCount("/failure/response", "409")).toBe(1)
      expect(requestCount("/failure/defect", "500")).toBe(1)
      expect(requestCount("/failure/not-found", "500")).toBe(0)
      const lines = yield* eventually(
        Effect.map(LogCapture.entries, (entries) => {
          const found = entries.filter((entry) => entry.message === "http request")
          return found.length === 3 ? found : undefined
        })
      )
      expect(lines.map((line) => line.annotations["status"])).toEqual([404, 409, 500])
      expect(spanStatuses).toEqual([404, 409, 500])
    }).pipe(Effect.provide(LogCapture.layer)))
})
