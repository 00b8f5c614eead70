import { describe, expect, it } from "@effect/vitest"
import { Option, Redacted } from "effect"
import { Errors, Redaction } from "@strata/core"

describe("Redaction", () => {
  it("matches sensitive keys ignoring case and separators", () => {
    const sensitive = [
      "password", "PASSWORD", "dbPassword", "password_hash", "passwd", "pwd", "secret", "clientSecret",
      "client_secret", "token", "accessToken", "refresh_token", "idToken", "X-CSRF-Token", "authorization",
      "Proxy-Authorization", "cookie", "Set-Cookie", "apiKey", "api_key", "X-Api-Key", "API-KEY", "privateKey",
      "private_key", "passphrase"
    ]
    const plain = ["user", "userName", "email", "id", "key", "api", "status", "author", "url"]
    expect(sensitive.filter((key) => !Redaction.isSensitiveKey(key))).toEqual([])
    expect(plain.filter((key) => Redaction.isSensitiveKey(key))).toEqual([])
  })

  it("replaces values of sensitive keys at any depth and leaves the input untouched", () => {
    const input = {
      user: { name: "ada", password: "hunter2", profile: { apiKey: "k", bio: "hi" } },
      items: [{ token: "t1", id: 1 }, { id: 2 }],
      headers: { authorization: { scheme: "Bearer", value: "abc" } }
    }
    const snapshot = structuredClone(input)
    expect(Redaction.redact(input)).toEqual({
      user: { name: "ada", password: "[REDACTED]", profile: { apiKey: "[REDACTED]", bio: "hi" } },
      items: [{ token: "[REDACTED]", id: 1 }, { id: 2 }],
      headers: { authorization: "[REDACTED]" }
    })
    expect(input).toEqual(snapshot)
  })

  it("handles Maps, Sets, Dates, bigints, functions, typed arrays and toJSON values", () => {
    const result = Redaction.redact({
      headers: new Map<unknown, unknown>([["Cookie", "sid=1"], ["Accept", "json"], [42, "n"]]),
      tags: new Set(["a", { secret: "s" }]),
      at: new Date(0),
      bad: new Date(Number.NaN),
      big: 10n,
      fn: function handler() {},
      bytes: new Uint8Array(3),
      maybe: Option.some({ password: "p", ok: true })
    })
    expect(result).toEqual({
      headers: { Cookie: "[REDACTED]", Accept: "json", "42": "n" },
      tags: ["a", { secret: "[REDACTED]" }],
      at: "1970-01-01T00:00:00.000Z",
      bad: "Invalid Date",
      big: "10",
      fn: "[Function handler]",
      bytes: "[Uint8Array 3 bytes]",
      maybe: { _id: "Option", _tag: "Some", value: { password: "[REDACTED]", ok: true } }
    })
  })

  it("prints effect Redacted values as <redacted>", () => {
    expect(Redaction.redact({ url: Redacted.make("postgres://u:p@db"), list: [Redacted.make(1)] })).toEqual({
      url: "<redacted>",
      list: ["<redacted>"]
    })
    expect(Redaction.redact(Redacted.make("x"))).toBe("<redacted>")
  })

  it("copies errors as name, message, fields and stack, redacting their fields", () => {
    const error = new Errors.NotFound({ resource: "User", id: "1", details: { token: "t" } })
    const copy = Redaction.redact({ error }) as { readonly error: Record<string, unknown> }
    expect(copy.error).toMatchObject({
      name: "NotFound",
      message: "User '1' not found",
      resource: "User",
      details: { token: "[REDACTED]" }
    })
    expect(String(copy.error.stack)).toContain("User '1' not found")
    const withCause = Redaction.redact(new Error("outer", { cause: { password: "p" } }))
    expect(withCause).toMatchObject({ name: "Error", message: "outer", cause: { password: "[REDACTED]" } })
  })

  it("marks cycles, not shared references, and truncates deep nesting", () => {
    const shared = { v: 1 }
    const cyclic: Record<string, unknown> = { name: "root", shared, again: shared }
    cyclic.self = cyclic
    expect(Redaction.redact(cyclic)).toEqual({ name: "root", shared: { v: 1 }, again: { v: 1 }, self: "[Circular]" })
    const deep = { a: { b: { c: { d: "x" } } } }
    expect(Redaction.make(Redaction.defaultKeys, { maxDepth: 2 }).redact(deep)).toEqual({ a: { b: "[Truncated]" } })
  })

  it("uses the given keys instead of the defaults", () => {
    const redactor = Redaction.make(["ssn"])
    expect(redactor.redact({ ssn: "078", user_SSN: "078", password: "shown" })).toEqual({
      ssn: "[REDACTED]",
      user_SSN: "[REDACTED]",
      password: "shown"
    })
    expect(Redaction.redact({ iban: "DE00", token: "t" }, ["IBAN"])).toEqual({ iban: "[REDACTED]", token: "t" })
    expect(Redaction.make([]).redact({ password: "p" })).toEqual({ password: "p" })
    expect(Redaction.isSensitiveKey("my-ssn", ["ssn"])).toBe(true)
  })

  it("copies a __proto__ key as data instead of changing the prototype", () => {
    const input: unknown = JSON.parse("{\"__proto__\": {\"polluted\": true, \"token\": \"t\"}}")
    const copy = Redaction.redact(input) as Record<string, unknown>
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.keys(copy)).toEqual(["__proto__"])
    expect(JSON.stringify(copy)).toBe("{\"__proto__\":{\"polluted\":true,\"token\":\"[REDACTED]\"}}")
  })

  it("keeps primitives as they are", () => {
    expect([Redaction.redact("s"), Redaction.redact(1), Redaction.redact(null), Redaction.redact(undefined)]).toEqual(
      ["s", 1, null, undefined]
    )
  })
})
