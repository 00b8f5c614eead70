/**
 * `npm run bench`: every comparison of packages/bench, then the table, printed and written
 * to packages/bench/RESULTS.md.
 *
 * Options:
 * - `--smoke`: every row with tiny windows, to check the harness (servers answer correctly,
 *   every row produces numbers); exits 1 on a broken harness, never on a missed target;
 *   writes nothing.
 * - `--only 1,4a,7`: just these rows (a prefix selects its sub-rows: `4` → 4a, 4b).
 * - `--load wrk|autocannon|auto` (default auto: wrk when on PATH).
 * - `--out FILE`: where the results go (default packages/bench/RESULTS.md, written by full
 *   runs of every row only, so a partial run never replaces the full table).
 */
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { type Comparison, type Outcome, runComparison } from "./harness/compare.js"
import { describeCores } from "./harness/cores.js"
import { type LoadChoice, loadGenerator } from "./harness/load.js"
import { describeCommit, describeMachine, describeVersions } from "./harness/machine.js"
import { table, tally, writeSection } from "./harness/report.js"
import * as boot from "./rows/boot.js"
import * as http from "./rows/http.js"
import * as micro from "./rows/micro.js"

interface Args {
  readonly smoke: boolean
  readonly only: ReadonlyArray<string> | undefined
  readonly load: LoadChoice
  readonly out: string
  /** Whether RESULTS.md (or `--out`) is written: full runs of every row, or any run with `--out`. */
  readonly write: boolean
}

const packageDir = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")

const usage = "usage: npm run bench -- [--smoke] [--only 1,4a,7] [--load auto|wrk|autocannon] [--out FILE]"

const parseArgs = (argv: ReadonlyArray<string>): Args => {
  let smoke = false
  let only: Array<string> | undefined
  let load: LoadChoice = "auto"
  let out = Path.join(packageDir, "RESULTS.md")
  let outGiven = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = () => {
      const next = argv[++i]
      if (next === undefined) throw new Error(`${arg} needs a value\n${usage}`)
      return next
    }
    if (arg === "--smoke") smoke = true
    else if (arg === "--only") only = value().split(",").map((s) => s.trim()).filter((s) => s !== "")
    else if (arg === "--load") {
      const choice = value()
      if (choice !== "auto" && choice !== "wrk" && choice !== "autocannon") throw new Error(`bad --load ${choice}`)
      load = choice
    } else if (arg === "--out") {
      out = Path.resolve(value())
      outGiven = true
    } else throw new Error(`unknown option ${arg}\n${usage}`)
  }
  return { smoke, only, load, out, write: outGiven || (!smoke && only === undefined) }
}

const selected = (comparison: Comparison, only: ReadonlyArray<string> | undefined): boolean =>
  only === undefined || only.some((id) => comparison.id === id || comparison.id.replace(/[a-z]$/, "") === id)

const progress = (text: string): void => {
  process.stderr.write(`[bench] ${text}\n`)
}

const section = (args: Args, loadName: string, outcomes: ReadonlyArray<Outcome>, seconds: number): string => {
  const counts = tally(outcomes)
  return [
    `## ${args.smoke ? "Smoke run" : "Last full run"}: ${new Date().toISOString()}`,
    "",
    `- Commit: ${describeCommit(packageDir)}`,
    ...describeMachine().map((line) => `- ${line}`),
    `- Load generator: ${loadName}; ${describeCores()}`,
    `- Versions: ${describeVersions()}`,
    `- Duration: ${Math.round(seconds)} s; ${counts.pass} targets met, ${counts.miss} missed, ` +
    `${counts.failed} rows failed, ${counts.skipped} skipped`,
    "",
    "Figures are `median (min–max)` over the rounds; the ratio is taken within each round.",
    "",
    table(outcomes)
  ].join("\n")
}

const main = async (): Promise<number> => {
  const args = parseArgs(process.argv.slice(2))
  const load = loadGenerator(args.load)
  const comparisons = [...http.rows(load), ...boot.rows(args.smoke), ...micro.rows].filter((c) =>
    selected(c, args.only)
  )
  if (comparisons.length === 0) throw new Error(`--only ${args.only?.join(",")} selects no row`)
  progress(`${args.smoke ? "smoke run" : "full run"}: ${comparisons.length} comparisons, load by ${load.name}`)
  const started = performance.now()
  const outcomes: Array<Outcome> = []
  for (const comparison of comparisons) {
    progress(`${comparison.id}: ${comparison.title}`)
    const outcome = await runComparison(comparison, args.smoke ? comparison.windows.smoke : comparison.windows.full,
      progress)
    if (outcome._tag !== "Measured") {
      const what = outcome._tag === "Failed" ? `FAILED ${outcome.error}` : `skipped: ${outcome.reason}`
      progress(`${comparison.id}: ${what}`)
    }
    outcomes.push(outcome)
  }
  const text = section(args, `${load.name} ${load.version}`, outcomes, (performance.now() - started) / 1000)
  process.stdout.write(`${text}\n`)
  if (args.write) {
    writeSection(args.out, text)
    progress(`written to ${args.out}`)
  }
  return tally(outcomes).failed > 0 ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(2)
  }
)
