/**
 * Server options: defaults, validation, and reading them from configuration (`http.*`).
 *
 * @internal
 */
import * as ConfigValues from "@strata/core/ConfigValues"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as clientIp from "./clientIp.js"
import { defaultMediaTypes } from "./serverBody.js"
import type { Settings } from "./serverCore.js"

/** @internal */
export interface Options {
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly bodyLimit?: number | undefined
  readonly mediaTypes?: ReadonlyArray<string> | undefined
  readonly shutdownTimeout?: Duration.DurationInput | undefined
  readonly requestTimeout?: Duration.DurationInput | undefined
  readonly headersTimeout?: Duration.DurationInput | undefined
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
  readonly trustedProxies?: ReadonlyArray<string> | undefined
}

/** @internal */
export const defaults = {
  host: "0.0.0.0",
  port: 3000,
  bodyLimit: 1024 * 1024,
  mediaTypes: defaultMediaTypes,
  shutdownTimeout: Duration.seconds(10),
  requestTimeout: Duration.seconds(30),
  headersTimeout: Duration.seconds(20),
  keepAliveTimeout: Duration.seconds(65),
  trustedProxies: ["loopback"] as ReadonlyArray<string>
} as const

/** @internal */
export const settings = (options: Options = {}): Either.Either<Settings, string> =>
  Either.map(clientIp.make(options.trustedProxies ?? defaults.trustedProxies), (resolver) => ({
    host: options.host ?? defaults.host,
    port: options.port ?? defaults.port,
    bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
    mediaTypes: options.mediaTypes ?? defaults.mediaTypes,
    shutdownTimeout: Duration.decode(options.shutdownTimeout ?? defaults.shutdownTimeout),
    requestTimeout: Duration.decode(options.requestTimeout ?? defaults.requestTimeout),
    headersTimeout: Duration.decode(options.headersTimeout ?? defaults.headersTimeout),
    keepAliveTimeout: Duration.decode(options.keepAliveTimeout ?? defaults.keepAliveTimeout),
    clientIp: resolver
  }))

const sizeUnits: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3
}

/** `1048576`, `512kb`, `1mb`, `1 MiB` (k = 1024), or `none` for no limit. @internal */
export const parseSize = (text: string): Either.Either<number, string> => {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === "none") return Either.right(Number.POSITIVE_INFINITY)
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(trimmed)
  const unit = match === null ? undefined : sizeUnits[match[2]!]
  return match === null || unit === undefined
    ? Either.left(`Expected a size such as "1mb", "512kb", "1048576" or "none" but received "${text}"`)
    : Either.right(Math.floor(Number(match[1]) * unit))
}

/** A string key parsed by `parse`; a bad value fails naming the key. @internal */
export const parsed = <A>(name: string, parse: (text: string) => Either.Either<A, string>): Config.Config<A> =>
  Config.mapOrFail(
    Config.string(),
    (text) => Either.mapLeft(parse(text), (message) => ConfigError.InvalidData([], message))
  )
    .pipe(Config.nested(name))

// Durations follow the one Strata rule (`ConfigValues`): bare numbers are milliseconds.
const positive = (name: string): Config.Config<Duration.Duration> => ConfigValues.duration(name)

const port = (name: string): Config.Config<number> =>
  parsed(name, (text) => {
    const value = Number(text.trim())
    return Number.isInteger(value) && value >= 0 && value <= 65535 && text.trim() !== ""
      ? Either.right(value)
      : Either.left(`Expected a port (0-65535, 0 for any free port) but received "${text}"`)
  })

const optional = <A>(config: Config.Config<A>): Config.Config<A | undefined> =>
  Config.map(Config.option(config), Option.getOrUndefined)

const trustedProxies: Config.Config<ReadonlyArray<string>> = Config.mapOrFail(
  Config.array(Config.string()),
  (entries) =>
    Either.match(clientIp.expand(entries), {
      onLeft: (message) => Either.left(ConfigError.InvalidData([], message)),
      onRight: () => Either.right(entries)
    })
).pipe(Config.nested("trustedProxies"))

/**
 * `http.host`, `http.port` (else top-level `port`, i.e. env `PORT`), `http.bodyLimit`,
 * `http.mediaTypes`, `http.shutdownTimeout`, `http.requestTimeout`, `http.headersTimeout`,
 * `http.keepAliveTimeout`, `http.trustedProxies`.
 *
 * @internal
 */
export const config: Config.Config<Options> = Config.map(
  Config.all({
    http: Config.all({
      host: optional(Config.string("host")),
      port: optional(port("port")),
      bodyLimit: optional(parsed("bodyLimit", parseSize)),
      mediaTypes: optional(Config.array(Config.string(), "mediaTypes")),
      shutdownTimeout: optional(positive("shutdownTimeout")),
      requestTimeout: optional(positive("requestTimeout")),
      headersTimeout: optional(positive("headersTimeout")),
      keepAliveTimeout: optional(positive("keepAliveTimeout")),
      trustedProxies: optional(trustedProxies)
    }).pipe(Config.nested("http")),
    port: optional(port("port"))
  }),
  ({ http, port }): Options => ({ ...http, port: http.port ?? port })
)
