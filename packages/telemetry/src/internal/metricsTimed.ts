/**
 * Timing effects into histograms (the seed's `timed_function` / `track_in_progress`):
 * duration by `Clock` (so `TestClock` drives it), an optional in-progress gauge, and failures
 * counted by error tag.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import { declare, definition, internalsOf } from "./metricsDeclare.js"
import { MetricDefinitionError, MetricLabelsMismatch } from "./metricsErrors.js"
import type { Family, RawInput } from "./metricsFamily.js"
import type {
  CounterChild,
  Gauge,
  GaugeChild,
  Histogram,
  HistogramChild,
  Summary,
  TimerOptions
} from "./metricsModels.js"

const tagOf = (error: unknown): string =>
  Predicate.hasProperty(error, "_tag") && typeof error._tag === "string"
    ? error._tag
    : error instanceof Error
    ? error.name
    : "UnknownError"

/**
 * The `error` label of a failed run: the failure's `_tag` (or its `name` for a plain
 * `Error`), `Defect` for a defect.
 *
 * @internal
 */
export const errorTag = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  return Option.isSome(failure) ? tagOf(failure.value) : "Defect"
}

/**
 * Runs `self` between `start()` and `finish()` (always called, also on interruption) and
 * reports its duration in seconds and its error tag to `done` — except when it was
 * interrupted: an abandoned run is no measurement.
 *
 * @internal
 */
export const measure = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  start: () => void,
  done: (seconds: number, error: string | undefined) => void,
  finish: () => void
): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Clock.currentTimeNanos, (begin) => {
      start()
      return Effect.onExit(restore(self), (exit) =>
        Effect.map(Clock.currentTimeNanos, (end) => {
          finish()
          const seconds = Number(end - begin) / 1e9
          if (Exit.isSuccess(exit)) done(seconds, undefined)
          else if (!Cause.isInterruptedOnly(exit.cause)) done(seconds, errorTag(exit.cause))
        }))
    })
  )

/** The name without a trailing `_seconds` and `_duration`: `http_request_duration_seconds` → `http_request`. */
const baseName = (name: string): string => name.replace(/_seconds$/, "").replace(/_duration$/, "")

const sameNames = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((name) => b.includes(name))

type Observed = HistogramChild
type MetricError = MetricLabelsMismatch | MetricDefinitionError

/** A prepared timer: labels → combinator. @internal */
export type Timer = (
  labels: RawInput | undefined
) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | MetricError, R>

/** @internal */
export const makeTimer = (
  metric: Histogram<string> | Summary<string>,
  options: TimerOptions<string> = {}
): Timer => {
  const { def, family } = internalsOf<Observed>(metric)
  const base = baseName(def.name)
  const prepared = Either.all({
    inProgress: options.inProgress === undefined || options.inProgress === false
      ? Either.right(undefined)
      : options.inProgress === true
      ? Either.map(
        declare(definition("gauge", `${base}_in_progress`, {
          description: `Runs of ${def.name} in progress`,
          labelNames: def.labelNames
        }, def.enabled)),
        (gauge) => internalsOf<GaugeChild>(gauge).family
      )
      : checkLabels(def.name, options.inProgress, def.labelNames, internalsOf<GaugeChild>(options.inProgress).family),
    errors: options.errors === false
      ? Either.right(undefined)
      : options.errors === undefined || options.errors === true
      ? Either.map(
        declare(definition("counter", `${base}_errors_total`, {
          description: `Failed runs of ${def.name}, by error tag`,
          labelNames: [...def.labelNames, "error"]
        }, def.enabled)),
        (counter) => internalsOf<CounterChild>(counter).family
      )
      : checkLabels(
        def.name,
        options.errors,
        [...def.labelNames, "error"],
        internalsOf<CounterChild>(options.errors).family
      )
  })
  return (labels) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.suspend((): Effect.Effect<A, E | MetricError, R> => {
      if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
      const { errors, inProgress } = prepared.right
      const child = family.resolve(labels)
      if (child instanceof MetricLabelsMismatch) return Effect.fail(child)
      const gauge = inProgress?.resolve(labels)
      if (gauge instanceof MetricLabelsMismatch) return Effect.fail(gauge)
      return measure(
        self,
        () => gauge?.unsafeInc(),
        (seconds, error) => {
          child.unsafeObserve(seconds)
          if (error !== undefined && errors !== undefined) errorChild(errors, def.labelNames, labels, error).unsafeInc()
        },
        () => gauge?.unsafeDec()
      )
    })
}

const checkLabels = <Child>(
  metric: string,
  other: { readonly name: string; readonly labelNames: ReadonlyArray<string> },
  expected: ReadonlyArray<string>,
  family: Family<Child>
): Either.Either<Family<Child>, MetricDefinitionError> =>
  sameNames(other.labelNames, expected)
    ? Either.right(family)
    : Either.left(
      new MetricDefinitionError({
        metric: other.name,
        reason: `to time ${metric} it needs the labels (${expected.join(", ")}), not (${other.labelNames.join(", ")})`
      })
    )

// Failures are rare: build the label record then, by name, so any label order works.
const errorChild = (
  errors: Family<CounterChild>,
  labelNames: ReadonlyArray<string>,
  labels: RawInput | undefined,
  error: string
): CounterChild => {
  const record: Record<string, unknown> = { error }
  labelNames.forEach((name, i) => {
    record[name] = labels === undefined
      ? undefined
      : Array.isArray(labels)
      ? labels[i]
      : (labels as Readonly<Record<string, unknown>>)[name]
  })
  return errors.unsafeResolve(record)
}

/**
 * Increments a gauge for as long as an effect runs.
 *
 * @internal
 */
export const trackInProgress = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  gauge: Gauge<string>,
  labels: RawInput | undefined
): Effect.Effect<A, E | MetricLabelsMismatch, R> =>
  Effect.suspend((): Effect.Effect<A, E | MetricLabelsMismatch, R> => {
    const child = internalsOf<GaugeChild>(gauge).family.resolve(labels)
    if (child instanceof MetricLabelsMismatch) return Effect.fail(child)
    return Effect.acquireUseRelease(
      Effect.sync(() => child.unsafeInc()),
      () => self,
      () => Effect.sync(() => child.unsafeDec())
    )
  })
