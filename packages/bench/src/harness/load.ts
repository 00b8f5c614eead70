/**
 * HTTP load generators, run as their own processes on the load core: `wrk` when it is on
 * PATH (it needs far less CPU per request than a Node client, so it does not cap the fast
 * servers), else `autocannon` (a devDependency of this package, always there).
 */
import { execFile, spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { cores, pinned } from "./cores.js"
import type { Figures } from "./protocol.js"

/** Which generator to use: `auto` picks wrk when it is on PATH. */
export type LoadChoice = "auto" | "wrk" | "autocannon"

/** One load run. */
export interface LoadOptions {
  readonly url: string
  readonly seconds: number
  readonly connections: number
  readonly headers: Readonly<Record<string, string>>
}

/** A load generator: `rps` (requests per second) and `p99Ms` (99th percentile latency). */
export interface LoadGenerator {
  readonly name: string
  readonly version: string
  readonly run: (options: LoadOptions) => Promise<Figures>
}

const run = (command: string, args: ReadonlyArray<string>, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr}`))
      else resolve(stdout)
    })
  })

const hasWrk = (): boolean => spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined

const wrkVersion = (): string => {
  // `wrk --version` prints "wrk 4.1.0 [epoll] ..." and exits 1.
  const out = spawnSync("wrk", ["--version"], { encoding: "utf8" })
  return /wrk\s+(\S+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? "unknown"
}

const durationMs = (value: string, unit: string): number =>
  Number(value) * (unit === "us" ? 0.001 : unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : NaN)

/**
 * Reads `Requests/sec`, the 99% latency and the error counts from wrk's `--latency` output:
 * `errors` (connect and write errors: something is broken) apart from `timeouts` (requests
 * slower than the timeout: a loaded machine, counted but not an error).
 */
export const parseWrk = (output: string): Figures => {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN)
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  // read errors are what wrk counts when the server closes a kept-alive connection at the end
  const errors = socket === null ? 0 : Number(socket[1]) + Number(socket[3])
  const timeouts = socket === null ? 0 : Number(socket[4])
  return { rps, p99Ms: p99 === null ? NaN : durationMs(p99[1]!, p99[2]!), non2xx, errors, timeouts }
}

const wrk = (): LoadGenerator => ({
  name: "wrk",
  version: wrkVersion(),
  run: async (options) => {
    const headers = Object.entries(options.headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`])
    const { args, command } = pinned(cores()?.load, "wrk", [
      "-t1",
      `-c${options.connections}`,
      `-d${Math.max(1, Math.round(options.seconds))}s`,
      "--latency",
      // slow requests are measured (in p99), not dropped: wrk's default gives up after 2 s
      "--timeout",
      "10s",
      ...headers,
      options.url
    ])
    return parseWrk(await run(command, args, (options.seconds + 30) * 1000))
  }
})

const require = createRequire(import.meta.url)

const autocannonPaths = (): { readonly bin: string; readonly version: string } => {
  const manifest = require.resolve("autocannon/package.json")
  const { version } = require(manifest) as { readonly version: string }
  return { bin: Path.join(Path.dirname(manifest), "autocannon.js"), version }
}

interface AutocannonJson {
  readonly duration: number
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly latency: { readonly p99: number }
  readonly requests: { readonly total: number }
}

/** Reads autocannon's `-j` output: requests over the measured duration, p99, errors, timeouts. */
export const parseAutocannon = (output: string): Figures => {
  const json = JSON.parse(output) as AutocannonJson
  return {
    rps: json.requests.total / json.duration,
    p99Ms: json.latency.p99,
    non2xx: json.non2xx,
    // autocannon counts a timeout as an error too
    errors: json.errors - json.timeouts,
    timeouts: json.timeouts
  }
}

const autocannon = (): LoadGenerator => {
  const { bin, version } = autocannonPaths()
  return {
    name: "autocannon",
    version,
    run: async (options) => {
      const headers = Object.entries(options.headers).flatMap(([name, value]) => ["-H", `${name}=${value}`])
      const { args, command } = pinned(cores()?.load, process.execPath, [
        bin,
        "-c",
        String(options.connections),
        "-d",
        String(Math.max(1, Math.round(options.seconds))),
        "-j",
        "-n",
        "-t",
        "10",
        ...headers,
        options.url
      ])
      return parseAutocannon(await run(command, args, (options.seconds + 30) * 1000))
    }
  }
}

/** The generator for `choice`; `wrk` when asked for but missing is an error. */
export const loadGenerator = (choice: LoadChoice): LoadGenerator => {
  if (choice === "autocannon") return autocannon()
  if (choice === "wrk" && !hasWrk()) throw new Error("--load wrk: wrk is not on PATH")
  return choice === "wrk" || hasWrk() ? wrk() : autocannon()
}
