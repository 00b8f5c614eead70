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
import { Deferred, Effect, Exit, Metric, Schedule, Tracer } from "effect"
import { serve } from "./MiddlewareSupport.js"

const count = (route: string, status: string): number => {
  let total = 0
  for (const pair of Metric.unsafeSnapshot()) {
    if (pair.metricKey.name !== "http_requests_total") continue
    const tags = Object.fromEntries(pair.metricKey.tags.map((tag) => [tag.key, tag.value]))
    if (tags["route"] === route && tags["status"] === status) {
      total += (pair.metricState as unknown as { count: number }).count
    }
  }
  return total
}

/** Resolves once `check` gives a value, polling real time (bounded). */
const eventually = <A, R>(check: Effect.Effect<A | undefined, never, R>): Effect.Effect<A, never, R> =>
  Effect.flatMap(check, (value) => value !== undefined ? Effect.succeed(value) : Effect.fail("not yet")).pipe(
    Effect.retry(Schedule.intersect(Schedule.spaced("25 millis"), Schedule.recurs(200))),
    Effect.orElse(() => Effect.dieMessage("condition not reached"))
  )

type Wrap = (app: HttpApp.Default<unknown>) => HttpApp.Default<unknown>

const interruptedThrough = (wrap: Wrap, route: `/${string}`) =>
  Effect.gen(function*() {
    const started = yield* Deferred.make<void>()
    const interrupted = yield* Deferred.make<void>()
    const ended: Array<Exit.Exit<unknown, unknown>> = []
    const native = yield* Effect.tracer
    const recording = Tracer.make({
      context: native.context,
      span: (...args) => {
        const span = native.span(...args)
        const end = span.end.bind(span)
        span.end = (endTime, exit) => {
          ended.push(exit)
          end(endTime, exit)
        }
        return span
      }
    })
    const app = HttpRouter.empty.pipe(
      HttpRouter.get(
        route,
        Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(
          Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
        )
      )
    )
    const url = yield* serve(wrap(app)).pipe(Effect.withTracer(recording))
    const target = new URL(`${url}${route}`)
    const req = Http.get({ host: target.hostname, port: target.port, path: target.pathname, agent: false })
    req.on("error", () => {})
    yield* Deferred.await(started).pipe(Effect.timeout("5 seconds"))
    req.destroy()
    yield* Deferred.await(interrupted).pipe(Effect.timeout("5 seconds"))
    yield* eventually(Effect.sync(() => count(route, "499") === 1 ? true : undefined))
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
