/**
 * The users service: what the API does with users. It reads through the cache (a user by
 * id is cached; a change or a delete invalidates it), turns "no such row" into `NotFound`,
 * logs each change, and times every call in the `service_calls*` metrics.
 *
 * @since 0.1.0
 */
import { Cache } from "@strata/cache"
import { Errors } from "@strata/core"
import type { Pagination } from "@strata/sql"
import { Metrics } from "@strata/telemetry"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type NewUser, User, type UserId, type UserPatch } from "./User.js"
import { toListRequest, type UserListParams, type UserPage } from "./UserQuery.js"
import { UserRepository } from "./UserRepository.js"

/**
 * The users service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { UserService } from "./UserService.js"
 *
 * const ada = Effect.flatMap(UserService, (users) => users.get(1 as never))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class UserService extends Context.Tag("demo/UserService")<UserService, UserService.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace UserService {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly create: (user: NewUser) => Effect.Effect<User, Errors.AlreadyExists | Errors.DatabaseError>
    readonly get: (id: UserId) => Effect.Effect<User, Errors.NotFound | Errors.DatabaseError>
    readonly update: (
      id: UserId,
      patch: UserPatch
    ) => Effect.Effect<User, Errors.NotFound | Errors.AlreadyExists | Errors.DatabaseError>
    readonly delete: (id: UserId) => Effect.Effect<void, Errors.NotFound | Errors.DatabaseError>
    readonly list: (
      params: UserListParams
    ) => Effect.Effect<
      UserPage,
      Errors.ValidationFailed | Pagination.InvalidSortField | Pagination.InvalidCursor | Errors.DatabaseError
    >
  }
}

/**
 * How long a user stays cached: `USERS_CACHE_TTL` (YAML `users.cacheTtl`), default 5 minutes.
 * It also bounds how stale a read can be if an invalidation is lost.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { cacheTtl } from "./UserService.js"
 *
 * const ttl = Effect.runSync(cacheTtl) // 5 minutes unless configured
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cacheTtl: Config.Config<Duration.Duration> = Config.duration("cacheTtl").pipe(
  Config.nested("users"),
  Config.withDefault(Duration.minutes(5))
)

/**
 * The cache key of a user.
 *
 * @example
 * ```ts
 * import { cacheKey } from "./UserService.js"
 *
 * cacheKey(42 as never) // "user:42"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const cacheKey = (id: UserId): string => Cache.key("user", String(id))

// Cache operations of this service: their metrics carry `component="users"`, and a
// `CacheError` is a defect: it can only be `InvalidValue`, our own `User` failing to encode,
// a bug. (Backend outages never fail: the cache degrades to misses.)
const cached = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, WithoutCacheError<E>, R> =>
  self.pipe(
    Effect.catchIf((error): error is Extract<E, Cache.CacheError> => error instanceof Cache.CacheError, Effect.die),
    Cache.withComponent("users")
  )

type WithoutCacheError<E> = Exclude<E, Extract<E, Cache.CacheError>>

/**
 * Builds the service from the repository, the cache and the metrics.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { make } from "./UserService.js"
 *
 * const service = make // Effect<UserService.Service, ConfigError, UserRepository | Cache | Metrics>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  UserService.Service,
  ConfigError.ConfigError,
  UserRepository | Cache.Cache | Metrics.Metrics
> = Effect.gen(function*() {
  const repository = yield* UserRepository
  const cache = yield* Cache.Cache
  const metrics = yield* Metrics.Metrics
  const ttl = yield* cacheTtl

  const timed = (action: string) => metrics.timedServiceCall({ component: "users", action })
  const found = (id: UserId) => (user: Option.Option<User>) =>
    Option.match(user, { onNone: () => Effect.fail(Errors.notFound("User", id)), onSome: Effect.succeed })
  const forget = (id: UserId) => cached(cache.delete(cacheKey(id)))
  const get = (id: UserId) =>
    cache.getOrSet(cacheKey(id), User, Effect.flatMap(repository.findById(id), found(id)), { ttl }).pipe(
      cached,
      timed("get")
    )

  return {
    create: (user) =>
      repository.insert(user).pipe(
        Effect.tap((created) =>
          Effect.logInfo(`Created user ${created.username}`).pipe(Effect.annotateLogs({ userId: created.id }))
        ),
        timed("create")
      ),

    get,

    update: (id, patch) =>
      Object.keys(patch).length === 0
        ? get(id) // nothing to change
        : repository.update(id, patch).pipe(
          Effect.flatMap(found(id)),
          // After the write: a read between the two may cache the old row again for up to `ttl`.
          Effect.tap(() => forget(id)),
          Effect.tap((user) =>
            Effect.logInfo(`Updated user ${user.username}`).pipe(
              Effect.annotateLogs({ userId: id, fields: Object.keys(patch).join(",") })
            )
          ),
          timed("update")
        ),

    delete: (id) =>
      repository.delete(id).pipe(
        Effect.flatMap((deleted) => deleted ? Effect.void : Effect.fail(Errors.notFound("User", id))),
        Effect.tap(() => forget(id)),
        Effect.tap(() => Effect.logInfo("Deleted user").pipe(Effect.annotateLogs({ userId: id }))),
        timed("delete")
      ),

    list: (params) => toListRequest(params).pipe(Effect.flatMap(repository.list), timed("list"))
  }
})

/**
 * The service as a layer.
 *
 * @example
 * ```ts
 * import { Cache } from "@strata/cache"
 * import { Metrics } from "@strata/telemetry"
 * import { Layer } from "effect"
 * import * as UserRepository from "./UserRepository.js"
 * import { layer } from "./UserService.js"
 *
 * const UsersLive = layer.pipe(
 *   Layer.provide(UserRepository.layer),
 *   Layer.provide(Cache.layerMemory()),
 *   Layer.provide(Metrics.layer())
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  UserService,
  ConfigError.ConfigError,
  UserRepository | Cache.Cache | Metrics.Metrics
> = Layer.effect(UserService, make)
