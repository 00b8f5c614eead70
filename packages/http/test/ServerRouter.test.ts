/**
 * `HttpRouter` apps on the Strata server run through the server's own route lookup (route
 * entries set in the request's services in place): everything a handler can read or rely on
 * must be what the platform's router gives it. The same router run by the platform itself
 * is the reference.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Http } from "@strata/http"
import { Context, Deferred, Effect, Fiber, Option } from "effect"
import * as serverRouter from "../src/internal/serverRouter.js"
import { request, serve } from "./MiddlewareSupport.js"

class Greeting extends Context.Tag("test/Greeting")<Greeting, string>() {}

const describeRequest = Effect.gen(function*() {
  const route = yield* HttpRouter.RouteContext
  const search = yield* HttpServerRequest.ParsedSearchParams
  const request = yield* HttpServerRequest.HttpServerRequest
  const span = yield* Effect.currentSpan.pipe(Effect.option)
  return HttpServerResponse.unsafeJson({
    params: route.params,
    path: route.route.path,
    search,
    url: request.url,
    method: request.method,
    spanRoute: Option.isSome(span) ? span.value.attributes.get("http.route") ?? null : null
  })
})

const router = HttpRouter.empty.pipe(
  HttpRouter.get("/users/:id", describeRequest),
  HttpRouter.post("/users/:id", describeRequest),
  HttpRouter.all("/any/*", describeRequest),
  HttpRouter.get("/greet", Effect.map(Greeting, (greeting) => HttpServerResponse.text(greeting))),
  HttpRouter.get("/fail", Effect.fail(new Error("boom")))
)

const withGreeting = router.pipe(HttpRouter.provideService(Greeting, "hello"))

describe("HttpRouter on the Strata server", () => {
  it.scopedLive("params, search params, method, url and route are what the platform's router gives", () =>
    Effect.gen(function*() {
      const platform = yield* serve(HttpRouter.empty.pipe(HttpRouter.mountApp("/p", withGreeting)))
      const strata = yield* serve(withGreeting)
      const cases: ReadonlyArray<readonly [string, RequestInit?]> = [
        ["/users/7?tag=a&tag=b&x=1"],
        ["/users/8", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }],
        ["/any/deep/path?q=1", { method: "DELETE" }],
        ["/users/9", { method: "HEAD" }],
        ["/greet"],
        ["/nowhere"],
        ["/fail"]
      ]
      for (const [path, init] of cases) {
        const ours = yield* request(`${strata}${path}`, init)
        const theirs = yield* request(`${platform}/p${path}`, init)
        expect(ours.status, path).toBe(theirs.status)
        // problem responses carry a fresh request id each
        expect(ours.body.replace(/"requestId":"[^"]*"/, ""), path).toBe(theirs.body.replace(/"requestId":"[^"]*"/, ""))
      }
      const user = JSON.parse((yield* request(`${strata}/users/7?tag=a&tag=b`)).body)
      expect(user).toMatchObject({ params: { id: "7" }, path: "/users/:id", search: { tag: ["a", "b"] }, method: "GET" })
      expect((yield* request(`${strata}/users/9`, { method: "HEAD" })).status).toBe(200)
      expect((yield* request(`${strata}/nowhere`)).status).toBe(404)
    }))

  it.scopedLive("behind the default stack: the span gets the route, handlers see their route", () =>
    Effect.gen(function*() {
      const url = yield* serve(Http.defaults()(withGreeting))
      const reply = yield* request(`${url}/users/42`)
      expect(reply.status).toBe(200)
      expect(JSON.parse(reply.body)).toMatchObject({ params: { id: "42" }, spanRoute: "/users/:id" })
      expect((yield* request(`${url}/greet`)).body).toBe("hello")
      const missing = yield* request(`${url}/nowhere`)
      expect(missing.status).toBe(404)
      expect(missing.headers.get("content-type")).toContain("application/problem+json")
    }))

  it.scopedLive("a fiber the handler forks still reads its route after the response", () =>
    Effect.gen(function*() {
      const seen = yield* Deferred.make<string>()
      const release = yield* Deferred.make<void>()
      const app = HttpRouter.empty.pipe(
        HttpRouter.get(
          "/later/:id",
          Effect.as(
            Effect.forkDaemon(
              Effect.zipRight(
                Deferred.await(release),
                Effect.flatMap(HttpRouter.params, (params) => Deferred.succeed(seen, params["id"] ?? "none"))
              )
            ),
            HttpServerResponse.text("accepted")
          )
        )
      )
      const url = yield* serve(app)
      expect((yield* request(`${url}/later/5`)).body).toBe("accepted")
      yield* Deferred.succeed(release, undefined)
      expect(yield* Deferred.await(seen).pipe(Effect.timeout("5 seconds"))).toBe("5")
    }))

  it.scopedLive("routes run interruptibly as on the platform's router, unless marked uninterruptible", () =>
    Effect.gen(function*() {
      const flag = Effect.map(
        Effect.checkInterruptible((interruptible) => Effect.succeed(interruptible)),
        (interruptible) => HttpServerResponse.text(String(interruptible))
      )
      const app = HttpRouter.empty.pipe(
        HttpRouter.get("/plain", flag),
        HttpRouter.get("/shielded", flag, { uninterruptible: true })
      )
      const answers = (url: string) =>
        Effect.all([request(`${url}/plain`), request(`${url}/shielded`)]).pipe(
          Effect.map((replies) => replies.map((reply) => reply.body))
        )
      // Inside the stack (already interruptible around the app), alone, and inside an
      // uninterruptible region: the same as the platform's router in each.
      const stacked = yield* serve(Http.defaults()(app))
      expect(yield* answers(stacked)).toEqual(["true", "true"])
      const alone = yield* serve(app)
      expect(yield* answers(alone)).toEqual(["true", "true"])
      const shielded = yield* serve(Effect.uninterruptible(app))
      expect(yield* answers(shielded)).toEqual(["true", "false"])
      const platform = yield* serve(Effect.uninterruptible(HttpRouter.toHttpApp(app).pipe(Effect.flatten)))
      expect(yield* answers(platform)).toEqual(["true", "false"])
    }))

  it.scopedLive("honours the router config of the server's fiber", () =>
    Effect.gen(function*() {
      const relaxed = yield* serve(withGreeting)
      expect((yield* request(`${relaxed}/USERS/3`)).status).toBe(200)
      const strict = yield* serve(withGreeting).pipe(HttpRouter.withRouterConfig({ caseSensitive: true }))
      expect((yield* request(`${strict}/USERS/3`)).status).toBe(404)
      expect((yield* request(`${strict}/users/3`)).status).toBe(200)
    }))

  it.effect("outside the Strata server the route is provided the usual way", () =>
    Effect.gen(function*() {
      const app = serverRouter.optimize(withGreeting)
      const fake = HttpServerRequest.fromWeb(new Request("http://localhost/users/11?x=1"))
      const response = yield* app.pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, fake), Effect.scoped)
      expect(response.status).toBe(200)
      const body = yield* Effect.fork(Effect.succeed(response.body))
      const value = yield* Fiber.join(body)
      expect(value._tag).toBe("Uint8Array")
      if (value._tag === "Uint8Array") {
        expect(JSON.parse(new TextDecoder().decode(value.body))).toMatchObject({ params: { id: "11" }, search: { x: "1" } })
      }
    }))

  it("leaves routers with mounts or prefixed routes to the platform", () => {
    const mounted = HttpRouter.empty.pipe(HttpRouter.mountApp("/api", withGreeting))
    expect(serverRouter.optimize(mounted)).toBe(mounted)
    const prefixed = router.pipe(HttpRouter.prefixAll("/v1"))
    expect(serverRouter.optimize(prefixed)).toBe(prefixed)
    expect(serverRouter.optimize(router)).not.toBe(router)
  })
})
