/**
 * The record's timestamp text is reused within a millisecond; it is always the date's own
 * `toISOString`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as loggingRecord from "../src/internal/loggingRecord.js"

describe("log record timestamps", () => {
  it("is the date's ISO text, for the same millisecond and for the next ones", () => {
    const base = Date.UTC(2026, 11, 5, 20, 30, 0, 123)
    expect(loggingRecord.timestampOf(new Date(base))).toBe("2026-12-05T20:30:00.123Z")
    expect(loggingRecord.timestampOf(new Date(base))).toBe("2026-12-05T20:30:00.123Z")
    expect(loggingRecord.timestampOf(new Date(base + 1))).toBe("2026-12-05T20:30:00.124Z")
    expect(loggingRecord.timestampOf(new Date(base - 1000))).toBe("2026-12-05T20:29:59.123Z")
    expect(loggingRecord.timestampOf(new Date(base))).toBe("2026-12-05T20:30:00.123Z")
  })

  it("an invalid date still throws as toISOString does", () => {
    expect(() => loggingRecord.timestampOf(new Date(Number.NaN))).toThrow(RangeError)
  })
})
