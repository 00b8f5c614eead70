/**
 * The seeds' `@cached` / `cache_aside` and `@invalidate_cache`, as plain functions.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { CachedOptions, InvalidateOptions } from "./cacheModels.js"
import { Cache } from "./cacheTag.js"
import type { CacheError } from "./cacheError.js"
import { currentComponent } from "./cacheMetrics.js"

const withComponentOf = <A, E, R>(component: string | undefined, self: Effect.Effect<A, E, R>) =>
  component === undefined ? self : Effect.locally(self, currentComponent, component)

/** @internal */
export const cached = <Args extends ReadonlyArray<unknown>, A, I>(options: CachedOptions<Args, A, I>) =>
<E, R>(
  f: (...args: Args) => Effect.Effect<A, E, R>
): (...args: Args) => Effect.Effect<A, E | CacheError, R | Cache> =>
(...args) =>
  Effect.flatMap(Cache, (cache) => {
    const tags = typeof options.tags === "function" ? options.tags(...args) : options.tags
    const schema: Schema.Schema<A, I> = options.schema
    return withComponentOf(
      options.component,
      cache.getOrSet(options.key(...args), schema, Effect.suspend(() => f(...args)), {
        ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
        ...(tags === undefined ? {} : { tags })
      })
    )
  })

/** @internal */
export const invalidate = (options: InvalidateOptions): Effect.Effect<number, CacheError, Cache> =>
  Effect.flatMap(Cache, (cache) =>
    withComponentOf(
      options.component,
      Effect.gen(function*() {
        let removed = 0
        if (options.keys !== undefined && options.keys.length > 0) removed += yield* cache.deleteMany(options.keys)
        for (const pattern of options.patterns ?? []) removed += yield* cache.deletePattern(pattern)
        if (options.tags !== undefined && options.tags.length > 0) removed += yield* cache.invalidateTags(options.tags)
        return removed
      })
    ))

/** @internal */
export const invalidating = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  options: InvalidateOptions
): Effect.Effect<A, E | CacheError, R | Cache> => Effect.tap(self, () => invalidate(options))
