/**
 * Sets a fiber ref on the running fiber from inside `Effect.withFiberRuntime`, without the
 * effect `FiberRef.set` is (a `withFiberRuntime` and a `succeed`, plus the `zipRight` that
 * sequences it: three fiber steps per request on the hot path).
 *
 * Effect's fiber class has `setFiberRef` (what `FiberRef.set` itself calls), but the
 * `RuntimeFiber` interface does not list it; if a fiber ever lacks it, the caller falls back
 * to `FiberRef.set`.
 *
 * @internal
 */
import type * as Fiber from "effect/Fiber"
import type * as FiberRef from "effect/FiberRef"

/**
 * Sets `fiberRef` to `value` on `fiber`, which must be the fiber running the caller. Returns
 * `false` (and sets nothing) when the fiber cannot do it directly.
 *
 * @internal
 */
export const setOnRunningFiber = <A>(
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  fiberRef: FiberRef.FiberRef<A>,
  value: A
): boolean => {
  const set: unknown = Reflect.get(fiber, "setFiberRef")
  if (typeof set !== "function") return false
  set.call(fiber, fiberRef, value)
  return true
}
