/**
 * How one comparison runs: a warm-up of every contender, then rounds; within a round the
 * subject and its references are measured back to back (the order alternates between
 * rounds), and each ratio subject/reference is taken within the round, so a slow moment of
 * a shared machine hits both sides of a ratio rather than one.
 */
import { type Figures } from "./protocol.js"
import { isMeasured, type Spread, spread } from "./stats.js"

/** A measured quantity of a comparison. */
export interface Figure {
  readonly key: string
  /** How the table names it: `req/s`, `p99 ms`, `get ops/s`. */
  readonly label: string
  readonly unit: string
  /** `higher`: throughput; `lower`: time or latency. */
  readonly better: "higher" | "lower"
}

/** A ratio the subject must reach against one reference: `≥` for `higher`, `≤` for `lower`. */
export interface Target {
  readonly figure: string
  readonly ratio: number
}

/** One side of a comparison. */
export interface Contender {
  readonly label: string
  readonly measure: (windowMs: number) => Promise<Figures>
}

/** A reference, with the targets the subject has against it (none: for information). */
export interface Reference extends Contender {
  readonly targets: ReadonlyArray<Target>
  /** The figures compared with this reference (default: all of the comparison's). */
  readonly figures?: ReadonlyArray<string> | undefined
}

/** The processes of a comparison, started and checked, ready to measure. */
export interface Session {
  readonly subject: Contender
  readonly references: ReadonlyArray<Reference>
  readonly close: () => Promise<void>
}

/** The windows of a run. */
export interface Windows {
  readonly rounds: number
  readonly windowMs: number
  /** 0: no warm-up. */
  readonly warmupMs: number
}

/** A comparison row of the table (some rows have several: 4a, 4b, 7a, ...). */
export interface Comparison {
  readonly id: string
  readonly title: string
  readonly figures: ReadonlyArray<Figure>
  readonly windows: { readonly full: Windows; readonly smoke: Windows }
  /** Starts the processes and checks they answer correctly; throws `Skipped` when it cannot run here. */
  readonly open: () => Promise<Session>
}

/** Thrown by `open` when a comparison cannot run on this machine (e.g. no redis-server). */
export class Skipped extends Error {}

/** One line of the results table: the subject against one reference on one figure. */
export interface Line {
  readonly figure: Figure
  readonly subjectLabel: string
  readonly referenceLabel: string
  readonly subject: Spread
  readonly reference: Spread
  readonly ratio: Spread
  readonly target: Target | undefined
}

/** What a comparison produced. */
export type Outcome =
  | { readonly _tag: "Measured"; readonly comparison: Comparison; readonly lines: ReadonlyArray<Line> }
  | { readonly _tag: "Skipped"; readonly comparison: Comparison; readonly reason: string }
  | { readonly _tag: "Failed"; readonly comparison: Comparison; readonly error: string }

/** Whether a line meets its target (by the median ratio); `undefined` without a target. */
export const verdict = (line: Line): "pass" | "miss" | undefined => {
  if (line.target === undefined) return undefined
  const { median } = line.ratio
  const met = line.figure.better === "higher" ? median >= line.target.ratio : median <= line.target.ratio
  return met ? "pass" : "miss"
}

/** How often a window that produced nothing is tried again, each time twice as long. */
const emptyWindowRetries = 2

const missingFigure = (result: Figures, figures: ReadonlyArray<Figure>): Figure | undefined =>
  figures.find((figure) => {
    const value = result[figure.key]
    return value === undefined || !isMeasured(value)
  })

/**
 * One window of a contender. A window with nothing in it (a tiny smoke window on a loaded
 * machine can end before the first operation completes) is measured again, longer; only a
 * contender that still produces nothing is an error.
 */
const measured = async (contender: Contender, windowMs: number, figures: ReadonlyArray<Figure>): Promise<Figures> => {
  for (let attempt = 0, window = windowMs; ; attempt++, window *= 2) {
    const result = await contender.measure(window)
    const missing = missingFigure(result, figures)
    if (missing === undefined) return result
    if (attempt === emptyWindowRetries || windowMs === 0) {
      throw new Error(`${contender.label} produced no ${missing.key} (got ${String(result[missing.key])})`)
    }
  }
}

/** Runs a comparison with the given windows; `progress` gets one line per round. */
export const runComparison = async (
  comparison: Comparison,
  windows: Windows,
  progress: (text: string) => void
): Promise<Outcome> => {
  let session: Session
  try {
    session = await comparison.open()
  } catch (error) {
    return error instanceof Skipped
      ? { _tag: "Skipped", comparison, reason: error.message }
      : { _tag: "Failed", comparison, error: messageOf(error) }
  }
  try {
    const contenders: ReadonlyArray<Contender> = [session.subject, ...session.references]
    if (windows.warmupMs > 0) {
      for (const contender of contenders) await measured(contender, windows.warmupMs, comparison.figures)
    }
    const samples = contenders.map((): Array<Figures> => [])
    for (let round = 0; round < windows.rounds; round++) {
      const order = contenders.map((_, i) => i)
      if (round % 2 === 1) order.reverse()
      for (const i of order) samples[i]!.push(await measured(contenders[i]!, windows.windowMs, comparison.figures))
      progress(
        `${comparison.id}: round ${round + 1}/${windows.rounds} ` +
          contenders.map((c, i) => `${c.label} ${summarize(samples[i]!.at(-1)!, comparison.figures)}`).join(" | ")
      )
    }
    const subject = samples[0]!
    const lines = session.references.flatMap((reference, r) =>
      comparison.figures.filter((f) => reference.figures?.includes(f.key) ?? true).map((figure): Line => {
        const own = subject.map((s) => s[figure.key]!)
        const theirs = samples[r + 1]!.map((s) => s[figure.key]!)
        return {
          figure,
          subjectLabel: session.subject.label,
          referenceLabel: reference.label,
          subject: spread(own),
          reference: spread(theirs),
          ratio: spread(own.map((value, i) => value / theirs[i]!)),
          target: reference.targets.find((t) => t.figure === figure.key)
        }
      })
    )
    return { _tag: "Measured", comparison, lines }
  } catch (error) {
    return { _tag: "Failed", comparison, error: messageOf(error) }
  } finally {
    await session.close()
  }
}

const summarize = (figures: Figures, wanted: ReadonlyArray<Figure>): string =>
  wanted.map((f) => `${Math.round((figures[f.key] ?? NaN) * 100) / 100} ${f.label}`).join(", ")

/** The message of anything thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
