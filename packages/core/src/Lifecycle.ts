/**
 * Managed services: mark a layer with `Lifecycle.service("cache", layer)` and its start-up
 * and shutdown are logged with their durations and listed by `Lifecycle.services` (name,
 * state, started at, start time) — the service summary.
 *
 * Ordering needs no registry: a layer graph builds dependencies before their dependents and
 * releases in exactly the reverse order (independent siblings start and stop concurrently).
 * `Lifecycle` only observes it.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as layerBuild from "./internal/layerBuild.js"
import * as internal from "./internal/lifecycle.js"

/**
 * @since 0.1.0
 * @category schemas
 */
export const ServiceState = Schema.Literal("starting", "running", "stopping", "stopped", "failed")

/**
 * @since 0.1.0
 * @category models
 */
export type ServiceState = typeof ServiceState.Type

/**
 * One managed service. `startedAt` is when its start-up began; `startMillis` how long it
 * took (set once it is running or failed); `stoppedAt` / `stopMillis` once it stopped;
 * `error` when it failed to start. Dates encode to ISO strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ServiceInfo = Schema.Struct({
  name: Schema.String,
  state: ServiceState,
  startedAt: Schema.Date,
  startMillis: Schema.optionalWith(Schema.Number, { exact: true }),
  stoppedAt: Schema.optionalWith(Schema.Date, { exact: true }),
  stopMillis: Schema.optionalWith(Schema.Number, { exact: true }),
  error: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type ServiceInfo = typeof ServiceInfo.Type

/**
 * The lifecycle service: the list of managed services, in start order.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const names = Effect.gen(function*() {
 *   const lifecycle = yield* Lifecycle.Lifecycle
 *   const services = yield* lifecycle.services
 *   return services.map((s) => `${s.name}: ${s.state}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Lifecycle extends Context.Tag("@strata/core/Lifecycle")<Lifecycle, Lifecycle.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Lifecycle {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Every managed service so far, in start order. */
    readonly services: Effect.Effect<ReadonlyArray<ServiceInfo>>
    /** Runs `start` as the start-up of service `name`; its shutdown is the closing of the scope. */
    readonly manage: <A, E, R>(name: string, start: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R | Scope.Scope>
  }
}

/**
 * Builds a `Lifecycle` service; prefer `layer`.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.flatMap(Lifecycle.make, (lifecycle) => lifecycle.services)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Lifecycle.Service> = internal.make

/**
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Lifecycle.summary.pipe(Effect.provide(Lifecycle.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Lifecycle> = Layer.effect(Lifecycle, internal.make)

/**
 * Runs `start` as the start-up of a managed service, within the current scope: logs
 * `starting <name>` and `<name> started in 12ms`; when the scope closes, logs `stopping <name>`
 * before whatever `start` acquired is released and `<name> stopped in 3ms` after. A failed
 * start is logged once, the service marked `failed`, and the error propagates unchanged.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Context, Effect, Layer } from "effect"
 *
 * class Worker extends Context.Tag("app/Worker")<Worker, { readonly busy: boolean }>() {}
 *
 * const WorkerLive = Layer.scoped(
 *   Worker,
 *   Effect.acquireRelease(Effect.succeed({ busy: false }), () => Effect.log("draining")).pipe(
 *     Lifecycle.manage("worker")
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export function manage(
  name: string
): <A, E, R>(start: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R | Scope.Scope | Lifecycle>
export function manage<A, E, R>(
  name: string,
  start: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | Scope.Scope | Lifecycle>
export function manage<A, E, R>(name: string, start?: Effect.Effect<A, E, R>) {
  // Name first in both styles, so `dual` (which wants the data first) does not fit.
  return start === undefined
    ? <A2, E2, R2>(self: Effect.Effect<A2, E2, R2>) => manageImpl(name, self)
    : manageImpl(name, start)
}

const manageImpl = <A, E, R>(name: string, start: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Lifecycle, (lifecycle) => lifecycle.manage(name, start))

/**
 * Marks a layer as a managed service. Same outputs and errors as `layer`; it additionally
 * needs `Lifecycle`. The wrapped layer keeps its identity in the layer graph (it is built
 * with the graph's memo map), so sharing and ordering are unchanged.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Context, Effect, Layer } from "effect"
 *
 * class Cache extends Context.Tag("app/Cache")<Cache, Map<string, string>>() {}
 *
 * const CacheLive = Lifecycle.service("cache", Layer.sync(Cache, () => new Map()))
 * // or: Layer.sync(Cache, () => new Map()).pipe(Lifecycle.service("cache"))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export function service(
  name: string
): <ROut, E, RIn>(layer: Layer.Layer<ROut, E, RIn>) => Layer.Layer<ROut, E, RIn | Lifecycle>
export function service<ROut, E, RIn>(
  name: string,
  layer: Layer.Layer<ROut, E, RIn>
): Layer.Layer<ROut, E, RIn | Lifecycle>
export function service<ROut, E, RIn>(name: string, layer?: Layer.Layer<ROut, E, RIn>) {
  return layer === undefined
    ? <ROut2, E2, RIn2>(self: Layer.Layer<ROut2, E2, RIn2>) => serviceImpl(name, self)
    : serviceImpl(name, layer)
}

const serviceImpl = <ROut, E, RIn>(
  name: string,
  layer: Layer.Layer<ROut, E, RIn>
): Layer.Layer<ROut, E, RIn | Lifecycle> =>
  Layer.scopedContext(
    Effect.flatMap(Lifecycle, (lifecycle) =>
      // Built with the graph's own memo map, so the wrapped layer stays shared (built once);
      // released by the service's finalizer, between its "stopping" and "stopped" lines.
      internal.hasRun(lifecycle)
        ? lifecycle[internal.runKey](name, (releases) => layerBuild.buildInto(layer, releases))
        : Effect.flatMap(Effect.scope, (scope) =>
          lifecycle.manage(
            name,
            Effect.flatMap(Layer.CurrentMemoMap, (memoMap) => layerBuild.buildWithMemoMap(layer, memoMap, scope))
          )))
  )

/**
 * The service summary as a table: counts per state, then one row per service.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Effect } from "effect"
 *
 * // services: 2 total, 2 running
 * //   NAME   STATE    STARTED AT                START  STOP  ERROR
 * //   db     running  2025-01-01T12:00:00.000Z  120ms  -
 * //   cache  running  2025-01-01T12:00:00.120Z  3ms    -
 * const print = Effect.flatMap(Lifecycle.summary, (table) => Effect.log(table))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const summary: Effect.Effect<string, never, Lifecycle> = Effect.flatMap(
  Lifecycle,
  (lifecycle) => Effect.map(lifecycle.services, internal.formatSummary)
)

/**
 * Logs the service summary at info level, annotated with `total`, `running` and `failed`.
 *
 * @example
 * ```ts
 * import { Lifecycle } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const main = Effect.zipRight(Lifecycle.logSummary, Effect.never)
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const logSummary: Effect.Effect<void, never, Lifecycle> = Effect.flatMap(Lifecycle, (lifecycle) =>
  Effect.flatMap(lifecycle.services, (services) =>
    Effect.logInfo(internal.formatSummary(services)).pipe(Effect.annotateLogs({
      total: services.length,
      running: services.filter((s) => s.state === "running").length,
      failed: services.filter((s) => s.state === "failed").length
    }))))
