/**
 * The configuration of the default middleware stack (`http.*`, env `HTTP_*`). Every key is
 * read through `parsed`, so a bad value fails with the key in the error (`HTTP_TIMEOUT`).
 *
 * @internal
 */
import * as ConfigValues from "@strata/core/ConfigValues"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as secure from "./middlewareSecure.js"
import { parsed, parseSize } from "./serverConfig.js"

/** @internal */
export interface FromConfig {
  readonly corsOrigins: ReadonlyArray<string>
  readonly corsCredentials: boolean
  readonly timeout: Duration.Duration | "off"
  readonly hsts: string | false | undefined
  readonly csp: string | false | undefined
  readonly metricsIgnore: ReadonlyArray<string>
  readonly compression: boolean
  readonly envelope: boolean
  readonly compressionMinSize: number
  readonly secureRequest: boolean
  readonly bodyLimit: number
  readonly mediaTypes: ReadonlyArray<string>
  readonly maxUrlLength: number
  readonly maxHeaders: number
  readonly maxHeaderBytes: number
  readonly blockTraversal: boolean
  readonly cacheControl: string | undefined
  readonly accessLog: boolean
}

const isOff = (text: string) => /^(false|off|none|no|0)$/i.test(text.trim())

const text = (name: string): Config.Config<string> => parsed(name, Either.right)

/** A header value, or `false`/`off` to drop the header; unset: the OWASP default. */
const headerValue = (name: string): Config.Config<string | false | undefined> =>
  Config.withDefault(parsed<string | false | undefined>(name, (s) => Either.right(isOff(s) ? false : s.trim())), undefined)

const list = (name: string, fallback: ReadonlyArray<string>): Config.Config<ReadonlyArray<string>> =>
  Config.withDefault(
    parsed(name, (s): Either.Either<ReadonlyArray<string>, string> =>
      Either.right(s.split(",").map((item) => item.trim()).filter((item) => item.length > 0))),
    fallback
  )

const boolean = (name: string, fallback: boolean): Config.Config<boolean> =>
  Config.withDefault(
    parsed(name, (s) => {
      const value = s.trim().toLowerCase()
      if (/^(true|yes|on|1)$/.test(value)) return Either.right(true)
      if (/^(false|no|off|0)$/.test(value)) return Either.right(false)
      return Either.left(`Expected true or false but received "${s}"`)
    }),
    fallback
  )

const positiveInteger = (name: string, fallback: number): Config.Config<number> =>
  Config.withDefault(
    parsed(name, (s) => {
      const value = Number(s.trim())
      return s.trim() !== "" && Number.isSafeInteger(value) && value > 0
        ? Either.right(value)
        : Either.left(`Expected a positive whole number but received "${s}"`)
    }),
    fallback
  )

const size = (name: string, fallback: number, min = 1): Config.Config<number> =>
  Config.withDefault(
    parsed(name, (s) =>
      Either.filterOrLeft(
        parseSize(s),
        (bytes) => bytes >= min,
        () => `Expected a size of at least ${min} byte(s) such as "8kb" or "1mb" but received "${s}"`
      )),
    fallback
  )

/** `off` (or `0`): no timeout middleware. */
const timeout: Config.Config<Duration.Duration | "off"> = Config.map(
  Config.withDefault(ConfigValues.duration("timeout", { allowOff: true, allowZero: true }), Duration.seconds(30)),
  (duration) => Duration.isZero(duration) || !Duration.isFinite(duration) ? "off" : duration
)

/** `off`/`none` leaves responses without a rule alone; anything else is the value. */
const cacheControl: Config.Config<string | undefined> = Config.withDefault(
  Config.map(text("cacheControl"), (s) => isOff(s) ? undefined : s.trim()),
  "no-store"
)

/** @internal */
export const make = (defaultIgnore: ReadonlyArray<string>): Config.Config<FromConfig> =>
  Config.nested(
    Config.all({
      corsOrigins: list("corsOrigins", []),
      corsCredentials: boolean("corsCredentials", false),
      timeout,
      hsts: headerValue("hsts"),
      csp: headerValue("csp"),
      metricsIgnore: list("metricsIgnore", defaultIgnore),
      compression: boolean("compression", true),
      envelope: boolean("envelope", false),
      compressionMinSize: size("compressionMinSize", 1024, 0),
      secureRequest: boolean("secureRequest", true),
      // The same keys as the server's limit and media types: one setting for both checks.
      bodyLimit: size("bodyLimit", secure.defaults.maxBodySize, 0),
      mediaTypes: list("mediaTypes", secure.defaults.mediaTypes),
      maxUrlLength: positiveInteger("maxUrlLength", secure.defaults.maxUrlLength),
      maxHeaders: positiveInteger("maxHeaders", secure.defaults.maxHeaders),
      maxHeaderBytes: size("maxHeaderBytes", secure.defaults.maxHeaderBytes),
      blockTraversal: boolean("blockTraversal", secure.defaults.blockTraversal),
      cacheControl,
      accessLog: boolean("accessLog", false)
    }),
    "http"
  )
