import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { app, light } from "./compression.js"
import { send, serve } from "./support.js"

describe("Middleware.compression", () => {
  it.scopedLive("brotli or gzip as Accept-Encoding allows; small bodies and images untouched", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      const br = yield* send(url, "/report", { headers: { "accept-encoding": "gzip, br" } })
      expect(br.headers["content-encoding"]).toBe("br")
      expect(br.headers["vary"]).toContain("Accept-Encoding")
      const json = brotliDecompressSync(br.raw).toString("utf8")
      expect(JSON.parse(json)).toHaveLength(200)
      expect(br.raw.length).toBeLessThan(json.length / 4)

      const gzip = yield* send(url, "/report", { headers: { "accept-encoding": "gzip" } })
      expect(gzip.headers["content-encoding"]).toBe("gzip")
      expect(gunzipSync(gzip.raw).toString("utf8")).toBe(json)

      const refused = yield* send(url, "/report", { headers: { "accept-encoding": "br;q=0, gzip;q=0" } })
      expect(refused.headers["content-encoding"]).toBeUndefined()
      const none = yield* send(url, "/report")
      expect(none.headers["content-encoding"]).toBeUndefined()
      const tiny = yield* send(url, "/tiny", { headers: { "accept-encoding": "br" } })
      expect(tiny.headers["content-encoding"]).toBeUndefined()
      const png = yield* send(url, "/logo.png", { headers: { "accept-encoding": "br, gzip" } })
      expect(png.headers["content-encoding"]).toBeUndefined()
      expect(png.raw.length).toBe(4096)
    }))

  it.scopedLive("options: gzip only, a larger minimum", () =>
    Effect.gen(function*() {
      const url = yield* serve(light)
      const reply = yield* send(url, "/report", { headers: { "accept-encoding": "br, gzip" } })
      expect(reply.headers["content-encoding"]).toBe("gzip")
    }))
})
