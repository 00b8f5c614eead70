/**
 * The per-request service map behaves as a plain `Map` (it saves a copy of the server's
 * services per request).
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect } from "effect"
import { RequestServices, shared } from "../src/internal/serverContext.js"

class A extends Context.Tag("test/A")<A, string>() {}
class Request extends Context.Tag("test/Request")<Request, string>() {}

const base = new Map<string, unknown>([["test/A", "a"], ["test/B", "b"], ["test/Request", "stale"]])
const services = shared(base, "test/Request", "test/Scope", "test/Response")
const make = () => new RequestServices(services, "req", "scope", "res")

describe("RequestServices", () => {
  it("reads the per-request entries first, then the shared ones", () => {
    const map = make()
    expect(map.get("test/Request")).toBe("req")
    expect(map.get("test/Response")).toBe("res")
    expect(map.get("test/A")).toBe("a")
    expect(map.get("nope")).toBeUndefined()
    expect(map.has("test/Scope")).toBe(true)
    expect(map.has("nope")).toBe(false)
    expect(map.size).toBe(5)
  })

  it("iterates like a Map with the same entries", () => {
    const map = make()
    const expected = [["test/A", "a"], ["test/B", "b"], ["test/Request", "req"], ["test/Scope", "scope"], [
      "test/Response",
      "res"
    ]]
    expect(Array.from(map)).toEqual(expected)
    expect(Array.from(map.entries())).toEqual(expected)
    expect(Array.from(map.keys())).toEqual(expected.map(([key]) => key))
    expect(Array.from(map.values())).toEqual(expected.map(([, value]) => value))
    const seen: Array<string> = []
    map.forEach((value, key, self) => {
      expect(self).toBe(map)
      seen.push(`${key}=${String(value)}`)
    })
    expect(seen).toHaveLength(5)
    expect(new Map(map)).toEqual(new Map(expected as Array<[string, unknown]>))
  })

  it("copies itself into the map on the first write", () => {
    const map = make()
    map.set("test/C", "c")
    expect(map.size).toBe(6)
    expect(map.get("test/A")).toBe("a")
    expect(map.get("test/Request")).toBe("req")
    expect(map.delete("test/A")).toBe(true)
    expect(map.has("test/A")).toBe(false)
    expect(Array.from(map.keys())).toEqual(["test/B", "test/Request", "test/Scope", "test/Response", "test/C"])
    map.clear()
    expect(map.size).toBe(0)
    expect(base.size).toBe(3)
  })

  it.effect("works as the map of a Context", () =>
    Effect.gen(function*() {
      const context = Context.unsafeMake<A | Request>(make())
      expect(Context.get(context, A)).toBe("a")
      expect(Context.get(context, Request)).toBe("req")
      const more = Context.add(context, A, "a2")
      expect(Context.get(more, A)).toBe("a2")
      expect(Context.get(more, Request)).toBe("req")
      expect(Context.get(context, A)).toBe("a")
      const value = yield* Effect.map(Request, (request) => request.toUpperCase()).pipe(Effect.provide(context))
      expect(value).toBe("REQ")
    }))
})

describe("RequestServices slots", () => {
  const keys = ["test/Request", "test/Scope", "test/Response"] as const
  const slots = ["test/Span", "test/Route"]
  const withSpan = shared(new Map<string, unknown>([["test/A", "a"], ["test/Span", "server"]]), ...keys, slots)

  it("reads a slot's default; a replacement happens in place and can be undone", () => {
    const map = new RequestServices(withSpan, "req", "scope", "res")
    expect(map.canReplace("test/Span")).toBe(true)
    expect(map.get("test/Span")).toBe("server")
    expect(map.size).toBe(5)
    const previous = map.replace("test/Span", "request-span")
    expect(previous).toBe("server")
    expect(map.get("test/Span")).toBe("request-span")
    expect(new Map(map).get("test/Span")).toBe("request-span")
    map.replace("test/Span", previous)
    expect(map.get("test/Span")).toBe("server")
    // the defaults are shared by every request: a replacement stays in its own map
    expect(new RequestServices(withSpan, "req", "scope", "res").get("test/Span")).toBe("server")
  })

  it("a slot without a value is absent until set", () => {
    const map = new RequestServices(withSpan, "req", "scope", "res")
    expect(map.has("test/Route")).toBe(false)
    expect(Array.from(map.keys())).not.toContain("test/Route")
    map.replace("test/Route", "/users/:id")
    expect(map.has("test/Route")).toBe(true)
    expect(map.get("test/Route")).toBe("/users/:id")
    expect(map.size).toBe(6)
    expect(Array.from(map.keys())).toContain("test/Route")
  })

  it("has no slots once written to, nor for keys without one", () => {
    const map = new RequestServices(withSpan, "req", "scope", "res")
    map.replace("test/Route", "r")
    map.set("test/C", "c")
    expect(map.canReplace("test/Span")).toBe(false)
    expect(map.get("test/Span")).toBe("server")
    expect(map.get("test/Route")).toBe("r")
    expect(map.canReplace("test/A")).toBe(false)
    expect(make().canReplace("test/Span")).toBe(false)
  })
})
