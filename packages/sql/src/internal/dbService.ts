/**
 * The `Database` service shared by both back ends: ping, pool statistics, health check.
 *
 * @internal
 */
import * as Client from "@effect/sql/SqlClient"
import * as Errors from "@strata/core/Errors"
import * as Health from "@strata/core/Health"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { fromSqlError } from "../SqlErrors.js"

/** @internal */
export interface PoolStats {
  readonly total: number
  readonly idle: number
  readonly waiting: number
  readonly max: number
}

/** @internal */
export interface Service {
  readonly backend: "postgres" | "pglite"
  readonly ping: Effect.Effect<void, Errors.DatabaseError>
  readonly poolStats: Effect.Effect<Option.Option<PoolStats>>
}

/** @internal */
export class Database extends Context.Tag("@strata/sql/Database")<Database, Service>() {}

/** @internal */
export interface HealthOptions {
  /** Check name; default "database". `false` registers no check. */
  readonly name?: string | false | undefined
  /** Default 2 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
}

const toDatabaseError = (error: unknown): Errors.DatabaseError => {
  const mapped = fromSqlError(error)
  return mapped instanceof Errors.DatabaseError
    ? mapped
    : new Errors.DatabaseError({ message: mapped.message, retryable: false, cause: error })
}

/** @internal */
export const makeService = (
  backend: Service["backend"],
  sql: Client.SqlClient,
  poolStats: Effect.Effect<Option.Option<PoolStats>>,
  pingTimeout: Duration.DurationInput
): Service => {
  const timeout = Duration.decode(pingTimeout)
  return {
    backend,
    poolStats,
    ping: sql`SELECT 1`.pipe(
      Effect.asVoid,
      Effect.mapError(toDatabaseError),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new Errors.DatabaseError({
            message: `Database did not answer SELECT 1 within ${Duration.format(timeout)}`,
            operation: "ping",
            retryable: true
          })
      })
    )
  }
}

/** Registers the readiness check "database" when a `Health` service is around. @internal */
export const registerHealth = (
  service: Service,
  options: HealthOptions | undefined
): Effect.Effect<void, never, Scope.Scope> =>
  options?.name === false
    ? Effect.void
    : Effect.flatMap(Effect.serviceOption(Health.Health), (health) =>
      Option.match(health, {
        onNone: () => Effect.void,
        onSome: (health) =>
          health.register({
            name: typeof options?.name === "string" ? options.name : "database",
            kind: "readiness",
            timeout: options?.timeout ?? "2 seconds",
            check: Effect.zipRight(
              service.ping,
              Effect.map(service.poolStats, (stats) =>
                Option.match(stats, {
                  onNone: () => ({ backend: service.backend }),
                  onSome: (pool) => ({ backend: service.backend, pool })
                }))
            )
          })
      }))

/** Layer build failures become `DatabaseError`. @internal */
export const startupError = (error: unknown): Errors.DatabaseError => {
  const mapped = toDatabaseError(error)
  return new Errors.DatabaseError({
    message: `Database unavailable at start-up: ${mapped.message}`,
    operation: "connect",
    retryable: mapped.retryable,
    cause: error,
    ...(mapped.sqlState !== undefined ? { sqlState: mapped.sqlState } : {}),
    ...(mapped.details !== undefined ? { details: mapped.details } : {})
  })
}
