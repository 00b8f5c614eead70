/**
 * Parsing of the `log.*` settings: case-insensitive, with the usual aliases.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import type { Format, Options } from "../Logging.js"

const parseFormat = (config: Config.Config<string>): Config.Config<Format> =>
  Config.mapOrFail(config, (text) => {
    const value = text.trim().toLowerCase()
    return value === "pretty" || value === "json"
      ? Either.right(value)
      : Either.left(ConfigError.InvalidData([], `Expected one of (pretty, json) but received ${JSON.stringify(text)}`))
  })

const aliases: ReadonlyMap<string, LogLevel.LogLevel> = new Map([
  ["all", LogLevel.All],
  ["trace", LogLevel.Trace],
  ["debug", LogLevel.Debug],
  ["info", LogLevel.Info],
  ["warn", LogLevel.Warning],
  ["warning", LogLevel.Warning],
  ["error", LogLevel.Error],
  ["fatal", LogLevel.Fatal],
  ["none", LogLevel.None],
  ["off", LogLevel.None]
])

const parseLevel = (config: Config.Config<string>): Config.Config<LogLevel.LogLevel> =>
  Config.mapOrFail(config, (text) => {
    const level = aliases.get(text.trim().toLowerCase())
    return level === undefined
      ? Either.left(
        ConfigError.InvalidData(
          [],
          `Expected a log level (trace, debug, info, warn, error, fatal, none) but received ${JSON.stringify(text)}`
        )
      )
      : Either.right(level)
  })

/** @internal */
export const config = (isTTY: () => boolean): Config.Config<Options> =>
  Config.all({
    log: Config.all({
      format: Config.option(parseFormat(Config.string("format"))),
      level: Config.withDefault(parseLevel(Config.string("level")), LogLevel.Info),
      redactKeys: Config.withDefault(Config.array(Config.string(), "redactKeys"), []),
      buffer: Config.option(Config.boolean("buffer"))
    }).pipe(Config.nested("log")),
    nodeEnv: Config.option(Config.string("NODE_ENV"))
  }).pipe(Config.map(({ log, nodeEnv }): Options => ({
    format: Option.getOrElse(
      log.format,
      (): Format => isTTY() && Option.getOrUndefined(nodeEnv) !== "production" ? "pretty" : "json"
    ),
    level: log.level,
    redactKeys: log.redactKeys.map((key) => key.trim()).filter((key) => key.length > 0),
    buffer: Option.getOrElse(log.buffer, () => !isTTY())
  })))
