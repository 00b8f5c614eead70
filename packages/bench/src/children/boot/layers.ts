/**
 * The Effect layer graph of row 4: a `Context.Tag` per service and a `Layer.scoped` that
 * reads its dependencies and acquires a resource (released on shutdown), composed with
 * `Layer.provide` (and `Layer.merge` for the two children of a tree node), as users write it.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { type BootResult, dependenciesOf, rootOf, type Shape } from "./graph.js"

/** A built service. */
export interface Node {
  readonly id: number
  readonly dependencies: number
}

/** Marks a service's layer (Strata: `Lifecycle.service`), adding what the mark needs (`R`). */
export type Mark<R> = (name: string, layer: Layer.Layer<Node, never, Node>) => Layer.Layer<Node, never, Node | R>

/** The whole graph as one layer, each service marked with `mark`. */
export const graph = <R>(shape: Shape, n: number, mark: Mark<R>): Layer.Layer<Node, never, R> => {
  const tags = Array.from({ length: n }, (_, i) => Context.GenericTag<Node>(`bench/Service${i}`))
  const layerOf = (i: number) =>
    mark(
      `service-${i}`,
      Layer.scoped(
        tags[i]!,
        Effect.gen(function*() {
          const dependencies = yield* Effect.all(dependenciesOf(shape, i, n).map((j) => tags[j]!))
          return yield* Effect.acquireRelease(
            Effect.sync((): Node => ({ id: i, dependencies: dependencies.length })),
            () => Effect.void
          )
        })
      )
    ) as Layer.Layer<Node, never, R>
  if (shape === "chain") {
    let layer = layerOf(0)
    for (let i = 1; i < n; i++) layer = layerOf(i).pipe(Layer.provide(layer))
    return layer
  }
  const wire = (i: number): Layer.Layer<Node, never, R> => {
    const [left, right] = dependenciesOf(shape, i, n)
    if (left === undefined) return layerOf(i)
    const below = right === undefined ? wire(left) : Layer.merge(wire(left), wire(right))
    return layerOf(i).pipe(Layer.provide(below))
  }
  return wire(rootOf(shape, n))
}

/** Builds a layer into a scope (Effect's `Layer.buildWithScope` or `Strata.buildWithScope`). */
export type Builder = <ROut, E, RIn>(
  layer: Layer.Layer<ROut, E, RIn>,
  scope: Scope.Scope
) => Effect.Effect<Context.Context<ROut>, E, RIn>

/**
 * The plain graph (no `Lifecycle`, no defaults, no logging) built by `build`, then released:
 * the references that show what building with `Layer` costs by itself.
 */
export const bootPlain = (build: Builder) => async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  let built = 0
  const app = graph<never>(shape, n, (_name, layer) => Layer.tap(layer, () => Effect.sync(() => built++)))
  const scope = Effect.runSync(Scope.make())
  await Effect.runPromise(build(app, scope))
  const bootMs = performance.now() - started
  const stopping = performance.now()
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return { bootMs, stopMs: performance.now() - stopping, started: built }
}
