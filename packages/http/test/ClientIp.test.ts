import { HttpServerRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ClientIp } from "@strata/http"
import { Effect } from "effect"

describe("ClientIp", () => {
  const behindLb = ClientIp.resolver({ trustedProxies: ["10.0.0.0/8", "2001:db8::/32"] })

  it("uses the socket peer when it is not a trusted proxy, whatever the header says", () => {
    expect(behindLb.resolve("198.51.100.1", "203.0.113.7")).toBe("198.51.100.1")
    expect(behindLb.resolve("198.51.100.1", undefined)).toBe("198.51.100.1")
  })

  it("walks X-Forwarded-For from the right while hops are trusted", () => {
    expect(behindLb.resolve("10.0.0.5", "203.0.113.7")).toBe("203.0.113.7")
    expect(behindLb.resolve("10.0.0.5", "203.0.113.7, 10.1.2.3")).toBe("203.0.113.7")
    // The leftmost entry is whatever the client wrote: not trusted past an untrusted hop.
    expect(behindLb.resolve("10.0.0.5", "1.1.1.1, 203.0.113.7, 10.1.2.3")).toBe("203.0.113.7")
    expect(behindLb.resolve("10.0.0.5", ["1.1.1.1", "203.0.113.7"])).toBe("203.0.113.7")
  })

  it("returns the leftmost address when every hop is trusted", () => {
    expect(behindLb.resolve("10.0.0.5", "10.9.9.9, 10.1.2.3")).toBe("10.9.9.9")
  })

  it("stops at an entry that is not an IP and keeps the last trusted hop", () => {
    expect(behindLb.resolve("10.0.0.5", "203.0.113.7, unknown")).toBe("10.0.0.5")
    expect(behindLb.resolve("10.0.0.5", "203.0.113.7, ")).toBe("10.0.0.5")
  })

  it("understands ports, brackets and IPv4-mapped IPv6", () => {
    expect(behindLb.resolve("::ffff:10.0.0.5", "203.0.113.7:4711")).toBe("203.0.113.7")
    expect(behindLb.resolve("2001:db8::1", "[2001:db8::2]:443, 2001:db8::3")).toBe("2001:db8::2")
    expect(behindLb.resolve("2001:db8::1", "2a00:1450::1")).toBe("2a00:1450::1")
    expect(behindLb.resolve("::ffff:198.51.100.1", undefined)).toBe("198.51.100.1")
  })

  it("trusts loopback by default, and nothing with an empty list or none", () => {
    const byDefault = ClientIp.resolver()
    expect(byDefault.trustedProxies).toEqual(["127.0.0.0/8", "::1/128"])
    expect(byDefault.resolve("127.0.0.1", "203.0.113.7")).toBe("203.0.113.7")
    expect(byDefault.resolve("::1", "203.0.113.7")).toBe("203.0.113.7")
    expect(ClientIp.resolver({ trustedProxies: [] }).resolve("127.0.0.1", "203.0.113.7")).toBe("127.0.0.1")
    expect(ClientIp.resolver({ trustedProxies: ["none"] }).isTrusted("127.0.0.1")).toBe(false)
    expect(ClientIp.resolver({ trustedProxies: ["private"] }).isTrusted("192.168.1.1")).toBe(true)
    expect(ClientIp.resolver({ trustedProxies: ["192.0.2.10"] }).isTrusted("192.0.2.11")).toBe(false)
  })

  it("refuses entries that are not IPs, ranges or keywords", () => {
    expect(() => ClientIp.resolver({ trustedProxies: ["proxy.internal"] })).toThrow(/Expected an IP address/)
    expect(() => ClientIp.resolver({ trustedProxies: ["10.0.0.0/33"] })).toThrow(/Invalid CIDR prefix/)
    expect(() => ClientIp.resolver({ trustedProxies: ["10.0.0.0/x"] })).toThrow(/Invalid CIDR prefix/)
  })

  it.effect("current reads the request with the resolver in the context", () =>
    Effect.gen(function*() {
      const source = new Request("http://localhost/", { headers: { "x-forwarded-for": "203.0.113.7" } })
      const request = HttpServerRequest.fromWeb(source).modify({ remoteAddress: "10.0.0.5" })
      const withDefault = yield* ClientIp.current.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, request)
      )
      expect(withDefault).toBe("10.0.0.5")
      const behind = yield* ClientIp.current.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, request),
        Effect.provide(ClientIp.layer({ trustedProxies: ["10.0.0.0/8"] }))
      )
      expect(behind).toBe("203.0.113.7")
      const noPeer = ClientIp.fromRequest(HttpServerRequest.fromWeb(source), behindLb)
      expect(noPeer).toBe("unknown")
    }))
})
