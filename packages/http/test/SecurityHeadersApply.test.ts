/**
 * The security headers and `no-store` on errors applied in one rebuild (as `Http.defaults`
 * does) give what the two separate steps gave.
 */
import { HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as securityHeaders from "../src/internal/middlewareSecurityHeaders.js"

describe("security headers with no-store on errors", () => {
  const finish = securityHeaders.apply(undefined, true)

  it("adds the security headers; no-store only on errors without their own Cache-Control", () => {
    const ok = finish(HttpServerResponse.text("ok"))
    expect(ok.headers["x-content-type-options"]).toBe("nosniff")
    expect(ok.headers["cache-control"]).toBeUndefined()
    const missing = finish(HttpServerResponse.text("gone", { status: 404 }))
    expect(missing.headers["cache-control"]).toBe("no-store")
    expect(missing.headers["x-frame-options"]).toBe("DENY")
    expect(missing.headers["content-type"]).toBe("text/plain")
    const own = finish(HttpServerResponse.text("x", { status: 500, headers: { "cache-control": "private" } }))
    expect(own.headers["cache-control"]).toBe("private")
    const handlerCsp = finish(HttpServerResponse.text("x", { headers: { "content-security-policy": "mine" } }))
    expect(handlerCsp.headers["content-security-policy"]).toBe("mine")
  })

  it("no-store wins over a Cache-Control among the security headers on errors only", () => {
    const withCache = securityHeaders.apply({ "Cache-Control": "max-age=60" }, true)
    expect(withCache(HttpServerResponse.text("ok")).headers["cache-control"]).toBe("max-age=60")
    expect(withCache(HttpServerResponse.text("no", { status: 503 })).headers["cache-control"]).toBe("no-store")
    const without = securityHeaders.apply({ "Cache-Control": "max-age=60" }, false)
    expect(without(HttpServerResponse.text("no", { status: 503 })).headers["cache-control"]).toBe("max-age=60")
    expect(without(HttpServerResponse.text("no", { status: 503 })).headers["x-frame-options"]).toBe("DENY")
  })
})
