import { describe, expect, it } from "@effect/vitest"
import { LogCapture } from "@strata/testing"
import { Effect } from "effect"
import { app, correlated } from "./request-context.js"
import { send, serve } from "./support.js"

describe("Middleware.requestContext", () => {
  it.scopedLive("keeps a good id, replaces junk, and every log line carries it", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const kept = yield* send(url, "/hello", { headers: { "x-request-id": "order-7f3a" } })
      expect(kept.headers["x-request-id"]).toBe("order-7f3a")
      expect(kept.body).toBe("hello from request order-7f3a")
      const line = (yield* LogCapture.entries).find((entry) => entry.message === "saying hello")
      expect(line?.context["requestId"]).toBe("order-7f3a")

      const created = yield* send(url, "/hello")
      expect(created.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
      const junk = yield* send(url, "/hello", { headers: { "x-request-id": "<script>alert(1)</script>" } })
      expect(junk.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("another header and a generator of your own", () =>
    Effect.gen(function*() {
      const url = yield* serve(correlated)
      const reply = yield* send(url, "/hello")
      expect(reply.headers["x-correlation-id"]).toMatch(/^req-\d+$/)
      expect(reply.headers["x-request-id"]).toBeUndefined()
    }))
})
