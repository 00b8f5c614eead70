import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Logger, Ref } from "effect"
import { ErrorReporter, Errors, RequestContext } from "@strata/core"

const recording = Effect.gen(function*() {
  const store = yield* Ref.make<ReadonlyArray<ErrorReporter.Report>>([])
  const reporter: ErrorReporter.Reporter = { name: "rec", report: (r) => Ref.update(store, (all) => [...all, r]) }
  return { store, reporter }
})

describe("ErrorReporter", () => {
  it.effect("reports failures with context filled from the request context", () =>
    Effect.gen(function*() {
      const { reporter, store } = yield* recording
      const service = yield* ErrorReporter.make([reporter])
      yield* service.report(Errors.notFound("User", 1), { function: "getUser", details: { a: 1 } }).pipe(
        RequestContext.withRequestContext({ requestId: "req-1", userId: "u-9" })
      )
      const [report] = yield* Ref.get(store)
      expect(report?.error).toBeInstanceOf(Errors.NotFound)
      expect(report?.defect).toBe(false)
      expect(report?.context).toEqual({ function: "getUser", details: { a: 1 }, requestId: "req-1", userId: "u-9" })
    }))

  it.effect("reportErrors reports failures and defects, and lets them propagate unchanged", () =>
    Effect.gen(function*() {
      const { reporter, store } = yield* recording
      const layer = ErrorReporter.layer([reporter])
      const failed = yield* Effect.exit(
        Effect.fail("boom").pipe(ErrorReporter.reportErrors({ function: "job" }), Effect.provide(layer))
      )
      expect(failed).toEqual(Exit.fail("boom"))
      const died = yield* Effect.exit(
        Effect.die(new Error("bug")).pipe(ErrorReporter.reportErrors({ function: "job" }), Effect.provide(layer))
      )
      expect(Exit.isFailure(died) && Cause.isDie(died.cause)).toBe(true)
      const ok = yield* Effect.succeed(1).pipe(ErrorReporter.reportErrors({}), Effect.provide(layer))
      expect(ok).toBe(1)
      const reports = yield* Ref.get(store)
      expect(reports.map((r) => [r.error instanceof Error ? r.error.message : r.error, r.defect])).toEqual([
        ["boom", false],
        ["bug", true]
      ])
    }))

  it.effect("ignores interruptions and survives a failing reporter", () =>
    Effect.gen(function*() {
      const { reporter, store } = yield* recording
      const broken: ErrorReporter.Reporter = { name: "broken", report: () => Effect.die("sink down") }
      const service = yield* ErrorReporter.make([broken, reporter])
      yield* service.reportCause(Cause.interrupt(Effect.runSync(Effect.fiberId)))
      yield* service.report("after")
      expect((yield* Ref.get(store)).map((r) => r.error)).toEqual(["after"])
    }))

  it.effect("the log reporter writes one error line with the context as annotations", () =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<{ message: unknown; annotations: Record<string, unknown> }>>([])
      const capture = Logger.make(({ annotations, message }) => {
        const record: Record<string, unknown> = {}
        for (const [k, v] of annotations) record[k] = v
        Effect.runSync(Ref.update(lines, (all) => [...all, { message, annotations: record }]))
      })
      yield* ErrorReporter.report(Errors.notFound("User", 1), { function: "getUser" }).pipe(
        Effect.provide(Layer.merge(ErrorReporter.layerLog, Logger.replace(Logger.defaultLogger, capture)))
      )
      const [line] = yield* Ref.get(lines)
      expect(line?.message).toEqual(["Reported NotFound"])
      expect(line?.annotations).toMatchObject({ function: "getUser", errorReport: true })
    }))
})
