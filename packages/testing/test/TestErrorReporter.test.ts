import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ErrorReporter, Errors } from "@strata/core"
import { TestErrorReporter } from "@strata/testing"

describe("TestErrorReporter", () => {
  it.effect("records reports in memory and clears them", () =>
    Effect.gen(function*() {
      yield* ErrorReporter.report(Errors.notFound("User", 1), { function: "f" })
      const reports = yield* TestErrorReporter.reports
      expect(reports.map((r) => [(r.error as Errors.NotFound)._tag, r.context.function])).toEqual([["NotFound", "f"]])
      yield* TestErrorReporter.clear
      expect(yield* TestErrorReporter.reports).toEqual([])
    }).pipe(Effect.provide(TestErrorReporter.layer)))
})
