/**
 * Summaries of repeated measurements: the median and the range, never a mean (one noisy
 * round on a shared machine would move a mean, not a median).
 */

/** Median, minimum and maximum of a series. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly count: number
}

/** The spread of `values`; `NaN`s everywhere when there are none. */
export const spread = (values: ReadonlyArray<number>): Spread => {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, count: 0 }
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, count: sorted.length }
}

/** True when the number is usable as a measurement (finite and above zero). */
export const isMeasured = (value: number): boolean => Number.isFinite(value) && value > 0

/** A figure for a table: 3 significant digits, thousands grouped (`12,300`, `0.512`). */
export const formatFigure = (value: number): string => {
  if (!Number.isFinite(value)) return "n/a"
  if (value === 0) return "0"
  const magnitude = Math.floor(Math.log10(Math.abs(value)))
  const decimals = Math.max(0, 2 - magnitude)
  const rounded = Number(value.toFixed(decimals))
  return rounded.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** `median (min–max)`. */
export const formatSpread = (s: Spread, suffix = ""): string =>
  s.count === 0
    ? "n/a"
    : s.count === 1 || s.min === s.max
    ? `${formatFigure(s.median)}${suffix}`
    : `${formatFigure(s.median)}${suffix} (${formatFigure(s.min)}–${formatFigure(s.max)})`
