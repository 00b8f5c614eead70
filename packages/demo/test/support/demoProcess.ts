/**
 * The demo as `npm start` runs it: `node packages/demo/dist/main.js` in a child process,
 * JSON logs on stdout, stopped with a signal. Waits on the process's own output and exit,
 * each with a deadline; nothing sleeps.
 */
import { execFileSync, spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..")
export const mainScript = path.join(root, "packages/demo/dist/main.js")

/** Builds the workspace as `npm start` does (incremental: cheap when CI built it already). */
export const build = (): void => {
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit"
  })
}

export interface LogLine {
  readonly level: string
  readonly message: string
  readonly [key: string]: unknown
}

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly logs: ReadonlyArray<LogLine>
}

export interface Running {
  /** The base URL from the start-up log, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** The "ready" log line, with its annotations (`database`, `cache`, `url`). */
  readonly ready: LogLine
  readonly logs: () => ReadonlyArray<LogLine>
  readonly stop: (signal: NodeJS.Signals) => Promise<Exit>
}

// Settings of the developer's shell that would change what the demo does.
const demoSettings = /^(DATABASE|REDIS|CACHE|HTTP|LOG|METRICS|OTEL|PAGINATION|DEMO|USERS)_|^(PORT|STRATA_CONFIG)$/
const inherited = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (demoSettings.test(key)) continue
    env[key] = value
  }
  return env
}

const parse = (stdout: string): Array<LogLine> =>
  stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as LogLine)

const readyMessage = /^Users API ready on /

interface Spawned {
  readonly child: ReturnType<typeof spawn>
  readonly output: () => { readonly stdout: string; readonly stderr: string }
  readonly exited: Promise<Exit>
}

// The child with `env` on top of a clean environment (`PORT=0`: any free port, JSON logs).
const spawnDemo = (env: Record<string, string>, script: string | undefined): Spawned => {
  const child = spawn(process.execPath, [script ?? mainScript], {
    cwd: root,
    env: { ...inherited(), PORT: "0", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<Exit>((done) =>
    child.on("exit", (code, signal) => done({ code, signal, stdout, stderr, logs: parse(stdout) }))
  )
  return { child, output: () => ({ stdout, stderr }), exited }
}

export interface StartOptions {
  readonly deadlineMs?: number | undefined
  readonly script?: string | undefined
}

/**
 * Starts the demo. Resolves once it logs that it is ready; rejects if it exits first or is
 * not ready within `deadlineMs` (then it is killed).
 */
export const start = (env: Record<string, string>, options: StartOptions = {}): Promise<Running> =>
  new Promise((resolve, reject) => {
    const deadlineMs = options.deadlineMs ?? 120_000
    const { child, exited, output } = spawnDemo(env, options.script)
    const describe = () => `${output().stdout}\n${output().stderr}`
    let started = false
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the demo was not ready within ${deadlineMs} ms\n${describe()}`))
    }, deadlineMs)
    child.stdout?.on("data", () => {
      if (started) return
      const ready = parse(output().stdout).find((line) => readyMessage.test(line.message))
      if (ready === undefined) return
      started = true
      clearTimeout(timer)
      // The server listens on every interface; "localhost" may resolve to ::1 first.
      const url = String(ready["url"]).replace("//localhost:", "//127.0.0.1:")
      resolve({
        url,
        ready,
        logs: () => parse(output().stdout),
        stop: (signal) => {
          const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000)
          child.kill(signal)
          return exited.finally(() => clearTimeout(deadline))
        }
      })
    })
    void exited.then((exit) => {
      if (started) return
      clearTimeout(timer)
      reject(new Error(`the demo exited (code ${exit.code}) before it was ready\n${describe()}`))
    })
  })

/** Runs the demo until it exits by itself (a start-up failure); killed after `deadlineMs`. */
export const runToExit = (env: Record<string, string>, options: StartOptions = {}): Promise<Exit> => {
  const { child, exited } = spawnDemo(env, options.script)
  const timer = setTimeout(() => child.kill("SIGKILL"), options.deadlineMs ?? 60_000)
  return exited.finally(() => clearTimeout(timer))
}

/**
 * The managed services in the order they finished starting (`<name> started in …`), or
 * began stopping (`stopping <name>`). Shutdown is last in, first out: the second is the first
 * reversed, also where a service starts another inside it (the cache its Redis connection).
 */
export const serviceOrder = (logs: ReadonlyArray<LogLine>, event: "started" | "stopping"): Array<string> =>
  logs
    .filter((line) =>
      event === "started" ? / started in \d+ms$/.test(line.message) : line.message.startsWith("stopping ")
    )
    .map((line) => String(line["service"]))
