import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { app, stacked } from "./envelope.js"
import { send, serve } from "./support.js"

describe("Middleware.envelope", () => {
  it.scopedLive("wraps successful JSON; problems and other media types pass unchanged", () =>
    Effect.gen(function*() {
      for (const handler of [app, stacked]) {
        const url = yield* serve(handler)
        const ok = yield* send(url, "/users/1", { headers: { "x-request-id": "req-42" } })
        const body = JSON.parse(ok.body)
        expect(body).toMatchObject({ success: true, data: { id: 1, name: "Ada" }, meta: { requestId: "req-42" } })
        expect(new Date(body.meta.timestamp).getTime()).not.toBeNaN()
        const missing = yield* send(url, "/users/2")
        expect(missing.headers["content-type"]).toBe("application/problem+json")
        expect(JSON.parse(missing.body)).toMatchObject({ status: 404, code: "NOT_FOUND" })
        expect(JSON.parse(missing.body).success).toBeUndefined()
        expect((yield* send(url, "/robots.txt")).body).toBe("User-agent: *")
      }
    }))
})
