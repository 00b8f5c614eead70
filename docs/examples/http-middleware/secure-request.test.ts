import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { app, strict } from "./secure-request.js"
import { send, serve } from "./support.js"

const json = { "content-type": "application/json" }

describe("Middleware.secureRequest", () => {
  it.scopedLive("rejects traversal, long URLs and too many headers before the handler", () =>
    Effect.gen(function*() {
      const url = yield* serve(app)
      expect((yield* send(url, "/files/report.pdf")).status).toBe(200)
      for (const path of ["/files/../etc/passwd", "/files/%2e%2e/secret", "/files/..%5cwin.ini", "/files/a%00.txt"]) {
        const reply = yield* send(url, path)
        expect(reply.status, path).toBe(400)
        expect(reply.headers["content-type"]).toBe("application/problem+json")
        expect(JSON.parse(reply.body)).toMatchObject({ code: "SECURITY_VIOLATION" })
      }
      expect((yield* send(url, `/files/${"x".repeat(3000)}`)).status).toBe(414)
      const headers: Record<string, string> = {}
      for (let i = 0; i < 120; i++) headers[`x-extra-${i}`] = "1"
      const many = yield* send(url, "/files/a", { headers })
      expect(many.status).toBe(431)
      expect(JSON.parse(many.body)).toMatchObject({ code: "REQUEST_HEADERS_TOO_LARGE" })
    }))

  it.scopedLive("bodies: 415 for a wrong type, 413 over the limit, 400 malformed or polluting, 422 invalid", () =>
    Effect.gen(function*() {
      const url = yield* serve(strict)
      const ok = yield* send(url, "/notes", { method: "POST", headers: json, body: JSON.stringify({ text: "hi" }) })
      expect(ok.status).toBe(201)
      const form = yield* send(url, "/notes", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "text=hi"
      })
      expect(form.status).toBe(415)
      expect(JSON.parse(form.body)).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" })
      const big = yield* send(url, "/notes", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ text: "x".repeat(20_000) })
      })
      expect(big.status).toBe(413)
      expect(JSON.parse(big.body)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" })
      const malformed = yield* send(url, "/notes", { method: "POST", headers: json, body: "{\"text\":" })
      expect(JSON.parse(malformed.body)).toMatchObject({ status: 400, code: "MALFORMED_BODY" })
      const polluting = yield* send(url, "/notes", {
        method: "POST",
        headers: json,
        body: "{\"text\":\"hi\",\"__proto__\":{\"admin\":true}}"
      })
      expect(JSON.parse(polluting.body)).toMatchObject({ status: 400, code: "SECURITY_VIOLATION" })
      const invalid = yield* send(url, "/notes", { method: "POST", headers: json, body: JSON.stringify({ text: 1 }) })
      expect(JSON.parse(invalid.body)).toMatchObject({ status: 422, errors: [{ path: "text" }] })
    }))
})
