import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { badSignup } from "./http-server.js"

describe("docs/http-server.md", () => {
  it.live("a bad HttpApi payload is a 422 listing every field error in core Validation's words", () =>
    Effect.gen(function*() {
      const { status, body } = yield* badSignup
      expect(status).toBe(422)
      expect(body).toMatchObject({ status: 422, code: "VALIDATION_FAILED" })
      expect(body.errors).toEqual([
        { path: "colour", type: "unexpected", message: "Unexpected field" },
        { path: "username", type: "pattern", message: "Expected a string matching the pattern ^[a-z0-9]+$" },
        { path: "email", type: "email", message: "Invalid email address" },
        { path: "age", type: "type", message: "Expected a number" },
        { path: "tags.0", type: "length", message: "Expected a string at most 10 character(s) long" }
      ])
    }))
})
