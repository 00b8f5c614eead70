import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors, RequestContext } from "@strata/core"
import { Http, Middleware } from "@strata/http"
import { LogCapture } from "@strata/testing"
import { Deferred, Effect, Metric } from "effect"
import { request, serve } from "./MiddlewareSupport.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/ok", HttpServerResponse.text("ok")),
  HttpRouter.get(
    "/log",
    Effect.gen(function*() {
      yield* Effect.log("handling")
      const context = yield* RequestContext.get
      return HttpServerResponse.unsafeJson(context)
    })
  ),
  HttpRouter.get("/users/:id", HttpServerResponse.text("user")),
  HttpRouter.get("/missing", Effect.fail(new Errors.NotFound({ resource: "User", id: "42" }))),
  HttpRouter.get("/boom", Effect.die(new Error("bug"))),
  HttpRouter.get("/health/live", HttpServerResponse.text("up")),
  HttpRouter.get("/metrics", HttpServerResponse.text("# metrics"))
)

const stack = Http.defaults({ cors: { origins: ["https://app.example.com", "*.example.org"], credentials: true } })

describe("Http.defaults", () => {
  it.scopedLive("creates, echoes and validates the request id, and logs carry it", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const created = yield* request(`${url}/ok`)
      expect(created.status).toBe(200)
      expect(created.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)

      const echoed = yield* request(`${url}/log`, { headers: { "x-request-id": "abc-123" } })
      expect(echoed.headers.get("x-request-id")).toBe("abc-123")
      expect(JSON.parse(echoed.body).requestId).toBe("abc-123")
      const entries = yield* LogCapture.entries
      const line = entries.find((entry) => entry.message === "handling")
      expect(line?.context["requestId"]).toBe("abc-123")

      const junk = yield* request(`${url}/ok`, { headers: { "x-request-id": "bad id;<script>" } })
      expect(junk.headers.get("x-request-id")).not.toBe("bad id;<script>")
      expect(junk.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
      const long = yield* request(`${url}/ok`, { headers: { "x-request-id": "a".repeat(200) } })
      expect(long.headers.get("x-request-id")).toHaveLength(36)
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("puts the security headers on successes, errors, defects and unknown routes", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      for (const path of ["/ok", "/missing", "/boom", "/nowhere"]) {
        const reply = yield* request(`${url}${path}`)
        expect(reply.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains")
        expect(reply.headers.get("x-content-type-options")).toBe("nosniff")
        expect(reply.headers.get("x-frame-options")).toBe("DENY")
        expect(reply.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
        expect(reply.headers.get("referrer-policy")).toBe("no-referrer")
        expect(reply.headers.get("cross-origin-opener-policy")).toBe("same-origin")
        expect(reply.headers.get("x-request-id")).not.toBeNull()
      }
      const missing = yield* request(`${url}/missing`)
      expect(missing.status).toBe(404)
      expect(missing.headers.get("content-type")).toContain("application/problem+json")
      expect(JSON.parse(missing.body).requestId).toBe(missing.headers.get("x-request-id"))
      const boom = yield* request(`${url}/boom`)
      expect(boom.status).toBe(500)
    }))

  it.scopedLive("security headers are overridable and removable; a handler's own header wins", () =>
    Effect.gen(function*() {
      const app = HttpRouter.empty.pipe(
        HttpRouter.get("/", HttpServerResponse.text("ok")),
        HttpRouter.get("/page", HttpServerResponse.text("page", { headers: { "content-security-policy": "mine" } }))
      )
      const url = yield* serve(
        Http.defaults({ securityHeaders: { "strict-transport-security": false, "x-frame-options": "SAMEORIGIN" } })(app)
      )
      const reply = yield* request(`${url}/`)
      expect(reply.headers.get("strict-transport-security")).toBeNull()
      expect(reply.headers.get("x-frame-options")).toBe("SAMEORIGIN")
      const page = yield* request(`${url}/page`)
      expect(page.headers.get("content-security-policy")).toBe("mine")
      expect(page.headers.get("x-content-type-options")).toBe("nosniff")
    }))

  it.scopedLive("CORS: preflight, allowed and denied origins, patterns, credentials", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const preflight = yield* request(`${url}/ok`, {
        method: "OPTIONS",
        headers: { origin: "https://app.example.com", "access-control-request-method": "POST" }
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com")
      expect(preflight.headers.get("access-control-allow-credentials")).toBe("true")
      expect(preflight.headers.get("access-control-allow-methods")).toContain("POST")
      expect(preflight.headers.get("access-control-max-age")).toBe("600")
      expect(preflight.headers.get("x-content-type-options")).toBe("nosniff")

      const pattern = yield* request(`${url}/ok`, { headers: { origin: "https://api.eu.example.org" } })
      expect(pattern.headers.get("access-control-allow-origin")).toBe("https://api.eu.example.org")
      expect(pattern.headers.get("vary")).toBe("Origin")

      const denied = yield* request(`${url}/ok`, { headers: { origin: "https://evil.com" } })
      expect(denied.status).toBe(200)
      expect(denied.headers.get("access-control-allow-origin")).toBeNull()
      const lookalike = yield* request(`${url}/ok`, { headers: { origin: "https://example.org.evil.com" } })
      expect(lookalike.headers.get("access-control-allow-origin")).toBeNull()
      const deniedPreflight = yield* request(`${url}/ok`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.com", "access-control-request-method": "POST" }
      })
      expect(deniedPreflight.headers.get("access-control-allow-origin")).toBeNull()

      const none = yield* request(`${url}/ok`)
      expect(none.headers.get("access-control-allow-origin")).toBeNull()
    }))

  it.scopedLive("CORS with `*` and no credentials answers `*`", () =>
    Effect.gen(function*() {
      const url = yield* serve(Middleware.cors({ origins: ["*"] })(router))
      const reply = yield* request(`${url}/ok`, { headers: { origin: "https://any.where" } })
      expect(reply.headers.get("access-control-allow-origin")).toBe("*")
      expect(reply.headers.get("access-control-allow-credentials")).toBeNull()
    }))

  it.scopedLive("timeout: 504 problem and the handler interrupted", () =>
    Effect.gen(function*() {
      const interrupted = yield* Deferred.make<void>()
      const app = HttpRouter.empty.pipe(
        HttpRouter.get("/slow", Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)))),
        HttpRouter.get("/fast", HttpServerResponse.text("fast"))
      )
      const url = yield* serve(Http.defaults({ timeout: { duration: "150 millis" } })(app))
      const reply = yield* request(`${url}/slow`)
      expect(reply.status).toBe(504)
      expect(reply.headers.get("content-type")).toContain("application/problem+json")
      expect(JSON.parse(reply.body).code).toBe("TIMEOUT")
      expect(reply.headers.get("x-frame-options")).toBe("DENY")
      yield* Deferred.await(interrupted).pipe(Effect.timeout("1 second"))
      const fast = yield* request(`${url}/fast`)
      expect(fast.status).toBe(200)
    }))

  it.scopedLive("a user id the handler puts in the request context reaches the middleware outside", () =>
    Effect.gen(function*() {
      const app = HttpRouter.empty.pipe(
        HttpRouter.get("/me", Effect.as(RequestContext.annotate({ userId: "u-7" }), HttpServerResponse.text("me")))
      )
      const stacked = Http.defaults()(app)
      const outer = Effect.flatMap(stacked, (response) =>
        Effect.map(RequestContext.get, (context) =>
          HttpServerResponse.setHeader(response, "x-user", context.userId ?? "none")))
      const url = yield* serve(outer)
      const reply = yield* request(`${url}/me`)
      expect(reply.headers.get("x-user")).toBe("u-7")
    }))

  it.scopedLive("timeout with status 503", () =>
    Effect.gen(function*() {
      const app = HttpRouter.empty.pipe(HttpRouter.get("/slow", Effect.never))
      const url = yield* serve(Http.defaults({ timeout: { duration: "100 millis", status: 503 } })(app))
      const reply = yield* request(`${url}/slow`)
      expect(reply.status).toBe(503)
      expect(JSON.parse(reply.body).code).toBe("UNAVAILABLE")
    }))
})

const counterValue = (route: string, status: string, method = "GET"): number => {
  let total = 0
  for (const pair of Metric.unsafeSnapshot()) {
    if (pair.metricKey.name !== "http_requests_total") continue
    const tags = Object.fromEntries(pair.metricKey.tags.map((tag) => [tag.key, tag.value]))
    if (tags["route"] === route && tags["status"] === status && tags["method"] === method) {
      total += (pair.metricState as unknown as { count: number }).count
    }
  }
  return total
}

const histogramCount = (route: string): number => {
  let total = 0
  for (const pair of Metric.unsafeSnapshot()) {
    if (pair.metricKey.name !== "http_request_duration_seconds") continue
    if (pair.metricKey.tags.some((tag) => tag.key === "route" && tag.value === route)) {
      total += (pair.metricState as unknown as { count: number }).count
    }
  }
  return total
}

const pathLabelled = (fragment: string): boolean =>
  Metric.unsafeSnapshot().some((pair) => pair.metricKey.tags.some((tag) => tag.value.includes(fragment)))

describe("metrics and tracing", () => {
  it.scopedLive("records by route template, never the raw path; skips ignored paths", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const before = counterValue("/users/:id", "200")
      yield* request(`${url}/users/1001`)
      yield* request(`${url}/users/1002`)
      expect(counterValue("/users/:id", "200")).toBe(before + 2)
      expect(histogramCount("/users/:id")).toBeGreaterThanOrEqual(2)
      expect(pathLabelled("/users/1001")).toBe(false)
      const notFound = counterValue("/missing", "404")
      yield* request(`${url}/missing`)
      expect(counterValue("/missing", "404")).toBe(notFound + 1)
      const unmatched = counterValue("unmatched", "404")
      yield* request(`${url}/no/such/path`)
      expect(counterValue("unmatched", "404")).toBe(unmatched + 1)
      expect(pathLabelled("/no/such/path")).toBe(false)
      yield* request(`${url}/health/live`)
      yield* request(`${url}/metrics`)
      expect(counterValue("/health/live", "200")).toBe(0)
      expect(counterValue("/metrics", "200")).toBe(0)
    }))

  it.scopedLive("continues the incoming W3C trace and returns traceparent", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
      const reply = yield* request(`${url}/log`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }
      })
      const out = reply.headers.get("traceparent")
      expect(out).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))
      expect(out).not.toContain("00f067aa0ba902b7")
      // The handler's request context has the request id and the server span's ids.
      const context = JSON.parse(reply.body)
      expect(context.traceId).toBe(traceId)
      expect(context.spanId).toBe(out?.split("-")[2])
      expect(context.requestId).toBe(reply.headers.get("x-request-id"))
      const fresh = yield* request(`${url}/ok`)
      expect(fresh.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
      expect(fresh.headers.get("traceparent")).not.toContain(traceId)
      const next = yield* request(`${url}/log`)
      const nextContext = JSON.parse(next.body)
      expect(nextContext.traceId).not.toBe(traceId)
      expect(`00-${nextContext.traceId}-${nextContext.spanId}`).toBe(next.headers.get("traceparent")?.slice(0, 52))
      expect(nextContext.requestId).not.toBe(context.requestId)
    }))
})
