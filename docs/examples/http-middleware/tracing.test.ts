import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { send, serve } from "./support.js"
import { app } from "./tracing.js"

describe("Middleware.tracing", () => {
  it.scopedLive("continues the caller's W3C trace and answers with traceparent", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
      const reply = yield* send(url, "/orders/17", { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })
      expect(JSON.parse(reply.body)).toEqual({ traceId })
      expect(reply.headers["traceparent"]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))

      const fresh = yield* send(url, "/orders/18")
      expect(fresh.headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
      expect(fresh.headers["traceparent"]).not.toContain(traceId)

      const skipped = yield* send(url, "/health/live")
      expect(skipped.headers["traceparent"]).toBeUndefined()
    }))
})
