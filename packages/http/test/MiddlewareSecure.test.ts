import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Http } from "@strata/http"
import { Effect } from "effect"
import { rawRequest, request, serve } from "./MiddlewareSupport.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/files/*", HttpServerResponse.text("file")),
  HttpRouter.post(
    "/items",
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (req) => req.json).pipe(
      Effect.flatMap((body) => HttpServerResponse.json(body))
    )
  )
)

const stack = Http.defaults({ secureRequest: { maxBodySize: 100, maxUrlLength: 200 } })

describe("Middleware.secureRequest", () => {
  it.scopedLive("rejects path traversal in all its encodings with a 400 problem", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const ok = yield* rawRequest(url, { path: "/files/a/b.txt" })
      expect(ok.status).toBe(200)
      const attempts = [
        "/files/../etc/passwd",
        "/files/%2e%2e/etc",
        "/files/%2E%2e%2Fsecret",
        "/files/..%5c..",
        "/files/a%00",
        "/files/%252e%252e/x"
      ]
      for (const path of attempts) {
        const reply = yield* rawRequest(url, { path })
        expect(reply.status, path).toBe(400)
        expect(JSON.parse(reply.body).code, path).toBe("SECURITY_VIOLATION")
        expect(reply.headers.get("content-type")).toContain("application/problem+json")
        expect(reply.headers.get("x-content-type-options")).toBe("nosniff")
        expect(reply.headers.get("x-request-id")).not.toBeNull()
      }
      const dots = yield* rawRequest(url, { path: "/files/a..b/file.v1..2" })
      expect(dots.status).toBe(200)
    }))

  it.scopedLive("rejects long URLs (414), too many or too large headers (431)", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const long = yield* rawRequest(url, { path: `/files/${"a".repeat(300)}` })
      expect(long.status).toBe(414)
      const many: Record<string, string> = {}
      for (let i = 0; i < 120; i++) many[`x-h${i}`] = "v"
      const tooMany = yield* rawRequest(url, { path: "/files/a", headers: many })
      expect(tooMany.status).toBe(431)
      const big = yield* rawRequest(url, { path: "/files/a", headers: { "x-big": "b".repeat(9000) } })
      expect(big.status).toBe(431)
      expect(JSON.parse(big.body).code).toBe("REQUEST_HEADERS_TOO_LARGE")
    }))

  it.scopedLive("bodies: wrong media type 415, declared size over the limit 413, malformed JSON 400", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const good = yield* request(`${url}/items`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ a: 1 })
      })
      expect(good.status).toBe(200)
      expect(JSON.parse(good.body)).toEqual({ a: 1 })
      const vendor = yield* request(`${url}/items`, {
        method: "POST",
        headers: { "content-type": "application/vnd.api+json; charset=utf-8" },
        body: "{}"
      })
      expect(vendor.status).toBe(200)
      const xml = yield* request(`${url}/items`, {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: "<a/>"
      })
      expect(xml.status).toBe(415)
      expect(JSON.parse(xml.body).code).toBe("UNSUPPORTED_MEDIA_TYPE")
      const large = yield* request(`${url}/items`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ a: "x".repeat(200) })
      })
      expect(large.status).toBe(413)
      const malformed = yield* request(`${url}/items`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{nope"
      })
      expect(malformed.status).toBe(400)
      expect(malformed.headers.get("x-frame-options")).toBe("DENY")
    }))
})
