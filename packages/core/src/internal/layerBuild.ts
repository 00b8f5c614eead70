/**
 * Strata's layer builder: a `Layer.MemoMap` with Effect's semantics (memoization by layer
 * identity, `Layer.fresh`, ref-counted release in reverse dependency order, fiber-ref
 * changes of a build replayed on memo hits) without Effect's per-node costs (a semaphore,
 * a `Deferred`, `Ref`s, a child `Scope` and a full `FiberRefs` diff for every node,
 * composites included).
 *
 * Effect's builder interprets a layer's primitive nodes and asks the memo map for every
 * child; this one interprets the same primitives itself and keeps its state in plain
 * JavaScript (the fiber runtime runs one fiber at a time, so no lock is needed):
 *
 * - the whole build is uninterruptible except the layers' own effects and the waits for a
 *   layer another fiber is building, so the bookkeeping of a node is one step, not a mask;
 * - what a layer's children need released is a `ReleaseList`, a plain array; only a
 *   `Layer.scoped` layer gets a real `Scope` (its effect may fork into it);
 * - the fiber refs before and after a node's build are kept (two references) and diffed
 *   only when the node is hit from elsewhere.
 *
 * @internal
 */
import type * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefsPatch from "effect/FiberRefsPatch"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Scope from "effect/Scope"
import * as concurrent from "./concurrent.js"
import * as Memo from "./layerMemo.js"
import { type Release, ReleaseList } from "./releaseList.js"

type AnyLayer = Layer.Layer<unknown, unknown, unknown>
type AnyContext = Context.Context<unknown>
type Build = Effect.Effect<AnyContext, unknown, unknown>
type Restore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/**
 * The primitive nodes of an Effect 3 layer (`effect/src/internal/layer.ts`, `_op_layer`).
 * Every constructor of `effect/Layer` produces one of these.
 */
type Primitive =
  | { readonly _op_layer: "FromEffect" | "Scoped"; readonly effect: Build }
  | { readonly _op_layer: "Locally"; readonly self: AnyLayer; readonly f: (effect: Build) => Build }
  | { readonly _op_layer: "ExtendScope" | "Fresh"; readonly layer: AnyLayer }
  | {
    readonly _op_layer: "Fold"
    readonly layer: AnyLayer
    readonly failureK: (cause: Cause.Cause<unknown>) => AnyLayer
    readonly successK: (context: AnyContext) => AnyLayer
  }
  | { readonly _op_layer: "Suspend"; readonly evaluate: () => AnyLayer }
  | { readonly _op_layer: "Provide"; readonly first: AnyLayer; readonly second: AnyLayer }
  | {
    readonly _op_layer: "ProvideMerge" | "ZipWith"
    readonly first: AnyLayer
    readonly second: AnyLayer
    readonly zipK: (left: AnyContext, right: AnyContext) => AnyContext
  }
  | { readonly _op_layer: "MergeAll"; readonly layers: ReadonlyArray<AnyLayer> }

const opOf = (layer: AnyLayer): Primitive["_op_layer"] => (layer as unknown as Primitive)._op_layer

/** Where the release of a built layer goes: a scope's finalizers or a release list. */
type Target = Scope.Scope | ReleaseList

const isScope = (target: Target): target is Scope.Scope => Predicate.hasProperty(target, Scope.ScopeTypeId)

/** Adds `release` to `target`; `undefined` when that took no effect (a release list). */
const addRelease = (target: Target, release: Release): Effect.Effect<void> | undefined =>
  isScope(target) ? Scope.addFinalizerExit(target, release) : target.add(release)

const succeedAfter = <A>(effect: Effect.Effect<void> | undefined, value: A): Effect.Effect<A> =>
  effect === undefined ? Effect.succeed(value) : Effect.as(effect, value)

/** A list run in parallel on release, its own release added to `target` (a merge's branches). */
const parallelIn = (target: Target): [ReleaseList, Effect.Effect<void> | undefined] => {
  const list = new ReleaseList(true)
  return [list, addRelease(target, (exit) => list.close(exit))]
}

/**
 * Runs `effect` with the context `f` makes of the current one: what `Layer.provide` gives the
 * layer it feeds (a replacement), and what `Scope.extend` gives a `Layer.scoped` effect (an
 * addition). The builder runs uninterruptibly, so the context is put back by a plain handler
 * instead of `Effect.locally`'s acquire/use/release.
 */
const withContext = (effect: Build, f: (context: Context.Context<never>) => Context.Context<never>): Build =>
  Effect.withFiberRuntime((fiber) => {
    const previous = fiber.getFiberRef(FiberRef.currentContext)
    const putBack = FiberRef.set(FiberRef.currentContext, previous)
    return FiberRef.set(FiberRef.currentContext, f(previous)).pipe(
      Effect.zipRight(effect),
      Effect.matchCauseEffect({
        onFailure: (cause) => Effect.zipRight(putBack, Effect.failCause(cause)),
        onSuccess: (built) => Effect.as(putBack, built)
      })
    )
  })

/** @internal */
export class MemoMap implements Layer.MemoMap {
  readonly [Layer.MemoMapTypeId]: Layer.MemoMapTypeId = Layer.MemoMapTypeId
  private readonly memos = new Map<AnyLayer, Memo.Memo>()

  /**
   * Called by Effect's builder for the children of a layer it interprets (a layer built
   * with `Layer.buildWithMemoMap` and this map). Adds one finalizer to `scope`: the release.
   */
  getOrElseMemoize<ROut, E, RIn>(
    layer: Layer.Layer<ROut, E, RIn>,
    scope: Scope.Scope
  ): Effect.Effect<Context.Context<ROut>, E, RIn> {
    return Effect.uninterruptibleMask((restore) => this.memoized(layer as AnyLayer, scope, restore)) as Effect.Effect<
      Context.Context<ROut>,
      E,
      RIn
    >
  }

  /** Builds `layer` as the root of a graph: a composite root is not itself memoized, as in Effect. */
  build(layer: AnyLayer, scope: Scope.Scope): Build {
    return Effect.uninterruptibleMask((restore) => this.interpret(layer, scope, restore))
  }

  /** Builds `layer` (memoized, composite or not) and adds its release to `list`. */
  buildInto(layer: AnyLayer, list: ReleaseList): Build {
    return Effect.uninterruptibleMask((restore) => this.memoized(layer, list, restore))
  }

  private memoized(layer: AnyLayer, target: Target, restore: Restore): Build {
    return Effect.withFiberRuntime((fiber) => {
      const found = this.memos.get(layer)
      if (found !== undefined) return this.reuse(found, target, restore)
      const memo = Memo.make(fiber.getFiberRefs())
      // Registered before anything yields, so a concurrent request for it waits instead of building it again.
      // A fresh layer is built anew each time it is met, as in Effect.
      if (opOf(layer) !== "Fresh") this.memos.set(layer, memo)
      return Effect.matchCauseEffect(this.interpretInto(layer, memo, restore), {
        onFailure: (cause) => Effect.zipRight(Memo.fail(memo, cause), Effect.failCause(cause)),
        onSuccess: (context) => {
          Memo.succeed(memo, context, fiber.getFiberRefs())
          return succeedAfter(
            addRelease(target, (exit) => {
              // Once its first user released it, the layer is built anew if asked again (as in Effect).
              if (this.memos.get(layer) === memo) this.memos.delete(layer)
              return Memo.release(memo, exit)
            }),
            context
          )
        }
      })
    })
  }

  /** The node's own build: a `Layer.scoped` effect gets a real scope, composites a release list. */
  private interpretInto(layer: AnyLayer, memo: Memo.Memo, restore: Restore): Build {
    const op = layer as unknown as Primitive
    switch (op._op_layer) {
      case "FromEffect":
        return restore(op.effect)
      case "Scoped":
        return Effect.flatMap(Scope.make(), (scope) => {
          memo.holds = scope
          return withContext(restore(op.effect), (context) => Context.add(context, Scope.Scope, scope))
        })
      default: {
        const list = new ReleaseList(false)
        memo.holds = list
        return this.interpret(layer, list, restore)
      }
    }
  }

  private reuse(memo: Memo.Memo, target: Target, restore: Restore): Build {
    const outcome = memo.outcome
    switch (outcome._tag) {
      case "Built": {
        memo.users++
        const patch = Memo.patchOf(memo)
        const patched = patch === FiberRefsPatch.empty
          ? Effect.succeed(outcome.context)
          : Effect.as(Effect.patchFiberRefs(patch), outcome.context)
        const added = addRelease(target, (exit) => Memo.release(memo, exit))
        return added === undefined ? patched : Effect.zipRight(added, patched)
      }
      case "Failed":
        return Effect.failCause(outcome.cause)
      case "Building":
        return Effect.flatMap(restore(Memo.wait(outcome.waiters)), () => this.reuse(memo, target, restore))
    }
  }

  /**
   * Builds one node unmemoized (a root, or the node of a memo); its children go through the
   * memo map and add their releases to `target`. A root leaf is memoized, as in Effect.
   */
  private interpret(layer: AnyLayer, target: Target, restore: Restore): Build {
    const op = layer as unknown as Primitive
    switch (op._op_layer) {
      case "FromEffect":
      case "Scoped":
        return this.memoized(layer, target, restore)
      case "Suspend":
        return this.memoized(op.evaluate(), target, restore)
      case "Locally":
        return op.f(this.memoized(op.self, target, restore))
      case "ExtendScope":
        return Effect.scopeWith((outer) => this.memoized(op.layer, outer, restore))
      case "Fresh":
        return this.fresh(op.layer, target, restore)
      case "Fold":
        return Effect.matchCauseEffect(this.memoized(op.layer, target, restore), {
          // An interrupted build does not go on to the fallback (Effect's builder stops there too).
          onFailure: (cause) =>
            Effect.zipRight(
              restore(Effect.void),
              Effect.suspend(() => this.memoized(op.failureK(cause), target, restore))
            ),
          onSuccess: (context) => this.memoized(op.successK(context), target, restore)
        })
      case "Provide":
        return Effect.flatMap(
          this.memoized(op.first, target, restore),
          // The second sees only what the first built (Effect replaces the context, it does not add to it).
          (context) => withContext(this.memoized(op.second, target, restore), () => context)
        )
      case "ProvideMerge":
        return Effect.zipWith(
          this.memoized(op.first, target, restore),
          this.memoized(op.second, target, restore),
          op.zipK
        )
      case "ZipWith":
        return Effect.suspend(() => {
          // Each side's release goes to one list, released in parallel: independent siblings stop together.
          const [both, added] = parallelIn(target)
          const zipped = Effect.map(
            concurrent.all([this.memoized(op.first, both, restore), this.memoized(op.second, both, restore)], restore),
            ([first, second]) => op.zipK(first, second)
          )
          return added === undefined ? zipped : Effect.zipRight(added, zipped)
        })
      case "MergeAll":
        return Effect.suspend(() => {
          const [all, added] = parallelIn(target)
          const merged = Effect.map(
            concurrent.all(op.layers.map((child) => this.memoized(child, all, restore)), restore),
            (contexts) => Context.mergeAll(...contexts)
          )
          return added === undefined ? merged : Effect.zipRight(added, merged)
        })
    }
    // A node this builder does not know (a newer Effect): Effect's own builder, with its own memo map.
    return this.fallback(layer, target, restore)
  }

  /** `Layer.fresh`: built by a new memo map (as Effect does), so nothing inside is shared with the graph. */
  private fresh(layer: AnyLayer, target: Target, restore: Restore): Build {
    const map = new MemoMap()
    return Effect.provideService(map.interpret(layer, target, restore), Layer.CurrentMemoMap, map)
  }

  private fallback(layer: AnyLayer, target: Target, restore: Restore): Build {
    if (isScope(target)) return restore(Layer.buildWithScope(layer, target))
    return Effect.flatMap(Scope.make(), (scope) => {
      const built = restore(Layer.buildWithScope(layer, scope))
      const added = target.add((exit) => Scope.close(scope, exit))
      return added === undefined ? built : Effect.zipRight(added, built)
    })
  }
}

/** @internal */
export const buildWithMemoMap = <ROut, E, RIn>(
  layer: Layer.Layer<ROut, E, RIn>,
  memoMap: Layer.MemoMap,
  scope: Scope.Scope
): Effect.Effect<Context.Context<ROut>, E, RIn> =>
  memoMap instanceof MemoMap
    ? Effect.provideService(memoMap.build(layer as AnyLayer, scope), Layer.CurrentMemoMap, memoMap) as Effect.Effect<
      Context.Context<ROut>,
      E,
      RIn
    >
    : Layer.buildWithMemoMap(layer, memoMap, scope)

/** @internal */
export const buildWithScope = <ROut, E, RIn>(
  layer: Layer.Layer<ROut, E, RIn>,
  scope: Scope.Scope
): Effect.Effect<Context.Context<ROut>, E, RIn> => Effect.suspend(() => buildWithMemoMap(layer, new MemoMap(), scope))

/**
 * Builds `layer` with the memo map of the graph being built (`Layer.CurrentMemoMap`) and adds
 * its release to `list`. Under Effect's builder, the layer gets a scope of its own, closed by
 * that release.
 *
 * @internal
 */
export const buildInto = <ROut, E, RIn>(
  layer: Layer.Layer<ROut, E, RIn>,
  list: ReleaseList
): Effect.Effect<Context.Context<ROut>, E, RIn> =>
  Effect.flatMap(Layer.CurrentMemoMap, (memoMap) =>
    memoMap instanceof MemoMap
      ? memoMap.buildInto(layer as AnyLayer, list) as Effect.Effect<Context.Context<ROut>, E, RIn>
      : Effect.flatMap(Scope.make(), (scope) => {
        list.add((exit) => Scope.close(scope, exit))
        return Layer.buildWithMemoMap(layer, memoMap, scope)
      }))
