/**
 * The Prometheus text exposition format 0.0.4 over a snapshot of effect's metric registry.
 *
 * Speed: the name, type, help and label text of a series depend only on its `MetricKey`
 * (immutable, and the registry hands out the same key objects every time), so they are
 * built once per key and cached in a `WeakMap`; a render then only formats the values.
 *
 * @internal
 */
import type * as MetricKey from "effect/MetricKey"
import * as MetricKeyType from "effect/MetricKeyType"
import type * as MetricLabel from "effect/MetricLabel"
import type * as MetricPair from "effect/MetricPair"
import type * as MetricState from "effect/MetricState"
import * as Option from "effect/Option"

type Type = "counter" | "gauge" | "histogram" | "summary" | "frequency"

interface Head {
  /** The default labels this head was built with (their rendered text). */
  readonly defaults: string
  readonly name: string
  readonly type: Type
  readonly help: string | undefined
  /** `a="x",b="y"` — no braces, may be empty. */
  readonly labels: string
}

interface Family {
  readonly name: string
  readonly type: Type
  help: string | undefined
  /** Series by label text: a number for counters and gauges, else the state. */
  readonly series: Map<string, number | bigint | MetricState.MetricState.Untyped>
}

/** @internal */
export interface FormatOptions {
  readonly defaultLabels?: Readonly<Record<string, string>> | undefined
}

const heads = new WeakMap<MetricKey.MetricKey.Untyped, Head>()

/**
 * Renders metric pairs (`Metric.unsafeSnapshot()`) as Prometheus text. Series of one name
 * form one family (sorted by name); a later series whose type differs from its family's
 * is left out, and a duplicate label set is merged (counters add up, else the first wins).
 *
 * @internal
 */
export const format = (pairs: Iterable<MetricPair.MetricPair.Untyped>, options: FormatOptions = {}): string => {
  const defaults = defaultLabelPairs(options.defaultLabels)
  const families = new Map<string, Family>()
  for (const pair of pairs) {
    const key = pair.metricKey
    let head = heads.get(key)
    if (head === undefined || head.defaults !== defaults.text) {
      head = makeHead(key, defaults)
      heads.set(key, head)
    }
    const familyType: Type = head.type === "frequency" ? "counter" : head.type
    let family = families.get(head.name)
    if (family === undefined) {
      family = { name: head.name, type: familyType, help: head.help, series: new Map() }
      families.set(head.name, family)
    } else if (family.type !== familyType) {
      continue
    } else if (family.help === undefined) {
      family.help = head.help
    }
    const state = pair.metricState
    switch (head.type) {
      case "counter":
        add(family, head.labels, (state as MetricState.MetricState.Counter<number>).count)
        break
      case "gauge":
        if (!family.series.has(head.labels)) {
          family.series.set(head.labels, (state as MetricState.MetricState.Gauge<number>).value)
        }
        break
      case "frequency": {
        const prefix = head.labels === "" ? "key=\"" : `${head.labels},key="`
        for (const [word, count] of (state as MetricState.MetricState.Frequency).occurrences) {
          add(family, `${prefix}${escapeLabelValue(word)}"`, count)
        }
        break
      }
      default:
        if (!family.series.has(head.labels)) family.series.set(head.labels, state)
    }
  }
  let out = ""
  for (const name of [...families.keys()].sort()) {
    out += writeFamily(families.get(name)!)
  }
  return out
}

const add = (family: Family, labels: string, value: number | bigint): void => {
  const previous = family.series.get(labels)
  family.series.set(
    labels,
    previous === undefined
      ? value
      : typeof previous === "bigint" || typeof value === "bigint"
      ? BigInt(previous as number | bigint) + BigInt(value)
      : (previous as number) + value
  )
}

const writeFamily = (family: Family): string => {
  const name = family.name
  let out = family.help === undefined ? "" : `# HELP ${name} ${family.help}\n`
  out += `# TYPE ${name} ${family.type}\n`
  for (const [labels, value] of family.series) {
    if (typeof value === "number" || typeof value === "bigint") {
      out += `${name}${labels === "" ? "" : `{${labels}}`} ${formatValue(value)}\n`
    } else if (family.type === "histogram") {
      out += writeHistogram(name, labels, value as MetricState.MetricState.Histogram)
    } else {
      out += writeSummary(name, labels, value as MetricState.MetricState.Summary)
    }
  }
  return out
}

const writeHistogram = (name: string, labels: string, state: MetricState.MetricState.Histogram): string => {
  const open = labels === "" ? `${name}_bucket{le="` : `${name}_bucket{${labels},le="`
  const plain = labels === "" ? "" : `{${labels}}`
  let out = ""
  for (const [bound, cumulative] of state.buckets) {
    // Effect's buckets are cumulative and end with +Inf; +Inf is written from `count` below.
    if (bound !== Infinity) out += `${open}${formatValue(bound)}"} ${cumulative}\n`
  }
  return out + `${open}+Inf"} ${state.count}\n${name}_sum${plain} ${formatValue(state.sum)}\n` +
    `${name}_count${plain} ${state.count}\n`
}

const writeSummary = (name: string, labels: string, state: MetricState.MetricState.Summary): string => {
  const open = labels === "" ? `${name}{quantile="` : `${name}{${labels},quantile="`
  const plain = labels === "" ? "" : `{${labels}}`
  let out = ""
  for (const [quantile, value] of state.quantiles) {
    out += `${open}${formatValue(quantile)}"} ${Option.isSome(value) ? formatValue(value.value) : "NaN"}\n`
  }
  return out + `${name}_sum${plain} ${formatValue(state.sum)}\n${name}_count${plain} ${state.count}\n`
}

/** A sample value: `+Inf`, `-Inf`, `NaN`, else the shortest round-tripping decimal. @internal */
export const formatValue = (value: number | bigint): string =>
  typeof value === "bigint" || Number.isFinite(value)
    ? String(value)
    : Number.isNaN(value)
    ? "NaN"
    : value > 0
    ? "+Inf"
    : "-Inf"

const typeOf = (keyType: MetricKeyType.MetricKeyType.Untyped): Type =>
  MetricKeyType.isCounterKey(keyType)
    ? "counter"
    : MetricKeyType.isGaugeKey(keyType)
    ? "gauge"
    : MetricKeyType.isHistogramKey(keyType)
    ? "histogram"
    : MetricKeyType.isSummaryKey(keyType)
    ? "summary"
    : "frequency"

interface Defaults {
  readonly text: string
  readonly pairs: ReadonlyArray<readonly [name: string, rendered: string]>
}

const noDefaults: Defaults = { text: "", pairs: [] }

const defaultLabelPairs = (labels: Readonly<Record<string, string>> | undefined): Defaults => {
  if (labels === undefined) return noDefaults
  const pairs = Object.keys(labels).map((name) => {
    const clean = labelName(name)
    return [clean, `${clean}="${escapeLabelValue(labels[name]!)}"`] as const
  })
  return pairs.length === 0 ? noDefaults : { text: pairs.map(([, rendered]) => rendered).join(","), pairs }
}

const makeHead = (key: MetricKey.MetricKey.Untyped, defaults: Defaults): Head => {
  const description = Option.getOrUndefined(key.description)?.trim()
  return {
    defaults: defaults.text,
    name: metricName(key.name),
    type: typeOf(key.keyType),
    help: description === undefined || description === "" ? undefined : escapeHelp(description),
    labels: renderLabels(key.tags, defaults)
  }
}

// The series' own labels (the last value of a repeated name wins), then the default labels
// it does not have.
const renderLabels = (tags: ReadonlyArray<MetricLabel.MetricLabel>, defaults: Defaults): string => {
  const byName = new Map<string, string>()
  for (const tag of tags) {
    const name = labelName(tag.key)
    byName.delete(name)
    byName.set(name, escapeLabelValue(tag.value))
  }
  let out = ""
  for (const [name, value] of byName) out += `${out === "" ? "" : ","}${name}="${value}"`
  for (const [name, rendered] of defaults.pairs) {
    if (!byName.has(name)) out += `${out === "" ? "" : ","}${rendered}`
  }
  return out
}

const metricNames = new Map<string, string>()
const labelNames = new Map<string, string>()

/** A valid metric name: invalid characters become `_`, a leading digit gets a `_`. @internal */
export const metricName = (name: string): string => {
  let clean = metricNames.get(name)
  if (clean === undefined) {
    clean = name.replace(/[^a-zA-Z0-9_:]/g, "_").replace(/^(?=[0-9])|^$/, "_")
    metricNames.set(name, clean)
  }
  return clean
}

/** A valid label name (no `:`). @internal */
export const labelName = (name: string): string => {
  let clean = labelNames.get(name)
  if (clean === undefined) {
    clean = name.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^(?=[0-9])|^$/, "_")
    labelNames.set(name, clean)
  }
  return clean
}

/** Escapes `\`, `"` and newlines; most values have none, and are returned as they are. @internal */
export const escapeLabelValue = (value: string): string => {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 92 || c === 34 || c === 10) {
      return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, "\\\"")
    }
  }
  return value
}

const escapeHelp = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")
