/**
 * The configuration of a named client: `<name>.baseUrl`, `<name>.timeout`, `<name>.retries`
 * (env `<NAME>_BASE_URL`, `<NAME>_TIMEOUT`, `<NAME>_RETRIES`).
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { ConfigOptions } from "./apiClientModels.js"

const units: ReadonlyArray<readonly [RegExp, (n: number) => Duration.Duration]> = [
  [/^(\d+(?:\.\d+)?)\s*ms$/i, Duration.millis],
  [/^(\d+(?:\.\d+)?)\s*s$/i, Duration.seconds],
  [/^(\d+(?:\.\d+)?)\s*m$/i, Duration.minutes],
  // a bare number is seconds, as HTTP client timeouts are usually written
  [/^(\d+(?:\.\d+)?)$/, Duration.seconds]
]

/** `"5 seconds"` (effect's format), `5s`, `500ms`, `1m` or `5` (seconds). @internal */
export const parseDuration = (text: string): Either.Either<Duration.Duration, string> => {
  const trimmed = text.trim()
  for (const [pattern, make] of units) {
    const match = pattern.exec(trimmed)
    if (match?.[1] !== undefined) return Either.right(make(Number(match[1])))
  }
  return Option.match(Duration.decodeUnknown(trimmed), {
    onNone: () =>
      Either.left(`Expected a duration such as "5 seconds", "5s" or "500ms" but received ${JSON.stringify(text)}`),
    onSome: Either.right
  })
}

const timeout: Config.Config<Duration.Duration> = Config.mapOrFail(Config.string("timeout"), (text) =>
  Either.flatMap(
    Either.mapLeft(parseDuration(text), (message) => ConfigError.InvalidData([], message)),
    (value) =>
      Duration.greaterThan(value, Duration.zero)
        ? Either.right(value)
        : Either.left(ConfigError.InvalidData([], `Expected a positive duration but received ${JSON.stringify(text)}`))
  ))

const baseUrl: Config.Config<string> = Config.string("baseUrl").pipe(
  Config.validate({
    message: "Expected an absolute http(s) URL",
    validation: (text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)
  })
)

const retries: Config.Config<number> = Config.integer("retries").pipe(
  Config.validate({ message: "Expected a number of retries, 0 or more", validation: (n) => n >= 0 })
)

/** @internal */
export const config = (name: string): Config.Config<ConfigOptions> =>
  Config.all({
    baseUrl,
    timeout: Config.withDefault(timeout, Duration.seconds(10)),
    retries: Config.withDefault(retries, 2)
  }).pipe(Config.nested(name))
