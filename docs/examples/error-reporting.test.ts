import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger, LogLevel } from "effect"
import { collected, handled } from "./error-reporting.js"

describe("error reporting example", () => {
  it.effect("reports a failure and a defect with the request id", () =>
    Effect.gen(function*() {
      yield* handled.pipe(Logger.withMinimumLogLevel(LogLevel.None))
      expect(collected).toEqual(["failure in processPayment (req-42)", "defect in updateProfile (req-42)"])
    }))
})
