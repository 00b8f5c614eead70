import { describe, expect, it } from "@effect/vitest"
import { Middleware } from "@strata/http"
import { Effect } from "effect"
import { app, behindProxy } from "./security-headers.js"
import { send, serve } from "./support.js"

describe("Middleware.securityHeaders", () => {
  it.scopedLive("the OWASP values on successes and problem responses alike", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      for (const path of ["/", "/missing"]) {
        const reply = yield* send(url, path)
        for (const [name, value] of Object.entries(Middleware.owaspHeaders)) {
          expect(reply.headers[name], `${path} ${name}`).toBe(value)
        }
      }
      expect((yield* send(url, "/missing")).status).toBe(404)
      const widget = yield* send(url, "/widget")
      expect(widget.headers["content-security-policy"]).toBe("frame-ancestors https://partner.example")
      expect(widget.headers["x-content-type-options"]).toBe("nosniff")
    }))

  it.scopedLive("overrides replace or drop a header", () =>
    Effect.gen(function*() {
      const url = yield* serve(behindProxy)
      const reply = yield* send(url, "/")
      expect(reply.headers["strict-transport-security"]).toBeUndefined()
      expect(reply.headers["x-frame-options"]).toBe("SAMEORIGIN")
      expect(reply.headers["referrer-policy"]).toBe("no-referrer")
    }))
})
