/**
 * An in-memory `ErrorReporter` for tests: every report is kept, so a test can assert
 * what was reported and with which context.
 *
 * @since 0.1.0
 */
import { ErrorReporter } from "@strata/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"

/**
 * Reads and clears what the in-memory reporter received.
 *
 * @since 0.1.0
 * @category tags
 */
export class TestErrorReporter extends Context.Tag("@strata/testing/TestErrorReporter")<TestErrorReporter, {
  readonly reports: Effect.Effect<ReadonlyArray<ErrorReporter.Report>>
  readonly clear: Effect.Effect<void>
}>() {}

/**
 * Provides `ErrorReporter` (recording in memory) and `TestErrorReporter` (to read the records).
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 * import { TestErrorReporter } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   yield* ErrorReporter.report(new Error("boom"), { function: "job" })
 *   const reports = yield* TestErrorReporter.reports
 *   return reports.length // 1
 * }).pipe(Effect.provide(TestErrorReporter.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ErrorReporter.ErrorReporter | TestErrorReporter> = Layer.unwrapEffect(
  Effect.gen(function*() {
    const store = yield* Ref.make<ReadonlyArray<ErrorReporter.Report>>([])
    const memory: ErrorReporter.Reporter = {
      name: "memory",
      report: (report) => Ref.update(store, (reports) => [...reports, report])
    }
    return Layer.merge(
      ErrorReporter.layer([memory]),
      Layer.succeed(TestErrorReporter, { reports: Ref.get(store), clear: Ref.set(store, []) })
    )
  })
)

/**
 * Everything reported so far, oldest first.
 *
 * @example
 * ```ts
 * import { TestErrorReporter } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const count = Effect.map(TestErrorReporter.reports, (reports) => reports.length)
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const reports: Effect.Effect<ReadonlyArray<ErrorReporter.Report>, never, TestErrorReporter> = Effect.flatMap(
  TestErrorReporter,
  (reporter) => reporter.reports
)

/**
 * Forgets every report.
 *
 * @example
 * ```ts
 * import { TestErrorReporter } from "@strata/testing"
 *
 * const reset = TestErrorReporter.clear
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const clear: Effect.Effect<void, never, TestErrorReporter> = Effect.flatMap(
  TestErrorReporter,
  (reporter) => reporter.clear
)
