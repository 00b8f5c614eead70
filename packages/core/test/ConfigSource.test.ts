import { describe, expect, it } from "@effect/vitest"
import { ConfigSource, Errors } from "@strata/core"
import { Cause, Config, ConfigProvider, Context, Effect, Exit, HashMap, Layer, Redacted } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const fixtures = fileURLToPath(new URL("./fixtures/config", import.meta.url))
const fixture = (name: string) => path.join(fixtures, name)

/** Reads `config` with a provider made from `options` (the fixture directory as cwd). */
const read = <A>(config: Config.Config<A>, options: ConfigSource.Options = {}) =>
  Effect.flatMap(
    ConfigSource.make({ cwd: fixtures, env: {}, ...options }),
    (provider) => Effect.withConfigProvider(ConfigSource.load(config), provider)
  )

/** The ConfigurationError an effect fails with. */
const failure = <A, R>(effect: Effect.Effect<A, Errors.ConfigurationError, R>) =>
  Effect.flip(effect).pipe(Effect.tap((error) => expect(error).toBeInstanceOf(Errors.ConfigurationError)))

const nested = <A>(name: string, config: Config.Config<A>) => Config.nested(config, name)

describe("ConfigSource", () => {
  describe("keys", () => {
    it.effect("reads nested keys from ./strata.yaml, matching camelCase and snake_case keys", () =>
      Effect.gen(function*() {
        const value = yield* read(Config.all({
          format: nested("log", Config.string("format")),
          poolSize: nested("database", Config.integer("poolSize")),
          port: nested("server", Config.port("port")),
          newCheckout: nested("features", Config.boolean("newCheckout"))
        }))
        expect(value).toEqual({ format: "pretty", poolSize: 5, port: 8080, newCheckout: true })
      }))

    it.effect("maps config paths to constant-case env names", () =>
      Effect.gen(function*() {
        const value = yield* read(
          Config.all({
            format: nested("log", Config.string("format")),
            poolSize: nested("database", Config.integer("poolSize")),
            timeout: nested("httpClient", Config.duration("readTimeout"))
          }),
          { file: false, env: { LOG_FORMAT: "json", DATABASE_POOL_SIZE: "20", HTTP_CLIENT_READ_TIMEOUT: "5 seconds" } }
        )
        expect([value.format, value.poolSize, value.timeout.toString()]).toEqual(["json", 20, "Duration(5s)"])
        expect(ConfigSource.envName(["database", "poolSize"])).toBe("DATABASE_POOL_SIZE")
        expect(ConfigSource.envName(["servers", "[2]", "host"])).toBe("SERVERS_2_HOST")
      }))

    it.effect("env wins over the file, key by key", () =>
      Effect.gen(function*() {
        const value = yield* read(
          Config.all({ level: Config.string("level"), format: Config.string("format") }).pipe(Config.nested("log")),
          { env: { LOG_LEVEL: "debug" } }
        )
        expect(value).toEqual({ level: "debug", format: "pretty" })
      }))

    it.effect("an invalid env value fails; it does not fall back to the file's valid value", () =>
      Effect.gen(function*() {
        const error = yield* failure(read(nested("database", Config.integer("poolSize")), {
          env: { DATABASE_POOL_SIZE: "lots" }
        }))
        expect(error.issues).toEqual([
          expect.objectContaining({ key: "DATABASE_POOL_SIZE", source: "env" })
        ])
      }))

    it.effect("missing keys fall back to Config.withDefault and Config.option", () =>
      Effect.gen(function*() {
        const value = yield* read(Config.all({
          retries: nested("http", Config.integer("retries").pipe(Config.withDefault(3))),
          proxy: nested("http", Config.option(Config.string("proxy")))
        }))
        expect(value.retries).toBe(3)
        expect(value.proxy._tag).toBe("None")
      }))
  })

  describe("lists and maps", () => {
    it.effect("reads lists from YAML lists and from comma-separated env values", () =>
      Effect.gen(function*() {
        const hosts = nested("server", Config.array(Config.string(), "hosts"))
        expect(yield* read(hosts)).toEqual(["a.example.com", "b.example.com"])
        expect(yield* read(hosts, { env: { SERVER_HOSTS: "x.local, y.local" } })).toEqual(["x.local", "y.local"])
      }))

    it.effect("reads lists of mappings from the file", () =>
      Effect.gen(function*() {
        const upstreams = nested(
          "server",
          Config.array(Config.all({ name: Config.string("name"), url: Config.url("url") }), "upstreams")
        )
        const value = yield* read(upstreams)
        expect(value.map((u) => `${u.name}=${u.url.host}`)).toEqual(["payments=payments.local", "search=search.local"])
      }))

    it.effect("reads maps from the file plus extra env keys", () =>
      Effect.gen(function*() {
        const flags = yield* read(Config.hashMap(Config.boolean(), "features"), {
          env: { FEATURES_DARK_MODE: "true", FEATURES_BETA_SEARCH: "yes" }
        })
        expect(Object.fromEntries(HashMap.toEntries(flags))).toEqual({
          newCheckout: true,
          darkMode: true,
          BETA_SEARCH: true
        })
      }))
  })

  describe("interpolation", () => {
    it.effect("uses the default of ${VAR:-default} when VAR is unset, the env value when set", () =>
      Effect.gen(function*() {
        const url = nested("database", Config.string("url"))
        expect(yield* read(url)).toBe("postgres://localhost/dev")
        // DATABASE_URL is also the env name of database.url, so use a file that names another variable.
        const provider = ConfigSource.fromObject(
          { database: { url: "postgres://${DB_HOST:-localhost}:${DB_PORT}/app" } },
          { env: { DB_HOST: "db.internal", DB_PORT: "6543" } }
        )
        expect(yield* Effect.withConfigProvider(url, provider)).toBe("postgres://db.internal:6543/app")
      }))

    it.effect("keeps $${ as a literal ${", () =>
      Effect.gen(function*() {
        expect(yield* read(nested("database", Config.string("literal")))).toBe("price: ${AMOUNT}")
      }))

    it.effect("an unset ${VAR} without default is an issue naming the YAML key and the variable", () =>
      Effect.gen(function*() {
        const error = yield* failure(read(nested("database", Config.string("password"))))
        expect(error.issues).toHaveLength(1)
        expect(error.issues[0]).toMatchObject({ key: "DATABASE_PASSWORD", source: `file ${fixture("strata.yaml")}:10` })
        expect(error.issues[0]!.message).toBe(
          "database.password: references ${DB_PASSWORD}, which is not set in the environment"
        )
      }))

    it.effect("an unset ${VAR} only fails the key that is read, and not when env overrides it", () =>
      Effect.gen(function*() {
        // database.password references the unset DB_PASSWORD, yet other keys read fine...
        expect(yield* read(nested("log", Config.string("level")))).toBe("info")
        // ...and the env name of the key itself wins without interpolation.
        const password = yield* read(nested("database", Config.redacted("password")), {
          env: { DATABASE_PASSWORD: "s3cret" }
        })
        expect(Redacted.value(password)).toBe("s3cret")
      }))

    it.effect("reports a malformed reference without quoting the value", () =>
      Effect.gen(function*() {
        const provider = ConfigSource.fromObject({ api: { token: "abc${oops" } })
        const error = yield* failure(
          Effect.withConfigProvider(ConfigSource.load(nested("api", Config.redacted("token"))), provider)
        )
        expect(error.issues[0]!.message).toContain("malformed ${...} reference at character 4")
        expect(error.message).not.toContain("abc")
      }))
  })

  describe("files", () => {
    it.effect("STRATA_CONFIG selects the file, relative to cwd", () =>
      Effect.gen(function*() {
        const level = yield* read(nested("log", Config.string("level")), { env: { STRATA_CONFIG: "other/app.yaml" } })
        expect(level).toBe("warn")
      }))

    it.effect("a missing STRATA_CONFIG file fails with ConfigurationError", () =>
      Effect.gen(function*() {
        const error = yield* failure(ConfigSource.make({ cwd: fixtures, env: { STRATA_CONFIG: "nope.yaml" } }))
        expect(error.issues).toEqual([
          expect.objectContaining({
            key: "STRATA_CONFIG",
            source: "env",
            message: `file not found: ${fixture("nope.yaml")}`
          })
        ])
      }))

    it.effect("an explicit file must exist; the default ./strata.yaml is optional", () =>
      Effect.gen(function*() {
        const error = yield* failure(ConfigSource.make({ cwd: fixtures, env: {}, file: "missing.yaml" }))
        expect(error.issues[0]).toMatchObject({ key: "missing.yaml", source: "option" })
        const level = yield* read(nested("log", Config.string("level")), {
          cwd: path.join(fixtures, "other"),
          env: { LOG_LEVEL: "error" }
        })
        expect(level).toBe("error")
      }))

    it.effect("a YAML syntax error fails with the file and line", () =>
      Effect.gen(function*() {
        const error = yield* failure(ConfigSource.make({ cwd: fixtures, env: {}, file: "invalid.yaml" }))
        expect(error.issues.length).toBeGreaterThan(0)
        expect(error.issues[0]!.key).toMatch(new RegExp(`^${fixture("invalid.yaml")}:\\d+:\\d+$`))
        expect(error.issues[0]!.message).toContain("YAML syntax error")
        expect(error.issues[0]!.source).toBe("file")
        // The error never quotes the source line (it may hold a secret).
        expect(error.message).not.toContain("unterminated")
      }))

    it.effect("rejects a file whose top level is not a mapping, and keys that name one setting twice", () =>
      Effect.gen(function*() {
        const list = yield* failure(ConfigSource.make({ cwd: fixtures, env: {}, file: "list.yaml" }))
        expect(list.issues[0]!.message).toBe("the top level of the file must be a mapping")
        const conflict = yield* failure(ConfigSource.make({ cwd: fixtures, env: {}, file: "conflict.yaml" }))
        expect(conflict.issues).toEqual([{
          key: "DATABASE_POOL_SIZE",
          source: `file ${fixture("conflict.yaml")}:3`,
          message: "poolSize and pool_size name the same setting; keep one"
        }])
      }))
  })

  describe("errors", () => {
    it.effect("reports every missing and invalid key at once, each with its source", () =>
      Effect.gen(function*() {
        const config = Config.all({
          database: Config.all({
            url: Config.redacted("url"),
            poolSize: Config.integer("poolSize"),
            host: Config.string("host")
          }).pipe(Config.nested("database")),
          log: Config.all({ level: Config.logLevel("level"), format: Config.literal("json", "pretty")("format") })
            .pipe(Config.nested("log"))
        })
        const error = yield* failure(read(config, { file: "bad-values.yaml", env: { LOG_FORMAT: "xml" } }))
        const file = `file ${fixture("bad-values.yaml")}`
        expect(error.issues.map((i) => [i.key, i.source])).toEqual([
          ["DATABASE_URL", `${file}:3`],
          ["DATABASE_POOL_SIZE", `${file}:2`],
          ["DATABASE_HOST", "missing"],
          ["LOG_LEVEL", `${file}:5`],
          ["LOG_FORMAT", "env"]
        ])
        expect(error.issues[0]!.message).toContain("references ${DATABASE_URL}")
        expect(error.issues[1]!.message).toMatch(/^database\.poolSize: Expected an integer/)
        expect(error.issues[2]!.message).toBe(
          `required: set env DATABASE_HOST or database.host in ${file}`
        )
        expect(error.message.split("\n")).toHaveLength(6)
      }))

    it.effect("never prints secrets: invalid values of Config.redacted keys are hidden", () =>
      Effect.gen(function*() {
        const config = Config.all({
          pin: Config.redacted(Config.integer("pin")),
          apiKey: Config.redacted("apiKey"),
          port: Config.integer("port")
        }).pipe(Config.nested("vault"))
        const env = { VAULT_PIN: "hunter2-secret", VAULT_PORT: "x" }
        const error = yield* failure(read(config, { file: false, env }))
        expect(error.issues).toEqual([
          { key: "VAULT_PIN", source: "env", message: "invalid value (a secret: not shown)" },
          { key: "VAULT_API_KEY", source: "missing", message: "required: set env VAULT_API_KEY" },
          expect.objectContaining({ key: "VAULT_PORT", source: "env" })
        ])
        expect(error.message).not.toContain("hunter2")
        expect(JSON.stringify(error)).not.toContain("hunter2")
        // A secret read successfully prints as <redacted>.
        const token = yield* read(Config.redacted("token"), { file: false, env: { TOKEN: "hunter2-secret" } })
        expect(String(token)).toBe("<redacted>")
      }))

    it.effect("toConfigurationError explains several errors, e.g. every failed layer of a start-up", () =>
      Effect.gen(function*() {
        class Db extends Context.Tag("test/Db")<Db, string>() {}
        class Log extends Context.Tag("test/Log")<Log, string>() {}
        const app = Layer.mergeAll(
          Layer.effect(Db, nested("database", Config.string("host"))),
          Layer.effect(Log, nested("log", Config.map(Config.logLevel("level"), (level) => level.label)))
        )
        const provider = yield* ConfigSource.make({ cwd: fixtures, env: { LOG_LEVEL: "loud" } })
        // Outside the provider: the explicit provider (or the last one made) supplies sources.
        const built = Layer.build(Layer.provide(app, Layer.setConfigProvider(provider)))
        const exit = yield* Effect.exit(Effect.scoped(built))
        expect(Exit.isFailure(exit)).toBe(true)
        const errors = Exit.isFailure(exit) ? Cause.failures(exit.cause) : []
        const error = yield* ConfigSource.toConfigurationError(Array.from(errors), provider)
        expect(error.issues.map((i) => `${i.key} (${i.source})`).sort()).toEqual([
          "DATABASE_HOST (missing)",
          "LOG_LEVEL (env)"
        ])
        expect(error.issues[0]!.message).toContain(`in file ${fixture("strata.yaml")}`)
        // Without a provider, under effect's default one, the provider made last explains it.
        const fallback = yield* ConfigSource.toConfigurationError(Array.from(errors))
        expect(fallback.issues).toEqual(error.issues)
      }))

    it.effect("works with other providers too, without sources", () =>
      Effect.gen(function*() {
        const error = yield* failure(
          Effect.withConfigProvider(ConfigSource.load(Config.integer("PORT")), ConfigProvider.fromJson({ PORT: "x" }))
        )
        expect(error.issues[0]).toMatchObject({ key: "PORT", source: "unknown" })
        expect(error.issues[0]!.message).toContain("Expected an integer")
      }))
  })

  describe("layer", () => {
    class Settings extends Context.Tag("test/Settings")<
      Settings,
      { readonly level: string; readonly name: string }
    >() {}
    const SettingsLive = Layer.effect(
      Settings,
      Config.all({ level: nested("log", Config.string("level")), name: nested("app", Config.string("name")) })
    )

    it.effect("installs the provider for the layers it is provided to", () =>
      Effect.gen(function*() {
        const settings = yield* Effect.provide(
          Settings,
          Layer.provide(SettingsLive, ConfigSource.layer({ cwd: fixtures, env: { LOG_LEVEL: "trace" } }))
        )
        expect(settings).toEqual({ level: "trace", name: "strata-demo" })
      }))

    it.effect("fails the layer with ConfigurationError when the file is bad", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.provide(
          Settings,
          Layer.provide(SettingsLive, ConfigSource.layer({ cwd: fixtures, env: {}, file: "invalid.yaml" }))
        ))
        expect(error._tag).toBe("ConfigurationError")
      }))
  })
})
