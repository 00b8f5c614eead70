/**
 * Label sets → series. A family is one declared metric; its children (one per label set)
 * hold the hook of their series in effect's global metric registry, so recording is one
 * `Map` lookup per label plus the hook update — no `MetricKey` is built per call.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import type * as MetricHook from "effect/MetricHook"
import * as MetricKey from "effect/MetricKey"
import type * as MetricKeyType from "effect/MetricKeyType"
import * as MetricLabel from "effect/MetricLabel"
import { MetricLabelsMismatch } from "./metricsErrors.js"

/** @internal */
export type RawInput = Readonly<Record<string, unknown>> | ReadonlyArray<unknown>

const toText = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined

/**
 * One declared metric: its label names and a cache of children by label values (nested
 * maps, one level per label, so no key string is built and values never collide).
 *
 * @internal
 */
export class Family<Child> {
  private readonly root = new Map<string, unknown>()
  private unlabelled: Child | undefined

  constructor(
    readonly name: string,
    readonly labelNames: ReadonlyArray<string>,
    private readonly build: (labels: ReadonlyArray<MetricLabel.MetricLabel>) => Child
  ) {
    // A metric without labels has its one series from the start (rendered as 0).
    if (labelNames.length === 0) this.unlabelled = build([])
  }

  /** The child of a label set (made on first use), or why the label set does not fit. */
  resolve(input: RawInput | undefined): Child | MetricLabelsMismatch {
    return this.find(input, true) as Child | MetricLabelsMismatch
  }

  /** The child of a label set when it exists already; never makes one. */
  existing(input: RawInput | undefined): Child | undefined {
    const child = this.find(input, false)
    return child === undefined || child instanceof MetricLabelsMismatch ? undefined : child
  }

  private find(input: RawInput | undefined, make: boolean): Child | MetricLabelsMismatch | undefined {
    const names = this.labelNames
    const size = names.length
    if (size === 0) {
      return input === undefined || isEmpty(input) ? this.unlabelled as Child : this.mismatch(input)
    }
    if (input === undefined) return this.mismatch(input)
    const positional = Array.isArray(input)
    if (positional) {
      if (input.length !== size) return this.mismatch(input)
    } else if (countKeys(input) !== size) {
      return this.mismatch(input)
    }
    const list = input as ReadonlyArray<unknown>
    const record = input as Readonly<Record<string, unknown>>
    let node = this.root
    for (let i = 0; i < size - 1; i++) {
      const value = toText(positional ? list[i] : record[names[i]!])
      if (value === undefined) return this.mismatch(input)
      let next = node.get(value) as Map<string, unknown> | undefined
      if (next === undefined) {
        if (!make) return undefined
        next = new Map()
        node.set(value, next)
      }
      node = next
    }
    const last = toText(positional ? list[size - 1] : record[names[size - 1]!])
    if (last === undefined) return this.mismatch(input)
    let child = node.get(last) as Child | undefined
    if (child === undefined) {
      if (!make) return undefined
      child = this.build(names.map((name, i) => MetricLabel.make(name, toText(positional ? list[i] : record[name])!)))
      node.set(last, child)
    }
    return child
  }

  /** `resolve` that throws the mismatch (for `unsafeLabels`). */
  unsafeResolve(input: RawInput | undefined): Child {
    const child = this.resolve(input)
    if (child instanceof MetricLabelsMismatch) throw child
    return child
  }

  /** `resolve` as an Effect. */
  labels(input: RawInput | undefined): Effect.Effect<Child, MetricLabelsMismatch> {
    return Effect.suspend(() => {
      const child = this.resolve(input)
      return child instanceof MetricLabelsMismatch ? Effect.fail(child) : Effect.succeed(child)
    })
  }

  /**
   * Resolves the labels, then runs `f` with the child. A label set seen before is looked up
   * now, so the returned effect is the child's own (one step when run: recording is a hot
   * path); a new one is resolved, and its series made, only when the effect runs.
   */
  with<A>(input: RawInput | undefined, f: (child: Child) => Effect.Effect<A>): Effect.Effect<A, MetricLabelsMismatch> {
    const known = this.existing(input)
    if (known !== undefined) return f(known)
    return Effect.suspend(() => {
      const child = this.resolve(input)
      return child instanceof MetricLabelsMismatch ? Effect.fail(child) : f(child)
    })
  }

  private mismatch(input: RawInput | undefined): MetricLabelsMismatch {
    if (input === undefined) {
      return new MetricLabelsMismatch({ metric: this.name, expected: this.labelNames, received: [] })
    }
    const values: ReadonlyArray<unknown> = Array.isArray(input) ? input : Object.values(input)
    const received = Array.isArray(input) ? input.map((value) => String(value)) : Object.keys(input)
    const badValue = values.length === this.labelNames.length && values.some((value) => toText(value) === undefined)
    return new MetricLabelsMismatch({
      metric: this.name,
      expected: this.labelNames,
      received,
      ...(badValue
        ? { message: `Metric ${this.name} label values must be strings or numbers, received (${received.join(", ")})` }
        : {})
    })
  }
}

const isEmpty = (input: RawInput): boolean => Array.isArray(input) ? input.length === 0 : countKeys(input) === 0

const countKeys = (input: object): number => {
  let count = 0
  for (const key in input) {
    if (Object.prototype.hasOwnProperty.call(input, key)) count++
  }
  return count
}

/**
 * The hook of the series `key` + `labels` in effect's global registry (what
 * `Metric.snapshot` and so `Prometheus.render` read).
 *
 * @internal
 */
export const globalHook = <In, Out>(
  key: MetricKey.MetricKey<MetricKeyType.MetricKeyType<In, Out>>,
  labels: ReadonlyArray<MetricLabel.MetricLabel>
): MetricHook.MetricHook<In, Out> =>
  Metric.globalMetricRegistry.get(MetricKey.taggedWithLabels(key, labels)) as unknown as MetricHook.MetricHook<In, Out>
