/**
 * Settings of the Redis client: the `redis.*` config, defaults, and the ioredis options
 * that make the request-path client fail fast.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { RedisOptions } from "ioredis"
import type { Options } from "../RedisClient.js"

/** The options with every default filled in, durations in milliseconds. @internal */
export interface Settings {
  readonly url: Redacted.Redacted<string>
  readonly keyPrefix: string
  readonly connectTimeoutMs: number
  readonly commandTimeoutMs: number
  readonly tls: boolean
  readonly healthTimeoutMs: number
  readonly reconnectMaxDelayMs: number
  readonly startDegraded: boolean
  readonly healthCritical: boolean
  readonly redisOptions: RedisOptions
}

/** @internal */
export const defaultUrl = "redis://127.0.0.1:6379"

const millis = (input: Duration.DurationInput | undefined, fallback: number): number =>
  input === undefined ? fallback : Math.max(1, Math.round(Duration.toMillis(input)))

/** @internal */
export const resolve = (options: Options = {}): Settings => {
  const url = options.url === undefined
    ? Redacted.make(defaultUrl)
    : Redacted.isRedacted(options.url)
    ? options.url
    : Redacted.make(options.url)
  return {
    url,
    keyPrefix: options.keyPrefix ?? "",
    connectTimeoutMs: millis(options.connectTimeout, 2_000),
    commandTimeoutMs: millis(options.commandTimeout, 200),
    tls: options.tls ?? false,
    healthTimeoutMs: millis(options.healthTimeout, 1_000),
    reconnectMaxDelayMs: millis(options.reconnectMaxDelay, 2_000),
    startDegraded: options.startDegraded ?? false,
    healthCritical: options.healthCritical ?? true,
    redisOptions: options.redisOptions ?? {}
  }
}

/**
 * Reconnect delays: 50 ms doubling up to the cap, with ±20% jitter so a fleet does not
 * reconnect in lockstep. Never gives up (a number keeps ioredis reconnecting).
 *
 * @internal
 */
export const retryDelay = (attempt: number, capMs: number): number => {
  const base = Math.min(capMs, 50 * 2 ** Math.min(Math.max(attempt - 1, 0), 16))
  return Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)))
}

/**
 * The ioredis options of the request-path client. Why each one:
 * - `lazyConnect`: connect in the layer's acquire, where a failure becomes a `RedisError`.
 * - `enableOfflineQueue: false`: a command while disconnected fails at once instead of
 *   waiting for a reconnect.
 * - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails at once;
 *   with it, ioredis never re-sends it after the reconnect (see `autoResendUnfulfilledCommands`).
 * - `autoResendUnfulfilledCommands: false`: the same intent, stated (a resent `INCR` may apply twice).
 * - `commandTimeout`: a command on a hung connection fails after this long.
 *
 * @internal
 */
export const ioredisOptions = (settings: Settings): RedisOptions => ({
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: settings.commandTimeoutMs,
  connectTimeout: settings.connectTimeoutMs,
  retryStrategy: (attempt) => retryDelay(attempt, settings.reconnectMaxDelayMs),
  ...(settings.tls ? { tls: {} } : {}),
  ...settings.redisOptions
})

/** `redis://user:secret@host` → `redis://user:***@host`. @internal */
export const redactUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, "$1***@")

const units: ReadonlyArray<readonly [RegExp, (n: number) => Duration.Duration]> = [
  [/^(\d+(?:\.\d+)?)\s*ms$/i, Duration.millis],
  [/^(\d+(?:\.\d+)?)\s*s$/i, Duration.seconds],
  [/^(\d+(?:\.\d+)?)\s*m$/i, Duration.minutes],
  [/^(\d+(?:\.\d+)?)$/, Duration.millis]
]

/** A duration as Effect writes it (`"200 millis"`), or `200ms` / `2s` / `1m`, or bare milliseconds. @internal */
export const parseDuration = (text: string): Either.Either<Duration.Duration, string> => {
  const trimmed = text.trim()
  for (const [pattern, make] of units) {
    const match = pattern.exec(trimmed)
    if (match?.[1] !== undefined) return Either.right(make(Number(match[1])))
  }
  return Option.match(Duration.decodeUnknown(trimmed), {
    onNone: () => Either.left(`Expected a duration such as "200 millis", "200ms" or "2s" but received ${JSON.stringify(text)}`),
    onSome: Either.right
  })
}

const duration = (name: string): Config.Config<Duration.Duration> =>
  Config.mapOrFail(Config.string(name), (text) =>
    Either.flatMap(
      Either.mapLeft(parseDuration(text), (message) => ConfigError.InvalidData([], message)),
      (value) =>
        Duration.greaterThan(value, Duration.zero)
          ? Either.right(value)
          : Either.left(ConfigError.InvalidData([], `Expected a positive duration but received ${JSON.stringify(text)}`))
    ))

/** The `redis.*` settings. @internal */
export const config: Config.Config<Options> = Config.all({
  url: Config.withDefault(Config.redacted("url"), Redacted.make(defaultUrl)),
  keyPrefix: Config.withDefault(Config.string("keyPrefix"), ""),
  connectTimeout: Config.withDefault(duration("connectTimeout"), Duration.seconds(2)),
  commandTimeout: Config.withDefault(duration("commandTimeout"), Duration.millis(200)),
  tls: Config.withDefault(Config.boolean("tls"), false),
  healthTimeout: Config.withDefault(duration("healthTimeout"), Duration.seconds(1)),
  reconnectMaxDelay: Config.withDefault(duration("reconnectMaxDelay"), Duration.seconds(2)),
  startDegraded: Config.withDefault(Config.boolean("startDegraded"), false),
  healthCritical: Config.withDefault(Config.boolean("healthCritical"), true)
}).pipe(Config.nested("redis"))
