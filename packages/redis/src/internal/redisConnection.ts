/**
 * Connection events of an ioredis client: errors are counted and logged once per outage
 * (ioredis emits one per reconnect attempt), the reconnect is logged, and the server's
 * persistence mode is read on every (re)connect for the health check.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Runtime from "effect/Runtime"
import type { Redis } from "ioredis"
import { connectionErrorsTotal } from "./redisMetrics.js"

/** Mutable, touched only from ioredis's event callbacks and the release. @internal */
export interface ConnectionState {
  /** The last connection error, to explain a failed connect. */
  lastError: unknown
  /** Errors since the outage began; 0 while connected. */
  errorsInOutage: number
  /** An outage is under way (logged once when it began). */
  down: boolean
  /** The release started: a close is expected, not an outage. */
  closing: boolean
  /** `aof_enabled` of the server, read after every connect; undefined when unknown. */
  aofEnabled: boolean | undefined
  /** The latest read of `aofEnabled`; never rejects. */
  persistence: Promise<void>
}

const aofPattern = /^aof_enabled:(\d)/m

/** Attaches the listeners and returns the state they maintain. @internal */
export const watch = (client: Redis, name: string, runtime: Runtime.Runtime<never>): ConnectionState => {
  const state: ConnectionState = {
    lastError: undefined,
    errorsInOutage: 0,
    down: false,
    closing: false,
    aofEnabled: undefined,
    persistence: Promise.resolve()
  }
  const run = (effect: Effect.Effect<void>): void => {
    Runtime.runFork(runtime)(effect)
  }
  let connectedOnce = false

  client.on("error", (error: unknown) => {
    state.lastError = error
    if (state.closing) return
    state.errorsInOutage += 1
    const message = error instanceof Error ? error.message : String(error)
    // Logged when an outage begins; the rest of the burst is only counted. Before the first
    // connect the failure is reported by the connect itself (a RedisError or a degraded start).
    const log = state.down || !connectedOnce
      ? Effect.void
      : Effect.logWarning(`${name}: connection error, reconnecting: ${message}`)
    run(Effect.zipRight(Metric.increment(connectionErrorsTotal), log))
    state.down = true
  })

  client.on("close", () => {
    if (state.closing || state.down || !connectedOnce) return
    state.down = true
    run(Effect.logWarning(`${name}: connection lost, reconnecting`))
  })

  client.on("ready", () => {
    const errors = state.errorsInOutage
    const after = errors === 0 ? "" : ` after ${errors} connection error${errors === 1 ? "" : "s"}`
    if (connectedOnce && state.down) run(Effect.logInfo(`${name}: reconnected${after}`))
    else if (!connectedOnce && errors > 0) run(Effect.logInfo(`${name}: connected${after}`))
    connectedOnce = true
    state.down = false
    state.errorsInOutage = 0
    state.lastError = undefined
    // Best effort: INFO may be denied by an ACL; the health check then reports "unknown".
    state.persistence = client.info("persistence").then(
      (info) => {
        const match = aofPattern.exec(info)
        state.aofEnabled = match?.[1] === undefined ? undefined : match[1] === "1"
      },
      () => {
        state.aofEnabled = undefined
      }
    )
  })

  return state
}
