/**
 * Strata's loggers take a record of fields beside the annotations (the HTTP access log's
 * way in): the line is the one the same fields as annotations would give.
 */
import { describe, expect, it } from "@effect/vitest"
import { Logging } from "@strata/core"
import { Cause, Effect, FiberId, FiberRef, FiberRefs, HashMap, List, type Logger, LogLevel } from "effect"
import * as loggingFields from "../src/internal/loggingFields.js"

const input = (annotations: HashMap.HashMap<string, unknown>): Logger.Logger.Options<unknown> => ({
  fiberId: FiberId.none,
  logLevel: LogLevel.Info,
  message: ["http request"],
  cause: Cause.empty,
  context: FiberRefs.empty(),
  spans: List.empty(),
  annotations,
  date: new Date(Date.UTC(2026, 11, 5, 20, 0, 0, 0))
})

const fields = { method: "GET", path: "/users/7", status: 200, password: "hunter2" }

describe("Logging: fields beside annotations", () => {
  for (const format of ["json", "pretty"] as const) {
    it(`${format}: the same line as with the fields as annotations; a field wins over an annotation`, () => {
      const lines: Array<string> = []
      const logger = Logging.make({ format, colors: false, write: (line) => lines.push(line) })
      const withFields = loggingFields.of(logger)
      expect(withFields).toBeDefined()
      const annotations = HashMap.make(["service", "api"], ["status", "annotated"])
      withFields!(input(annotations), fields)
      logger.log(input(HashMap.mutate(annotations, (map) => {
        for (const [key, value] of Object.entries(fields)) HashMap.set(map, key, value)
      })))
      expect(lines).toHaveLength(2)
      if (format === "json") {
        expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(lines[1]!))
        expect(JSON.parse(lines[0]!)).toMatchObject({ service: "api", status: 200, method: "GET" })
        expect(lines[0]).not.toContain("hunter2")
      } else {
        const words = (line: string) => line.split(" ").sort()
        expect(words(lines[0]!)).toEqual(words(lines[1]!))
        expect(lines[0]).toContain("status=200")
        expect(lines[0]).not.toContain("hunter2")
      }
    })
  }

  it.effect("an installed logger keeps taking fields", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logging.make({ format: "json", write: (line) => lines.push(line) })
      const installed = yield* Effect.scoped(Effect.zipRight(
        Logging.replaceLoggerScoped(logger),
        FiberRef.get(FiberRef.currentLoggers)
      ))
      const wrapper = Array.from(installed).find((one) => one !== logger && loggingFields.of(one) !== undefined)
      expect(wrapper).toBeDefined()
      loggingFields.of(wrapper!)!(input(HashMap.empty()), { status: 201 })
      expect(lines.map((line) => JSON.parse(line).status)).toEqual([201])
    }))
})
