import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { Http, Middleware, Problem } from "@strata/http"
import { Effect } from "effect"
import { request, serve } from "./MiddlewareSupport.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/catalog/:id", HttpServerResponse.text("item")),
  HttpRouter.post("/catalog/:id", HttpServerResponse.text("saved")),
  HttpRouter.get("/catalog/:id/missing", Effect.fail(new Errors.NotFound({ resource: "Item", id: "1" }))),
  HttpRouter.get("/own", HttpServerResponse.text("own", { headers: { "cache-control": "private, max-age=5" } })),
  HttpRouter.get("/other", HttpServerResponse.text("other"))
)

const stack = Http.defaults({
  cacheControl: { rules: [{ path: "/catalog/*", methods: ["GET"], value: "public, max-age=300" }] }
})

describe("Middleware.cacheControl", () => {
  it.scopedLive("rules by path and method; no-store otherwise, on errors and when authenticated", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack(router))
      const item = yield* request(`${url}/catalog/7?x=1`)
      expect(item.headers.get("cache-control")).toBe("public, max-age=300")
      const post = yield* request(`${url}/catalog/7`, { method: "POST" })
      expect(post.headers.get("cache-control")).toBe("no-store")
      const missing = yield* request(`${url}/catalog/7/missing`)
      expect(missing.status).toBe(404)
      expect(missing.headers.get("cache-control")).toBe("no-store")
      const authenticated = yield* request(`${url}/catalog/7`, { headers: { authorization: "Bearer x" } })
      expect(authenticated.headers.get("cache-control")).toBe("no-store")
      const own = yield* request(`${url}/own`)
      expect(own.headers.get("cache-control")).toBe("private, max-age=5")
      const other = yield* request(`${url}/other`)
      expect(other.headers.get("cache-control")).toBe("no-store")
    }))

  it.scopedLive("fallback undefined leaves unmatched responses alone", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults({ cacheControl: { fallback: undefined } })(router))
      const other = yield* request(`${url}/other`)
      expect(other.headers.get("cache-control")).toBeNull()
    }))
})

describe("Middleware.envelope", () => {
  const api = HttpRouter.empty.pipe(
    HttpRouter.get("/user", HttpServerResponse.unsafeJson({ id: 1 })),
    HttpRouter.get("/text", HttpServerResponse.text("plain")),
    HttpRouter.get("/missing", Effect.fail(new Errors.NotFound({ resource: "User", id: "1" })))
  )

  it.scopedLive("wraps successful JSON when enabled; problems and text unchanged", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults({ envelope: true })(api))
      const user = yield* request(`${url}/user`, { headers: { "x-request-id": "env-1" } })
      const body = JSON.parse(user.body)
      expect(body).toMatchObject({ success: true, data: { id: 1 }, meta: { requestId: "env-1" } })
      expect(typeof body.meta.timestamp).toBe("string")
      const text = yield* request(`${url}/text`)
      expect(text.body).toBe("plain")
      const missing = yield* request(`${url}/missing`)
      expect(JSON.parse(missing.body).code).toBe("NOT_FOUND")
      expect(JSON.parse(missing.body).success).toBeUndefined()
    }))

  it.scopedLive("is off by default", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults()(api))
      const user = yield* request(`${url}/user`)
      expect(JSON.parse(user.body)).toEqual({ id: 1 })
    }))
})

describe("Middleware.cacheControl inside CORS", () => {
  it.scopedLive("in Http.defaults: the same headers as cors(cacheControl(app)) composed by hand", () =>
    Effect.gen(function*() {
      const cors = { origins: ["https://app.example.com"] }
      const cacheControl = { rules: [{ path: "/catalog/*", methods: ["GET"], value: "public, max-age=300" }] }
      const vary = HttpRouter.get("/vary", HttpServerResponse.text("v", { headers: { vary: "Accept-Encoding" } }))
      const app = router.pipe(vary)
      const fused = yield* serve(
        Http.defaults({ cors, cacheControl, securityHeaders: false, requestContext: false, tracing: false })(app)
      )
      const composed = yield* serve(Middleware.cors(cors)(Middleware.cacheControl(cacheControl)(Problem.handleErrors(app))))
      const names = [
        "cache-control",
        "vary",
        "access-control-allow-origin",
        "access-control-expose-headers",
        "access-control-allow-methods",
        "content-type"
      ]
      const cases: ReadonlyArray<readonly [string, RequestInit]> = [
        ["/catalog/7", { headers: { origin: "https://app.example.com" } }],
        ["/catalog/7", { headers: { origin: "https://evil.example.net" } }],
        ["/catalog/7", {}],
        ["/catalog/7", { headers: { origin: "https://app.example.com", authorization: "Bearer x" } }],
        ["/catalog/7", { method: "POST", headers: { origin: "https://app.example.com" } }],
        ["/catalog/7/missing", { headers: { origin: "https://app.example.com" } }],
        ["/own", { headers: { origin: "https://app.example.com" } }],
        ["/vary", { headers: { origin: "https://app.example.com" } }],
        ["/other", {}],
        ["/catalog/7", {
          method: "OPTIONS",
          headers: { origin: "https://app.example.com", "access-control-request-method": "GET" }
        }]
      ]
      for (const [path, init] of cases) {
        const a = yield* request(`${fused}${path}`, init)
        const b = yield* request(`${composed}${path}`, init)
        const label = `${init.method ?? "GET"} ${path} ${JSON.stringify(init.headers ?? {})}`
        expect(a.status, label).toBe(b.status)
        for (const name of names) expect(a.headers.get(name), `${label} ${name}`).toBe(b.headers.get(name))
      }
      const allowed = yield* request(`${fused}/catalog/7`, { headers: { origin: "https://app.example.com" } })
      expect(allowed.headers.get("cache-control")).toBe("public, max-age=300")
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com")
    }))
})
