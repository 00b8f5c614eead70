/**
 * Error reporting examples, compiled by `npm run typecheck` and run by error-reporting.test.ts.
 */
import { ErrorReporter, Errors, RequestContext } from "@strata/core"
import { Effect } from "effect"

// A custom reporter: anything with a name and a report function (a Sentry-like sink, a queue…).
export const collected: Array<string> = []
export const memorySink: ErrorReporter.Reporter = {
  name: "memory-sink",
  report: (report) =>
    Effect.sync(() => {
      collected.push(`${report.defect ? "defect" : "failure"} in ${report.context.function} (${report.context.requestId})`)
    })
}

// Reports go to every reporter: the log and the sink.
export const ReportersLive = ErrorReporter.layer([ErrorReporter.logReporter, memorySink])

// Report manually with context…
export const processPayment = (orderId: string) =>
  Effect.fail(new Errors.ExternalServiceError({ service: "payments", upstreamStatus: 503 })).pipe(
    Effect.tapError((error) => ErrorReporter.report(error, { function: "processPayment", details: { orderId } }))
  )

// …or wrap an operation: failures and defects are reported, then propagate unchanged.
export const updateProfile = (userId: string) =>
  Effect.die(new Error("bug in updateProfile")).pipe(
    ErrorReporter.reportErrors({ function: "updateProfile", userId })
  )

// Request id and user id come from the fiber's request context when not given.
export const handled = Effect.all([Effect.either(processPayment("o-1")), Effect.exit(updateProfile("u-1"))]).pipe(
  RequestContext.withRequestContext({ requestId: "req-42" }),
  Effect.provide(ReportersLive)
)
