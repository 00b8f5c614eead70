/**
 * The configuration of the default middleware stack (`http.*`, env `HTTP_*`).
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import { parseDuration } from "./serverConfig.js"

/** @internal */
export interface FromConfig {
  readonly corsOrigins: ReadonlyArray<string>
  readonly corsCredentials: boolean
  readonly timeout: Duration.Duration | "off"
  readonly hsts: string | false
  readonly csp: string | false
  readonly metricsIgnore: ReadonlyArray<string>
  readonly compression: boolean
  readonly envelope: boolean
  readonly compressionMinSize: number
  readonly accessLog: boolean
}

const off = (text: string) => /^(false|off|none|no|0)$/i.test(text.trim())

/** A header value, or `false`/`off` to drop the header; unset: the OWASP default. @internal */
const headerValue = (name: string): Config.Config<string | false | undefined> =>
  Config.map(Config.option(Config.string(name)), (value) =>
    value._tag === "None" ? undefined : off(value.value) ? false : value.value.trim())

const list = (name: string, fallback: ReadonlyArray<string>): Config.Config<ReadonlyArray<string>> =>
  Config.map(
    Config.withDefault(Config.string(name), fallback.join(",")),
    (text) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0)
  )

const timeout: Config.Config<Duration.Duration | "off"> = Config.mapOrFail(
  Config.withDefault(Config.string("TIMEOUT"), "30s"),
  (text): Either.Either<Duration.Duration | "off", ConfigError.ConfigError> =>
    off(text)
      ? Either.right("off" as const)
      : Either.mapLeft(parseDuration(text), (message) => ConfigError.InvalidData([], message))
)

/** @internal */
export const make = (defaultIgnore: ReadonlyArray<string>) =>
  Config.nested(
    Config.all({
      corsOrigins: list("CORS_ORIGINS", []),
      corsCredentials: Config.withDefault(Config.boolean("CORS_CREDENTIALS"), false),
      timeout,
      hsts: headerValue("HSTS"),
      csp: headerValue("CSP"),
      metricsIgnore: list("METRICS_IGNORE", defaultIgnore),
      compression: Config.withDefault(Config.boolean("COMPRESSION"), true),
      envelope: Config.withDefault(Config.boolean("ENVELOPE"), false),
      compressionMinSize: Config.withDefault(Config.integer("COMPRESSION_MIN_SIZE"), 1024),
      accessLog: Config.withDefault(Config.boolean("ACCESS_LOG"), false)
    }),
    "http"
  )
