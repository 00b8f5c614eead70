/**
 * The request context handed from the request-id middleware to tracing: only the object
 * handed over last, and only once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as handoff from "../src/internal/requestContextHandoff.js"

describe("request context handoff", () => {
  it("gives the last object handed over, once; any other object is not taken", () => {
    const first = { requestId: "a" }
    const second = { requestId: "b" }
    handoff.handOver(first)
    handoff.handOver(second)
    expect(handoff.take(first)).toBe(false)
    expect(handoff.take(second)).toBe(true)
    expect(handoff.take(second)).toBe(false)
    expect(handoff.take({})).toBe(false)
  })
})
