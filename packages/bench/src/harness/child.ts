/**
 * A child process of the harness: a server, a worker that runs micro benchmarks on request,
 * or a one-shot run (boot). Each is a separate Node process, so subject and reference never
 * share a heap, a JIT or a garbage collector.
 */
import { type ChildProcess, fork } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { cores, pin } from "./cores.js"
import { type Figures, type FromChild, isFromChild, type Ready } from "./protocol.js"

const here = Path.dirname(fileURLToPath(import.meta.url))

/** The compiled entry point of a child (`children/<name>.js`). */
export const childScript = (name: string): string => Path.join(here, "..", "children", `${name}.js`)

/** A running child. */
export interface Child {
  readonly pid: number
  readonly ready: Ready
  /** Asks the child to run `op` for about `windowMs` milliseconds. */
  readonly run: (op: string, windowMs: number) => Promise<Figures>
  /** SIGTERM, then SIGKILL after a deadline; resolves once the process is gone. */
  readonly stop: () => Promise<void>
  /** The last lines the child wrote to stderr. */
  readonly stderrTail: () => string
}

/** Options of `start`. */
export interface StartOptions {
  readonly args?: ReadonlyArray<string> | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  /** How long the child may take to announce itself; default 60 s. */
  readonly readyTimeoutMs?: number | undefined
  /** Extra Node flags (`--cpu-prof`, ...). */
  readonly execArgv?: ReadonlyArray<string> | undefined
}

const tailOf = (text: string, lines = 15): string => text.trimEnd().split("\n").slice(-lines).join("\n")

/**
 * Forks `children/<name>.js`, pins it to the subject core and waits for its `ready`.
 * Its stdout goes to /dev/null (logs cost what they cost, but are not read); stderr is kept
 * for error messages.
 */
export const start = (name: string, options: StartOptions = {}): Promise<Child> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(childScript(name), [...(options.args ?? [])], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, ...options.env },
      execArgv: [...(options.execArgv ?? [])]
    })
    let stderr = ""
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000)
    })
    const pending = new Map<number, { resolve: (f: Figures) => void; reject: (e: Error) => void }>()
    let nextId = 0
    let exited = false
    let announced = false
    const exitWaiters: Array<() => void> = []

    const failAll = (error: Error) => {
      for (const waiter of pending.values()) waiter.reject(error)
      pending.clear()
    }

    const timer = setTimeout(() => {
      if (announced) return
      child.kill("SIGKILL")
      reject(new Error(`${name}: not ready within ${options.readyTimeoutMs ?? 60_000}ms\n${tailOf(stderr)}`))
    }, options.readyTimeoutMs ?? 60_000)

    child.on("exit", (code, signal) => {
      exited = true
      clearTimeout(timer)
      const error = new Error(`${name} exited (${signal ?? `code ${code}`})\n${tailOf(stderr)}`)
      if (!announced) reject(error)
      failAll(error)
      for (const waiter of exitWaiters.splice(0)) waiter()
    })

    child.on("message", (message: unknown) => {
      if (!isFromChild(message)) return
      handle(message)
    })

    const handle = (message: FromChild) => {
      if (message.type === "ready") {
        if (announced) return
        announced = true
        clearTimeout(timer)
        resolve(handleOf(message))
        return
      }
      if (message.type === "failed" && message.id === undefined) {
        if (!announced) {
          announced = true
          clearTimeout(timer)
          child.kill("SIGKILL")
          reject(new Error(`${name}: ${message.message}`))
        }
        return
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id)
      if (waiter === undefined || message.id === undefined) return
      pending.delete(message.id)
      if (message.type === "result") waiter.resolve(message.figures)
      else waiter.reject(new Error(`${name}: ${message.message}`))
    }

    const stop = (): Promise<void> =>
      new Promise((done) => {
        if (exited) return done()
        exitWaiters.push(done)
        child.kill("SIGTERM")
        setTimeout(() => {
          if (!exited) child.kill("SIGKILL")
        }, 5_000).unref()
      })

    const handleOf = (ready: Ready): Child => ({
      pid: child.pid!,
      ready,
      run: (op, windowMs) =>
        new Promise((resolveRun, rejectRun) => {
          if (exited) return rejectRun(new Error(`${name} is not running\n${tailOf(stderr)}`))
          const id = nextId++
          pending.set(id, { resolve: resolveRun, reject: rejectRun })
          child.send({ type: "run", id, op, windowMs })
        }),
      stop,
      stderrTail: () => tailOf(stderr)
    })

    try {
      pin(child.pid!, cores()?.subject)
    } catch (error) {
      child.kill("SIGKILL")
      reject(error instanceof Error ? error : new Error(String(error)))
    }
  })
