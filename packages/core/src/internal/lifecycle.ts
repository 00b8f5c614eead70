/**
 * The `Lifecycle` service implementation: a start-ordered list of managed services whose
 * start-up and shutdown are timed with `Clock` and logged.
 *
 * A managed start gets one finalizer, registered before it runs: it logs "stopping", releases
 * what the start acquired (kept apart in a `ReleaseList`), then logs "stopped". Boot time matters
 * (an app may have a thousand services), so the bookkeeping is plain JavaScript and the stop
 * logs reuse the log settings captured at start instead of `Effect.addFinalizer`'s restore
 * of every fiber ref.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import type * as HashSet from "effect/HashSet"
import type * as List from "effect/List"
import type * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type * as LogSpan from "effect/LogSpan"
import * as Scope from "effect/Scope"
import type { Lifecycle, ServiceInfo } from "../Lifecycle.js"
import { describeCause } from "./health.js"
import { ReleaseList } from "./releaseList.js"

/**
 * Runs `start` as a managed start; it adds the release of what it acquired to `releases`,
 * which the service's finalizer runs between its "stopping" and "stopped" lines (a failed
 * start runs them at once).
 *
 * @internal
 */
export type Run = <A, E, R>(
  name: string,
  start: (releases: ReleaseList) => Effect.Effect<A, E, R>
) => Effect.Effect<A, E, R | Scope.Scope>

/** The implementation's own entry point, next to the public `manage`. @internal */
export const runKey: unique symbol = Symbol.for("@strata/core/Lifecycle/run")

/** @internal */
export interface Service extends Lifecycle.Service {
  readonly [runKey]: Run
}

/** @internal */
export const hasRun = (service: Lifecycle.Service): service is Service => runKey in service

/** The log settings of the fiber that started a service, so its stop lines look like its start lines. */
interface LogSettings {
  readonly annotations: HashMap.HashMap<string, unknown>
  readonly spans: List.List<LogSpan.LogSpan>
  readonly loggers: HashSet.HashSet<Logger.Logger<unknown, unknown>>
  readonly minimum: LogLevel.LogLevel
}

const captureLogSettings = (fiber: Fiber.RuntimeFiber<unknown, unknown>, name: string): LogSettings => ({
  annotations: HashMap.set(fiber.getFiberRef(FiberRef.currentLogAnnotations), "service", name),
  spans: fiber.getFiberRef(FiberRef.currentLogSpan),
  loggers: fiber.getFiberRef(FiberRef.currentLoggers),
  minimum: fiber.getFiberRef(FiberRef.currentMinimumLogLevel)
})

/**
 * Logs with the captured settings. Only what differs on the running fiber is set (usually
 * just the annotations), and put back after: callers run uninterruptibly (a start under its
 * mask, a finalizer), so `Effect.locally`'s acquire/use/release is not needed.
 */
const logWith = (
  settings: LogSettings,
  level: LogLevel.LogLevel,
  message: string,
  extra?: { readonly durationMs: number },
  cause?: Cause.Cause<unknown>
): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) => {
    let log = Effect.logWithLevel(level, message, ...(cause === undefined ? [] : [cause]))
    const setRef = <A>(ref: FiberRef.FiberRef<A>, value: A) => {
      const current = fiber.getFiberRef(ref)
      if (current === value) return
      log = Effect.zipRight(FiberRef.set(ref, value), Effect.zipLeft(log, FiberRef.set(ref, current)))
    }
    setRef(
      FiberRef.currentLogAnnotations,
      extra === undefined ? settings.annotations : HashMap.set(settings.annotations, "durationMs", extra.durationMs)
    )
    setRef(FiberRef.currentLogSpan, settings.spans)
    setRef(FiberRef.currentLoggers, settings.loggers)
    setRef(FiberRef.currentMinimumLogLevel, settings.minimum)
    return log
  })

const now = (fiber: Fiber.RuntimeFiber<unknown, unknown>): number =>
  Context.get(fiber.currentDefaultServices, Clock.Clock).unsafeCurrentTimeMillis()

/** @internal */
export const make: Effect.Effect<Lifecycle.Service> = Effect.sync(() => {
  // By id, in start order (a Map keeps insertion order); infos are replaced, never mutated,
  // so a list handed out earlier stays as it was.
  const entries = new Map<number, ServiceInfo>()
  let nextId = 0

  const update = (id: number, f: (info: ServiceInfo) => ServiceInfo): void => {
    const info = entries.get(id)
    if (info !== undefined) entries.set(id, f(info))
  }

  // Runs after whatever the start acquired was released (a failed or interrupted start
  // released it already and logged why).
  const stop = (id: number, releases: ReleaseList, settings: LogSettings, exit: Exit.Exit<unknown, unknown>) =>
    Effect.withFiberRuntime((fiber) => {
      const info = entries.get(id)
      if (info === undefined || info.state !== "running") return releases.close(exit)
      const began = now(fiber)
      update(id, (info) => ({ ...info, state: "stopping" }))
      return logWith(settings, LogLevel.Info, `stopping ${info.name}`).pipe(
        Effect.zipRight(releases.close(exit)),
        Effect.zipRight(Effect.withFiberRuntime((fiber) => {
          const ended = now(fiber)
          const stopMillis = ended - began
          update(id, (info) => ({ ...info, state: "stopped", stoppedAt: new Date(ended), stopMillis }))
          return logWith(settings, LogLevel.Info, `${info.name} stopped in ${stopMillis}ms`, { durationMs: stopMillis })
        }))
      )
    })

  const failed = (
    id: number,
    name: string,
    settings: LogSettings,
    startMillis: number,
    cause: Cause.Cause<unknown>
  ) => {
    const durationMs = { durationMs: startMillis }
    // Interrupted because something else failed: this service did nothing wrong.
    if (Cause.isInterruptedOnly(cause)) {
      update(id, (info) => ({ ...info, state: "stopped", startMillis }))
      return logWith(settings, LogLevel.Warning, `${name} start interrupted after ${startMillis}ms`, durationMs)
    }
    const error = describeCause(cause)
    update(id, (info) => ({ ...info, state: "failed", startMillis, error }))
    return logWith(settings, LogLevel.Error, `${name} failed to start after ${startMillis}ms`, durationMs, cause)
  }

  const run: Run = <A, E, R>(name: string, start: (releases: ReleaseList) => Effect.Effect<A, E, R>) =>
    Effect.flatMap(Effect.scope, (scope) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.withFiberRuntime<A, E, R>((fiber) => {
          const startedAt = now(fiber)
          const id = nextId++
          const settings = captureLogSettings(fiber, name)
          const releases = new ReleaseList(false)
          entries.set(id, { name, state: "starting", startedAt: new Date(startedAt) })
          return logWith(settings, LogLevel.Info, `starting ${name}`).pipe(
            Effect.zipRight(Scope.addFinalizerExit(scope, (exit) => stop(id, releases, settings, exit))),
            Effect.zipRight(Effect.exit(restore(start(releases)))),
            Effect.flatMap((exit) =>
              Effect.withFiberRuntime<A, E>((fiber) => {
                const startMillis = now(fiber) - startedAt
                if (Exit.isFailure(exit)) {
                  return releases.close(exit).pipe(
                    Effect.zipRight(failed(id, name, settings, startMillis, exit.cause)),
                    Effect.zipRight(exit)
                  )
                }
                update(id, (info) => ({ ...info, state: "running", startMillis }))
                return Effect.as(
                  logWith(settings, LogLevel.Info, `${name} started in ${startMillis}ms`, { durationMs: startMillis }),
                  exit.value
                )
              })
            )
          )
        })
      ))

  // A plain effect's resources go to a scope of its own, released by the service's finalizer.
  const manage = <A, E, R>(name: string, start: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Scope.Scope> =>
    run(name, (releases) =>
      Effect.flatMap(Scope.make(), (scope) => {
        releases.add((exit) => Scope.close(scope, exit))
        return Scope.extend(start, scope)
      }))

  const service: Service = {
    services: Effect.sync(() => Array.from(entries.values())),
    manage,
    [runKey]: run
  }
  return service
})

const pad = (text: string, width: number): string => text + " ".repeat(Math.max(0, width - text.length))

/** @internal */
export const formatSummary = (services: ReadonlyArray<ServiceInfo>): string => {
  const count = (state: ServiceInfo["state"]) => services.filter((s) => s.state === state).length
  const counts = (["running", "starting", "stopping", "stopped", "failed"] as const)
    .filter((state) => count(state) > 0)
    .map((state) => `${count(state)} ${state}`)
  const header = `services: ${services.length} total${counts.length > 0 ? `, ${counts.join(", ")}` : ""}`
  if (services.length === 0) return header
  const rows: Array<ReadonlyArray<string>> = [
    ["NAME", "STATE", "STARTED AT", "START", "STOP", "ERROR"],
    ...services.map((s) => [
      s.name,
      s.state,
      s.startedAt.toISOString(),
      s.startMillis === undefined ? "-" : `${s.startMillis}ms`,
      s.stopMillis === undefined ? "-" : `${s.stopMillis}ms`,
      s.error ?? ""
    ])
  ]
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  const lines = rows.map((row) => "  " + row.map((cell, column) => pad(cell, widths[column])).join("  ").trimEnd())
  return [header, ...lines].join("\n")
}
