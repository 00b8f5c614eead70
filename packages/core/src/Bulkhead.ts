/**
 * A bulkhead: caps how many calls to one dependency run at once, with a bounded FIFO queue
 * behind it. When both are full, calls fail at once with `Errors.Unavailable` (reason
 * `"bulkhead-full"`) instead of piling up, so one slow dependency cannot take every fiber,
 * connection or socket of the process with it.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as internal from "./internal/bulkhead.js"
import type { Unavailable } from "./internal/systemErrors.js"

/**
 * Options of `make`: `name` (becomes `Unavailable.service`), `maxConcurrent` (calls
 * running at once, at least 1) and `maxQueue` (calls waiting for a slot, default 0 = no
 * waiting; `Infinity` = unbounded).
 *
 * @example
 * ```ts
 * import { Bulkhead } from "@strata/core"
 *
 * const options: Bulkhead.Options = { name: "reports", maxConcurrent: 4, maxQueue: 20 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly name: string
  readonly maxConcurrent: number
  readonly maxQueue?: number | undefined
}

/**
 * Calls running and calls waiting, right now.
 *
 * @example
 * ```ts
 * import { Bulkhead } from "@strata/core"
 *
 * const stats: Bulkhead.Stats = { running: 4, queued: 2 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly running: number
  readonly queued: number
}

/**
 * A bulkhead. `run` runs an effect in it: at once when a slot is free, after waiting in
 * line (first come, first served) when the queue has room, or not at all — failing with
 * `Errors.Unavailable` — when it is full. A call interrupted while queued leaves the line.
 *
 * @example
 * ```ts
 * import { Bulkhead, Errors } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const bulkhead: Bulkhead.Bulkhead
 * declare const render: Effect.Effect<Uint8Array, Errors.ExternalServiceError>
 *
 * // Effect<Uint8Array, ExternalServiceError | Unavailable>
 * const limited = bulkhead.run(render)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Bulkhead {
  readonly name: string
  readonly run: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | Unavailable, R>
  readonly stats: Effect.Effect<Stats>
}

/**
 * Makes a bulkhead. Make one per dependency and share it; each `make` has its own slots.
 *
 * @example
 * ```ts
 * import { Bulkhead, Errors } from "@strata/core"
 * import { Effect } from "effect"
 *
 * declare const renderPdf: (id: string) => Effect.Effect<Uint8Array, Errors.ExternalServiceError>
 *
 * const program = Effect.gen(function*() {
 *   const bulkhead = yield* Bulkhead.make({ name: "pdf-renderer", maxConcurrent: 2, maxQueue: 10 })
 *   return yield* Effect.forEach(["a", "b", "c"], (id) => bulkhead.run(renderPdf(id)), { concurrency: "unbounded" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<Bulkhead> = internal.make
