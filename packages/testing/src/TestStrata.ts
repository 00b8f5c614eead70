/**
 * The test twin of `Strata.layerDefaults`: the same services (`Health`, `Lifecycle`,
 * `ErrorReporter`) with config from a plain object, logs captured in memory and error
 * reports recorded — ready for `it.layer` or `Effect.provide`.
 *
 * @since 0.1.0
 */
import { Health, Lifecycle, type Strata } from "@strata/core"
import * as Layer from "effect/Layer"
import * as LogCapture from "./LogCapture.js"
import * as TestConfig from "./TestConfig.js"
import * as TestErrorReporter from "./TestErrorReporter.js"

/**
 * What `TestStrata.layer` provides: the defaults plus the handles to read logs and reports.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = Strata.Defaults | LogCapture.LogCapture | TestErrorReporter.TestErrorReporter

/**
 * Default services for tests. `config` is read like `strata.yaml` (nested keys).
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { LogCapture, TestStrata } from "@strata/testing"
 * import { describe, expect, it } from "@effect/vitest"
 * import { Effect } from "effect"
 *
 * describe("my service", () => {
 *   it.layer(TestStrata.layer({ log: { level: "debug" } }))("with defaults", (it) => {
 *     it.effect("is healthy and logs", () =>
 *       Effect.gen(function*() {
 *         yield* Effect.log("hello")
 *         expect((yield* Health.report()).status).toBe("healthy")
 *         expect(yield* LogCapture.messages).toContain("hello")
 *       }))
 *   })
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: TestConfig.Values = {}): Layer.Layer<Services> =>
  Layer.mergeAll(Health.layer, Lifecycle.layer, TestErrorReporter.layer, LogCapture.layer).pipe(
    Layer.provideMerge(TestConfig.layer(config))
  )
