/**
 * `Logging.timed`: logs an effect's duration on exit.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as LogLevel from "effect/LogLevel"
import type { TimedOptions } from "../Logging.js"

/** @internal */
export const timed = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  label: string,
  options?: TimedOptions
): Effect.Effect<A, E, R> => {
  const level = options?.level ?? LogLevel.Info
  const failureLevel = options?.failureLevel ?? LogLevel.Warning
  return Effect.flatMap(Clock.currentTimeNanos, (start) =>
    Effect.onExit(self, (exit) =>
      Effect.flatMap(Clock.currentTimeNanos, (end) => {
        // microsecond precision is plenty and keeps lines short
        const durationMs = Math.round(Number(end - start) / 1_000) / 1_000
        const log = Exit.isSuccess(exit)
          ? Effect.logWithLevel(level, `${label} completed`)
          : Cause.isInterruptedOnly(exit.cause)
          ? Effect.logWithLevel(failureLevel, `${label} interrupted`)
          : Effect.logWithLevel(failureLevel, `${label} failed`, exit.cause)
        return Effect.annotateLogs(log, "durationMs", durationMs)
      }))).pipe(Effect.withLogSpan(label))
}
