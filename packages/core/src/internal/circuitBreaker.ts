/**
 * The circuit breaker state machine. Every read-modify-write of the state (admitting a call,
 * recording its outcome, a transition and its notification) happens under one permit, so
 * transitions are totally ordered and `onStateChange` sees them in order.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { CircuitBreaker, Options, State, StateChange, Stats } from "../CircuitBreaker.js"
import { Unavailable } from "./systemErrors.js"

type Phase =
  | { readonly _tag: "closed"; readonly failures: number }
  | { readonly _tag: "open"; readonly until: number }
  | { readonly _tag: "half-open"; readonly admitted: number; readonly successes: number }

interface Internal {
  readonly phase: Phase
  /** Bumped on every transition: outcomes of calls admitted in an older phase are ignored. */
  readonly generation: number
  readonly successes: number
  readonly failures: number
  readonly rejected: number
}

type Admission =
  | { readonly _tag: "admitted"; readonly generation: number }
  | { readonly _tag: "rejected"; readonly error: Unavailable }

type Outcome = "success" | "failure" | "interrupted"

type Step<B> = readonly [B, Internal, ReadonlyArray<StateChange>]

const closed: Phase = { _tag: "closed", failures: 0 }

/** @internal */
export const make = (options: Options): Effect.Effect<CircuitBreaker> =>
  Effect.gen(function*() {
    const name = options.name
    const failureThreshold = Math.max(1, Math.floor(options.failureThreshold ?? 5))
    const resetMillis = Math.max(0, Duration.toMillis(options.resetTimeout ?? Duration.seconds(30)))
    const halfOpenMaxCalls = Math.max(1, Math.floor(options.halfOpenMaxCalls ?? 1))
    const isFailure = options.isFailure ?? (() => true)
    const onStateChange = options.onStateChange

    const ref = yield* Ref.make<Internal>({ phase: closed, generation: 0, successes: 0, failures: 0, rejected: 0 })
    const lock = yield* Effect.makeSemaphore(1)

    const moveTo = (s: Internal, phase: Phase, at: number): readonly [Internal, StateChange] => [
      { ...s, phase, generation: s.generation + 1 },
      { name, from: s.phase._tag, to: phase._tag, at }
    ]

    // Open circuits become half-open lazily, on the first look after `resetTimeout`.
    const settle = (s: Internal, now: number): readonly [Internal, ReadonlyArray<StateChange>] => {
      if (s.phase._tag !== "open" || now < s.phase.until) return [s, []]
      const [next, change] = moveTo(s, { _tag: "half-open", admitted: 0, successes: 0 }, now)
      return [next, [change]]
    }

    const report = (change: StateChange): Effect.Effect<void> => {
      const message = `Circuit breaker '${name}' ${change.from} -> ${change.to}`
      const log = change.to === "open" ? Effect.logWarning(message) : Effect.logInfo(message)
      const hook = onStateChange === undefined ? Effect.void : Effect.catchAllCause(
        Effect.suspend(() => onStateChange(change)),
        (cause) => Effect.logWarning(`Circuit breaker '${name}' onStateChange hook failed`, cause)
      )
      return log.pipe(
        Effect.annotateLogs({ circuitBreaker: name, from: change.from, to: change.to }),
        Effect.zipRight(hook)
      )
    }

    const transact = <B>(f: (s: Internal, now: number) => Step<B>): Effect.Effect<B> =>
      Effect.uninterruptible(lock.withPermits(1)(Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const current = yield* Ref.get(ref)
        const [settled, settleChanges] = settle(current, now)
        const [result, next, changes] = f(settled, now)
        yield* Ref.set(ref, next)
        for (const change of [...settleChanges, ...changes]) yield* report(change)
        return result
      })))

    const admit: Effect.Effect<Admission> = transact((s, now): Step<Admission> => {
      const reject = (retryAfter: Option.Option<number>): Step<Admission> => {
        const error = Option.match(retryAfter, {
          onNone: () => new Unavailable({ service: name, reason: "circuit-open" }),
          onSome: (millis) =>
            new Unavailable({ service: name, reason: "circuit-open", retryAfter: Duration.millis(millis) })
        })
        return [{ _tag: "rejected", error }, { ...s, rejected: s.rejected + 1 }, []]
      }
      switch (s.phase._tag) {
        case "closed":
          return [{ _tag: "admitted", generation: s.generation }, s, []]
        case "open":
          return reject(Option.some(s.phase.until - now))
        case "half-open": {
          if (s.phase.admitted >= halfOpenMaxCalls) return reject(Option.none())
          const phase: Phase = { ...s.phase, admitted: s.phase.admitted + 1 }
          return [{ _tag: "admitted", generation: s.generation }, { ...s, phase }, []]
        }
      }
    })

    const record = (generation: number, outcome: Outcome): Effect.Effect<void> =>
      transact((before, now): Step<void> => {
        const s: Internal = outcome === "success"
          ? { ...before, successes: before.successes + 1 }
          : outcome === "failure"
          ? { ...before, failures: before.failures + 1 }
          : before
        if (generation !== s.generation) return [undefined, s, []]
        const phase = s.phase
        switch (phase._tag) {
          case "closed": {
            if (outcome === "interrupted") return [undefined, s, []]
            if (outcome === "success") return [undefined, { ...s, phase: closed }, []]
            const failures = phase.failures + 1
            if (failures < failureThreshold) return [undefined, { ...s, phase: { _tag: "closed", failures } }, []]
            const [next, change] = moveTo(s, { _tag: "open", until: now + resetMillis }, now)
            return [undefined, next, [change]]
          }
          case "half-open": {
            if (outcome === "interrupted") {
              return [undefined, { ...s, phase: { ...phase, admitted: phase.admitted - 1 } }, []]
            }
            if (outcome === "failure") {
              const [next, change] = moveTo(s, { _tag: "open", until: now + resetMillis }, now)
              return [undefined, next, [change]]
            }
            const successes = phase.successes + 1
            if (successes < halfOpenMaxCalls) return [undefined, { ...s, phase: { ...phase, successes } }, []]
            const [next, change] = moveTo(s, closed, now)
            return [undefined, next, [change]]
          }
          case "open":
            return [undefined, s, []]
        }
      })

    const outcomeOf = <A, E>(exit: Exit.Exit<A, E>): Outcome => {
      if (Exit.isSuccess(exit)) return "success"
      if (Cause.isDie(exit.cause)) return "failure"
      return Option.match(Cause.failureOption(exit.cause), {
        onNone: (): Outcome => "interrupted",
        onSome: (error): Outcome => isFailure(error) ? "failure" : "success"
      })
    }

    const protect = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Unavailable, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(admit, (admission): Effect.Effect<A, E | Unavailable, R> =>
          admission._tag === "rejected"
            ? Effect.fail(admission.error)
            : Effect.onExit(restore(effect), (exit) => record(admission.generation, outcomeOf(exit))))
      )

    // Reads take the permit only when an expired open circuit must turn half-open, so
    // `onStateChange` may read `state` / `stats` without deadlocking.
    const current: Effect.Effect<Internal> = Effect.flatMap(
      Effect.zip(Ref.get(ref), Clock.currentTimeMillis),
      ([s, now]) =>
        s.phase._tag === "open" && now >= s.phase.until
          ? transact((settled): Step<Internal> => [settled, settled, []])
          : Effect.succeed(s)
    )

    const state: Effect.Effect<State> = Effect.map(current, (s) => s.phase._tag)

    const stats: Effect.Effect<Stats> = Effect.map(current, (s) => ({
      state: s.phase._tag,
      consecutiveFailures: s.phase._tag === "closed" ? s.phase.failures : 0,
      successes: s.successes,
      failures: s.failures,
      rejected: s.rejected
    }))

    return { name, protect, state, stats }
  })
