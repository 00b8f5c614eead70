/**
 * One flight per key: the first caller of a key runs the work, later callers of the same key
 * await its result. When the caller running it is interrupted, the flight ends interrupted
 * and a waiter (not interrupted itself) takes over; failures reach every waiter and are not
 * kept.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

/** The flights running now, by key. @internal */
export type Flights = Map<string, Deferred.Deferred<unknown, unknown>>

/** Runs `lead` for `key` unless a flight for it is running, in which case its result. @internal */
export const singleFlight = <A, E, R>(flights: Flights, key: string, lead: Effect.Effect<A, E, R>): Effect.Effect<
  A,
  E,
  R
> => {
  const join: Effect.Effect<A, E, R> = Effect.uninterruptibleMask((restore) =>
    Effect.fiberIdWith((fiberId) => {
      const running = flights.get(key) as Deferred.Deferred<A, E> | undefined
      if (running !== undefined) {
        // `exit` inside `restore`: this fiber's own interruption is not captured
        return Effect.flatMap(
          restore(Effect.exit(Deferred.await(running))),
          (exit) => Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) ? join : exit
        )
      }
      const deferred = Deferred.unsafeMake<A, E>(fiberId)
      flights.set(key, deferred as Deferred.Deferred<unknown, unknown>)
      return restore(lead).pipe(
        Effect.onExit((exit) =>
          Effect.zipRight(
            Effect.sync(() => {
              if (flights.get(key) === deferred) flights.delete(key)
            }),
            Deferred.done(deferred, exit)
          )
        )
      )
    })
  )
  return join
}
