/**
 * Declaring metrics: validation, the process-wide table of declared names (same name and
 * definition → same handle; same name, other definition → error) and the handle objects.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { constVoid } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricHook from "effect/MetricHook"
import * as MetricKey from "effect/MetricKey"
import type * as MetricKeyType from "effect/MetricKeyType"
import type * as MetricLabel from "effect/MetricLabel"
import * as MetricState from "effect/MetricState"
import { MetricDefinitionError } from "./metricsErrors.js"
import { Family, globalHook, type RawInput } from "./metricsFamily.js"
import type {
  Counter,
  CounterChild,
  Gauge,
  GaugeChild,
  Histogram,
  HistogramChild,
  Summary,
  SummaryChild
} from "./metricsModels.js"

/** @internal */
export type Kind = "counter" | "gauge" | "histogram" | "summary"

/** @internal */
export interface Definition {
  readonly kind: Kind
  readonly name: string
  readonly description: string | undefined
  readonly labelNames: ReadonlyArray<string>
  /** Histogram bucket upper bounds (without `+Inf`). */
  readonly buckets: ReadonlyArray<number>
  readonly quantiles: ReadonlyArray<number>
  readonly maxAge: Duration.Duration
  readonly maxSize: number
  readonly error: number
  /** When false the handle records nothing and is not registered anywhere. */
  readonly enabled: boolean
}

/** Prometheus' client default buckets (seconds). @internal */
export const defaultBuckets: ReadonlyArray<number> = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** @internal */
export const definition = (
  kind: Kind,
  name: string,
  options: {
    readonly description?: string | undefined
    readonly labelNames?: ReadonlyArray<string> | undefined
    readonly buckets?: ReadonlyArray<number> | undefined
    readonly quantiles?: ReadonlyArray<number> | undefined
    readonly maxAge?: Duration.DurationInput | undefined
    readonly maxSize?: number | undefined
    readonly error?: number | undefined
  },
  enabled: boolean
): Definition => ({
  kind,
  name,
  description: options.description,
  labelNames: options.labelNames ?? [],
  buckets: kind === "histogram"
    ? [...new Set(options.buckets ?? defaultBuckets)].filter((b) => b !== Infinity).sort((a, b) => a - b)
    : [],
  quantiles: kind === "summary" ? [...new Set(options.quantiles ?? [0.5, 0.9, 0.99])].sort((a, b) => a - b) : [],
  maxAge: Duration.decode(options.maxAge ?? "10 minutes"),
  maxSize: options.maxSize ?? 1024,
  error: options.error ?? 0.01,
  enabled
})

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/

const invalid = (def: Definition): string | undefined => {
  if (!metricName.test(def.name)) return "the name must match [a-zA-Z_:][a-zA-Z0-9_:]*"
  const seen = new Set<string>()
  for (const name of def.labelNames) {
    if (!labelName.test(name) || name.startsWith("__")) {
      return `label name "${name}" must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __`
    }
    if (seen.has(name)) return `label name "${name}" is listed twice`
    seen.add(name)
    if (def.kind === "histogram" && name === "le") return `a histogram cannot have a label "le"`
    if (def.kind === "summary" && name === "quantile") return `a summary cannot have a label "quantile"`
  }
  if (def.buckets.some((b) => Number.isNaN(b))) return "buckets must be numbers"
  if (def.quantiles.some((q) => !(q >= 0 && q <= 1))) return "quantiles must be between 0 and 1"
  if (def.kind === "summary" && !(Number.isInteger(def.maxSize) && def.maxSize > 0)) {
    return "maxSize must be a positive integer"
  }
  return undefined
}

// What must be equal for a second declaration to get the first handle.
const signature = (def: Definition): string =>
  `${def.kind}|${def.labelNames.join(",")}|${def.buckets.join(",")}|${def.quantiles.join(",")}|${
    def.kind === "summary" ? `${Duration.toMillis(def.maxAge)},${def.maxSize},${def.error}` : ""
  }`

interface Declared {
  readonly def: Definition
  readonly signature: string
  readonly handle: AnyHandle
}

/** @internal */
export type AnyHandle = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>

const declared = globalValue(Symbol.for("@strata/telemetry/Metrics/declared"), () => new Map<string, Declared>())

interface Internals {
  readonly def: Definition
  readonly family: Family<unknown>
}

const internals = new WeakMap<object, Internals>()

/** The definition and family behind a handle made here. @internal */
export const internalsOf = <Child>(handle: object): { readonly def: Definition; readonly family: Family<Child> } =>
  internals.get(handle) as { readonly def: Definition; readonly family: Family<Child> }

const describe = (def: Definition): string =>
  `a ${def.kind} with labels (${def.labelNames.join(", ")})` +
  (def.kind === "histogram" ? ` and buckets (${def.buckets.join(", ")})` : "") +
  (def.kind === "summary" ? ` and quantiles (${def.quantiles.join(", ")})` : "")

/**
 * The handle for a definition: the one declared before under that name when the definitions
 * match, else an error. Disabled definitions are only validated.
 *
 * @internal
 */
export const declare = (def: Definition): Either.Either<AnyHandle, MetricDefinitionError> => {
  const reason = invalid(def)
  if (reason !== undefined) return Either.left(new MetricDefinitionError({ metric: def.name, reason }))
  if (!def.enabled) return Either.right(make(def))
  const sig = signature(def)
  const existing = declared.get(def.name)
  if (existing !== undefined) {
    return existing.signature === sig
      ? Either.right(existing.handle)
      : Either.left(
        new MetricDefinitionError({
          metric: def.name,
          reason: `already declared as ${describe(existing.def)}, not ${describe(def)}`
        })
      )
  }
  const handle = make(def)
  declared.set(def.name, { def, signature: sig, handle })
  return Either.right(handle)
}

/** `declare` for definitions known to be valid (the built-in trackers). @internal */
export const unsafeDeclare = (def: Definition): AnyHandle => Either.getOrThrow(declare(def))

const make = (def: Definition): AnyHandle => {
  switch (def.kind) {
    case "counter":
      return counter(def)
    case "gauge":
      return gauge(def)
    case "histogram":
      return histogram(def)
    case "summary":
      return summary(def)
  }
}

const noopHook = <In, Out>(state: Out): MetricHook.MetricHook<In, Out> =>
  MetricHook.make({ get: () => state, update: constVoid, modify: constVoid })

const hookOf = <In, Out>(
  def: Definition,
  key: MetricKey.MetricKey<MetricKeyType.MetricKeyType<In, Out>>,
  empty: Out
) =>
(labels: ReadonlyArray<MetricLabel.MetricLabel>): MetricHook.MetricHook<In, Out> =>
  def.enabled ? globalHook(key, labels) : noopHook<In, Out>(empty)

// Builds the handle object around a family: the hot paths go straight to the child.
const handle = <Child>(
  tag: AnyHandle["_tag"],
  def: Definition,
  build: (labels: ReadonlyArray<MetricLabel.MetricLabel>) => Child,
  methods: (family: Family<Child>, unlabelled: boolean) => Record<string, unknown>
): AnyHandle => {
  const family = new Family(def.name, def.labelNames, build)
  const self = {
    _tag: tag,
    name: def.name,
    description: def.description,
    labelNames: def.labelNames,
    labels: (input: RawInput) => family.labels(input),
    unsafeLabels: (input: RawInput) => family.unsafeResolve(input),
    ...methods(family, def.labelNames.length === 0)
  }
  internals.set(self, { def, family: family as Family<unknown> })
  return self as unknown as AnyHandle
}

const counter = (def: Definition): AnyHandle => {
  const key = MetricKey.counter(def.name, { description: def.description, incremental: true })
  const hook = hookOf(def, key, MetricState.counter(0))
  return handle<CounterChild>("Counter", def, (labels) => counterChild(hook(labels)), (family, unlabelled) => {
    const root = unlabelled ? family.unsafeResolve(undefined) : undefined
    return {
      inc: root !== undefined
        ? (amount?: number) => root.inc(amount)
        : (labels: RawInput, amount?: number) => family.with(labels, (child) => child.inc(amount)),
      value: root !== undefined ? () => root.value : (labels: RawInput) => family.with(labels, (child) => child.value)
    }
  })
}

const counterChild = (hook: MetricHook.MetricHook.Counter<number>): CounterChild => {
  const incOne = Effect.sync(() => hook.update(1))
  return {
    inc: (amount) => amount === undefined || amount === 1 ? incOne : Effect.sync(() => hook.update(amount)),
    unsafeInc: (amount = 1) => hook.update(amount),
    value: Effect.sync(() => hook.get().count)
  }
}

const gauge = (def: Definition): AnyHandle => {
  const hook = hookOf(def, MetricKey.gauge(def.name, { description: def.description }), MetricState.gauge(0))
  return handle<GaugeChild>("Gauge", def, (labels) => gaugeChild(hook(labels)), (family, unlabelled) => {
    const root = unlabelled ? family.unsafeResolve(undefined) : undefined
    return root !== undefined
      ? {
        set: (value: number) => root.set(value),
        inc: (amount?: number) => root.inc(amount),
        dec: (amount?: number) => root.dec(amount),
        value: () => root.value
      }
      : {
        set: (labels: RawInput, value: number) => family.with(labels, (child) => child.set(value)),
        inc: (labels: RawInput, amount?: number) => family.with(labels, (child) => child.inc(amount)),
        dec: (labels: RawInput, amount?: number) => family.with(labels, (child) => child.dec(amount)),
        value: (labels: RawInput) => family.with(labels, (child) => child.value)
      }
  })
}

const gaugeChild = (hook: MetricHook.MetricHook.Gauge<number>): GaugeChild => ({
  set: (value) => Effect.sync(() => hook.update(value)),
  inc: (amount = 1) => Effect.sync(() => hook.modify(amount)),
  dec: (amount = 1) => Effect.sync(() => hook.modify(-amount)),
  unsafeSet: (value) => hook.update(value),
  unsafeInc: (amount = 1) => hook.modify(amount),
  unsafeDec: (amount = 1) => hook.modify(-amount),
  value: Effect.sync(() => hook.get().value)
})

const observing = <Child extends { readonly observe: (value: number) => Effect.Effect<void> }>(
  family: Family<Child>,
  unlabelled: boolean,
  value: (child: Child) => Effect.Effect<unknown>
): Record<string, unknown> => {
  const root = unlabelled ? family.unsafeResolve(undefined) : undefined
  return root !== undefined
    ? { observe: (v: number) => root.observe(v), value: () => value(root) }
    : {
      observe: (labels: RawInput, v: number) => family.with(labels, (child) => child.observe(v)),
      value: (labels: RawInput) => family.with(labels, value)
    }
}

const emptyHistogram = (def: Definition): MetricState.MetricState.Histogram =>
  MetricState.histogram({
    buckets: [...def.buckets, Infinity].map((b) => [b, 0] as const),
    count: 0,
    min: 0,
    max: 0,
    sum: 0
  })

const histogram = (def: Definition): AnyHandle => {
  const key = MetricKey.histogram(def.name, MetricBoundaries.fromIterable(def.buckets), def.description)
  const hook = hookOf(def, key, emptyHistogram(def))
  return handle<HistogramChild>("Histogram", def, (labels) => {
    const h = hook(labels)
    return {
      observe: (value) => Effect.sync(() => h.update(value)),
      unsafeObserve: (value) => h.update(value),
      value: Effect.sync(() => h.get())
    }
  }, (family, unlabelled) => observing(family, unlabelled, (child) => child.value))
}

const summary = (def: Definition): AnyHandle => {
  const key = MetricKey.summary({
    name: def.name,
    description: def.description,
    maxAge: def.maxAge,
    maxSize: def.maxSize,
    error: def.error,
    quantiles: def.quantiles
  })
  const empty = MetricState.summary({ error: def.error, quantiles: [], count: 0, min: 0, max: 0, sum: 0 })
  const hook = hookOf(def, key, empty)
  return handle<SummaryChild>("Summary", def, (labels) => {
    const h = hook(labels)
    // Effect's summary hook ages samples against `Date.now()`, so stamp them the same way.
    return {
      observe: (value) => Effect.sync(() => h.update([value, Date.now()])),
      unsafeObserve: (value) => h.update([value, Date.now()]),
      value: Effect.sync(() => h.get())
    }
  }, (family, unlabelled) => observing(family, unlabelled, (child) => child.value))
}
