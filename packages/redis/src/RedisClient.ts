/**
 * One Redis connection for the request path, over ioredis: connected when the layer is
 * acquired, `QUIT` when it is released, a readiness check `redis` (PING under a timeout),
 * metrics per command group, and typed `RedisError`s.
 *
 * The client fails fast: with Redis down a command fails within `commandTimeout` (200 ms by
 * default) instead of ioredis's ~10.5 s, because the offline queue is off, a request is not
 * retried across reconnects and every command has a timeout. The connection comes back by
 * itself (capped exponential backoff). In-flight commands are NOT re-sent after a reconnect
 * (ioredis's `autoResendUnfulfilledCommands` would apply a non-idempotent `INCR` or `XADD`
 * twice): they fail with a retryable `RedisError`, and whether they were applied is unknown.
 *
 * Key prefixing is explicit: `prefix` is the configured prefix and nothing is prepended
 * behind your back (ioredis's `keyPrefix` does not apply to `SCAN MATCH` patterns or to the
 * keys `SCAN`/`KEYS` return, which surprises code that deletes by pattern).
 *
 * @since 0.1.0
 */
import type * as ConfigError from "effect/ConfigError"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type { Redis, RedisOptions } from "ioredis"
import type { Health } from "@strata/core"
import * as internal from "./internal/redisClient.js"
import * as internalConfig from "./internal/redisConfig.js"
import type { RedisError } from "./internal/redisError.js"

export {
  /** @since 0.1.0 */
  RedisError
} from "./internal/redisError.js"

/**
 * Settings of the client. Defaults: `url` `redis://127.0.0.1:6379`, `keyPrefix` `""`,
 * `connectTimeout` 2 seconds, `commandTimeout` 200 millis, `tls` false (`rediss://` implies
 * it), `healthTimeout` 1 second, `reconnectMaxDelay` 2 seconds, `startDegraded` false,
 * `healthCritical` true (false: Redis down makes the service `degraded`, not `unhealthy`),
 * `autoPipelining` true (commands issued in the same event-loop turn share one write: with
 * many requests in flight this is ~1.5× the throughput of one write per command).
 *
 * - `startDegraded: true`: when Redis is unreachable at start-up the layer still builds (the
 *   failure is logged, health reports `redis` down) and the client connects when Redis
 *   comes; by default the layer fails with a `RedisError` so a misconfigured URL is caught
 *   at once.
 * - `redisOptions`: raw ioredis options, applied last (escape hatch; overriding
 *   `enableOfflineQueue`, `maxRetriesPerRequest` or `commandTimeout` gives up fail-fast).
 *
 * @example
 * ```ts
 * import { RedisClient } from "@strata/redis"
 *
 * const options: RedisClient.Options = {
 *   url: "redis://127.0.0.1:6379/0",
 *   keyPrefix: "myapp:",
 *   commandTimeout: "150 millis"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly url?: string | Redacted.Redacted<string> | undefined
  readonly keyPrefix?: string | undefined
  readonly connectTimeout?: Duration.DurationInput | undefined
  readonly commandTimeout?: Duration.DurationInput | undefined
  readonly tls?: boolean | undefined
  readonly healthTimeout?: Duration.DurationInput | undefined
  readonly reconnectMaxDelay?: Duration.DurationInput | undefined
  readonly startDegraded?: boolean | undefined
  readonly healthCritical?: boolean | undefined
  readonly autoPipelining?: boolean | undefined
  readonly redisOptions?: RedisOptions | undefined
}

/**
 * The Redis client service.
 *
 * @example
 * ```ts
 * import { RedisClient } from "@strata/redis"
 * import { Effect } from "effect"
 *
 * const visits = Effect.gen(function*() {
 *   const redis = yield* RedisClient.RedisClient
 *   return yield* redis.use("visits.incr", (client) => client.incr(`${redis.prefix}visits`))
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class RedisClient extends Context.Tag("@strata/redis/RedisClient")<RedisClient, RedisClient.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace RedisClient {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The ioredis instance, with the fail-fast request-path settings. Prefer `use`. */
    readonly client: Redis
    /** The application's key prefix, e.g. `"myapp:"` (`""` when none). Not applied by ioredis. */
    readonly prefix: string
    /**
     * Runs commands with metrics (by `command`, a bounded group name such as `"cache.get"`)
     * and typed errors. Interrupting the effect returns at once; the command itself cannot be
     * recalled from Redis.
     */
    readonly use: <A>(command: string, f: (client: Redis) => Promise<A>) => Effect.Effect<A, RedisError>
    /**
     * A dedicated connection for blocking reads (`BLPOP`, `XREADGROUP BLOCK`) or pub/sub,
     * connected now and closed with the scope. It has no command timeout (use
     * `blockingTimeout` in `options` for blocking reads); `options` override the rest.
     */
    readonly duplicate: (options?: RedisOptions) => Effect.Effect<Redis, RedisError, Scope.Scope>
  }
}

/**
 * The client's settings from config, nested under `redis`: `REDIS_URL` (redacted),
 * `REDIS_KEY_PREFIX`, `REDIS_CONNECT_TIMEOUT`, `REDIS_COMMAND_TIMEOUT`, `REDIS_TLS`,
 * `REDIS_HEALTH_TIMEOUT`, `REDIS_HEALTH_CRITICAL`, `REDIS_RECONNECT_MAX_DELAY`,
 * `REDIS_START_DEGRADED`, `REDIS_AUTO_PIPELINING` (or
 * `redis.url`, `redis.keyPrefix`, ... in YAML).
 *
 * @example
 * ```ts
 * import { RedisClient } from "@strata/redis"
 * import { Effect } from "effect"
 *
 * const prefix = RedisClient.config.pipe(Effect.map((options) => options.keyPrefix))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<Options> = internalConfig.config

/**
 * Builds the service within a scope: connects (or fails with a `RedisError`), registers the
 * `redis` readiness check, and sends `QUIT` when the scope closes.
 *
 * @example
 * ```ts
 * import { RedisClient } from "@strata/redis"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const redis = yield* RedisClient.make({ url: "redis://127.0.0.1:6379" })
 *   return yield* redis.use("ping", (client) => client.ping())
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<RedisClient.Service, RedisError, Health.Health | Scope.Scope> =
  internal.make

/**
 * The client from explicit options.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { RedisClient } from "@strata/redis"
 * import { Layer } from "effect"
 *
 * const RedisLive = RedisClient.layer({ url: "redis://127.0.0.1:6379", keyPrefix: "myapp:" }).pipe(
 *   Layer.provide(Health.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RedisClient, RedisError, Health.Health> =>
  Layer.scoped(RedisClient, internal.make(options))

/**
 * The client configured from {@link config} (`REDIS_URL`, `REDIS_KEY_PREFIX`, ...).
 *
 * @example
 * ```ts
 * import { Health, Lifecycle } from "@strata/core"
 * import { RedisClient } from "@strata/redis"
 * import { Layer } from "effect"
 *
 * // start-up and shutdown logged, state in the Lifecycle summary
 * const RedisLive = Lifecycle.service("redis", RedisClient.layerConfig).pipe(
 *   Layer.provide(Layer.merge(Health.layer, Lifecycle.layer))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<RedisClient, RedisError | ConfigError.ConfigError, Health.Health> =
  Layer.scoped(RedisClient, internal.makeFromConfig(config))

/**
 * The URL with its password replaced by `***`, for logs and error messages.
 *
 * @example
 * ```ts
 * import { RedisClient } from "@strata/redis"
 *
 * RedisClient.redactUrl("redis://app:s3cret@cache:6379/0") // "redis://app:***@cache:6379/0"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const redactUrl = (url: string | Redacted.Redacted<string>): string =>
  internalConfig.redactUrl(Redacted.isRedacted(url) ? Redacted.value(url) : url)
