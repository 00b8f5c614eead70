/**
 * The results table and the measured part of RESULTS.md. RESULTS.md also holds hand-written
 * analysis (profile findings, next steps): a run replaces only the text between the two
 * markers, so the analysis stays.
 */
import * as Fs from "node:fs"
import { type Line, type Outcome, verdict } from "./compare.js"
import { formatSpread } from "./stats.js"

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n+/g, " ")

const ratioText = (line: Line): string => formatSpread(line.ratio, "×")

const targetText = (line: Line): string =>
  line.target === undefined
    ? "—"
    : `${line.figure.better === "higher" ? "≥" : "≤"} ${line.target.ratio.toFixed(2)}×`

const resultText = (result: "pass" | "miss" | undefined): string =>
  result === undefined ? "info" : result === "pass" ? "pass" : "**miss**"

/** The markdown table of all outcomes. */
export const table = (outcomes: ReadonlyArray<Outcome>): string => {
  const rows = [
    "| # | comparison | figure | Strata | reference | ratio Strata/reference | target | result |",
    "|---|---|---|---|---|---|---|---|"
  ]
  for (const outcome of outcomes) {
    const { id, title } = outcome.comparison
    switch (outcome._tag) {
      case "Skipped":
        rows.push(`| ${id} | ${cell(title)} | — | — | — | — | — | skipped: ${cell(outcome.reason)} |`)
        break
      case "Failed":
        rows.push(
          `| ${id} | ${cell(title)} | — | — | — | — | — | **harness error**: ${cell(outcome.error)} |`
        )
        break
      case "Measured":
        outcome.lines.forEach((line, i) => {
          const result = verdict(line)
          rows.push(
            `| ${i === 0 ? id : ""} | ${i === 0 ? cell(title) : ""} | ${line.figure.label} | ` +
              `${formatSpread(line.subject)} | ${cell(line.referenceLabel)}: ${formatSpread(line.reference)} | ` +
              `${ratioText(line)} | ${targetText(line)} | ${resultText(result)} |`
          )
        })
    }
  }
  return rows.join("\n")
}

/** Counts for the closing line. */
export const tally = (outcomes: ReadonlyArray<Outcome>) => {
  const lines = outcomes.flatMap((o) => (o._tag === "Measured" ? o.lines : []))
  return {
    pass: lines.filter((l) => verdict(l) === "pass").length,
    miss: lines.filter((l) => verdict(l) === "miss").length,
    failed: outcomes.filter((o) => o._tag === "Failed").length,
    skipped: outcomes.filter((o) => o._tag === "Skipped").length
  }
}

const startMarker = "<!-- bench:run:start (written by `npm run bench`; edit outside the markers) -->"
const endMarker = "<!-- bench:run:end -->"

/** Writes `section` between the markers of `file`, keeping what is outside them. */
export const writeSection = (file: string, section: string): void => {
  const block = `${startMarker}\n${section.trim()}\n${endMarker}`
  const existing = Fs.existsSync(file) ? Fs.readFileSync(file, "utf8") : ""
  const from = existing.indexOf(startMarker)
  const to = existing.indexOf(endMarker)
  const next = from !== -1 && to > from
    ? existing.slice(0, from) + block + existing.slice(to + endMarker.length)
    : `# Benchmark results\n\n${block}\n${existing === "" ? "" : `\n${existing}`}`
  Fs.writeFileSync(file, next.endsWith("\n") ? next : `${next}\n`)
}
