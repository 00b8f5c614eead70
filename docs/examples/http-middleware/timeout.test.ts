import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Middleware } from "@strata/http"
import { Deferred, Effect } from "effect"
import { send, serve } from "./support.js"

describe("Middleware.timeout", () => {
  // The limit is wall-clock time: a short real duration, not TestClock.
  it.scopedLive("interrupts a slow handler and answers 504 (or 503) as a problem", () =>
    Effect.gen(function*() {
      const cleaned = yield* Deferred.make<void>()
      const router = HttpRouter.empty.pipe(
        HttpRouter.get("/report", Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(cleaned, undefined)))),
        HttpRouter.get("/ping", HttpServerResponse.text("pong"))
      )
      const url = yield* serve(router.pipe(Middleware.timeout({ duration: "200 millis" })))
      const slow = yield* send(url, "/report")
      expect(slow.status).toBe(504)
      expect(slow.headers["content-type"]).toBe("application/problem+json")
      expect(JSON.parse(slow.body)).toMatchObject({ status: 504, code: "TIMEOUT" })
      yield* Deferred.await(cleaned).pipe(Effect.timeout("2 seconds"))
      expect((yield* send(url, "/ping")).body).toBe("pong")

      const unavailable = yield* serve(router.pipe(Middleware.timeout({ duration: "200 millis", status: 503 })))
      expect(JSON.parse((yield* send(unavailable, "/report")).body)).toMatchObject({ status: 503, code: "UNAVAILABLE" })
    }))
})
