/**
 * `npm run bench -- --smoke` as CI runs it: the built harness in a child process, with
 * autocannon (CI has no wrk). Every row must produce numbers and every server must pass its
 * checks (the smoke run exits non-zero otherwise); a missed target never fails it.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync, spawn } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll } from "vitest"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../..")
const main = Path.join(root, "packages/bench/dist/main.js")

interface Run {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
}

const run = (args: ReadonlyArray<string>, timeoutMs: number) =>
  new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    const deadline = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the smoke run did not finish in ${timeoutMs}ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("exit", (code) => {
      clearTimeout(deadline)
      resolve({ stdout, stderr, code })
    })
  })

/** The table line(s) of a row: `| 4a | ...`. */
const rowOf = (stdout: string, id: string): string | undefined =>
  stdout.split("\n").find((line) => line.startsWith(`| ${id} |`))

describe("npm run bench -- --smoke", () => {
  beforeAll(() => {
    // CI builds first; a local `npm test` builds here (incremental, cheap when built).
    execFileSync(process.execPath, [Path.join(root, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json"], {
      cwd: root,
      stdio: "inherit"
    })
  }, 180_000)

  it("runs every row with autocannon, each with numbers, and exits 0", async () => {
    const result = await run(["--smoke", "--load", "autocannon"], 300_000)
    expect(result.stderr).not.toContain("FAILED")
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Load generator: autocannon")
    expect(result.stdout).not.toContain("harness error")
    for (const id of ["1", "2", "3", "4a", "4b", "5", "7"]) {
      const row = rowOf(result.stdout, id)
      expect(row, `row ${id}`).toBeDefined()
      // the Strata column holds a number: `| 12,345 |` or `| 0.512 |`
      expect(row!.split("|")[4]!.trim(), `row ${id}`).toMatch(/^[\d,.]+/)
    }
    const redis = rowOf(result.stdout, "6")!
    // Redis is skipped only when its binary is missing and services are not required.
    if (process.env.STRATA_REQUIRE_SERVICES === "1" || !redis.includes("redis-server not found")) {
      expect(redis.split("|")[4]!.trim()).toMatch(/^[\d,.]+/)
    }
  }, 320_000)

  it("rejects an unknown option with exit 2 and the usage", async () => {
    const result = await run(["--smoke", "--fast"], 30_000)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown option --fast")
    expect(result.stderr).toContain("usage: npm run bench")
  })
})
