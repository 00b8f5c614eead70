/**
 * Health checks. Layers that talk to the world outside the process (a database, Redis, an
 * upstream API) register a named check for as long as they live; `report` runs the checks
 * concurrently, each under its own timeout, and sums them up as `healthy`, `degraded` or
 * `unhealthy`. The HTTP package serves `/health/live` and `/health/ready` from it.
 *
 * - **liveness** checks answer "is the process stuck?" — keep them cheap and in-process;
 *   a liveness report never runs a readiness check.
 * - **readiness** checks (the default) answer "can we serve traffic?" — database, cache, …
 *   Once `markShuttingDown` was called, readiness reports are `unhealthy` at once.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as internal from "./internal/health.js"

/**
 * Which probe a check belongs to.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Kind = Schema.Literal("liveness", "readiness")

/**
 * @since 0.1.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * Overall status: `degraded` when only non-critical checks are down, `unhealthy` when a
 * critical one is.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literal("healthy", "degraded", "unhealthy")

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * The outcome of one check in a report. `error` is set when it is down, `details` when it
 * is up and its effect returned something other than `undefined`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CheckResult = Schema.Struct({
  name: Schema.String,
  kind: Kind,
  critical: Schema.Boolean,
  status: Schema.Literal("up", "down"),
  durationMs: Schema.Number,
  error: Schema.optionalWith(Schema.String, { exact: true }),
  details: Schema.optionalWith(Schema.Unknown, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type CheckResult = typeof CheckResult.Type

/**
 * A health report, ready to be encoded as JSON. `timestamp` is an ISO-8601 string.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect, Schema } from "effect"
 *
 * const json = Health.report("readiness").pipe(
 *   Effect.map((report) => JSON.stringify(Schema.encodeSync(Health.Report)(report)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Report = Schema.Struct({
  status: Status,
  checks: Schema.Array(CheckResult),
  timestamp: Schema.String,
  durationMs: Schema.Number
})

/**
 * @since 0.1.0
 * @category models
 */
export type Report = typeof Report.Type

/**
 * A check to register. `check` succeeds when the dependency is fine (its value, when not
 * `undefined`, becomes the result's `details`); any failure, defect or timeout marks it down.
 * Defaults: `kind: "readiness"`, `critical: true`, `timeout: "2 seconds"`.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const ping: Health.Check = {
 *   name: "search",
 *   critical: false, // search down = degraded, not unhealthy
 *   timeout: "500 millis",
 *   check: Effect.succeed({ indices: 3 })
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Check {
  readonly name: string
  readonly kind?: Kind | undefined
  readonly critical?: boolean | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly check: Effect.Effect<unknown, unknown>
}

/**
 * Options of `make` / `layerWith`. `cacheTtl` (default: no cache) reuses a report for that
 * long, so a flood of probes does not turn into a flood of database pings. Registering,
 * unregistering and `markShuttingDown` drop the cache.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 *
 * const options: Health.Options = { cacheTtl: "1 second" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly cacheTtl?: Duration.DurationInput | undefined
}

/**
 * The health service.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const health = yield* Health.Health
 *   const report = yield* health.report("readiness")
 *   yield* Effect.log(`ready: ${report.status}`)
 * }).pipe(Effect.provide(Health.layer))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Health extends Context.Tag("@strata/core/Health")<Health, Health.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Health {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Adds a check until the current scope closes (a layer's check lives as long as the layer). */
    readonly register: (check: Check) => Effect.Effect<void, never, Scope.Scope>
    /** Runs the checks of one kind (all checks when omitted) concurrently and sums them up. */
    readonly report: (kind?: Kind) => Effect.Effect<Report>
    /** From now on readiness is `unhealthy` (a `shutdown` entry); liveness is unaffected. */
    readonly markShuttingDown: Effect.Effect<void>
    readonly isShuttingDown: Effect.Effect<boolean>
  }
}

/**
 * Builds a `Health` service; prefer `layer` / `layerWith`.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const health = yield* Health.make()
 *   return yield* health.report()
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<Health.Service> = internal.make

/**
 * The `Health` service, without a report cache.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Health.report().pipe(Effect.provide(Health.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Health> = Layer.effect(Health, internal.make())

/**
 * The `Health` service with options (e.g. a report cache).
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 *
 * const HealthLive = Health.layerWith({ cacheTtl: "1 second" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<Health> => Layer.effect(Health, internal.make(options))

/**
 * Registers a check until the current scope closes. Call it from a `Layer.scoped` so the
 * check goes away with the resource it probes.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Context, Effect, Layer } from "effect"
 *
 * class Db extends Context.Tag("app/Db")<Db, { readonly ping: Effect.Effect<void> }>() {}
 *
 * const DbLive = Layer.scoped(Db, Effect.gen(function*() {
 *   const db = { ping: Effect.void }
 *   yield* Health.register({ name: "db", check: db.ping })
 *   return db
 * }))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const register = (check: Check): Effect.Effect<void, never, Health | Scope.Scope> =>
  Effect.flatMap(Health, (health) => health.register(check))

/**
 * Runs the checks of one kind (every check when omitted) and returns the report.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const live = Health.report("liveness").pipe(Effect.map((r) => r.status))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const report = (kind?: Kind): Effect.Effect<Report, never, Health> =>
  Effect.flatMap(Health, (health) => health.report(kind))

/**
 * Flips readiness to `unhealthy` for good: call it the moment shutdown starts so load
 * balancers stop sending traffic while in-flight requests drain.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const onSigterm = Health.markShuttingDown.pipe(Effect.zipRight(Effect.log("draining")))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const markShuttingDown: Effect.Effect<void, never, Health> = Effect.flatMap(
  Health,
  (health) => health.markShuttingDown
)

/**
 * Whether `markShuttingDown` was called.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 *
 * const draining = Health.isShuttingDown
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const isShuttingDown: Effect.Effect<boolean, never, Health> = Effect.flatMap(
  Health,
  (health) => health.isShuttingDown
)

/**
 * A layer that only registers a check, to add one in a layer graph.
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect, Layer } from "effect"
 *
 * const DiskCheck = Health.layerCheck({ name: "disk", kind: "liveness", check: Effect.void })
 * const HealthLive = Layer.provideMerge(DiskCheck, Health.layer)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerCheck = (check: Check): Layer.Layer<never, never, Health> => Layer.scopedDiscard(register(check))

/**
 * The HTTP status a probe endpoint answers with: `503` when unhealthy, else `200`
 * (a degraded service still takes traffic).
 *
 * @example
 * ```ts
 * import { Health } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const status = Health.report("readiness").pipe(Effect.map(Health.httpStatus))
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const httpStatus = (report: Report): 200 | 503 => report.status === "unhealthy" ? 503 : 200
