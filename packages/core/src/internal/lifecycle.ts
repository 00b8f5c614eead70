/**
 * The `Lifecycle` service implementation: a start-ordered list of managed services whose
 * start-up and shutdown are timed with `Clock` and logged.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import type { Lifecycle, ServiceInfo } from "../Lifecycle.js"
import { describeCause } from "./health.js"

interface Entry {
  readonly info: ServiceInfo
  readonly stopBegan?: number
}

/** @internal */
export const make: Effect.Effect<Lifecycle.Service> = Effect.sync(() => {
  // By id, in start order (a Map keeps insertion order and `set` on a key keeps its place).
  // Updated in place: an app of n services makes O(n) updates, each O(1) — copying an array
  // of entries per update made start-up and shutdown quadratic in the number of services.
  const entries = new Map<number, Entry>()
  let nextId = 0

  const update = (id: number, f: (entry: Entry) => Entry) =>
    Effect.sync(() => {
      const entry = entries.get(id)
      if (entry !== undefined) entries.set(id, f(entry))
    })

  const get = (id: number) => Effect.sync(() => entries.get(id))

  const manage = <A, E, R>(name: string, start: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Scope.Scope> => {
    const annotate = Effect.annotateLogs({ service: name })
    const finished = (id: number, now: number) =>
      update(id, ({ info, ...entry }) => ({
        ...entry,
        info: { ...info, state: "running", startMillis: now - info.startedAt.getTime() }
      }))

    // Registered before `start` runs, so it runs after everything `start` acquired was released.
    const stopped = (id: number) =>
      Effect.gen(function*() {
        const entry = yield* get(id)
        if (entry === undefined || entry.info.state !== "stopping") return
        const now = yield* Clock.currentTimeMillis
        const stopMillis = now - (entry.stopBegan ?? now)
        const stoppedAt = new Date(now)
        yield* update(id, (e) => ({ ...e, info: { ...e.info, state: "stopped", stoppedAt, stopMillis } }))
        yield* Effect.logInfo(`${name} stopped in ${stopMillis}ms`).pipe(
          Effect.annotateLogs({ durationMs: stopMillis })
        )
      }).pipe(annotate)

    // Registered after `start` succeeded, so it runs before anything `start` acquired is released.
    const stopping = (id: number) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        yield* update(id, (e) => ({ ...e, stopBegan: now, info: { ...e.info, state: "stopping" } }))
        yield* Effect.logInfo(`stopping ${name}`)
      }).pipe(annotate)

    const failed = (id: number, cause: Cause.Cause<unknown>) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const entry = yield* get(id)
        const startMillis = now - (entry?.info.startedAt.getTime() ?? now)
        const durationMs = { durationMs: startMillis }
        // Interrupted because something else failed: this service did nothing wrong.
        if (Cause.isInterruptedOnly(cause)) {
          yield* update(id, (e) => ({ ...e, info: { ...e.info, state: "stopped", startMillis } }))
          yield* Effect.logWarning(`${name} start interrupted after ${startMillis}ms`).pipe(
            Effect.annotateLogs(durationMs)
          )
        } else {
          const error = describeCause(cause)
          yield* update(id, (e) => ({ ...e, info: { ...e.info, state: "failed", startMillis, error } }))
          yield* Effect.logError(`${name} failed to start after ${startMillis}ms`, cause).pipe(
            Effect.annotateLogs(durationMs)
          )
        }
      }).pipe(annotate)

    return Effect.uninterruptibleMask((restore) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const id = nextId++
        entries.set(id, { info: { name, state: "starting", startedAt: new Date(now) } })
        yield* Effect.logInfo(`starting ${name}`).pipe(annotate)
        yield* Effect.addFinalizer(() => stopped(id))
        const exit = yield* Effect.exit(restore(start))
        if (Exit.isFailure(exit)) {
          yield* failed(id, exit.cause)
          return yield* exit
        }
        const done = yield* Clock.currentTimeMillis
        yield* finished(id, done)
        const startMillis = done - now
        yield* Effect.logInfo(`${name} started in ${startMillis}ms`).pipe(
          Effect.annotateLogs({ durationMs: startMillis }),
          annotate
        )
        yield* Effect.addFinalizer(() => stopping(id))
        return exit.value
      })
    )
  }

  return {
    services: Effect.sync(() => Array.from(entries.values(), (e) => e.info)),
    manage
  }
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
