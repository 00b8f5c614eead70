/**
 * The `Cache` service over a `Store`: Schema encoding and decoding, TTL defaults, metrics,
 * stats, single-flight `getOrSet`, and what happens when the backend fails (strict: fail;
 * otherwise degrade to a miss or no-op, optionally through a memory tier, with the lost
 * invalidations replayed when the backend answers again).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import { constVoid } from "effect/Function"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { IncrementOptions, Service, SetOptions, Stats } from "./cacheModels.js"
import * as codec from "./cacheCodec.js"
import { type CacheError, invalidValue, messageOf } from "./cacheError.js"
import { makeDegrader } from "./cacheDegrade.js"
import { type Flights, singleFlight } from "./cacheFlight.js"
import { currentComponent, metricsFor, type OperationMetrics } from "./cacheMetrics.js"
import { makeReplay } from "./cacheReplay.js"
import { type Store, type SyncStore, ttlMillis } from "./cacheStore.js"

/** @internal */
export interface ServiceSettings {
  readonly store: Store
  /** Serves reads and writes while `store` fails (the `"memory"` fallback). */
  readonly tier: Store | undefined
  readonly defaultTtl: Duration.Duration
  readonly strict: boolean
  readonly component: string
  readonly logInterval: Duration.Duration
  readonly maxPending: number
}

interface Flight<A> {
  readonly value: A
  readonly fromCache: boolean
}

/** @internal */
export const make = (settings: ServiceSettings): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const { store, tier } = settings
    const backend = store.backend
    const metrics = metricsFor(backend, settings.component)
    const inflight: Flights = new Map()
    let hits = 0
    let misses = 0

    const degrader = makeDegrader({
      backend,
      logInterval: settings.logInterval,
      // entries written during the outage may be stale by the next one
      onRecover: tier === undefined ? Effect.void : Effect.ignore(tier.clear)
    })
    const replay = yield* makeReplay(store, settings.maxPending)

    // Metrics, clock and metric labels are read once per operation, synchronously: each
    // step that is an effect of its own costs a fiber instruction on every cache call.
    const metricsOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>, operation: string): OperationMetrics =>
      metrics(fiber.getFiberRef(currentComponent), operation, fiber.getFiberRef(FiberRef.currentMetricLabels))

    const clockOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>): Clock.Clock =>
      Context.get(fiber.currentDefaultServices, Clock.Clock)

    const secondsSince = (clock: Clock.Clock, start: bigint): number =>
      Number(clock.unsafeCurrentTimeNanos() - start) / 1e9

    const instrument = <A, E, R>(
      operation: string,
      f: (m: OperationMetrics) => Effect.Effect<A, E, R>
    ): Effect.Effect<A, E, R> =>
      Effect.withFiberRuntime((fiber) => {
        const m = metricsOf(fiber, operation)
        const clock = clockOf(fiber)
        const start = clock.unsafeCurrentTimeNanos()
        return Effect.onExit(f(m), () => {
          m.done(secondsSince(clock, start))
          return Effect.void
        })
      })

    // A store that answers at once (memory): `get` and `set` in one step, with the same
    // metrics. Anything unusual (a value that does not decode at once, a TTL of zero) takes
    // the general path, which has run no part of the operation yet.
    const syncGet = <A, I>(
      sync: SyncStore,
      key: string,
      schema: Schema.Schema<A, I>,
      general: () => Effect.Effect<Option.Option<A>, CacheError>
    ): Effect.Effect<Option.Option<A>, CacheError> =>
      Effect.withFiberRuntime((fiber) => {
        const clock = clockOf(fiber)
        const start = clock.unsafeCurrentTimeNanos()
        const found = sync.get(key, clock.unsafeCurrentTimeMillis())
        const value: Option.Option<A> = Option.isNone(found) ? Option.none() : codec.decodeNow(schema, found.value)
        if (Option.isSome(found) && Option.isNone(value)) return general()
        const m = metricsOf(fiber, "get")
        count(m, Option.isSome(value))
        m.done(secondsSince(clock, start))
        return Effect.succeed(value)
      })

    const syncSet = <A, I>(
      sync: SyncStore,
      key: string,
      value: A,
      schema: Schema.Schema<A, I>,
      options: SetOptions | undefined,
      general: () => Effect.Effect<void, CacheError>
    ): Effect.Effect<void, CacheError> =>
      Effect.withFiberRuntime((fiber) => {
        const ttl = ttlOf(options?.ttl)
        const text = ttl !== undefined && ttl <= 0 ? Option.none() : codec.encodeNow(schema, value)
        if (Option.isNone(text)) return general()
        const clock = clockOf(fiber)
        const start = clock.unsafeCurrentTimeNanos()
        sync.set(key, text.value, ttl, options?.tags ?? [], clock.unsafeCurrentTimeMillis())
        metricsOf(fiber, "set").done(secondsSince(clock, start))
        return Effect.void
      })

    /** A backend failure: strict fails; otherwise the degradation is logged and counted and `fallback` answers. */
    const degradeOr = <A>(
      operation: string,
      m: OperationMetrics,
      error: CacheError,
      fallback: (error: CacheError) => Effect.Effect<A, CacheError>
    ): Effect.Effect<A, CacheError> =>
      error.reason !== "BackendFailure" || settings.strict
        ? Effect.fail(error)
        : Effect.zipRight(Effect.zipRight(degrader.failed(operation, error), Effect.sync(m.degraded)), fallback(error))

    /** Runs `primary` on the store (after replaying lost invalidations), degrading as `degradeOr` says. */
    const guarded = <A>(
      operation: string,
      m: OperationMetrics,
      primary: Effect.Effect<A, CacheError>,
      fallback: (error: CacheError) => Effect.Effect<A, CacheError>
    ): Effect.Effect<A, CacheError> =>
      Effect.matchEffect(replay.pending() === 0 ? primary : Effect.zipRight(replay.flush, primary), {
        onSuccess: (value) => degrader.inBurst() ? Effect.as(degrader.succeeded, value) : Effect.succeed(value),
        onFailure: (error) => degradeOr(operation, m, error, fallback)
      })

    const onTier = <A>(f: (tier: Store) => Effect.Effect<A, CacheError>, otherwise: A): Effect.Effect<A, CacheError> =>
      tier === undefined ? Effect.succeed(otherwise) : f(tier)

    const ttlOf = (ttl: Duration.DurationInput | undefined): number | undefined =>
      ttlMillis(ttl ?? settings.defaultTtl)

    // A stored text as a value; none = it no longer decodes (the schema changed since it was
    // written): a miss, and the value goes.
    const decodeFound = <A, I>(
      operation: string,
      m: OperationMetrics,
      key: string,
      schema: Schema.Schema<A, I>,
      found: Option.Option<string>
    ): Effect.Effect<Option.Option<A>, CacheError> =>
      Option.isNone(found) ? Effect.succeedNone : codec.decode(schema, found.value).pipe(
        Effect.asSome,
        Effect.catchAll((cause) =>
          Effect.logDebug("Cached value no longer decodes; removing it").pipe(
            Effect.annotateLogs({ backend, key, error: messageOf(cause) }),
            Effect.zipRight(Effect.ignore(guarded(operation, m, store.delete([key]), () => Effect.succeed(0)))),
            Effect.as(Option.none<A>())
          )
        )
      )

    const readFallback = (key: string, onDegraded: () => void) => () => {
      onDegraded()
      return onTier((t) => t.get(key), Option.none())
    }

    // get without metrics; none = a miss (absent, or no longer decodes)
    const read = <A, I>(
      operation: string,
      m: OperationMetrics,
      key: string,
      schema: Schema.Schema<A, I>,
      onDegraded: () => void
    ): Effect.Effect<Option.Option<A>, CacheError> =>
      Effect.flatMap(
        guarded(operation, m, store.get(key), readFallback(key, onDegraded)),
        (found) => decodeFound(operation, m, key, schema, found)
      )

    const write = <A, I>(
      operation: string,
      m: OperationMetrics,
      key: string,
      value: A,
      schema: Schema.Schema<A, I>,
      options: SetOptions | undefined,
      primary = true
    ): Effect.Effect<void, CacheError> =>
      codec.encode(schema, value).pipe(
        Effect.mapError((failure) =>
          failure._tag === "Schema"
            ? invalidValue(operation, backend, key, `Value does not encode: ${failure.cause.message}`, failure.cause)
            : invalidValue(operation, backend, key, `Value is not JSON: ${messageOf(failure.cause)}`, failure.cause)
        ),
        Effect.flatMap((text) => {
          const ttl = ttlOf(options?.ttl)
          const tags = options?.tags ?? []
          // a TTL of zero or less means "already expired": store nothing, drop what was there
          if (ttl !== undefined && ttl <= 0) return Effect.asVoid(remove(operation, m, [key]))
          if (!primary) return onTier((t) => t.set(key, text, ttl, tags), undefined)
          return guarded(operation, m, store.set(key, text, ttl, tags), () =>
            // the backend may still hold an older value: it must go when the backend is back
            Effect.zipRight(
              replay.add({ _tag: "Keys", keys: [key] }),
              onTier((t) => t.set(key, text, ttl, tags), undefined)
            ))
        })
      )

    const remove = (operation: string, m: OperationMetrics, keys: ReadonlyArray<string>) =>
      guarded(
        operation,
        m,
        store.delete(keys),
        () => Effect.zipRight(replay.add({ _tag: "Keys", keys }), onTier((t) => t.delete(keys), 0))
      )

    const count = (m: OperationMetrics, hit: boolean): void => {
      if (hit) {
        hits++
        m.hit()
      } else {
        misses++
        m.miss()
      }
    }

    const generalGet = <A, I>(key: string, schema: Schema.Schema<A, I>): Effect.Effect<Option.Option<A>, CacheError> =>
      instrument("get", (m) =>
        Effect.map(read("get", m, key, schema, constVoid), (found) => {
          count(m, Option.isSome(found))
          return found
        }))

    // The rest of a get that did not end at its reply: counted and recorded when it ends.
    const finishGet = <A>(
      m: OperationMetrics,
      clock: Clock.Clock,
      start: bigint,
      rest: Effect.Effect<Option.Option<A>, CacheError>
    ): Effect.Effect<Option.Option<A>, CacheError> =>
      Effect.onExit(
        Effect.map(rest, (value) => {
          count(m, Option.isSome(value))
          return value
        }),
        () => {
          m.done(secondsSince(clock, start))
          return Effect.void
        }
      )

    // A store that waits (Redis): `get` as the store's own effect and one continuation that
    // decodes, counts and records, instead of the general path's chain of combinators (each a
    // fiber step on every call). Pending replays and an open degradation burst take the
    // general path; what is unusual after the reply (a value that does not decode at once, a
    // backend failure) continues as the general path would.
    const asyncGet = <A, I>(key: string, schema: Schema.Schema<A, I>): Effect.Effect<Option.Option<A>, CacheError> =>
      Effect.withFiberRuntime((fiber) => {
        if (replay.pending() !== 0 || degrader.inBurst()) return generalGet(key, schema)
        const m = metricsOf(fiber, "get")
        const clock = clockOf(fiber)
        const start = clock.unsafeCurrentTimeNanos()
        return Effect.matchCauseEffect(store.get(key), {
          onSuccess: (found) => {
            const value: Option.Option<A> = Option.isNone(found) ? Option.none() : codec.decodeNow(schema, found.value)
            if (Option.isSome(found) && Option.isNone(value)) return finishGet(m, clock, start, decodeFound("get", m, key, schema, found))
            // a burst opened by another fiber while this one waited ends with this success
            if (degrader.inBurst()) return finishGet(m, clock, start, Effect.as(degrader.succeeded, value))
            count(m, Option.isSome(value))
            m.done(secondsSince(clock, start))
            return Effect.succeed(value)
          },
          onFailure: (cause) => {
            const error = Cause.failureOption(cause)
            if (Option.isNone(error)) return finishGet(m, clock, start, Effect.failCause(cause))
            return finishGet(
              m,
              clock,
              start,
              Effect.flatMap(
                degradeOr("get", m, error.value, readFallback(key, constVoid)),
                (found) => decodeFound("get", m, key, schema, found)
              )
            )
          }
        })
      })

    const get = <A, I>(key: string, schema: Schema.Schema<A, I>): Effect.Effect<Option.Option<A>, CacheError> =>
      store.sync === undefined
        ? asyncGet(key, schema)
        : syncGet(store.sync, key, schema, () => generalGet(key, schema))

    const set = <A, I>(
      key: string,
      value: A,
      schema: Schema.Schema<A, I>,
      options?: SetOptions
    ): Effect.Effect<void, CacheError> => {
      const general = () => instrument("set", (m) => write("set", m, key, value, schema, options))
      return store.sync === undefined ? general() : syncSet(store.sync, key, value, schema, options, general)
    }

    const getOrSet = <A, I, E, R>(
      key: string,
      schema: Schema.Schema<A, I>,
      loader: Effect.Effect<A, E, R>,
      options?: SetOptions
    ): Effect.Effect<A, E | CacheError, R> =>
      instrument("get_or_set", (m) => {
        // When the read degraded the write would fail the same way: it goes to the tier only,
        // and the call counts as one degradation.
        const lead: Effect.Effect<Flight<A>, E | CacheError, R> = Effect.suspend(() => {
          let degraded = false
          return Effect.flatMap(
            read("get_or_set", m, key, schema, () => {
              degraded = true
            }),
            (found): Effect.Effect<Flight<A>, E | CacheError, R> =>
              Option.isSome(found)
                ? Effect.succeed({ value: found.value, fromCache: true })
                : Effect.flatMap(loader, (value) =>
                  Effect.as(write("get_or_set", m, key, value, schema, options, !degraded), {
                    value,
                    fromCache: false
                  }))
          )
        })
        return Effect.map(singleFlight(inflight, key, lead), (flight) => {
          count(m, flight.fromCache)
          return flight.value
        })
      })

    const deleteMany = (keys: Iterable<string>): Effect.Effect<number, CacheError> =>
      instrument("delete_many", (m) => {
        const unique = Array.from(new Set(keys))
        return unique.length === 0 ? Effect.succeed(0) : remove("delete_many", m, unique)
      })

    const increment = (key: string, options?: IncrementOptions): Effect.Effect<number, CacheError> =>
      instrument("increment", (m) => {
        const by = options?.by ?? 1
        if (!Number.isSafeInteger(by)) {
          return Effect.fail(invalidValue("increment", backend, key, `Increment must be a safe integer, got ${by}`))
        }
        const ttl = ttlOf(options?.ttl)
        const ttlMs = ttl !== undefined && ttl <= 0 ? 1 : ttl
        return guarded("increment", m, store.increment(key, by, ttlMs), () =>
          onTier((t) => t.increment(key, by, ttlMs), by))
      })

    const invalidateTags = (tags: Iterable<string>): Effect.Effect<number, CacheError> =>
      instrument("invalidate_tag", (m) => {
        const unique = Array.from(new Set(tags))
        if (unique.length === 0) return Effect.succeed(0)
        return guarded("invalidate_tag", m, store.invalidateTags(unique), () =>
          Effect.zipRight(replay.add({ _tag: "Tags", tags: unique }), onTier((t) => t.invalidateTags(unique), 0)))
      })

    const service: Service = {
      backend,
      get,
      set,
      getOrSet,
      delete: (key) =>
        instrument("delete", (m) => Effect.map(remove("delete", m, [key]), (removed) => removed > 0)),
      deleteMany,
      exists: (key) =>
        instrument("exists", (m) =>
          guarded("exists", m, store.exists(key), () => onTier((t) => t.exists(key), false))),
      increment,
      deletePattern: (pattern) =>
        instrument("delete_pattern", (m) =>
          guarded("delete_pattern", m, store.deletePattern(pattern), () =>
            Effect.zipRight(
              replay.add({ _tag: "Pattern", pattern }),
              onTier((t) => t.deletePattern(pattern), 0)
            ))),
      invalidateTag: (tag) => invalidateTags([tag]),
      invalidateTags,
      clear: instrument("clear", (m) =>
        guarded("clear", m, store.clear, () =>
          Effect.zipRight(replay.add({ _tag: "Clear" }), onTier((t) => t.clear, undefined)))),
      stats: instrument("stats", (m) =>
        guarded("stats", m, store.size, () => onTier((t) => t.size, 0)).pipe(
          Effect.map((entries): Stats => ({
            backend,
            hits,
            misses,
            hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
            entries,
            degraded: degrader.total()
          }))
        ))
    }
    return service
  })
