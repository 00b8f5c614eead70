/**
 * The demo exactly as `npm start` runs it: built JavaScript in a child Node process,
 * stopped with a signal.
 */
import { execFileSync, spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const main = path.join(root, "packages/demo/dist/main.js")

interface Run {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
}

/** Starts the demo; once `ready` matches its output, sends `signal`; resolves on exit. */
const run = (env: Record<string, string>, ready?: RegExp, signal: NodeJS.Signals = "SIGTERM", script = main) =>
  new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: root,
      env: { ...process.env, LOG_FORMAT: "json", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let signalled = false
    const deadline = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`demo did not finish in time\n${stdout}\n${stderr}`))
    }, 15_000)
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      if (ready !== undefined && !signalled && ready.test(stdout)) {
        signalled = true
        child.kill(signal)
      }
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("exit", (code) => {
      clearTimeout(deadline)
      resolve({ stdout, stderr, code })
    })
  })

const messages = (stdout: string): Array<string> =>
  stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line).message as string)

describe("npm start (packages/demo)", () => {
  beforeAll(() => {
    // CI builds first; a local `npm test` on a fresh clone builds here (incremental, so cheap when built).
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json"], {
      cwd: root,
      stdio: "inherit"
    })
  }, 120_000)

  it.each(["SIGTERM", "SIGINT"] as const)("starts, logs the summary, and on %s stops in reverse order with exit 0", async (signal) => {
    const result = await run({}, /services: 2 total, 2 running/, signal)
    expect(result.code).toBe(0)
    const lines = messages(result.stdout)
    const order = lines.filter((m) => /^(starting|stopping) /.test(m))
    expect(order).toEqual(["starting greetings", "starting heartbeat", "stopping heartbeat", "stopping greetings"])
    expect(lines).toContain("Shutting down")
    expect(result.stderr).toBe("")
  })

  it("fails start-up on bad config with one clear message and exit 1", async () => {
    const result = await run({ HEARTBEAT_INTERVAL: "soon" })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("Start-up failed. Invalid configuration:")
    expect(result.stderr).toContain("HEARTBEAT_INTERVAL (env)")
    expect(result.stderr.match(/Start-up failed/g)).toHaveLength(1)
  })

  it("reports an uncaught exception, shuts down gracefully and exits 1", async () => {
    const result = await run({}, undefined, "SIGTERM", path.join(root, "packages/demo/test/fixtures/crash.mjs"))
    expect(result.code).toBe(1)
    const lines = result.stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line))
    const report = lines.find((line) => line.message === "Unexpected defect")
    expect(report).toMatchObject({ level: "fatal", function: "process", errorReport: true })
    expect(report.cause.message).toBe("thrown from a timer")
    expect(lines.map((line) => line.message)).toContain("crasher released")
  })
})
