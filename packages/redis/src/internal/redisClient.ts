/**
 * The request-path Redis client: acquire (connect), release (QUIT), `use`, `duplicate`
 * and the `redis` readiness check.
 *
 * @internal
 */
import { Health } from "@strata/core"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { Redis, type RedisOptions } from "ioredis"
import type { Options, RedisClient } from "../RedisClient.js"
import { ioredisOptions, redactUrl, resolve, type Settings } from "./redisConfig.js"
import { type ConnectionState, watch } from "./redisConnection.js"
import { fromCause, RedisError } from "./redisError.js"
import * as metrics from "./redisMetrics.js"
import * as tracing from "./redisTracing.js"

// Connects within the connect timeout (the TCP connect plus the ready check), or fails with
// the reason of the last connection error rather than ioredis's "Connection is closed.".
const connect = (client: Redis, state: ConnectionState, settings: Settings): Effect.Effect<void, RedisError> => {
  const where = redactUrl(Redacted.value(settings.url))
  const fail = (reason: string, cause?: unknown) =>
    new RedisError({
      command: "connect",
      message: `Cannot connect to Redis at ${where}: ${reason}`,
      retryable: true,
      ...(cause === undefined ? {} : { cause })
    })
  return Effect.tryPromise({
    try: () => client.connect(),
    catch: (cause) => {
      const last = state.lastError ?? cause
      return fail(last instanceof Error ? last.message : String(last), last)
    }
  }).pipe(
    Effect.timeoutFail({
      duration: settings.connectTimeoutMs + settings.commandTimeoutMs,
      onTimeout: () => fail(`no answer within ${settings.connectTimeoutMs + settings.commandTimeoutMs}ms`)
    })
  )
}

// QUIT lets Redis finish the replies it owes and close the connection cleanly; disconnect()
// afterwards (or instead, when not connected) also stops any pending reconnect.
const close = (client: Redis, state: ConnectionState, settings: Settings): Effect.Effect<void> =>
  Effect.suspend(() => {
    state.closing = true
    const disconnect = Effect.sync(() => client.disconnect())
    if (client.status !== "ready") return disconnect
    return Effect.tryPromise(() => client.quit()).pipe(
      Effect.timeout(Math.max(settings.commandTimeoutMs, 1_000)),
      Effect.catchAll((error) => Effect.logDebug("redis: QUIT failed, disconnecting", error)),
      Effect.ensuring(disconnect)
    )
  })

const acquire = (
  settings: Settings,
  name: string,
  create: () => Redis
): Effect.Effect<{ readonly client: Redis; readonly state: ConnectionState }, RedisError, Scope.Scope> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const connection = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const client = create()
        // The listeners go on before connecting: an 'error' event without one is printed by ioredis.
        return { client, state: watch(client, name, runtime) }
      }),
      ({ client, state }) => close(client, state, settings)
    )
    const connected = connect(connection.client, connection.state, settings)
    yield* settings.startDegraded
      ? Effect.catchAll(
        connected,
        (error) => Effect.logWarning(`${name}: starting degraded, will keep reconnecting: ${error.message}`)
      )
      : connected
    // The health check reports the persistence mode from its first run on.
    yield* Effect.promise(() => connection.state.persistence)
    return connection
  })

const healthCheck = (service: RedisClient.Service, state: ConnectionState, settings: Settings): Health.Check => ({
  name: "redis",
  kind: "readiness",
  critical: settings.healthCritical,
  timeout: settings.healthTimeoutMs,
  check: Effect.gen(function*() {
    const started = performance.now()
    yield* service.use("health.ping", (client) => client.ping())
    const latencyMs = Math.round((performance.now() - started) * 100) / 100
    const aof = state.aofEnabled === undefined ? "unknown" : state.aofEnabled ? "on" : "off"
    return aof === "off"
      ? {
        latencyMs,
        aof,
        warning: "AOF is off: writes since the last RDB snapshot are lost if Redis crashes; " +
          "keep events that must survive in a Postgres outbox or run Redis with appendfsync always"
      }
      : { latencyMs, aof }
  })
})

/** @internal */
export const make = (
  options?: Options
): Effect.Effect<RedisClient.Service, RedisError, Health.Health | Scope.Scope> =>
  Effect.gen(function*() {
    const settings = resolve(options)
    const { client, state } = yield* acquire(
      settings,
      "redis",
      () => new Redis(Redacted.value(settings.url), ioredisOptions(settings))
    )

    const use = <A>(command: string, f: (client: Redis) => Promise<A>): Effect.Effect<A, RedisError> =>
      Effect.withFiberRuntime((fiber) => {
        const fiberLabels = fiber.getFiberRef(FiberRef.currentMetricLabels)
        // Real time, not the Clock: this measures the network and the server.
        const started = performance.now()
        const call = Effect.tryPromise({
          try: () => f(client),
          catch: (cause) => fromCause(command, cause, client.status)
        }).pipe(
          Effect.onExit((exit) => {
            metrics.record(
              command,
              (performance.now() - started) / 1000,
              Exit.isFailure(exit) && !Exit.isInterrupted(exit),
              fiberLabels
            )
            return Effect.void
          })
        )
        return tracing.isRecording(fiber) ? Effect.withSpan(call, `redis ${command}`, tracing.spanOptions) : call
      })

    const duplicate = (override?: RedisOptions): Effect.Effect<Redis, RedisError, Scope.Scope> =>
      Effect.map(
        acquire(
          settings,
          "redis.duplicate",
          // No command timeout: blocking reads wait on purpose (bound them with `blockingTimeout`).
          () => client.duplicate({ commandTimeout: undefined, ...override, lazyConnect: true })
        ),
        (connection) => connection.client
      )

    const service: RedisClient.Service = { client, prefix: settings.keyPrefix, use, duplicate }
    yield* Health.register(healthCheck(service, state, settings))
    yield* Effect.logDebug(`redis: connected to ${redactUrl(Redacted.value(settings.url))}`)
    return service
  })

/** @internal */
export const makeFromConfig = (
  config: Config.Config<Options>
): Effect.Effect<RedisClient.Service, RedisError | ConfigError.ConfigError, Health.Health | Scope.Scope> =>
  Effect.flatMap(config, make)
