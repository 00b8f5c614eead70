import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { app } from "./metrics.js"
import { send, serve } from "./support.js"

describe("Middleware.metrics", () => {
  it.scopedLive("counts by method, route template and status; never the raw path", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      yield* send(url, "/invoices/INV-1001")
      yield* send(url, "/invoices/INV-1002")
      yield* send(url, "/invoices", { method: "POST" })
      yield* send(url, "/nowhere/INV-1003")
      const text = (yield* send(url, "/metrics")).body
      expect(text).toMatch(/http_requests_total\{[^}]*method="GET"[^}]*route="\/invoices\/:id"[^}]*status="200"[^}]*\} 2/)
      expect(text).toMatch(/http_requests_total\{[^}]*method="POST"[^}]*route="\/invoices"[^}]*status="201"[^}]*\} 1/)
      expect(text).toMatch(/http_requests_total\{[^}]*route="unmatched"[^}]*status="404"[^}]*\} 1/)
      expect(text).toContain("http_request_duration_seconds_bucket")
      expect(text).toContain("http_requests_in_progress")
      expect(text).not.toContain("INV-100")
      // /metrics itself is not counted.
      expect(text).not.toContain("route=\"/metrics\"")
    }))
})
