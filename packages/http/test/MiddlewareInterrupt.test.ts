/**
 * A request that is interrupted (here: the client goes away) is still recorded by tracing,
 * metrics and the access log — inside `Http.defaults`, where only the app is interruptible
 * and the middleware match its exit directly, and used on their own, where each makes its
 * own uninterruptible region.
 */
import * as Http from "node:http"
import { HttpRouter, type HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Http as StrataHttp, Middleware } from "@strata/http"
import { LogCapture } from "@strata/testing"
import { Deferred, Effect, Exit } from "effect"
import { eventually, recordingTracer, requestCount, serve } from "./MiddlewareSupport.js"

type Wrap = (app: HttpApp.Default<unknown>) => HttpApp.Default<unknown>

const interruptedThrough = (wrap: Wrap, route: `/${string}`) =>
  Effect.gen(function*() {
    const started = yield* Deferred.make<void>()
    const interrupted = yield* Deferred.make<void>()
    const { ended, tracer } = yield* recordingTracer
    const app = HttpRouter.empty.pipe(
      HttpRouter.get(
        route,
        Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(
          Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
        )
      )
    )
    const url = yield* serve(wrap(app)).pipe(Effect.withTracer(tracer))
    const target = new URL(`${url}${route}`)
    const req = Http.get({ host: target.hostname, port: target.port, path: target.pathname, agent: false })
    req.on("error", () => {})
    yield* Deferred.await(started).pipe(Effect.timeout("5 seconds"))
    req.destroy()
    yield* Deferred.await(interrupted).pipe(Effect.timeout("5 seconds"))
    yield* eventually(Effect.sync(() => requestCount(route, "499") === 1 ? true : undefined))
    const lines = yield* eventually(
      Effect.map(LogCapture.entries, (entries) => {
        const found = entries.filter((entry) => entry.message === "http request" && entry.annotations["path"] === route)
        return found.length > 0 ? found : undefined
      })
    )
    expect(lines.map((line) => line.annotations["status"])).toEqual([499])
    expect(ended).toHaveLength(1)
    expect(Exit.isInterrupted(ended[0]!)).toBe(true)
  }).pipe(Effect.provide(LogCapture.layer))

describe("interrupted requests are recorded", () => {
  it.scopedLive("inside Http.defaults", () =>
    interruptedThrough((app) => StrataHttp.defaults({ accessLog: {} })(app), "/interrupt/stack"))

  it.scopedLive("by the middleware used on their own", () =>
    interruptedThrough(
      (app) => app.pipe(Middleware.metrics(), Middleware.accessLog(), Middleware.tracing()),
      "/interrupt/alone"
    ))
})
