/**
 * The server's write of a complete response, done from the app's continuation in the run
 * loop (no further effect): pre-response handlers, HEAD, the failure path and a write that
 * throws, each after the request fiber suspended and resumed (the write then runs from a
 * resumed run loop, not from the one the request started in).
 */
import { HttpApp, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { Server } from "@strata/http"
import { LogCapture, TestStrata } from "@strata/testing"
import { Effect, Layer, Ref } from "effect"

class Released extends Effect.Service<Released>()("test/Released", { effect: Ref.make(0) }) {}

// Resumes from a promise: the rest of the request runs in a later run loop of its fiber.
const suspend = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

const tagged = HttpApp.appendPreResponseHandler((_request, response) =>
  Effect.succeed(HttpServerResponse.setHeader(response, "x-pre", "yes"))
)

const countRelease = Effect.flatMap(Released, (released) => Effect.addFinalizer(() => Ref.update(released, (n) => n + 1)))

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/sync", HttpServerResponse.text("sync")),
  HttpRouter.get("/async", Effect.zipRight(suspend, HttpServerResponse.text("async"))),
  HttpRouter.get("/pre-async", Effect.zipRight(Effect.zipRight(suspend, tagged), HttpServerResponse.text("pre"))),
  HttpRouter.get("/pre-sync", Effect.zipRight(tagged, HttpServerResponse.text("pre"))),
  HttpRouter.get(
    "/pre-fail",
    Effect.zipRight(Effect.zipRight(tagged, suspend), Effect.fail(new Errors.NotFound({ resource: "User", id: "1" })))
  ),
  HttpRouter.get(
    "/bad-header",
    Effect.zipRight(
      Effect.zipRight(countRelease, suspend),
      Effect.succeed(HttpServerResponse.text("never").pipe(HttpServerResponse.setHeader("x-bad", "a\nb")))
    )
  )
)

const TestLive = Server.layer(app, { port: 0, host: "127.0.0.1" }).pipe(
  Layer.provideMerge(Released.Default),
  Layer.provideMerge(TestStrata.layer())
)

const send = (path: string, init?: RequestInit) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.promise(async () => {
      const address = server.address as HttpServer.TcpAddress
      const response = await fetch(`http://127.0.0.1:${address.port}${path}`, init)
      return { status: response.status, headers: response.headers, text: await response.text() }
    }))

describe("Server: writing a complete response", () => {
  it.layer(TestLive)("over real HTTP", (it) => {
    it.effect("writes bodies answered synchronously and after a suspension", () =>
      Effect.gen(function*() {
        expect((yield* send("/sync")).text).toBe("sync")
        expect((yield* send("/async")).text).toBe("async")
        const head = yield* send("/async", { method: "HEAD" })
        expect(head.status).toBe(200)
        expect(head.headers.get("content-type")).toBe("text/plain")
        expect(head.text).toBe("")
      }))

    it.effect("runs pre-response handlers on success and failure, synchronous or after a suspension", () =>
      Effect.gen(function*() {
        const sync = yield* send("/pre-sync")
        expect(sync.headers.get("x-pre")).toBe("yes")
        expect(sync.text).toBe("pre")
        const async = yield* send("/pre-async")
        expect(async.headers.get("x-pre")).toBe("yes")
        expect(async.text).toBe("pre")
        const failed = yield* send("/pre-fail")
        expect(failed.status).toBe(404)
        expect(failed.headers.get("x-pre")).toBe("yes")
        // A handler set by one request does not leak into the next one.
        expect((yield* send("/sync")).headers.get("x-pre")).toBeNull()
      }))

    it.effect("a response node refuses to write → 500, logged, and the request scope still closes", () =>
      Effect.gen(function*() {
        const released = yield* Released
        const before = yield* Ref.get(released)
        const reply = yield* send("/bad-header")
        expect(reply.status).toBe(500)
        expect(reply.headers.get("content-type")).toBe("application/problem+json")
        expect(reply.headers.get("x-bad")).toBeNull()
        const logged = yield* Effect.repeat(LogCapture.messages, {
          until: (messages) => messages.includes("HTTP response could not be written")
        })
        expect(logged).toContain("HTTP response could not be written")
        yield* Effect.repeat(Ref.get(released), { until: (n) => n === before + 1 })
        // The connection pool is still fine for the next request.
        expect((yield* send("/sync")).text).toBe("sync")
      }))
  })
})
