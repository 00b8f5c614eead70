/**
 * Row 4, subject: 1,000 Strata services as users write them — a `Context.Tag` each, a
 * `Layer.scoped` that reads its dependencies and acquires a resource, marked with
 * `Lifecycle.service` — built with `Strata.layerDefaults` under them, as `Strata.runMain`
 * does (including the service summary it logs).
 */
import { Lifecycle, Strata } from "@strata/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { type BootResult, dependenciesOf, rootOf, type Shape } from "./graph.js"

interface Node {
  readonly id: number
  readonly dependencies: number
}

/** @internal */
export const boot = async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  const tags = Array.from({ length: n }, (_, i) => Context.GenericTag<Node>(`bench/Service${i}`))
  const layerOf = (i: number): Layer.Layer<Node, never, Node | Lifecycle.Lifecycle> =>
    Lifecycle.service(
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
    )
  const wire = (i: number): Layer.Layer<Node, never, Lifecycle.Lifecycle> => {
    const dependencies = dependenciesOf(shape, i, n)
    if (dependencies.length === 0) return layerOf(i) as Layer.Layer<Node, never, Lifecycle.Lifecycle>
    const below = dependencies.length === 1
      ? wire(dependencies[0]!)
      : Layer.merge(wire(dependencies[0]!), wire(dependencies[1]!))
    return layerOf(i).pipe(Layer.provide(below))
  }
  const chain = (): Layer.Layer<Node, never, Lifecycle.Lifecycle> => {
    // Iterative for the chain: 1,000 nested calls of `wire` would be fine, but this is how
    // one would write a long list of layers anyway.
    let layer = layerOf(0) as Layer.Layer<Node, never, Lifecycle.Lifecycle>
    for (let i = 1; i < n; i++) layer = layerOf(i).pipe(Layer.provide(layer))
    return layer
  }
  const app = shape === "chain" ? chain() : wire(rootOf(shape, n))

  const scope = Effect.runSync(Scope.make())
  const services = await Effect.runPromise(
    Layer.buildWithScope(Layer.provideMerge(app, Strata.layerDefaults), scope).pipe(
      Effect.tap((context) => Lifecycle.logSummary.pipe(Effect.provide(context))),
      Effect.flatMap((context) => Context.get(context, Lifecycle.Lifecycle).services)
    )
  )
  const bootMs = performance.now() - started
  const stopping = performance.now()
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return {
    bootMs,
    stopMs: performance.now() - stopping,
    started: services.filter((s) => s.state === "running").length
  }
}
