import { describe, expect, it } from "@effect/vitest"
import { Config, Effect } from "effect"
import { ErrorReporter, Health, Lifecycle } from "@strata/core"
import { LogCapture, TestErrorReporter, TestStrata } from "@strata/testing"

describe("TestStrata", () => {
  it.layer(TestStrata.layer({ app: { name: "demo" } }))("layer", (it) => {
    it.effect("provides config, health, lifecycle, captured logs and recorded reports", () =>
      Effect.gen(function*() {
        expect(yield* Config.string("name").pipe(Config.nested("app"))).toBe("demo")
        yield* Effect.log("hello from a test")
        expect(yield* LogCapture.messages).toContain("hello from a test")
        yield* ErrorReporter.report("boom")
        expect((yield* TestErrorReporter.reports).map((r) => r.error)).toEqual(["boom"])
        expect((yield* Health.report()).status).toBe("healthy")
        expect(yield* Effect.flatMap(Lifecycle.Lifecycle, (l) => l.services)).toEqual([])
      }))
  })
})
