/**
 * The hot-path header helpers give the same response as `HttpServerResponse.setHeaders`.
 */
import { Cookies, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as responseHeaders from "../src/internal/responseHeaders.js"

const base = HttpServerResponse.unsafeJson({ id: 1 }, {
  status: 201,
  statusText: "Made",
  headers: { "x-own": "mine", "cache-control": "private" },
  cookies: Cookies.fromSetCookie(["a=b; Path=/"])
})

describe("responseHeaders", () => {
  it("set replaces and adds headers, keeping status, body, cookies and the body's content headers", () => {
    const out = responseHeaders.set(base, ["x-own", "x-new"], ["theirs", "1"])
    expect(HttpServerResponse.isServerResponse(out)).toBe(true)
    expect(out.status).toBe(201)
    expect(out.statusText).toBe("Made")
    expect(out.body).toBe(base.body)
    expect(out.cookies).toBe(base.cookies)
    expect(out.headers["x-own"]).toBe("theirs")
    expect(out.headers["x-new"]).toBe("1")
    expect(out.headers["cache-control"]).toBe("private")
    expect(out.headers["content-type"]).toBe("application/json")
    expect(base.headers["x-new"]).toBeUndefined()
    const reference = HttpServerResponse.setHeaders(base, { "x-own": "theirs", "x-new": "1" })
    expect({ ...out.headers }).toEqual({ ...reference.headers })
  })

  it("addMissing adds only the headers the response does not have", () => {
    const out = responseHeaders.addMissing(base, ["cache-control", "x-frame-options"], ["no-store", "DENY"])
    expect(out.headers["cache-control"]).toBe("private")
    expect(out.headers["x-frame-options"]).toBe("DENY")
    expect(out.headers["x-own"]).toBe("mine")
    expect(out.status).toBe(201)
    const empty = responseHeaders.addMissing(HttpServerResponse.empty({ status: 204 }), ["x-a"], ["1"])
    expect(empty.status).toBe(204)
    expect(empty.headers["x-a"]).toBe("1")
  })

  it("setHeader sets one header as HttpServerResponse.setHeader does, the body's content type winning", () => {
    const out = responseHeaders.setHeader(base, "x-request-id", "abc")
    const reference = HttpServerResponse.setHeader(base, "x-request-id", "abc")
    expect({ ...out.headers }).toEqual({ ...reference.headers })
    expect(out.body).toBe(base.body)
    expect(out.cookies).toBe(base.cookies)
    expect(out.statusText).toBe("Made")
    const typed = responseHeaders.setHeader(base, "content-type", "text/plain")
    const platform = HttpServerResponse.setHeader(base, "content-type", "text/plain")
    expect(typed.headers["content-type"]).toBe(platform.headers["content-type"])
    expect(typed.headers["content-type"]).toBe("application/json")
  })
})
