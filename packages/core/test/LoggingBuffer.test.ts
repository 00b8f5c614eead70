/**
 * The buffered stdout writer: lines of one event-loop turn are written together, in order,
 * and nothing is lost when the layer is released or the process ends (a real child process
 * running the built package, for the `exit` paths).
 */
import { execFileSync, spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Logging } from "@strata/core"
import { Effect } from "effect"
import { beforeAll } from "vitest"
import * as LineBuffer from "../src/internal/loggingBuffer.js"
import { capturingStdout } from "./StdoutSupport.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const fixture = path.join(root, "packages/core/test/fixtures/buffered-log.mjs")

const nextTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

describe("LineBuffer", () => {
  it.effect("writes the lines of one turn with one call, in order, and nothing before", () =>
    Effect.gen(function*() {
      const chunks: Array<string> = []
      const buffer = LineBuffer.make({ sink: (chunk) => chunks.push(chunk) })
      buffer.write("a")
      buffer.write("b")
      buffer.write("c")
      expect(chunks).toEqual([])
      yield* nextTurn
      expect(chunks).toEqual(["a\nb\nc\n"])
      buffer.write("d")
      yield* nextTurn
      expect(chunks).toEqual(["a\nb\nc\n", "d\n"])
    }))

  it.effect("writes at once when a batch passes its size, and on flush", () =>
    Effect.gen(function*() {
      const chunks: Array<string> = []
      const buffer = LineBuffer.make({ sink: (chunk) => chunks.push(chunk), maxBytes: 10 })
      buffer.write("12345")
      expect(chunks).toEqual([])
      buffer.write("67890")
      expect(chunks).toEqual(["12345\n67890\n"])
      buffer.write("x")
      buffer.flush()
      expect(chunks).toEqual(["12345\n67890\n", "x\n"])
      yield* nextTurn
      expect(chunks).toHaveLength(2)
    }))

  it("close writes what is pending, then writes each line at once", () => {
    const chunks: Array<string> = []
    const buffer = LineBuffer.make({ sink: (chunk) => chunks.push(chunk) })
    buffer.write("pending")
    buffer.close()
    expect(chunks).toEqual(["pending\n"])
    buffer.write("late")
    expect(chunks).toEqual(["pending\n", "late\n"])
  })

  it("the process's exit listener writes every buffer's pending lines", () => {
    const first: Array<string> = []
    const second: Array<string> = []
    const a = LineBuffer.make({ sink: (chunk) => first.push(chunk) })
    const b = LineBuffer.make({ sink: (chunk) => second.push(chunk) })
    a.write("one")
    b.write("two")
    expect(process.listeners("exit")).toContain(LineBuffer.flushAll)
    LineBuffer.flushAll()
    expect(first).toEqual(["one\n"])
    expect(second).toEqual(["two\n"])
    LineBuffer.flushAll()
    expect(first).toHaveLength(1)
  })
})

describe("Logging with buffer", () => {
  it.effect("a buffered layer writes stdout once per turn and the rest when released", () =>
    capturingStdout((written) =>
      Effect.gen(function*() {
        yield* Effect.gen(function*() {
          yield* Effect.log("first")
          yield* Effect.log("second")
          expect(written).toEqual([])
          yield* nextTurn
          expect(written).toHaveLength(1)
          yield* Effect.log("third")
        }).pipe(Effect.provide(Logging.layer({ format: "json", buffer: true })))
        expect(written).toHaveLength(2)
        const messages = written.join("").trimEnd().split("\n").map((line) => JSON.parse(line).message)
        expect(messages).toEqual(["first", "second", "third"])
      })
    ))

  it.effect("buffer: false writes each line at once", () =>
    capturingStdout((written) =>
      Effect.gen(function*() {
        yield* Effect.log("now").pipe(Effect.provide(Logging.layer({ format: "json", buffer: false })))
        expect(written).toHaveLength(1)
      })
    ))
})

const run = (mode: string, count: number): Promise<{ code: number | null; lines: Array<string> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, mode, String(count)], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"]
    })
    let out = ""
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(kill)
      resolve({ code, lines: out.split("\n").filter((line) => line !== "") })
    })
  })

describe("buffered lines at process end (child process)", () => {
  beforeAll(() => {
    // The fixture runs the built package; the build of core alone is incremental.
    const tsc = path.join(root, "node_modules/typescript/bin/tsc")
    execFileSync(process.execPath, [tsc, "-b", "packages/core"], { cwd: root, stdio: "inherit" })
  }, 120_000)

  const count = 5000
  const expectAll = (lines: ReadonlyArray<string>) => {
    expect(lines).toHaveLength(count)
    lines.forEach((line, i) => expect(JSON.parse(line).message).toBe(`line ${i}`))
  }

  for (const [mode, code] of [["end", 0], ["exit", 0], ["throw", 1], ["layer", 0]] as const) {
    it(`nothing is lost: ${mode}`, async () => {
      const result = await run(mode, count)
      expect(result.code).toBe(code)
      expectAll(result.lines)
    }, 60_000)
  }
})
