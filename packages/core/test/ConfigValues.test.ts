import { describe, expect, it } from "@effect/vitest"
import { ConfigSource, ConfigValues } from "@strata/core"
import { Config, Duration, Effect, Either } from "effect"

const millis = (text: string, options?: ConfigValues.DurationOptions) =>
  Either.map(ConfigValues.parseDuration(text, options), Duration.toMillis)

describe("ConfigValues.parseDuration", () => {
  it("one rule: bare numbers are milliseconds; short units; effect's long form", () => {
    const cases: ReadonlyArray<readonly [string, number]> = [
      ["500", 500],
      ["1500", 1500],
      ["2.5", 2.5],
      ["500ms", 500],
      ["500 ms", 500],
      ["5s", 5000],
      ["1.5s", 1500],
      ["2m", 120_000],
      ["1h", 3_600_000],
      ["1d", 86_400_000],
      ["5S", 5000],
      ["5 seconds", 5000],
      ["500 millis", 500],
      ["2 minutes", 120_000],
      ["  10s  ", 10_000]
    ]
    for (const [text, expected] of cases) expect(millis(text), text).toEqual(Either.right(expected))
  })

  it("off only where allowed; zero only where allowed; never negative", () => {
    expect(ConfigValues.parseDuration("off", { allowOff: true })).toEqual(Either.right(Duration.infinity))
    expect(ConfigValues.parseDuration("None", { allowOff: true })).toEqual(Either.right(Duration.infinity))
    expect(ConfigValues.parseDuration("off")).toEqual(
      Either.left("Expected a duration but received \"off\" (this setting cannot be switched off)")
    )
    expect(millis("0", { allowZero: true })).toEqual(Either.right(0))
    expect(ConfigValues.parseDuration("0")).toEqual(Either.left("Expected a positive duration but received \"0\""))
    expect(Either.isLeft(ConfigValues.parseDuration("-5 seconds", { allowZero: true }))).toBe(true)
  })

  it("rejects what is not a duration with a sentence that shows the syntax", () => {
    for (const text of ["soon", "", "5 parsecs", "5x", "s", "1e3", "5 s s"]) {
      expect(ConfigValues.parseDuration(text), text).toEqual(
        Either.left(
          `Expected a duration such as "500ms", "5s" or "5 seconds" (a bare number is milliseconds) but received "${text}"`
        )
      )
    }
  })
})

describe("ConfigValues.duration", () => {
  const timeout = Config.withDefault(ConfigValues.duration("timeout"), Duration.seconds(30)).pipe(Config.nested("svc"))

  const load = (env: Record<string, string>) =>
    Effect.flatMap(ConfigSource.make({ env, file: false }), (provider) =>
      ConfigSource.load(timeout).pipe(Effect.withConfigProvider(provider)))

  it.effect("reads env and the default", () =>
    Effect.gen(function*() {
      expect(Duration.toMillis(yield* load({ SVC_TIMEOUT: "1500" }))).toBe(1500)
      expect(Duration.toMillis(yield* load({ SVC_TIMEOUT: "2s" }))).toBe(2000)
      expect(Duration.toMillis(yield* load({}))).toBe(30_000)
    }))

  it.effect("a bad value fails naming the variable", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(load({ SVC_TIMEOUT: "soon" }))
      expect(error.message).toContain("SVC_TIMEOUT (env): Expected a duration such as")
      expect(error.message).toContain("received \"soon\"")
    }))
})
