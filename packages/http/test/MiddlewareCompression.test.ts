import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Http } from "@strata/http"
import { Effect } from "effect"
import { rawRequest, request, serve } from "./MiddlewareSupport.js"

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item number ${i}` })) }
const router = HttpRouter.empty.pipe(
  HttpRouter.get("/big", HttpServerResponse.unsafeJson(big)),
  HttpRouter.get("/small", HttpServerResponse.unsafeJson({ ok: true })),
  HttpRouter.get("/image", HttpServerResponse.uint8Array(new Uint8Array(5000), { contentType: "image/png" })),
  HttpRouter.get("/text", HttpServerResponse.text("x".repeat(5000)))
)

describe("Middleware.compression", () => {
  it.scopedLive("brotli or gzip above the minimum size, as accepted; decoded by the client", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults({ cors: { origins: ["https://app.example.com"] } })(router))
      const br = yield* request(`${url}/big`, { headers: { "accept-encoding": "gzip, br" } })
      expect(br.headers.get("content-encoding")).toBe("br")
      expect(br.headers.get("vary")).toContain("Accept-Encoding")
      expect(JSON.parse(br.body)).toEqual(big)
      const gz = yield* request(`${url}/text`, {
        headers: { "accept-encoding": "gzip", origin: "https://app.example.com" }
      })
      expect(gz.headers.get("content-encoding")).toBe("gzip")
      expect(gz.headers.get("vary")).toBe("Accept-Encoding, Origin")
      expect(gz.body).toBe("x".repeat(5000))
      const raw = yield* rawRequest(url, { path: "/big", headers: { "accept-encoding": "gzip" } })
      expect(raw.headers.get("content-encoding")).toBe("gzip")
      expect(Number(raw.headers.get("content-length"))).toBeLessThan(JSON.stringify(big).length)
      expect(raw.headers.get("x-content-type-options")).toBe("nosniff")
    }))

  it.scopedLive("leaves small bodies, images, refused encodings and clients without Accept-Encoding alone", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults()(router))
      const small = yield* request(`${url}/small`, { headers: { "accept-encoding": "gzip, br" } })
      expect(small.headers.get("content-encoding")).toBeNull()
      const image = yield* request(`${url}/image`, { headers: { "accept-encoding": "gzip, br" } })
      expect(image.headers.get("content-encoding")).toBeNull()
      expect(image.headers.get("content-length")).toBe("5000")
      const refused = yield* rawRequest(url, { path: "/big", headers: { "accept-encoding": "br;q=0, identity" } })
      expect(refused.headers.get("content-encoding")).toBeNull()
      const none = yield* rawRequest(url, { path: "/big" })
      expect(none.headers.get("content-encoding")).toBeNull()
      expect(JSON.parse(none.body)).toEqual(big)
    }))

  it.scopedLive("can be turned off", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults({ compression: false })(router))
      const reply = yield* rawRequest(url, { path: "/big", headers: { "accept-encoding": "gzip" } })
      expect(reply.headers.get("content-encoding")).toBeNull()
    }))
})
