/**
 * Where configuration comes from. Services read their settings with plain `effect/Config`,
 * nested per service (`Config.string("format").pipe(Config.nested("log"))`); this module
 * installs the `ConfigProvider` that answers them:
 *
 * - env, in constant case nested by `_` (`log.format` → `LOG_FORMAT`,
 *   `database.poolSize` → `DATABASE_POOL_SIZE`; lists comma-separated), over
 * - a YAML file (`STRATA_CONFIG`, else `./strata.yaml` when present) whose string values
 *   may use `${VAR}` and `${VAR:-default}`.
 *
 * Env wins over the file. Failures become one `ConfigurationError` listing every bad key
 * with the source of its value; secrets read with `Config.redacted` are never printed.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as configFile from "./internal/configFile.js"
import * as configIssues from "./internal/configIssues.js"
import * as configProvider from "./internal/configProvider.js"
import * as configTree from "./internal/configTree.js"
import { ConfigurationError } from "./internal/systemErrors.js"

/**
 * Options of `make` and `layer`.
 *
 * - `env`: the environment (default: a copy of `process.env` taken when the provider is made).
 * - `file`: a YAML file that must exist, or `false` for none. Default: `STRATA_CONFIG`
 *   (must exist), else `strata.yaml` in `cwd` when it exists.
 * - `cwd`: where relative file paths start (default: `process.cwd()`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly file?: string | false | undefined
  readonly cwd?: string | undefined
}

/**
 * A plain configuration value: what a YAML file holds, as JavaScript. `null` and
 * `undefined` mean "not set"; a `Redacted` is unwrapped.
 *
 * @since 0.1.0
 * @category models
 */
export type Value =
  | string
  | number
  | boolean
  | null
  | undefined
  | { readonly [key: string]: Value }
  | ReadonlyArray<Value>
  | Redacted.Redacted<string>

/**
 * Builds the provider: env over the YAML file. Fails with one `ConfigurationError` when
 * the file is required but missing, unreadable, not valid YAML (each error with its line),
 * or names one setting twice (`poolSize` and `pool_size`). Unset `${VAR}` references are
 * reported when their key is read, so an unused or env-overridden key never fails.
 *
 * @example
 * ```ts
 * import { ConfigSource } from "@strata/core"
 * import { Config, Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const provider = yield* ConfigSource.make({ env: { LOG_LEVEL: "debug" }, file: false })
 *   return yield* Effect.withConfigProvider(Config.string("level").pipe(Config.nested("log")), provider)
 * }) // "debug"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<ConfigProvider.ConfigProvider, ConfigurationError> =>
  Effect.suspend(() => {
    const env: configTree.Env = options.env ?? { ...process.env }
    const choice = configFile.choose(options.file, env, options.cwd ?? process.cwd())
    const file = choice === undefined ? Effect.succeed(undefined) : configFile.load(choice, env)
    return Effect.map(file, (file) => {
      const snapshot: configTree.Snapshot = file === undefined
        ? { env, tree: {}, origin: undefined, lineOf: () => undefined }
        : { env, tree: file.tree, origin: `file ${file.path}`, lineOf: file.lineOf }
      configProvider.setLatest(snapshot)
      return configProvider.make(snapshot)
    })
  })

/**
 * Installs `make(options)` as the `ConfigProvider` of every layer it is provided to.
 *
 * @example
 * ```ts
 * import { ConfigSource } from "@strata/core"
 * import { Config, Context, Effect, Layer } from "effect"
 *
 * class Greeting extends Context.Tag("app/Greeting")<Greeting, string>() {}
 * const GreetingLive = Layer.effect(Greeting, Config.string("greeting").pipe(Config.nested("app")))
 *
 * const AppLive = GreetingLive.pipe(Layer.provide(ConfigSource.layer()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<never, ConfigurationError> =>
  Layer.unwrapEffect(Effect.map(make(options), Layer.setConfigProvider))

/**
 * A provider over plain values with the same semantics as the YAML file (nested keys,
 * `${VAR}` interpolation, env over values). `env` defaults to none, not `process.env`,
 * which is what tests want; `TestConfig` in `@strata/testing` builds on it.
 *
 * @example
 * ```ts
 * import { ConfigSource } from "@strata/core"
 * import { Config, Effect } from "effect"
 *
 * const provider = ConfigSource.fromObject({ database: { poolSize: 5 } })
 * const size = Effect.withConfigProvider(Config.integer("poolSize").pipe(Config.nested("database")), provider)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromObject = (
  values: { readonly [key: string]: Value },
  options: { readonly env?: Readonly<Record<string, string | undefined>>; readonly source?: string } = {}
): ConfigProvider.ConfigProvider => {
  const env = options.env ?? {}
  return configProvider.make({
    env,
    tree: configTree.toTree(values, env),
    origin: options.source ?? "object",
    lineOf: () => undefined
  })
}

const defaultProvider = Context.get(DefaultServices.liveServices, ConfigProvider.ConfigProvider)

/**
 * Explains config failures as one `ConfigurationError`: every missing or invalid key of the
 * `ConfigError` tree(s) (both sides of `And` and `Or`), named by its env variable, with its
 * source: `env`, `file <path>:<line>`, `default` or `missing`. Sources come from `provider`,
 * else the current `ConfigProvider`, else (under effect's default provider) the one `make`
 * built last; errors of other providers get source `unknown`. Messages of
 * `Config.redacted` keys are never shown.
 *
 * @example
 * ```ts
 * import { ConfigSource } from "@strata/core"
 * import { Config, Effect } from "effect"
 *
 * const program = Config.string("url").pipe(
 *   Config.nested("database"),
 *   Effect.catchAll((error) => Effect.flatMap(ConfigSource.toConfigurationError(error), Effect.fail))
 * ) // fails with "Invalid configuration:\n  - DATABASE_URL (missing): required: set env DATABASE_URL …"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export const toConfigurationError = (
  error: ConfigError.ConfigError | ReadonlyArray<ConfigError.ConfigError>,
  provider?: ConfigProvider.ConfigProvider
): Effect.Effect<ConfigurationError> =>
  Effect.configProviderWith((current) =>
    Effect.sync(() => {
      // The last `make` explains errors read with the default provider (a start-up failure
      // described outside the layers that had ours installed), never a foreign provider's.
      const snapshot = configProvider.snapshotOf(provider ?? current) ??
        (provider === undefined && current === defaultProvider ? configProvider.latestSnapshot() : undefined)
      const errors = Array.isArray(error) ? error : [error as ConfigError.ConfigError]
      return new ConfigurationError({ issues: configIssues.toIssues(errors, snapshot) })
    })
  )

/**
 * Reads a config with the current provider, failing with a `ConfigurationError` that
 * lists every bad key. Read a service's whole config with one `Config.all` /
 * `Config.nested` so that all its problems are reported together.
 *
 * @example
 * ```ts
 * import { ConfigSource } from "@strata/core"
 * import { Config } from "effect"
 *
 * const database = ConfigSource.load(Config.all({
 *   url: Config.redacted("url"),
 *   poolSize: Config.integer("poolSize").pipe(Config.withDefault(10))
 * }).pipe(Config.nested("database")))
 * // Effect<{ url: Redacted<string>; poolSize: number }, ConfigurationError>
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const load = <A>(config: Config.Config<A>): Effect.Effect<A, ConfigurationError> =>
  Effect.catchAll(config, (error) => Effect.flatMap(toConfigurationError(error), Effect.fail))

/**
 * The env variable that answers a config path: constant case, joined by `_`.
 *
 * @example
 * ```ts
 * import { ConfigSource } from "@strata/core"
 *
 * ConfigSource.envName(["database", "poolSize"]) // "DATABASE_POOL_SIZE"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const envName = (path: ReadonlyArray<string>): string => configTree.envName(path)
