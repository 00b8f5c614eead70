import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { app } from "./cache-control.js"
import { send, serve } from "./support.js"

describe("Middleware.cacheControl", () => {
  it.scopedLive("rules by path and method; no-store for the rest, errors and authenticated requests", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const cacheControl = (path: string, headers?: Record<string, string>) =>
        Effect.map(send(url, path, headers === undefined ? {} : { headers }), (reply) => reply.headers["cache-control"])
      expect(yield* cacheControl("/catalog/1")).toBe("public, max-age=300")
      expect(yield* cacheControl("/assets/app.js")).toBe("public, max-age=31536000, immutable")
      expect(yield* cacheControl("/me")).toBe("no-store")
      expect(yield* cacheControl("/catalog/gone")).toBe("no-store")
      expect(yield* cacheControl("/catalog/1", { authorization: "Bearer abc" })).toBe("no-store")
      expect(yield* cacheControl("/news")).toBe("public, max-age=60")
    }))
})
