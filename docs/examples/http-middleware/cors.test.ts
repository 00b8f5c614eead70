import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { app, open } from "./cors.js"
import { send, serve } from "./support.js"

const preflight = (origin: string) => ({
  method: "OPTIONS",
  headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" }
})

describe("Middleware.cors", () => {
  it.scopedLive("preflights, allowed and refused origins, credentials", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const allowed = yield* send(url, "/profile", preflight("https://app.example.com"))
      expect(allowed.status).toBe(204)
      expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example.com")
      expect(allowed.headers["access-control-allow-credentials"]).toBe("true")
      expect(allowed.headers["access-control-allow-methods"]).toContain("PUT")
      expect(allowed.headers["access-control-max-age"]).toBe("3600")

      const sub = yield* send(url, "/profile", { headers: { origin: "https://shop.eu.example.org" } })
      expect(sub.headers["access-control-allow-origin"]).toBe("https://shop.eu.example.org")
      expect(sub.headers["vary"]).toContain("Origin")

      const refused = yield* send(url, "/profile", preflight("https://example.org.attacker.net"))
      expect(refused.status).toBe(204)
      expect(refused.headers["access-control-allow-origin"]).toBeUndefined()

      const noOrigin = yield* send(url, "/profile")
      expect(noOrigin.status).toBe(200)
      expect(noOrigin.headers["access-control-allow-origin"]).toBeUndefined()
    }))

  it.scopedLive("`*` without credentials", () =>
    Effect.gen(function*() {
      const url = yield* serve(open)
      const reply = yield* send(url, "/profile", { headers: { origin: "https://anyone.example" } })
      expect(reply.headers["access-control-allow-origin"]).toBe("*")
      expect(reply.headers["access-control-allow-credentials"]).toBeUndefined()
    }))
})
