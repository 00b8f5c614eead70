/**
 * Typed configuration values with one syntax across every Strata package. Durations:
 *
 * - a bare number is **milliseconds**: `500`, `1500`;
 * - a number with a short unit: `500ms`, `5s`, `2m`, `1h`, `1d` (decimals allowed: `1.5s`);
 * - effect's own form: `"5 seconds"`, `"500 millis"`, `"2 minutes"`;
 * - where a setting can be switched off: `off`, `none`, `never` or `infinity`, read as
 *   `Duration.infinity`.
 *
 * A bad value fails with a `ConfigError` on its key, so Strata's start-up error names the
 * variable: `HTTP_TIMEOUT (env): Expected a duration such as "500ms", "5s" or "5 seconds" (a
 * bare number is milliseconds) but received "soon"`.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

/**
 * What a duration setting accepts besides positive durations.
 *
 * @example
 * ```ts
 * import type { ConfigValues } from "@strata/core"
 *
 * const options: ConfigValues.DurationOptions = { allowOff: true }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface DurationOptions {
  /** Accept `off`, `none`, `never` and `infinity` as `Duration.infinity` (no limit). Default false. */
  readonly allowOff?: boolean | undefined
  /** Accept zero (`0`, `0s`). Default false: only positive durations. */
  readonly allowZero?: boolean | undefined
}

const units: Readonly<Record<string, (n: number) => Duration.Duration>> = {
  "": Duration.millis,
  ms: Duration.millis,
  s: Duration.seconds,
  m: Duration.minutes,
  h: Duration.hours,
  d: Duration.days
}

const short = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i
const off = /^(off|none|never|infinity)$/i

/**
 * Parses a duration by the one rule of this module; the error is a sentence for the user.
 *
 * @example
 * ```ts
 * import { ConfigValues } from "@strata/core"
 * import { Duration, Either } from "effect"
 *
 * ConfigValues.parseDuration("1500") // Either.right(Duration.millis(1500))
 * ConfigValues.parseDuration("2s") // Either.right(Duration.seconds(2))
 * ConfigValues.parseDuration("5 minutes") // Either.right(Duration.minutes(5))
 * ConfigValues.parseDuration("off", { allowOff: true }) // Either.right(Duration.infinity)
 * Either.isLeft(ConfigValues.parseDuration("soon")) // true
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const parseDuration = (text: string, options?: DurationOptions): Either.Either<Duration.Duration, string> => {
  const trimmed = text.trim()
  if (off.test(trimmed)) {
    return options?.allowOff === true
      ? Either.right(Duration.infinity)
      : Either.left(`Expected a duration but received "${text}" (this setting cannot be switched off)`)
  }
  const match = short.exec(trimmed)
  const parsed = match !== null
    ? Option.some(units[(match[2] ?? "").toLowerCase()]!(Number(match[1])))
    : Duration.decodeUnknown(trimmed)
  if (Option.isNone(parsed)) {
    return Either.left(
      `Expected a duration such as "500ms", "5s" or "5 seconds" (a bare number is milliseconds) but received "${text}"`
    )
  }
  const duration = parsed.value
  // effect turns a negative duration into zero: look at the sign as written.
  if (trimmed.startsWith("-") || (Duration.isZero(duration) && options?.allowZero !== true)) {
    return Either.left(`Expected a positive duration but received "${text}"`)
  }
  return Either.right(duration)
}

/**
 * A duration setting: `Config.nested(ConfigValues.duration("timeout"), "http")` reads env
 * `HTTP_TIMEOUT` or YAML `http.timeout` by the rule of `parseDuration`.
 *
 * @example
 * ```ts
 * import { ConfigValues } from "@strata/core"
 * import { Config, Duration } from "effect"
 *
 * const connectTimeout = Config.withDefault(ConfigValues.duration("connectTimeout"), Duration.seconds(5)).pipe(
 *   Config.nested("database")
 * ) // DATABASE_CONNECT_TIMEOUT=1500 → 1.5 seconds
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const duration = (name: string, options?: DurationOptions): Config.Config<Duration.Duration> =>
  Config.mapOrFail(
    Config.string(),
    (text) => Either.mapLeft(parseDuration(text, options), (message) => ConfigError.InvalidData([], message))
  ).pipe(Config.nested(name))
