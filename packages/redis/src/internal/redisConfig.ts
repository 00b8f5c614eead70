/**
 * Settings of the Redis client: the `redis.*` config, defaults, and the ioredis options
 * that make the request-path client fail fast.
 *
 * @internal
 */
import * as ConfigValues from "@strata/core/ConfigValues"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
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
  readonly autoPipelining: boolean
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
    autoPipelining: options.autoPipelining ?? true,
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
 * - `enableAutoPipelining`: commands issued in the same event-loop turn (many requests in
 *   flight) go out in one write; while disconnected the pipeline fails at once like a command.
 *
 * @internal
 */
export const ioredisOptions = (settings: Settings): RedisOptions => ({
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: settings.commandTimeoutMs,
  enableAutoPipelining: settings.autoPipelining,
  connectTimeout: settings.connectTimeoutMs,
  retryStrategy: (attempt) => retryDelay(attempt, settings.reconnectMaxDelayMs),
  ...(settings.tls ? { tls: {} } : {}),
  ...settings.redisOptions
})

/** `redis://user:secret@host` → `redis://user:***@host`. @internal */
export const redactUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, "$1***@")

// Durations follow the one Strata rule (`ConfigValues`): bare numbers are milliseconds.
const duration = (name: string): Config.Config<Duration.Duration> => ConfigValues.duration(name)

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
  healthCritical: Config.withDefault(Config.boolean("healthCritical"), true),
  autoPipelining: Config.withDefault(Config.boolean("autoPipelining"), true)
}).pipe(Config.nested("redis"))
