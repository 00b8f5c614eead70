/**
 * Examples for docs/cache.md (compiled by `npm run typecheck`).
 */
import { Cache } from "@strata/cache"
import { Health } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { Duration, Effect, Layer, Option, Schema } from "effect"

// A domain value and where it really comes from.
const Product = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  price: Schema.Number,
  updatedAt: Schema.DateFromString // encoded as an ISO string in the cache, a Date in your code
})
type Product = typeof Product.Type
declare const loadProduct: (id: string) => Effect.Effect<Product, "ProductNotFound">
declare const saveProduct: (product: Product) => Effect.Effect<void>

// --- 1. Layers: pick a backend ---

export const InMemory = Cache.layerMemory({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, defaultTtl: "5 minutes" })

export const OnRedis = Cache.layerRedis({ keyPrefix: "cache:", fallback: "memory" }).pipe(
  Layer.provide(RedisClient.layerConfig), // REDIS_URL, REDIS_KEY_PREFIX (e.g. "shop:")
  Layer.provide(Health.layer)
)

export const Disabled = Cache.layerNull()

// CACHE_BACKEND=memory|redis|null (default: redis when REDIS_URL is set, else memory);
// Redis is only built when the backend is redis.
export const FromConfig = Cache.layerConfigWithRedis(RedisClient.layerConfig).pipe(Layer.provide(Health.layer))

// --- 2. Operations ---

export const basics = Effect.gen(function*() {
  const cache = yield* Cache.Cache
  const key = Cache.key("product", "42") // "product:42"

  const product = yield* loadProduct("42")
  yield* cache.set(key, product, Product, { ttl: "15 minutes", tags: ["products", key] })
  const cached: Option.Option<Product> = yield* cache.get(key, Product)

  yield* cache.exists(key) //                       true
  yield* cache.increment("views:42", { ttl: "1 day" }) // 1, 2, 3, ... (atomic on Redis)
  yield* cache.delete(key) //                       true when something was removed
  yield* cache.deleteMany(["a", "b"]) //            how many were removed
  yield* cache.deletePattern("products:list:*") //  Redis glob, SCAN on Redis
  yield* cache.invalidateTag("products") //         every entry set with the tag
  const stats = yield* cache.stats //               { hits, misses, hitRate, entries, degraded, backend }
  return { cached, stats }
})

// --- 3. Get or load: one loader run per key, however many callers ---

export const productById = (id: string) =>
  Effect.flatMap(
    Cache.Cache,
    (cache) => cache.getOrSet(Cache.key("product", id), Product, loadProduct(id), { ttl: "15 minutes" })
  ) // Effect<Product, "ProductNotFound" | CacheError, Cache> — failures are not cached

// --- 4. cached / invalidating: the seed's @cached and @invalidate_cache as functions ---

export const getProduct = Cache.cached({
  key: (id: string) => Cache.key("product", id),
  schema: Product,
  ttl: "15 minutes",
  tags: (id) => ["products", Cache.key("product", id)],
  component: "product_service" // the metrics' component label
})(loadProduct)

export const updateProduct = (product: Product) =>
  saveProduct(product).pipe(
    Cache.invalidating({
      keys: [Cache.key("product", product.id)],
      patterns: ["products:list:*"],
      tags: ["catalog"]
    })
  )

// --- 5. User input in keys and patterns ---

export const sessionsOf = (userId: string) =>
  Effect.flatMap(Cache.Cache, (cache) =>
    // "*" as a user id matches only the literal "*", never every user's sessions
    cache.deletePattern(Cache.pattern`session:${userId}:*`))

// --- 6. Metrics labels per caller ---

export const profile = (userId: string) =>
  Effect.flatMap(Cache.Cache, (cache) => cache.get(Cache.key("user", userId, "profile"), Schema.String)).pipe(
    Cache.withComponent("user_profile")
  )

// --- 7. Strict mode: cache errors fail instead of degrading ---

export const StrictRedis = Cache.layerRedis({ strict: true, defaultTtl: Duration.infinity }).pipe(
  Layer.provide(RedisClient.layerConfig),
  Layer.provide(Health.layer)
)

export const mustCache = (product: Product) =>
  Effect.flatMap(Cache.Cache, (cache) => cache.set(Cache.key("product", product.id), product, Product)).pipe(
    Effect.catchTag("CacheError", (error) =>
      error.reason === "BackendFailure"
        ? Effect.logWarning(`cache unavailable: ${error.message}`)
        : Effect.die(error))
  )
