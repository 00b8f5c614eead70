/**
 * The `Cache` tag, apart from `Cache.ts` so internal modules can use it without an import
 * cycle. Re-exported by `Cache`.
 *
 * @internal
 */
import * as Context from "effect/Context"
import type { Service } from "./cacheModels.js"

/**
 * The cache service. Build it with `layerMemory`, `layerRedis`, `layerNull` or `layerConfig`.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Effect, Schema } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const cache = yield* Cache.Cache
 *   yield* cache.set("greeting", "hello", Schema.String)
 *   return yield* cache.get("greeting", Schema.String)
 * }).pipe(Effect.provide(Cache.layerMemory()))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Cache extends Context.Tag("@strata/cache/Cache")<Cache, Service>() {}
