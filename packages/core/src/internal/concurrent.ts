/**
 * Runs the branches of a merged layer concurrently: one fiber per branch, nothing else.
 * `Effect.all` with concurrency adds a coordinating fiber, a queue and a yield per element,
 * which is most of the cost of a merge in a graph of a thousand layers.
 *
 * Same outcome as `Effect.all(effects, { concurrency: "unbounded" })`: all succeed → their
 * values in order and every branch's fiber refs inherited (in order); the first failure →
 * the other branches interrupted (and awaited), then that failure.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

type Restore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/**
 * Waits for every fiber; on a failure, interrupts the others and waits for them. Only the
 * wait is interruptible (through `restore`): an interrupt of the waiting fiber interrupts
 * every branch and waits for them too.
 */
const awaitAll = <A, E>(
  fibers: ReadonlyArray<Fiber.RuntimeFiber<A, E>>,
  restore: Restore
): Effect.Effect<Array<A>, E> =>
  Effect.flatMap(
    restore(Effect.async<Cause.Cause<E> | undefined>((resume) => {
      let pending = fibers.length
      let done = false
      for (const fiber of fibers) {
        fiber.addObserver((exit) => {
          if (done) return
          if (Exit.isFailure(exit)) {
            done = true
            resume(Effect.succeed(exit.cause))
          } else if (--pending === 0) {
            done = true
            resume(Effect.succeed(undefined))
          }
        })
      }
      return Fiber.interruptAll(fibers)
    })),
    (firstFailure) =>
      firstFailure === undefined
        ? Effect.as(
          Effect.forEach(fibers, Fiber.inheritAll, { discard: true }),
          fibers.map((fiber) => (fiber.unsafePoll() as Exit.Success<A, E>).value)
        )
        : Effect.zipRight(
          Fiber.interruptAll(fibers),
          Effect.suspend(() => Effect.failCause(failures(fibers) ?? firstFailure))
        )
  )

/** The failures of the branches (an interruption we caused is no failure), in branch order. */
const failures = <A, E>(fibers: ReadonlyArray<Fiber.RuntimeFiber<A, E>>): Cause.Cause<E> | undefined => {
  let cause: Cause.Cause<E> | undefined = undefined
  for (const fiber of fibers) {
    const exit = fiber.unsafePoll()
    if (exit === null || Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) continue
    cause = cause === undefined ? exit.cause : Cause.parallel(cause, exit.cause)
  }
  return cause
}

/** @internal */
export const all = <A, E, R>(
  effects: ReadonlyArray<Effect.Effect<A, E, R>>,
  restore: Restore
): Effect.Effect<Array<A>, E, R> =>
  Effect.flatMap(Effect.forEach(effects, (effect) => Effect.fork(effect)), (fibers) => awaitAll(fibers, restore))
