import { describe, expect, it } from "@effect/vitest"
import { TestErrorReporter } from "@strata/testing"
import { Effect, Metric } from "effect"
import { app } from "./error-handler.js"
import { send, serve } from "./support.js"

const countOf = (status: string) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.filter((pair) =>
      pair.metricKey.name === "app_responses_total" &&
      pair.metricKey.tags.some((tag) => tag.key === "status" && tag.value === status)
    ).reduce((sum, pair) => sum + (pair.metricState as unknown as { readonly count: number }).count, 0))

describe("Problem.handleErrors in a stack", () => {
  it.scopedLive("failures become problem responses that middleware outside sees", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const missing = yield* send(url, "/orders/7", { headers: { "x-request-id": "req-1" } })
      expect(missing.status).toBe(404)
      expect(missing.headers["content-type"]).toBe("application/problem+json")
      expect(JSON.parse(missing.body)).toEqual({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        code: "NOT_FOUND",
        detail: "Order '7' not found",
        requestId: "req-1"
      })
      const limited = yield* send(url, "/search")
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("30")

      const bug = yield* send(url, "/bug", { headers: { "x-request-id": "req-2" } })
      expect(bug.status).toBe(500)
      expect(JSON.parse(bug.body)).toEqual({
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        code: "INTERNAL_ERROR",
        requestId: "req-2"
      })
      expect(bug.body).not.toContain("secret")
      const reports = yield* TestErrorReporter.reports
      expect(reports.some((report) => report.context.requestId === "req-2")).toBe(true)

      expect(yield* countOf("404")).toBeGreaterThanOrEqual(1)
      expect(yield* countOf("500")).toBeGreaterThanOrEqual(1)
    }).pipe(Effect.provide(TestErrorReporter.layer)))
})
