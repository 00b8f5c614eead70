/**
 * Starts request fibers the way `Runtime.runFork` does, without effect's global fiber scope.
 *
 * `runFork` adds every fiber to a process-wide `Set` (what `Fiber.roots` lists) and an
 * observer that removes it again. Per request that is a `Set` insert and delete on a
 * long-lived set, and — measured with `--trace-gc-nvp` under load — it makes V8 pretenure
 * the per-request objects that end up next to it, so every scavenge promotes about a
 * megabyte of dead request state into the old generation (then 10–50 ms pauses). The server
 * tracks its in-flight requests itself, so the only thing lost is that request fibers do
 * not show up in `Fiber.roots`.
 *
 * The fiber class is not exported by effect; it is taken from a running fiber. If it ever
 * lacks what is used here, or a supervisor is installed, fibers start with `runFork`.
 *
 * @internal
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as Runtime from "effect/Runtime"
import type * as RuntimeFlags from "effect/RuntimeFlags"
import * as Supervisor from "effect/Supervisor"

/** Starts `effect` in a new fiber with `context`, synchronously as far as it goes. @internal */
export type Start = <A, E>(context: Context.Context<never>, effect: Effect.Effect<A, E>) => Fiber.RuntimeFiber<A, E>

/** What is used of effect's (internal) fiber class. */
interface StartableFiber<A, E> extends Fiber.RuntimeFiber<A, E> {
  readonly start: (effect: Effect.Effect<A, E>) => void
}

type FiberClass = new(
  id: FiberId.Runtime,
  fiberRefs: FiberRefs.FiberRefs,
  runtimeFlags: RuntimeFlags.RuntimeFlags
) => StartableFiber<unknown, unknown>

const fiberClass: Effect.Effect<FiberClass | undefined> = Effect.withFiberRuntime((fiber) => {
  const candidate: unknown = fiber.constructor
  const start: unknown = typeof candidate === "function" ? Reflect.get(candidate.prototype, "start") : undefined
  return Effect.succeed(typeof start === "function" ? candidate as FiberClass : undefined)
})

type Locals = FiberRefs.FiberRefs["locals"]

/**
 * A starter for fibers of `runtime` (its fiber refs, with `runtimeFlags`).
 *
 * @internal
 */
export const make = (
  runtime: Runtime.Runtime<never>,
  runtimeFlags: RuntimeFlags.RuntimeFlags
): Effect.Effect<Start> =>
  Effect.map(fiberClass, (Class): Start => {
    const supervised = FiberRefs.getOrDefault(runtime.fiberRefs, FiberRef.currentSupervisor) !== Supervisor.none
    if (Class === undefined || supervised) {
      return <A, E>(context: Context.Context<never>, effect: Effect.Effect<A, E>) =>
        Runtime.runFork(Runtime.make({ context, fiberRefs: runtime.fiberRefs, runtimeFlags }), effect)
    }
    // What `runFork` computes per fiber (each fiber ref's value for a forked fiber) does not
    // depend on the fiber: done once.
    const forked = FiberRefs.forkAs(runtime.fiberRefs, FiberId.unsafeMake())
    const locals = forked.locals
    const contextStack = locals.get(FiberRef.currentContext) ?? []
    return <A, E>(context: Context.Context<never>, effect: Effect.Effect<A, E>) => {
      const id = FiberId.unsafeMake()
      // What `FiberRefs.updateAs` gives, without its `new Map(map)` (2-3x slower than copying
      // the few entries one by one, ~1 % of a request's CPU in the profile).
      const fiberLocals: Locals = new Map()
      for (const [fiberRef, stack] of locals) fiberLocals.set(fiberRef, stack)
      fiberLocals.set(FiberRef.currentContext, [[id, context], ...contextStack])
      const fiberRefs = FiberRefs.unsafeMake(fiberLocals)
      const fiber = new Class(id, fiberRefs, runtimeFlags) as unknown as StartableFiber<A, E>
      fiber.start(effect)
      return fiber
    }
  })

