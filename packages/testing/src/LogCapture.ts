/**
 * Log capture for tests: replaces the application's logger with one that keeps every
 * line as a structured `Logging.LogRecord` (the same data the JSON format writes: level,
 * message, request context, redacted annotations, spans, cause), so a test asserts on
 * fields instead of parsing text.
 *
 * @since 0.1.0
 */
import { Logging } from "@strata/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"

/**
 * One captured log line.
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 *
 * const isAudit = (entry: LogCapture.Entry) => entry.annotations["audit"] === true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Entry = Logging.LogRecord

/**
 * Reads and clears the captured lines.
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const count = Effect.flatMap(LogCapture.LogCapture, (capture) => capture.entries).pipe(
 *   Effect.map((entries) => entries.length)
 * )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class LogCapture extends Context.Tag("@strata/testing/LogCapture")<LogCapture, {
  /** The lines captured so far, oldest first (a snapshot). */
  readonly entries: Effect.Effect<ReadonlyArray<Entry>>
  /** Forgets every captured line. */
  readonly clear: Effect.Effect<void>
}>() {}

/**
 * Options of {@link layerWith}: the record options of `Logging` plus a minimum level.
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 * import { LogLevel } from "effect"
 *
 * const options: LogCapture.Options = { level: LogLevel.Debug, redactKeys: ["ssn"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Logging.RecordOptions {
  /** Minimum level to capture; unset leaves the current minimum (effect's default: Info). */
  readonly level?: LogLevel.LogLevel | undefined
}

/**
 * A capturing logger with options (minimum level, redaction). Each build of the layer has
 * its own buffer.
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 * import { Effect, LogLevel } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   yield* Effect.logDebug("cache miss")
 *   return yield* LogCapture.entries
 * }).pipe(Effect.provide(LogCapture.layerWith({ level: LogLevel.Debug })))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<LogCapture> =>
  // a single scoped effect: FiberRefs set by `Layer.merge`d layers outlive `Effect.provide`
  Layer.scoped(
    LogCapture,
    Effect.suspend(() => {
      const buffer: Array<Entry> = []
      const logger = Logger.map(Logging.recordLogger(options), (entry) => {
        buffer.push(entry)
      })
      const service = LogCapture.of({
        entries: Effect.sync(() => buffer.slice()),
        clear: Effect.sync(() => {
          buffer.length = 0
        })
      })
      const install = Logging.replaceLoggerScoped(logger, { capture: true })
      const level = options?.level
      return (level === undefined
        ? install
        : Effect.zipRight(install, Effect.locallyScoped(FiberRef.currentMinimumLogLevel, level))).pipe(
          Effect.as(service)
        )
    })
  )

/**
 * Replaces the application's logger (effect's default, or the one a `Logging` layer
 * installs, even one built after this layer) with a capturing one. The minimum level is
 * left alone, so `Logger.withMinimumLogLevel` in a test still applies.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from "@effect/vitest"
 * import { LogCapture } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * describe("signup", () => {
 *   it.effect("logs the new user", () =>
 *     Effect.gen(function*() {
 *       yield* Effect.log("user created").pipe(Effect.annotateLogs({ userId: "u1" }))
 *       const [entry] = yield* LogCapture.entries
 *       expect(entry?.annotations).toEqual({ userId: "u1" })
 *     }).pipe(Effect.provide(LogCapture.layer)))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<LogCapture> = layerWith()

/**
 * The lines captured so far, oldest first.
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const levels = LogCapture.entries.pipe(Effect.map((entries) => entries.map((entry) => entry.level)))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const entries: Effect.Effect<ReadonlyArray<Entry>, never, LogCapture> = Effect.flatMap(
  LogCapture,
  (capture) => capture.entries
)

/**
 * The messages captured so far, oldest first.
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const sawStartup = LogCapture.messages.pipe(Effect.map((messages) => messages.includes("ready")))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const messages: Effect.Effect<ReadonlyArray<string>, never, LogCapture> = Effect.map(
  entries,
  (all) => all.map((entry) => entry.message)
)

/**
 * Forgets every captured line (useful between steps of one test, or between tests that
 * share a layer through `it.layer`).
 *
 * @example
 * ```ts
 * import { LogCapture } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const step = Effect.zipRight(LogCapture.clear, Effect.log("second step"))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const clear: Effect.Effect<void, never, LogCapture> = Effect.flatMap(LogCapture, (capture) => capture.clear)
