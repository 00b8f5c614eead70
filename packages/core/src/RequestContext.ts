/**
 * The request context a fiber carries: request id, user id, trace id and any other
 * string fields. It flows to every fiber forked from the request, so logs, error reports,
 * spans and outgoing calls see it without passing it around — and without DI scopes.
 *
 * @since 0.1.0
 */
import { dual } from "effect/Function"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"

/**
 * @since 0.1.0
 * @category models
 */
export interface RequestContext {
  readonly requestId?: string | undefined
  readonly userId?: string | undefined
  readonly traceId?: string | undefined
  readonly spanId?: string | undefined
  readonly [key: string]: string | undefined
}

/**
 * The fiber-local request context. Empty outside a request.
 *
 * @since 0.1.0
 * @category fiber refs
 */
export const currentRequestContext: FiberRef.FiberRef<RequestContext> = FiberRef.unsafeMake<RequestContext>({})

/**
 * The request context of the current fiber.
 *
 * @example
 * ```ts
 * import { RequestContext } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const ctx = yield* RequestContext.get
 *   yield* Effect.log(`handling ${ctx.requestId}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const get: Effect.Effect<RequestContext> = FiberRef.get(currentRequestContext)

/**
 * Runs an effect with fields merged into the request context (the seeds'
 * `with request_context(...)`). Fields set to `undefined` are removed.
 *
 * @example
 * ```ts
 * import { RequestContext } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.log("administrative operation").pipe(
 *   RequestContext.withRequestContext({ requestId: "manual-123", userId: "admin" })
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRequestContext: {
  (context: RequestContext): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, context: RequestContext): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, context: RequestContext): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, currentRequestContext, (current) => merge(current, context))
)

/**
 * Merges fields into the current fiber's request context from here on (the seeds'
 * `set_user_id`); pass `undefined` to clear a field.
 *
 * @example
 * ```ts
 * import { RequestContext } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const login = Effect.gen(function*() {
 *   yield* RequestContext.annotate({ userId: "user-456" })
 *   yield* Effect.log("user context operation") // carries userId=user-456
 * })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const annotate = (context: RequestContext): Effect.Effect<void> =>
  FiberRef.update(currentRequestContext, (current) => merge(current, context))

const merge = (current: RequestContext, next: RequestContext): RequestContext => {
  // `Object.assign`, not `{ ...current }`: keys added to an object spread get a slow map in V8.
  const out: Record<string, string | undefined> = Object.assign({}, current)
  for (const key in next) {
    const value = next[key]
    if (value === undefined) delete out[key]
    else out[key] = value
  }
  return out
}
