/**
 * The `Health` service implementation: the check registry, the concurrent runner with
 * per-check timeouts, the shutdown flag, transition logging and the optional report cache.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import type { Check, CheckResult, Health, Kind, Options, Report, Status } from "../Health.js"

/** @internal */
export const defaultTimeout: Duration.Duration = Duration.seconds(2)

interface Registered {
  readonly id: number
  readonly name: string
  readonly kind: Kind
  readonly critical: boolean
  readonly timeout: Duration.Duration
  readonly check: Effect.Effect<unknown, unknown>
}

interface CacheState {
  readonly generation: number
  readonly entries: ReadonlyMap<string, { readonly expiresAt: number; readonly report: Report }>
}

/**
 * A human-readable one-liner for whatever a check failed with: tagged errors keep their
 * tag (`"Unavailable: redis unavailable (circuit-open)"`), plain errors their message.
 *
 * @internal
 */
export const describeError = (error: unknown): string => {
  if (typeof error === "string") return error
  const tag = Predicate.hasProperty(error, "_tag") && typeof error._tag === "string" ? error._tag : undefined
  const message = Predicate.hasProperty(error, "message") && typeof error.message === "string" && error.message !== ""
    ? error.message
    : undefined
  if (message !== undefined) return tag !== undefined && !message.startsWith(tag) ? `${tag}: ${message}` : message
  if (tag !== undefined) return tag
  return Inspectable.format(error)
}

/** @internal */
export const describeCause = (cause: Cause.Cause<unknown>): string =>
  Cause.isInterruptedOnly(cause) ? "interrupted" : describeError(Cause.squash(cause))

/** @internal */
export const overallStatus = (checks: ReadonlyArray<CheckResult>): Status => {
  let status: Status = "healthy"
  for (const check of checks) {
    if (check.status === "up") continue
    if (check.critical) return "unhealthy"
    status = "degraded"
  }
  return status
}

const shutdownResult: CheckResult = {
  name: "shutdown",
  kind: "readiness",
  critical: true,
  status: "down",
  durationMs: 0,
  error: "shutting down"
}

const runCheck = (check: Registered): Effect.Effect<CheckResult> =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    // `disconnect`: a check that ignores interruption must not hold the report past its timeout.
    const outcome = yield* check.check.pipe(
      Effect.exit,
      Effect.disconnect,
      Effect.timeoutTo({ duration: check.timeout, onSuccess: Option.some, onTimeout: Option.none })
    )
    const durationMs = (yield* Clock.currentTimeMillis) - start
    const base = { name: check.name, kind: check.kind, critical: check.critical, durationMs }
    if (Option.isNone(outcome)) {
      return { ...base, status: "down", error: `timed out after ${Duration.format(check.timeout)}` } as const
    }
    const exit = outcome.value
    if (Exit.isFailure(exit)) return { ...base, status: "down", error: describeCause(exit.cause) } as const
    return exit.value === undefined
      ? { ...base, status: "up" } as const
      : { ...base, status: "up", details: exit.value } as const
  })

/** @internal */
export const make = (options: Options = {}): Effect.Effect<Health.Service> =>
  Effect.gen(function*() {
    const cacheTtl = Duration.toMillis(Duration.decode(options.cacheTtl ?? Duration.zero))
    const registry = yield* Ref.make<{ readonly nextId: number; readonly checks: ReadonlyArray<Registered> }>({
      nextId: 0,
      checks: []
    })
    const shuttingDown = yield* Ref.make(false)
    const lastStatus = yield* Ref.make<ReadonlyMap<number, CheckResult["status"]>>(new Map())
    const cache = yield* Ref.make<CacheState>({ generation: 0, entries: new Map() })
    const invalidate = Ref.update(cache, (state) => ({ generation: state.generation + 1, entries: new Map() }))

    const add = (check: Check) =>
      Ref.modify(registry, (state): readonly [readonly [Registered, boolean], typeof state] => {
        const registered: Registered = {
          id: state.nextId,
          name: check.name,
          kind: check.kind ?? "readiness",
          critical: check.critical ?? true,
          timeout: check.timeout === undefined ? defaultTimeout : Duration.decode(check.timeout),
          check: check.check
        }
        const duplicate = state.checks.some((c) => c.name === check.name)
        return [[registered, duplicate], { nextId: state.nextId + 1, checks: [...state.checks, registered] }]
      }).pipe(
        Effect.tap(([registered, duplicate]) =>
          duplicate
            ? Effect.logWarning(`health check '${registered.name}' is registered more than once`).pipe(
              Effect.annotateLogs({ check: registered.name })
            )
            : Effect.void
        ),
        Effect.map(([registered]) => registered),
        Effect.zipLeft(invalidate)
      )

    const remove = (registered: Registered) =>
      Ref.update(registry, (state) => ({ ...state, checks: state.checks.filter((c) => c.id !== registered.id) })).pipe(
        Effect.zipRight(Ref.update(lastStatus, (map) => {
          const next = new Map(map)
          next.delete(registered.id)
          return next
        })),
        Effect.zipRight(invalidate)
      )

    const register = (check: Check): Effect.Effect<void, never, Scope.Scope> =>
      Effect.asVoid(Effect.acquireRelease(add(check), remove))

    // Log only transitions, so a probe every few seconds does not flood the logs.
    const logTransitions = (checks: ReadonlyArray<Registered>, results: ReadonlyArray<CheckResult>) =>
      Ref.modify(lastStatus, (previous) => {
        const next = new Map(previous)
        const changed: Array<CheckResult> = []
        results.forEach((result, i) => {
          const id = checks[i].id
          const before = previous.get(id)
          if (previous.has(id) ? before !== result.status : result.status === "down") changed.push(result)
          next.set(id, result.status)
        })
        return [changed, next]
      }).pipe(
        Effect.flatMap((changed) =>
          Effect.forEach(changed, (result) =>
            (result.status === "down"
              ? Effect.logWarning(`health check ${result.name} is down: ${result.error ?? "unknown error"}`)
              : Effect.logInfo(`health check ${result.name} recovered`)).pipe(
                Effect.annotateLogs({ check: result.name, kind: result.kind, critical: result.critical })
              ), { discard: true })
        )
      )

    const run = (kind: Kind | undefined): Effect.Effect<Report> =>
      Effect.gen(function*() {
        const start = yield* Clock.currentTimeMillis
        const down = yield* Ref.get(shuttingDown)
        const { checks } = yield* Ref.get(registry)
        // Once shutdown starts, readiness checks are not run: the answer is known, and the
        // resources they probe may already be closing.
        const selected = checks.filter((c) =>
          (kind === undefined || c.kind === kind) && !(down && c.kind === "readiness")
        )
        const results = yield* Effect.forEach(selected, runCheck, { concurrency: "unbounded" })
        yield* logTransitions(selected, results)
        const all = down && kind !== "liveness" ? [...results, shutdownResult] : results
        const end = yield* Clock.currentTimeMillis
        const timestamp = new Date(start).toISOString()
        return { status: overallStatus(all), checks: all, timestamp, durationMs: end - start }
      })

    const cached = (kind: Kind | undefined): Effect.Effect<Report> =>
      Effect.gen(function*() {
        const key = kind ?? "all"
        const now = yield* Clock.currentTimeMillis
        const state = yield* Ref.get(cache)
        const hit = state.entries.get(key)
        if (hit !== undefined && hit.expiresAt > now) return hit.report
        const report = yield* run(kind)
        const done = yield* Clock.currentTimeMillis
        // Only store it if nothing was (un)registered or shut down while it ran.
        yield* Ref.update(cache, (current) =>
          current.generation !== state.generation ? current : {
            generation: current.generation,
            entries: new Map(current.entries).set(key, { expiresAt: done + cacheTtl, report })
          })
        return report
      })

    return {
      register,
      report: (kind?: Kind) => cacheTtl > 0 ? cached(kind) : run(kind),
      markShuttingDown: Ref.set(shuttingDown, true).pipe(Effect.zipRight(invalidate)),
      isShuttingDown: Ref.get(shuttingDown)
    }
  })
