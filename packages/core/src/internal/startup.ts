import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import * as ConfigSource from "../ConfigSource.js"
import type * as ErrorReporter from "../ErrorReporter.js"

/** @internal */
export const formatFailure = (cause: Cause.Cause<unknown>): Effect.Effect<string> =>
  Effect.gen(function*() {
    const failures = Chunk.toReadonlyArray(Cause.failures(cause))
    // Several layers may fail on config at once: explain every bad key in one message.
    const configErrors = failures.filter(ConfigError.isConfigError)
    if (configErrors.length > 0) {
      const configuration = yield* ConfigSource.toConfigurationError(configErrors)
      return `Start-up failed. ${configuration.message}`
    }
    const configuration = failures.find((error): error is Error =>
      Predicate.hasProperty(error, "_tag") && error._tag === "ConfigurationError" && error instanceof Error
    )
    if (configuration !== undefined) return `Start-up failed. ${configuration.message}`
    return `Start-up failed.\n${Cause.pretty(cause)}`
  })

/** @internal */
export const describeFailure = (
  cause: Cause.Cause<unknown>,
  write: ((text: string) => void) | undefined
): Effect.Effect<void> =>
  Cause.isInterruptedOnly(cause)
    ? Effect.void
    : Effect.flatMap(formatFailure(cause), (text) =>
      Effect.sync(() => (write ?? ((line: string) => process.stderr.write(line)))(`${text}\n`)))

let crashed = false

/** True once a process-level failure was reported; the exit code is then 1. @internal */
export const hasCrashed = (): boolean => crashed

/**
 * Reports uncaught exceptions and unhandled rejections through the ErrorReporter, then
 * starts a graceful shutdown (the process then exits 1) instead of dying mid-request.
 *
 * @internal
 */
export const reportProcessFailures = (
  reporter: ErrorReporter.ErrorReporter["Type"]
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const onFailure = (error: unknown) => {
      crashed = true
      Runtime.runFork(runtime)(reporter.reportCause(Cause.die(error), { function: "process" })).addObserver(() => process.kill(process.pid, "SIGTERM"))
    }
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.on("uncaughtException", onFailure)
        process.on("unhandledRejection", onFailure)
      }),
      () =>
        Effect.sync(() => {
          process.off("uncaughtException", onFailure)
          process.off("unhandledRejection", onFailure)
        })
    )
  })
