/**
 * Setting a fiber ref on the running fiber directly (what the request-id and tracing
 * middleware do per request instead of a `FiberRef.set` effect).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, FiberRef } from "effect"
import * as fiberRefSet from "../src/internal/fiberRefSet.js"

describe("setOnRunningFiber", () => {
  it.effect("sets the ref on the running fiber: later reads and forked fibers see it", () =>
    Effect.gen(function*() {
      const ref = FiberRef.unsafeMake("initial")
      const set = yield* Effect.withFiberRuntime((fiber) => Effect.succeed(fiberRefSet.setOnRunningFiber(fiber, ref, "set")))
      expect(set).toBe(true)
      expect(yield* FiberRef.get(ref)).toBe("set")
      const child = yield* Effect.fork(FiberRef.get(ref))
      expect(yield* Fiber.join(child)).toBe("set")
    }))

  it.effect("a fiber without `setFiberRef` is left alone and the caller told to fall back", () =>
    Effect.gen(function*() {
      const ref = FiberRef.unsafeMake("initial")
      const set = yield* Effect.withFiberRuntime((fiber) => {
        const bare = new Proxy(fiber, { get: (target, key) => key === "setFiberRef" ? undefined : Reflect.get(target, key) })
        return Effect.succeed(fiberRefSet.setOnRunningFiber(bare, ref, "set"))
      })
      expect(set).toBe(false)
      expect(yield* FiberRef.get(ref)).toBe("initial")
    }))
})
