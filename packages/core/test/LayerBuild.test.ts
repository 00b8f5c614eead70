/**
 * The contract of Strata's layer builder: the same graphs built by Effect's own
 * `Layer.buildWithScope` and by `Strata.buildWithScope` must behave the same.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Config,
  ConfigProvider,
  Context,
  Deferred,
  Effect,
  Exit,
  Fiber,
  FiberRef,
  HashMap,
  Layer,
  Logger,
  Option,
  Schedule,
  Scope,
  TestClock
} from "effect"
import { type Builder, builders } from "./fixtures/builders.js"

class A extends Context.Tag("test/A")<A, string>() {}
class B extends Context.Tag("test/B")<B, string>() {}
class C extends Context.Tag("test/C")<C, string>() {}
class S extends Context.Tag("test/S")<S, string>() {}

/** A timeline of what the layers did, and a resource that writes to it. */
const makeRecorder = () => {
  const events: Array<string> = []
  const record = (event: string) => Effect.sync(() => void events.push(event))
  const resource = (name: string) => Effect.acquireRelease(record(`acquire ${name}`), () => record(`release ${name}`))
  /** A layer for `tag` holding a resource called `name`, built after reading `needs`. */
  const holding = <I, Needs>(tag: Context.Tag<I, string>, name: string, needs: Effect.Effect<unknown, never, Needs>) =>
    Layer.scoped(tag, Effect.zipRight(needs, Effect.as(resource(name), name)))
  return { events, record, resource, holding }
}

/** Builds `layer` in a new scope, runs `use` with its context, closes the scope. */
const buildUseClose = <ROut, E, A>(
  build: Builder,
  layer: Layer.Layer<ROut, E>,
  use: (context: Context.Context<ROut>) => Effect.Effect<A>
) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const exit = yield* Effect.exit(Effect.flatMap(build(layer, scope), use))
    yield* Scope.close(scope, exit)
    return yield* exit
  })

for (const [name, build] of builders) {
  describe(`layer building contract: ${name}`, () => {
    it.effect("builds a layer used twice once, and its dependents after it", () => {
      const { events, holding } = makeRecorder()
      const shared = holding(S, "s", Effect.void)
      const a = holding(A, "a", S).pipe(Layer.provide(shared))
      const b = holding(B, "b", S).pipe(Layer.provide(shared))
      const c = holding(C, "c", Effect.all([A, B])).pipe(Layer.provide(Layer.merge(a, b)), Layer.provideMerge(shared))
      return Effect.gen(function*() {
        const values = yield* buildUseClose(build, c, (context) =>
          Effect.succeed([Context.get(context, C), Context.get(context, S)]))
        expect(values).toEqual(["c", "s"])
        expect(events.filter((e) => e === "acquire s")).toHaveLength(1)
        expect(events.indexOf("acquire s")).toBe(0)
        expect(events.slice(1, 3).sort()).toEqual(["acquire a", "acquire b"])
        expect(events[3]).toBe("acquire c")
        // Released in reverse: c, then a and b, then the shared layer once both let go of it.
        expect(events.slice(4)).toHaveLength(4)
        expect(events[4]).toBe("release c")
        expect(events.slice(5, 7).sort()).toEqual(["release a", "release b"])
        expect(events[7]).toBe("release s")
      })
    })

    it.effect("builds a Layer.fresh layer anew each time", () => {
      let built = 0
      const counted = Layer.effect(S, Effect.sync(() => `s${++built}`))
      const a = Layer.effect(A, S).pipe(Layer.provide(Layer.fresh(counted)))
      const b = Layer.effect(B, S).pipe(Layer.provide(Layer.fresh(counted)))
      const c = Layer.effect(C, S).pipe(Layer.provide(counted))
      return Effect.gen(function*() {
        const values = yield* buildUseClose(build, Layer.mergeAll(a, b, c), (context) =>
          Effect.succeed([Context.get(context, A), Context.get(context, B), Context.get(context, C)].sort()))
        expect(built).toBe(3)
        expect(values).toEqual(["s1", "s2", "s3"])
      })
    })

    it.effect("memoizes composite layers too: a Layer.tap used twice runs once", () => {
      let tapped = 0
      const shared = Layer.succeed(S, "s").pipe(Layer.tap(() => Effect.sync(() => tapped++)))
      const app = Layer.merge(
        Layer.effect(A, S).pipe(Layer.provide(shared)),
        Layer.effect(B, S).pipe(Layer.provide(shared))
      )
      return Effect.gen(function*() {
        yield* buildUseClose(build, app, () => Effect.void)
        expect(tapped).toBe(1)
      })
    })

    it.effect("builds merged layers concurrently: two that wait for each other do not deadlock", () =>
      Effect.gen(function*() {
        const toA = yield* Deferred.make<void>()
        const toB = yield* Deferred.make<void>()
        // Each signals the other, then waits for the other's signal.
        const signalThenWait = (signal: Deferred.Deferred<void>, wait: Deferred.Deferred<void>) =>
          Effect.zipRight(Deferred.succeed(signal, undefined), Deferred.await(wait))
        const a = Layer.effect(A, Effect.as(signalThenWait(toB, toA), "a"))
        const b = Layer.effect(B, Effect.as(signalThenWait(toA, toB), "b"))
        const values = yield* buildUseClose(build, Layer.mergeAll(a, b, Layer.succeed(C, "c")), (context) =>
          Effect.succeed([Context.get(context, A), Context.get(context, B), Context.get(context, C)]))
        expect(values).toEqual(["a", "b", "c"])
      }))

    it.effect("builds a layer requested by two concurrent branches once; both wait for it", () => {
      let built = 0
      const slow = Layer.effect(
        S,
        Effect.sleep("100 millis").pipe(Effect.zipRight(Effect.sync(() => built++)), Effect.as("s"))
      )
      const app = Layer.merge(
        Layer.effect(A, Effect.map(S, (s) => `a(${s})`)).pipe(Layer.provide(slow)),
        Layer.effect(B, Effect.map(S, (s) => `b(${s})`)).pipe(Layer.provide(slow))
      )
      return Effect.gen(function*() {
        const fiber = yield* Effect.fork(
          buildUseClose(build, app, (context) => Effect.succeed([Context.get(context, A), Context.get(context, B)]))
        )
        yield* TestClock.adjust("100 millis")
        expect(yield* Fiber.join(fiber)).toEqual(["a(s)", "b(s)"])
        expect(built).toBe(1)
      })
    })

    it.effect("a failed build releases what it built, in reverse order, before the error reaches the caller", () => {
      const { events, holding, record, resource } = makeRecorder()
      const before = holding(A, "a", Effect.void)
      const failing = Layer.scoped(B, Effect.zipRight(resource("b-partial"), Effect.fail("b broke" as const)))
      const app = failing.pipe(Layer.provide(before))
      return Effect.gen(function*() {
        const scope = yield* Scope.make()
        const exit = yield* Effect.exit(build(app, scope))
        yield* record("build over")
        yield* Scope.close(scope, exit)
        expect(exit).toEqual(Exit.fail("b broke"))
        expect(events).toEqual(["acquire a", "acquire b-partial", "release b-partial", "release a", "build over"])
      })
    })

    it.effect("Layer.catchAll: the fallback is built after the failed layer released its part", () => {
      const { events, holding, resource } = makeRecorder()
      const failing = Layer.scoped(A, Effect.zipRight(resource("primary"), Effect.fail("down" as const)))
      const fallback = holding(A, "fallback", Effect.void)
      const app = Layer.effect(B, Effect.map(A, (a) => `b over ${a}`)).pipe(
        Layer.provide(Layer.catchAll(failing, (error) => (error === "down" ? fallback : Layer.fail(error))))
      )
      return Effect.gen(function*() {
        const value = yield* buildUseClose(build, app, (context) => Effect.succeed(Context.get(context, B)))
        expect(value).toBe("b over fallback")
        expect(events).toEqual(["acquire primary", "release primary", "acquire fallback", "release fallback"])
      })
    })

    it.effect("a failed layer stays failed: requested again, it is not built again", () => {
      let attempts = 0
      const failing = Layer.effect(S, Effect.zipRight(Effect.sync(() => attempts++), Effect.fail("no" as const)))
      const app = Layer.merge(
        Layer.catchAll(Layer.effect(A, S).pipe(Layer.provide(failing)), () => Layer.succeed(A, "a")),
        Layer.catchAll(Layer.effect(B, S).pipe(Layer.provide(failing)), () => Layer.succeed(B, "b"))
      )
      return Effect.gen(function*() {
        const values = yield* buildUseClose(build, app, (context) =>
          Effect.succeed([Context.get(context, A), Context.get(context, B)]))
        expect(values).toEqual(["a", "b"])
        expect(attempts).toBe(1)
      })
    })

    it.effect("Layer.retry builds a failing layer anew until it succeeds", () => {
      let attempts = 0
      const flaky = Layer.effect(
        S,
        Effect.suspend(() => (++attempts < 3 ? Effect.fail("not yet" as const) : Effect.succeed("s")))
      )
      const app = Layer.effect(A, Effect.map(S, (s) => `a(${s})`)).pipe(
        Layer.provide(Layer.retry(flaky, Schedule.recurs(3)))
      )
      return Effect.gen(function*() {
        const value = yield* buildUseClose(build, app, (context) => Effect.succeed(Context.get(context, A)))
        expect(value).toBe("a(s)")
        expect(attempts).toBe(3)
      })
    })

    it.effect("Layer.unwrapScoped: the resources of the effect that makes the layer outlive the build", () => {
      const { events, holding, resource } = makeRecorder()
      const app = Layer.unwrapScoped(Effect.as(resource("maker"), holding(A, "made", Effect.void)))
      return Effect.gen(function*() {
        const value = yield* buildUseClose(build, app, (context) => Effect.succeed(Context.get(context, A)))
        expect(value).toBe("made")
        expect(events).toEqual(["acquire maker", "acquire made", "release made", "release maker"])
      })
    })

    it.effect("when a branch of a merge fails, the other is interrupted and releases what it holds", () => {
      const { events, resource } = makeRecorder()
      const slow = Layer.scoped(A, Effect.zipRight(resource("slow"), Effect.as(Effect.never, "a")))
      const failing = Layer.effect(B, Effect.zipRight(Effect.sleep("10 millis"), Effect.fail("b broke" as const)))
      return Effect.gen(function*() {
        const fiber = yield* Effect.fork(buildUseClose(build, Layer.merge(slow, failing), () => Effect.void))
        yield* TestClock.adjust("10 millis")
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))).toBe("b broke")
        expect(events).toEqual(["acquire slow", "release slow"])
      })
    })

    it.effect("interrupting a build releases what it acquired, also under a layer being waited for", () => {
      const { events, resource } = makeRecorder()
      const stuck = Layer.scoped(S, Effect.zipRight(resource("stuck"), Effect.as(Effect.never, "s")))
      const app = Layer.merge(
        Layer.effect(A, S).pipe(Layer.provide(stuck)),
        Layer.effect(B, S).pipe(Layer.provide(stuck))
      )
      return Effect.gen(function*() {
        const scope = yield* Scope.make()
        const fiber = yield* Effect.fork(build(app, scope))
        yield* TestClock.adjust("1 second")
        expect(events).toEqual(["acquire stuck"])
        yield* Fiber.interrupt(fiber)
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(events).toEqual(["acquire stuck", "release stuck"])
        yield* Scope.close(scope, Exit.void)
        expect(events).toEqual(["acquire stuck", "release stuck"])
      })
    })

    it.effect("a config provider set by a layer reaches the layers after it and the fiber that built it", () => {
      const provider = Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["name", "from-map"]])))
      const reader = Layer.effect(A, Config.string("name").pipe(Effect.orDie))
      const app = Layer.merge(
        reader.pipe(Layer.provide(provider)),
        Layer.effect(B, Config.string("name").pipe(Effect.orDie)).pipe(Layer.provide(provider))
      )
      return Effect.gen(function*() {
        const scope = yield* Scope.make()
        const context = yield* build(app, scope)
        expect([Context.get(context, A), Context.get(context, B)]).toEqual(["from-map", "from-map"])
        expect(yield* Config.string("name")).toBe("from-map")
        yield* Scope.close(scope, Exit.void)
      }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["name", "outer"]]))))
    })

    it.effect("a logger installed by a layer gets the logs of the layers after it, also on a memo hit", () => {
      const lines: Array<string> = []
      const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => lines.push(String(message))))
      const logging = <I>(tag: Context.Tag<I, string>, line: string) =>
        Layer.effect(tag, Effect.as(Effect.log(line), line)).pipe(Layer.provide(capture))
      const app = Layer.merge(logging(A, "from a"), logging(B, "from b"))
      return Effect.gen(function*() {
        const scope = yield* Scope.make()
        yield* build(app, scope)
        yield* Effect.log("after the build")
        yield* Scope.close(scope, Exit.void)
        expect(lines.sort()).toEqual(["after the build", "from a", "from b"])
      }).pipe(Effect.provide(Logger.remove(Logger.defaultLogger)))
    })

    it.effect("Layer.locallyScoped lasts until the scope closes; Layer.locally only for its layer", () => {
      const ref = FiberRef.unsafeMake("initial")
      const read = <I>(tag: Context.Tag<I, string>) => Layer.effect(tag, FiberRef.get(ref))
      const app = Layer.mergeAll(
        read(A).pipe(Layer.provide(Layer.locallyScoped(ref, "scoped"))),
        read(B).pipe(Layer.locally(ref, "local"))
      )
      return Effect.gen(function*() {
        const scope = yield* Scope.make()
        const context = yield* build(app, scope)
        expect([Context.get(context, A), Context.get(context, B)]).toEqual(["scoped", "local"])
        expect(yield* FiberRef.get(ref)).toBe("scoped")
        yield* Scope.close(scope, Exit.void)
      })
    })

    it.effect("log annotations of Layer.annotateLogs apply to its layer only", () => {
      const annotations: Array<Record<string, unknown>> = []
      const capture = Logger.make(({ annotations: a }) => annotations.push(Object.fromEntries(HashMap.toEntries(a))))
      const app = Layer.merge(
        Layer.effectDiscard(Effect.log("inside")).pipe(Layer.annotateLogs({ component: "db" })),
        Layer.effectDiscard(Effect.log("outside"))
      )
      return Effect.gen(function*() {
        yield* buildUseClose(build, app, () => Effect.void)
        expect(annotations).toContainEqual({ component: "db" })
        expect(annotations).toContainEqual({})
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, capture)))
    })

    it.effect("the graph's memo map is Layer.CurrentMemoMap: a layer built with it inside the graph is shared", () => {
      let built = 0
      const shared = Layer.effect(S, Effect.sync(() => `s${++built}`))
      const viaMemoMap = Layer.scopedContext(
        Effect.gen(function*() {
          const memoMap = yield* Layer.CurrentMemoMap
          const scope = yield* Effect.scope
          const context = yield* Layer.buildWithMemoMap(shared, memoMap, scope)
          return Context.make(A, Context.get(context, S))
        })
      )
      const app = Layer.merge(viaMemoMap, Layer.effect(B, S)).pipe(Layer.provideMerge(shared))
      return Effect.gen(function*() {
        const values = yield* buildUseClose(build, app, (context) =>
          Effect.succeed([Context.get(context, A), Context.get(context, B)]))
        expect(values).toEqual(["s1", "s1"])
        expect(built).toBe(1)
      })
    })

    it.effect("Layer.extendScope puts the layer's resources in the scope of whoever builds it", () => {
      const { events, holding, record } = makeRecorder()
      const extended = Layer.extendScope(holding(A, "a", Effect.void))
      return Effect.gen(function*() {
        const outer = yield* Scope.make()
        const inner = yield* Scope.make()
        yield* build(extended, inner).pipe(Scope.extend(outer))
        yield* Scope.close(inner, Exit.void)
        yield* record("inner closed")
        yield* Scope.close(outer, Exit.void)
        expect(events).toEqual(["acquire a", "inner closed", "release a"])
      })
    })
  })
}
