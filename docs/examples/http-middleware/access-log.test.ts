import { describe, expect, it } from "@effect/vitest"
import { LogCapture } from "@strata/testing"
import { Effect } from "effect"
import { logged, quiet, stack } from "./access-log.js"
import { send, serve } from "./support.js"

const accessLines = (message: string) =>
  Effect.map(LogCapture.entries, (entries) => entries.filter((entry) => entry.message === message))

describe("Middleware.accessLog", () => {
  it.scopedLive("one line per request with the route template; ignored paths and the query string stay out", () =>
    Effect.gen(function*() {
      const url = yield* serve(logged)
      yield* send(url, "/users/7?token=secret", { headers: { "x-request-id": "req-42" } })
      yield* send(url, "/health/live")
      const lines = yield* accessLines("http request")
      expect(lines).toHaveLength(1)
      expect(lines[0]!.annotations).toMatchObject({ method: "GET", path: "/users/7", route: "/users/:id", status: 200 })
      expect(JSON.stringify(lines[0])).not.toContain("secret")
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("in the default stack the line carries the request id", () =>
    Effect.gen(function*() {
      const url = yield* serve(stack)
      yield* send(url, "/users/7", { headers: { "x-request-id": "req-43" } })
      const lines = yield* accessLines("http request")
      expect(lines.map((line) => line.context["requestId"])).toEqual(["req-43"])
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scopedLive("below the minimum level nothing is written", () =>
    Effect.gen(function*() {
      const url = yield* serve(quiet)
      yield* send(url, "/users/7")
      expect(yield* accessLines("access")).toHaveLength(0)
    }).pipe(Effect.provide(LogCapture.layer)))
})
