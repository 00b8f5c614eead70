import { describe, expect, it } from "@effect/vitest"
import { ConfigSource } from "@strata/core"
import { TestConfig } from "@strata/testing"
import { Config, Context, Effect, Layer, Redacted } from "effect"

const logLevel = Config.string("level").pipe(Config.nested("log"))

describe("TestConfig", () => {
  it.effect("provides nested values like the YAML source", () =>
    Effect.gen(function*() {
      const provider = TestConfig.provider({
        log: { level: "debug" },
        database: { url: Redacted.make("postgres://test"), pool_size: 3, hosts: ["a", "b"] }
      })
      const value = yield* Effect.withConfigProvider(
        Config.all({
          level: logLevel,
          url: Config.redacted("url").pipe(Config.nested("database")),
          poolSize: Config.integer("poolSize").pipe(Config.nested("database")),
          hosts: Config.array(Config.string(), "hosts").pipe(Config.nested("database"))
        }),
        provider
      )
      expect([value.level, Redacted.value(value.url), value.poolSize, value.hosts]).toEqual([
        "debug", "postgres://test", 3, ["a", "b"]
      ])
    }))

  it.effect("env-style variables win over values and feed ${VAR} references", () =>
    Effect.gen(function*() {
      const provider = TestConfig.provider(
        { log: { level: "info" }, database: { url: "postgres://${DB_HOST:-localhost}/app" } },
        { env: { LOG_LEVEL: "warn", DB_HOST: "db.test" } }
      )
      const value = yield* Effect.withConfigProvider(
        Config.all({ level: logLevel, url: Config.string("url").pipe(Config.nested("database")) }),
        provider
      )
      expect(value).toEqual({ level: "warn", url: "postgres://db.test/app" })
    }))

  it.effect("never reads process.env", () =>
    Effect.gen(function*() {
      const name = Object.keys(process.env).find((key) => /^[A-Z][A-Z0-9_]*$/.test(key)) ?? "PATH"
      const result = yield* Effect.withConfigProvider(Effect.either(Config.string(name)), TestConfig.provider({}))
      expect(result._tag).toBe("Left")
    }))

  it.effect("layer installs it for the layers it is provided to; layerEnv takes env-style variables", () =>
    Effect.gen(function*() {
      class Level extends Context.Tag("test/Level")<Level, string>() {}
      const LevelLive = Layer.effect(Level, logLevel)
      const read = (config: Layer.Layer<never>) => Effect.provide(Level, Layer.provide(LevelLive, config))
      const fromValues = yield* read(TestConfig.layer({ log: { level: "trace" } }))
      const fromEnv = yield* read(TestConfig.layerEnv({ LOG_LEVEL: "error" }))
      expect([fromValues, fromEnv]).toEqual(["trace", "error"])
    }))

  it.effect("failures are explained like production ones, with TestConfig as the source", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(ConfigSource.load(
        Config.all({ level: Config.logLevel("level"), sink: Config.string("sink") }).pipe(Config.nested("log"))
      ).pipe(Effect.provide(TestConfig.layer({ log: { level: "loud" } }))))
      expect(error.issues.map((i) => [i.key, i.source])).toEqual([
        ["LOG_LEVEL", "TestConfig"],
        ["LOG_SINK", "missing"]
      ])
      expect(error.issues[1]!.message).toBe("required: set env LOG_SINK or log.sink in TestConfig")
    }))
})
