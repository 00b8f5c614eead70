/**
 * Examples for docs/configuration.md (compiled by `npm run typecheck`).
 */
import { ConfigSource, ConfigValues, Errors, Strata } from "@strata/core"
import { TestConfig } from "@strata/testing"
import { Config, type ConfigError, Context, Duration, Effect, Layer, Redacted } from "effect"

// --- 1. A service reads its settings with plain effect/Config, nested under its name ---

export interface DatabaseSettings {
  readonly url: Redacted.Redacted<string>
  readonly poolSize: number
  readonly replicas: ReadonlyArray<string>
}

// One Config.all per service: every bad key of the service is reported together.
export const DatabaseSettings: Config.Config<DatabaseSettings> = Config.all({
  url: Config.redacted("url"), //                                      DATABASE_URL      / database.url
  poolSize: Config.integer("poolSize").pipe(Config.withDefault(10)), // DATABASE_POOL_SIZE / database.poolSize
  replicas: Config.array(Config.string(), "replicas").pipe(Config.withDefault([])) // "a,b" in env, a list in YAML
}).pipe(Config.nested("database"))

export class Database extends Context.Tag("app/Database")<Database, DatabaseSettings>() {}

export const DatabaseLive: Layer.Layer<Database, Errors.ConfigurationError> = Layer.effect(
  Database,
  ConfigSource.load(DatabaseSettings) // ConfigError → one ConfigurationError with sources
)

// Durations: one rule everywhere (a bare number is milliseconds; 500ms, 5s, "5 seconds"; off where allowed).
export const WorkerSettings = Config.all({
  interval: ConfigValues.duration("interval").pipe(Config.withDefault(Duration.seconds(30))), // WORKER_INTERVAL=1500
  deadline: ConfigValues.duration("deadline", { allowOff: true }).pipe(Config.withDefault(Duration.infinity))
}).pipe(Config.nested("worker"))

// --- 2. The application installs the provider once: env over ./strata.yaml ---

export const AppLive: Layer.Layer<Database, Errors.ConfigurationError> = DatabaseLive.pipe(
  Layer.provide(ConfigSource.layer())
)

// Explicit options: another file, a fixed environment, another working directory.
export const StagingLive: Layer.Layer<Database, Errors.ConfigurationError> = DatabaseLive.pipe(
  Layer.provide(ConfigSource.layer({ file: "config/staging.yaml", env: { DATABASE_POOL_SIZE: "4" } }))
)

// --- 3. Explaining a raw ConfigError (what the runtime does when start-up fails) ---

export const explained: Effect.Effect<string, Errors.ConfigurationError> = Config.string("region").pipe(
  Config.nested("aws"),
  Effect.catchAll((error) => Effect.flatMap(ConfigSource.toConfigurationError(error), Effect.fail))
)

// --- 4. Tests: the same semantics from a plain object ---

export const TestLive: Layer.Layer<Database, Errors.ConfigurationError> = DatabaseLive.pipe(
  Layer.provide(TestConfig.layer(
    { database: { url: "postgres://${DB_HOST:-localhost}/test", replicas: ["r1", "r2"] } },
    { env: { DATABASE_POOL_SIZE: "2" } }
  ))
)

export const poolSize: Effect.Effect<number, Errors.ConfigurationError> = Effect.map(
  Effect.provide(Database, TestLive),
  (settings) => settings.poolSize // 2
)

// --- 5. Every setting read up front: a bad value fails the start before anything is built ---

// `Layer.provide` builds what it is given first, so the check runs before DatabaseLive (and
// before anything slow it would start); all bad keys are reported in one message.
export const CheckedLive: Layer.Layer<Database, Errors.ConfigurationError | ConfigError.ConfigError> = DatabaseLive
  .pipe(
    Layer.provide(Strata.checkConfig(DatabaseSettings, WorkerSettings))
  )
