/**
 * `Database.layerConfig`: Postgres when `database.url` / `database.host` is set, else PGlite.
 * Keys are camelCase under `database` (env `DATABASE_URL`, `DATABASE_POOL_SIZE`, … with the
 * Strata config provider; YAML `database.url`).
 *
 * @internal
 */
import type * as Client from "@effect/sql/SqlClient"
import type * as Errors from "@strata/core/Errors"
import * as ConfigValues from "@strata/core/ConfigValues"
import * as Health from "@strata/core/Health"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import { layerPg, type PgOptions } from "./dbPg.js"
import { layerPglite } from "./dbPglite.js"
import type { Database } from "./dbService.js"

/** A duration by the one Strata rule (`ConfigValues`): bare numbers are milliseconds; `0` allowed. @internal */
export const duration = (name: string): Config.Config<Duration.Duration> =>
  ConfigValues.duration(name, { allowZero: true })

const positiveInt = (name: string): Config.Config<number> =>
  Config.integer(name).pipe(Config.validate({ message: "Expected a positive integer", validation: (n) => n > 0 }))

/** @internal */
export type Settings =
  | { readonly _tag: "Postgres"; readonly options: PgOptions }
  | { readonly _tag: "Pglite"; readonly dataDir: Option.Option<string> }

const opt = <K extends string, A>(key: K, value: Option.Option<A>): { readonly [P in K]?: A } =>
  Option.match(value, { onNone: () => ({}), onSome: (a) => ({ [key]: a }) as { readonly [P in K]?: A } })

/** @internal */
export const settings: Config.Config<Settings> = Config.all({
  url: Config.option(Config.redacted("url")),
  host: Config.option(Config.string("host")),
  port: Config.option(Config.port("port")),
  name: Config.option(Config.string("name")),
  user: Config.option(Config.string("user")),
  password: Config.option(Config.redacted("password")),
  ssl: Config.withDefault(Config.boolean("ssl"), false),
  poolSize: Config.withDefault(positiveInt("poolSize"), 10),
  idleTimeout: Config.withDefault(duration("idleTimeout"), Duration.seconds(30)),
  connectTimeout: Config.withDefault(duration("connectTimeout"), Duration.seconds(5)),
  statementTimeout: Config.option(duration("statementTimeout")),
  dataDir: Config.option(Config.string("dataDir"))
}).pipe(
  Config.nested("database"),
  Config.map((c): Settings => {
    if (Option.isNone(c.url) && Option.isNone(c.host)) {
      return { _tag: "Pglite", dataDir: c.dataDir }
    }
    const options: PgOptions = {
      ...opt("url", c.url as Option.Option<Redacted.Redacted>),
      ...opt("host", c.host),
      ...opt("port", c.port),
      ...opt("database", c.name),
      ...opt("username", c.user),
      ...opt("password", c.password as Option.Option<Redacted.Redacted>),
      ...opt("statementTimeout", c.statementTimeout),
      ssl: c.ssl,
      maxConnections: c.poolSize,
      idleTimeout: c.idleTimeout,
      connectTimeout: c.connectTimeout
    }
    return { _tag: "Postgres", options }
  })
)

/** @internal */
export const layerConfig: Layer.Layer<
  Client.SqlClient | Database,
  ConfigError.ConfigError | Errors.DatabaseError,
  Health.Health
> = Layer.unwrapEffect(
  // Health is required (not only used when present): the readiness check is the point here.
  Effect.zipRight(
    Health.Health,
    Effect.map(settings, (s): Layer.Layer<Client.SqlClient | Database, Errors.DatabaseError> =>
      s._tag === "Postgres"
        ? layerPg(s.options)
        : layerPglite(Option.match(s.dataDir, { onNone: () => ({}), onSome: (dataDir) => ({ dataDir }) })))
  )
)
