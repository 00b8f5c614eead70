/**
 * Error reporting: one place where failures and defects go with their context (function,
 * request, user), fanned out to pluggable reporters — a log reporter by default, an
 * in-memory one in tests (`@strata/testing`), an external sink (Sentry-like) when wanted.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as RequestContext from "./RequestContext.js"

/**
 * Where and for whom an error happened (the seeds' `ErrorContext`). `requestId` and
 * `userId` are filled from the fiber's `RequestContext` when not given.
 *
 * @since 0.1.0
 * @category models
 */
export interface ErrorContext {
  readonly function?: string | undefined
  readonly requestId?: string | undefined
  readonly userId?: string | undefined
  readonly details?: Readonly<Record<string, unknown>> | undefined
}

/**
 * One reported failure: the full `Cause`, its squashed error, the context, and when.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly error: unknown
  readonly cause: Cause.Cause<unknown>
  readonly defect: boolean
  readonly context: ErrorContext
  readonly timestamp: Date
}

/**
 * A destination for reports. A reporter's own failure never reaches the caller.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reporter {
  readonly name: string
  readonly report: (report: Report) => Effect.Effect<void, unknown>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ErrorReporter extends Context.Tag("@strata/core/ErrorReporter")<ErrorReporter, {
  readonly report: (error: unknown, context?: ErrorContext) => Effect.Effect<void>
  readonly reportCause: (cause: Cause.Cause<unknown>, context?: ErrorContext) => Effect.Effect<void>
}>() {}

/**
 * A reporter that logs each report at error level (fatal for defects) with its context
 * as annotations; the logger redacts sensitive keys.
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 *
 * const layer = ErrorReporter.layer([ErrorReporter.logReporter])
 * ```
 *
 * @since 0.1.0
 * @category reporters
 */
export const logReporter: Reporter = {
  name: "log",
  report: (report) => {
    const annotations: Record<string, unknown> = { errorReport: true }
    const { details, ...context } = report.context
    for (const [key, value] of Object.entries(context)) {
      if (value !== undefined) annotations[key] = value
    }
    if (details !== undefined) annotations.details = details
    const message = report.defect ? "Unexpected defect" : `Reported ${errorName(report.error)}`
    const log = report.defect ? Effect.logFatal(message, report.cause) : Effect.logError(message, report.cause)
    return Effect.annotateLogs(log, annotations)
  }
}

/**
 * Builds the service from reporters. Every report goes to each reporter; a reporter that
 * fails or dies is logged and skipped, so reporting never fails the caller.
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const sink: ErrorReporter.Reporter = { name: "sink", report: (r) => Effect.log(`sent ${r.timestamp.toISOString()}`) }
 * const program = ErrorReporter.make([ErrorReporter.logReporter, sink])
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (reporters: ReadonlyArray<Reporter>): Effect.Effect<ErrorReporter["Type"]> =>
  Effect.sync(() => {
    const reportCause = (cause: Cause.Cause<unknown>, context: ErrorContext = {}): Effect.Effect<void> =>
      Effect.gen(function*() {
        if (Cause.isInterruptedOnly(cause)) return
        const request = yield* RequestContext.get
        const now = yield* Clock.currentTimeMillis
        const failure = Cause.failureOption(cause)
        const report: Report = {
          error: failure._tag === "Some" ? failure.value : Cause.squash(cause),
          cause,
          defect: failure._tag === "None",
          context: {
            ...context,
            requestId: context.requestId ?? request.requestId,
            userId: context.userId ?? request.userId
          },
          timestamp: new Date(now)
        }
        yield* Effect.forEach(reporters, (reporter) =>
          reporter.report(report).pipe(
            Effect.catchAllCause((failed) =>
              Effect.logWarning(`Error reporter '${reporter.name}' failed`, failed)
            )
          ), { discard: true })
      })
    return {
      reportCause,
      report: (error, context) => reportCause(Cause.fail(error), context)
    }
  })

/**
 * The service over the given reporters.
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 *
 * const reporters = ErrorReporter.layer([ErrorReporter.logReporter])
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (reporters: ReadonlyArray<Reporter>): Layer.Layer<ErrorReporter> =>
  Layer.effect(ErrorReporter, make(reporters))

/**
 * The default: reports go to the log.
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = ErrorReporter.report(new Error("boom"), { function: "processPayment" }).pipe(
 *   Effect.provide(ErrorReporter.layerLog)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerLog: Layer.Layer<ErrorReporter> = layer([logReporter])

/**
 * Reports an error with context (the seeds' `report_error`).
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 *
 * const program = ErrorReporter.report(new Error("payment failed"), {
 *   function: "processPayment",
 *   details: { orderId: "o-1" }
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const report = (error: unknown, context?: ErrorContext): Effect.Effect<void, never, ErrorReporter> =>
  Effect.flatMap(ErrorReporter, (reporter) => reporter.report(error, context))

/**
 * Reports a whole `Cause` (failures and defects) with context.
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 * import { Cause } from "effect"
 *
 * const program = ErrorReporter.reportCause(Cause.die(new Error("bug")))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const reportCause = (
  cause: Cause.Cause<unknown>,
  context?: ErrorContext
): Effect.Effect<void, never, ErrorReporter> =>
  Effect.flatMap(ErrorReporter, (reporter) => reporter.reportCause(cause, context))

/**
 * Reports any failure or defect of an effect, then lets it propagate unchanged (the
 * seeds' `handle_exception`). `context.function` names the operation.
 *
 * @example
 * ```ts
 * import { ErrorReporter } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const updateProfile = (userId: string) =>
 *   Effect.fail("db down" as const).pipe(ErrorReporter.reportErrors({ function: "updateProfile", userId }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const reportErrors: {
  (context: ErrorContext): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R | ErrorReporter>
  <A, E, R>(self: Effect.Effect<A, E, R>, context: ErrorContext): Effect.Effect<A, E, R | ErrorReporter>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, context: ErrorContext): Effect.Effect<A, E, R | ErrorReporter> =>
    Effect.tapErrorCause(self, (cause) => reportCause(cause, context))
)

const errorName = (error: unknown): string =>
  Predicate.hasProperty(error, "_tag") && typeof error._tag === "string"
    ? error._tag
    : error instanceof Error
    ? error.name
    : typeof error
