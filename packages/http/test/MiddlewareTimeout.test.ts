/**
 * The timeout middleware on a real server: the handler is interrupted (its finalizers run
 * first), the middleware outside it still answer (504 with the stack's headers, metrics and
 * access log see the 504), and interruptions that are not the timeout's (client gone,
 * shutdown deadline) end the request as before.
 */
import * as Http from "node:http"
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Http as StrataHttp, Server } from "@strata/http"
import { LogCapture } from "@strata/testing"
import { Deferred, Duration, Effect, Exit, Fiber, Scope } from "effect"
import { eventually, request, requestCount, serve } from "./MiddlewareSupport.js"

const accessLines = Effect.map(
  LogCapture.entries,
  (entries) => entries.filter((entry) => entry.message === "http request")
)

describe("Middleware.timeout", () => {
  it.scopedLive("answers 504 through the outer middleware after the handler's finalizers ran", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const app = HttpRouter.empty.pipe(
        HttpRouter.get(
          "/t/slow",
          Effect.never.pipe(
            Effect.ensuring(Effect.sync(() => events.push("handler finalizer"))),
            Effect.onInterrupt(() => Effect.sync(() => events.push("handler interrupted")))
          )
        ),
        HttpRouter.get("/t/fast", HttpServerResponse.text("fast")),
        HttpRouter.get("/t/async", Effect.as(Effect.sleep("20 millis"), HttpServerResponse.text("async")))
      )
      const stack = StrataHttp.defaults({ timeout: { duration: "200 millis" }, accessLog: {} })
      const url = yield* serve(stack(app))

      const reply = yield* request(`${url}/t/slow`, { headers: { "x-request-id": "slow-1" } })
      expect(reply.status).toBe(504)
      expect(JSON.parse(reply.body)).toMatchObject({ status: 504, code: "TIMEOUT", requestId: "slow-1" })
      expect(reply.headers.get("x-request-id")).toBe("slow-1")
      expect(reply.headers.get("cache-control")).toBe("no-store")
      expect(reply.headers.get("x-content-type-options")).toBe("nosniff")
      expect(reply.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-/)
      expect(events).toEqual(["handler finalizer", "handler interrupted"])
      expect(requestCount("/t/slow", "504")).toBe(1)
      const lines = yield* accessLines
      expect(lines.find((line) => line.annotations["path"] === "/t/slow")?.annotations["status"]).toBe(504)

      // The same server goes on answering, synchronous and asynchronous handlers alike.
      expect((yield* request(`${url}/t/fast`)).status).toBe(200)
      const later = yield* request(`${url}/t/async`)
      expect(later.status).toBe(200)
      expect(later.body).toBe("async")
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("each request gets its own limit from one shared deadline list, also after the list ran empty", () =>
    Effect.gen(function*() {
      const shortStarted = yield* Deferred.make<void>()
      const releaseShort = yield* Deferred.make<void>()
      const app = HttpRouter.empty.pipe(
        HttpRouter.get(
          "/t/short",
          Effect.zipRight(
            Deferred.succeed(shortStarted, undefined),
            Effect.as(Deferred.await(releaseShort), HttpServerResponse.text("short"))
          )
        ),
        HttpRouter.get("/t/hang", Effect.never)
      )
      const limit = 300
      const url = yield* serve(StrataHttp.defaults({ timeout: { duration: `${limit} millis` } })(app))
      const timed = (path: string) =>
        Effect.map(Effect.timed(request(`${url}${path}`)), ([elapsed, reply]) => ({
          ms: Duration.toMillis(elapsed),
          reply
        }))

      // The oldest deadline (the short request's) is removed before it is due; the next one
      // still fires, at its own time.
      const short = yield* Effect.fork(request(`${url}/t/short`))
      yield* Deferred.await(shortStarted).pipe(Effect.timeout("5 seconds"))
      const hang = yield* Effect.fork(timed("/t/hang"))
      yield* Deferred.succeed(releaseShort, undefined)
      expect((yield* Fiber.join(short).pipe(Effect.timeout("5 seconds"))).status).toBe(200)
      const first = yield* Fiber.join(hang).pipe(Effect.timeout("5 seconds"))
      expect(first.reply.status).toBe(504)
      expect(first.ms).toBeGreaterThanOrEqual(limit - 5)

      // Several at once, and one after the list ran empty: every one is answered 504.
      const many = yield* Effect.all([timed("/t/hang"), timed("/t/hang"), timed("/t/hang")], {
        concurrency: "unbounded"
      }).pipe(Effect.timeout("5 seconds"))
      for (const one of many) {
        expect(one.reply.status).toBe(504)
        expect(one.ms).toBeGreaterThanOrEqual(limit - 5)
      }
      const last = yield* timed("/t/hang").pipe(Effect.timeout("5 seconds"))
      expect(last.reply.status).toBe(504)
      expect(last.ms).toBeGreaterThanOrEqual(limit - 5)
    }))

  it.scopedLive("uninterruptible work past the limit is finished, not cut, and the answer is 504", () =>
    Effect.gen(function*() {
      let finished = false
      const app = HttpRouter.empty.pipe(
        HttpRouter.get(
          "/t/stubborn",
          Effect.uninterruptible(
            Effect.as(Effect.andThen(Effect.sleep("250 millis"), () => (finished = true)), HttpServerResponse.text("done"))
          )
        )
      )
      const url = yield* serve(StrataHttp.defaults({ timeout: { duration: "50 millis" } })(app))
      const reply = yield* request(`${url}/t/stubborn`)
      expect(finished).toBe(true)
      expect(reply.status).toBe(504)
      expect(requestCount("/t/stubborn", "504")).toBe(1)
    }))

  it.scopedLive("a client that goes away still interrupts a timed request (499, no 504)", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      const interrupted = yield* Deferred.make<void>()
      const app = HttpRouter.empty.pipe(
        HttpRouter.get(
          "/t/abandoned",
          Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(
            Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
          )
        )
      )
      const url = yield* serve(StrataHttp.defaults({ timeout: { duration: "10 seconds" }, accessLog: {} })(app))
      const target = new URL(`${url}/t/abandoned`)
      const req = Http.get({ host: target.hostname, port: target.port, path: target.pathname, agent: false })
      req.on("error", () => {})
      yield* Deferred.await(started).pipe(Effect.timeout("5 seconds"))
      req.destroy()
      yield* Deferred.await(interrupted).pipe(Effect.timeout("5 seconds"))
      yield* eventually(Effect.sync(() => requestCount("/t/abandoned", "499") === 1 ? true : undefined))
      expect(requestCount("/t/abandoned", "504")).toBe(0)
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("at shutdown: a timed request past the drain deadline gets 503, one within its limit 504", () =>
    Effect.gen(function*() {
      const hung = yield* Deferred.make<void>()
      const slow = yield* Deferred.make<void>()
      const app = HttpRouter.empty.pipe(
        HttpRouter.get("/t/hung", Effect.zipRight(Deferred.succeed(hung, undefined), Effect.never)),
        HttpRouter.get("/t/slow-drain", Effect.zipRight(Deferred.succeed(slow, undefined), Effect.never))
      )
      const long = StrataHttp.defaults({ timeout: { duration: "30 seconds" } })(app)
      const short = StrataHttp.defaults({ timeout: { duration: "300 millis" } })(app)
      const run = (app: typeof long, path: string, started: Deferred.Deferred<void>) =>
        Effect.gen(function*() {
          const scope = yield* Scope.make()
          const server = yield* Server.make({ host: "127.0.0.1", port: 0, shutdownTimeout: "1 second" }).pipe(
            Scope.extend(scope)
          )
          yield* server.serve(app).pipe(Scope.extend(scope))
          const address = server.address
          const port = address._tag === "TcpAddress" ? address.port : 0
          const reply = yield* Effect.fork(request(`http://127.0.0.1:${port}${path}`))
          yield* Deferred.await(started).pipe(Effect.timeout("5 seconds"))
          const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
          const answer = yield* Fiber.join(reply).pipe(Effect.timeout("10 seconds"))
          yield* Fiber.join(closing).pipe(Effect.timeout("10 seconds"))
          return answer
        })

      const cut = yield* run(long, "/t/hung", hung)
      expect(cut.status).toBe(503)
      expect(JSON.parse(cut.body).code).toBe("UNAVAILABLE")

      const timed = yield* run(short, "/t/slow-drain", slow)
      expect(timed.status).toBe(504)
      expect(JSON.parse(timed.body).code).toBe("TIMEOUT")
      expect(timed.headers.get("connection")).toBe("close")
    }))
})
