/**
 * Process control shared by the Redis and PostgreSQL test servers: free loopback ports,
 * running a server as a child process, keeping the tail of its output, stopping it, and
 * killing whatever is still alive when Node exits (vitest exits on SIGINT without running
 * the global teardown, so an `exit` hook is the only place left to clean up).
 *
 * Plain promises and real timers on purpose: these run in vitest's global setup and inside
 * tests that use `TestClock`, where Effect's clock would never advance.
 *
 * @internal
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"

/** The only interface the test servers listen on. */
export const HOST = "127.0.0.1"

/** @internal */
export type ServerKind = "redis" | "postgres"

const logSection = (server: ServerKind, logTail: string): string =>
  `--- ${server} log (last lines) ---\n${logTail.trimEnd()}`

/** A server failed to start, stop or answer; the message ends with the tail of its log. */
export class ServerError extends Error {
  readonly server: ServerKind
  readonly logTail: string
  constructor(server: ServerKind, message: string, logTail = "", options?: { readonly cause?: unknown }) {
    super(logTail.trim() === "" ? message : `${message}\n${logSection(server, logTail)}`, options)
    this.name = "ServerError"
    this.server = server
    this.logTail = logTail
  }
}

/** A port that was free a moment ago: bind port 0 on loopback, read it, close. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("could not read a free port"))))
    })
  })

/** Another process grabbed the port between `freePort` and the server's bind. */
export const isPortInUse = (error: unknown): boolean =>
  error instanceof ServerError && /address already in use/i.test(error.logTail)

/** Resolves after `ms` of real time. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Creates `parent/<prefix>XXXXXX`, registered for removal at exit. */
export const makeTempDir = (parent: string, prefix: string): string => {
  Fs.mkdirSync(parent, { recursive: true })
  const dir = Fs.mkdtempSync(Path.join(parent, prefix))
  tempDirs.add(dir)
  ensureExitHook()
  return dir
}

/** Removes a directory made by `makeTempDir` (or any directory) now. */
export const removeDir = (dir: string): void => {
  tempDirs.delete(dir)
  Fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })
}

/** How to run one server process. */
export interface ProcessSpec {
  readonly server: ServerKind
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly cwd: string
  readonly env?: NodeJS.ProcessEnv
  readonly uid?: number | undefined
  readonly gid?: number | undefined
  /** Written with `"<pid> <killSignal>"` while the process runs, so a global sweep can find orphans. */
  readonly pidFile: string
  /** Graceful shutdown (Redis: SIGTERM saves and exits; Postgres: SIGINT is a fast shutdown). */
  readonly stopSignal: NodeJS.Signals
  /** Crash-like shutdown (Redis: SIGKILL; Postgres: SIGQUIT, immediate shutdown). */
  readonly killSignal: NodeJS.Signals
}

const LOG_LIMIT = 32_768

/** One server process that can be started, stopped and started again with the same spec. */
export class ServerProcess {
  readonly spec: ProcessSpec
  private child: ChildProcess.ChildProcess | undefined
  private exited: Promise<void> = Promise.resolve()
  private output = ""

  constructor(spec: ProcessSpec) {
    this.spec = spec
  }

  get running(): boolean {
    return this.child !== undefined
  }

  /** The last `lines` lines the server printed since its latest start. */
  tail(lines = 40): string {
    return this.output.split("\n").slice(-lines).join("\n")
  }

  /** Spawns the process (no-op when it runs); readiness is the caller's business. */
  spawn(): void {
    if (this.child !== undefined) return
    if (closing) throw new ServerError(this.spec.server, "not starting a server: this process is shutting down")
    this.output = ""
    const spec = this.spec
    const child = ChildProcess.spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {})
    })
    this.child = child
    const append = (chunk: string) => {
      this.output = (this.output + chunk).slice(-LOG_LIMIT)
    }
    child.stdout?.setEncoding("utf8").on("data", append)
    child.stderr?.setEncoding("utf8").on("data", append)
    this.exited = new Promise((resolve) => {
      let done = false
      const finish = (how: string) => {
        if (done) return
        done = true
        append(`\n[${Path.basename(spec.command)} ${how}]\n`)
        if (this.child === child) this.child = undefined
        live.delete(this)
        Fs.rmSync(spec.pidFile, { force: true })
        resolve()
      }
      child.once("exit", (code, signal) => {
        // "close" follows once stdout/stderr are drained (the last lines often say why it died);
        // don't wait long: children of a killed postmaster can hold the pipes open.
        const how = signal !== null ? `killed by ${signal}` : `exited with code ${code}`
        const timer = setTimeout(() => finish(how), 250)
        child.once("close", () => {
          clearTimeout(timer)
          finish(how)
        })
      })
      child.once("error", (error) => {
        // A failed spawn (ENOENT, EACCES) may emit no "exit" at all.
        if (child.pid === undefined || child.exitCode !== null) finish(`failed: ${error.message}`)
        else append(`\n[${error.message}]\n`)
      })
    })
    if (child.pid !== undefined) {
      live.add(this)
      ensureExitHook()
      Fs.writeFileSync(spec.pidFile, `${child.pid} ${spec.killSignal}\n`)
    }
  }

  /** Graceful stop; SIGKILL after `timeoutMs`. */
  stop(timeoutMs = 15_000): Promise<void> {
    return this.signal(this.spec.stopSignal, timeoutMs)
  }

  /** Crash-like stop; SIGKILL after `timeoutMs`. */
  kill(timeoutMs = 10_000): Promise<void> {
    return this.signal(this.spec.killSignal, timeoutMs)
  }

  /** Sends the crash signal without waiting (exit hooks). */
  killNow(): void {
    const pid = this.child?.pid
    if (pid !== undefined) signalQuietly(pid, this.spec.killSignal)
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child
    if (child === undefined) return
    const exited = this.exited
    child.kill(signal)
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs)
      })
    ])
    clearTimeout(timer)
    if (timedOut) {
      child.kill("SIGKILL")
      await exited
    }
  }
}

/**
 * Polls `probe` until it answers true. Fails fast when the process exits, and after
 * `timeoutMs` otherwise; both errors carry the log tail.
 */
export const waitUntilReady = async (
  server: ServerProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  const name = Path.basename(server.spec.command)
  for (;;) {
    if (!server.running) {
      throw new ServerError(server.spec.server, `${name} exited during start-up`, server.tail())
    }
    if (await probe()) return
    if (!server.running) {
      throw new ServerError(server.spec.server, `${name} exited during start-up`, server.tail())
    }
    if (Date.now() >= deadline) {
      throw new ServerError(server.spec.server, `${name} was not ready after ${timeoutMs} ms`, server.tail())
    }
    await sleep(50)
  }
}

/**
 * Kills the servers recorded by pid files under `root` (one or two levels deep) that are
 * still alive: servers started by a test worker that died before its own clean-up.
 */
export const sweepOrphans = async (root: string, timeoutMs = 5_000): Promise<void> => {
  const pids: Array<number> = []
  for (const file of pidFiles(root)) {
    const [pidText, signal] = Fs.readFileSync(file, "utf8").trim().split(" ")
    const pid = Number(pidText)
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isServerProcess(pid)) continue
    signalQuietly(pid, isSignal(signal) ? signal : "SIGKILL")
    pids.push(pid)
  }
  const deadline = Date.now() + timeoutMs
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50)
  for (const pid of pids) if (isAlive(pid)) signalQuietly(pid, "SIGKILL")
}

const pidFiles = (root: string): Array<string> => {
  const found: Array<string> = []
  const visit = (dir: string, depth: number) => {
    let entries: Array<Fs.Dirent>
    try {
      entries = Fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const path = Path.join(dir, entry.name)
      if (entry.isFile() && entry.name === "server.pid") found.push(path)
      else if (entry.isDirectory() && depth > 0) visit(path, depth - 1)
    }
  }
  visit(root, 2)
  return found
}

const isSignal = (value: string | undefined): value is NodeJS.Signals =>
  value === "SIGKILL" || value === "SIGQUIT" || value === "SIGTERM" || value === "SIGINT"

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A zombie still "exists" for kill(0); on Linux /proc tells.
  try {
    return !/^\d+ \(.*\) Z/.test(Fs.readFileSync(`/proc/${pid}/stat`, "utf8"))
  } catch {
    return true
  }
}

// Never signal a recycled pid that now belongs to something else.
const isServerProcess = (pid: number): boolean => {
  if (!isAlive(pid)) return false
  try {
    return /redis-server|postgres/.test(Fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"))
  } catch {
    return process.platform !== "linux"
  }
}

const signalQuietly = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

const live = new Set<ServerProcess>()
const tempDirs = new Set<string>()
let exitHookInstalled = false
let closing = false

const cleanUpNow = (): void => {
  closing = true
  for (const server of live) server.killNow()
  live.clear()
  for (const dir of tempDirs) {
    try {
      Fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 })
    } catch {
      // best effort while exiting
    }
  }
  tempDirs.clear()
}

// Without a listener a signal kills Node before "exit" hooks run. After cleaning up,
// re-raise it when nobody else (vitest) listens, so the process still dies of it.
const onSignal = (signal: NodeJS.Signals): void => {
  cleanUpNow()
  if (process.listeners(signal).every((listener) => listener === onSignal)) {
    for (const name of SIGNALS) process.removeListener(name, onSignal)
    process.kill(process.pid, signal)
  }
}

const SIGNALS: ReadonlyArray<NodeJS.Signals> = ["SIGINT", "SIGTERM", "SIGHUP"]

const ensureExitHook = (): void => {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // First in line: vitest's own "exit" listener calls process.exit() again, which ends the
  // process on the spot, before any listener after it.
  process.prependListener("exit", cleanUpNow)
  for (const signal of SIGNALS) process.prependListener(signal, onSignal)
  // A test worker whose vitest parent died lingers; its servers must not.
  if (process.connected) process.once("disconnect", cleanUpNow)
}

/**
 * Starts a server with `attempt(port)`: on the requested port, else on a free one, trying a
 * new free port (up to 3 times) when another process grabbed it first. Removes `cleanup`'s
 * directory when it gives up.
 */
export const startOnFreePort = async (
  requested: number | undefined,
  attempt: (port: number) => Promise<ServerProcess>,
  cleanup: () => void
): Promise<{ readonly port: number; readonly server: ServerProcess }> => {
  let port = requested ?? (await freePort())
  for (let tries = 1;; tries++) {
    try {
      return { port, server: await attempt(port) }
    } catch (error) {
      if (requested !== undefined || tries >= 3 || !isPortInUse(error)) {
        cleanup()
        throw error
      }
      port = await freePort()
    }
  }
}
