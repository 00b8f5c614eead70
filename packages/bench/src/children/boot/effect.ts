/**
 * Row 4, reference: the same graph as plain Effect 3 layers — no `Lifecycle`, no Strata
 * defaults, no logging — built by Effect's own builder (`Layer.buildWithScope`).
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import type { BootResult, Shape } from "./graph.js"
import { graph } from "./layers.js"

/** @internal */
export const boot = async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  let built = 0
  const app = graph<never>(shape, n, (_name, layer) => Layer.tap(layer, () => Effect.sync(() => built++)))
  const scope = Effect.runSync(Scope.make())
  await Effect.runPromise(Layer.buildWithScope(app, scope))
  const bootMs = performance.now() - started
  const stopping = performance.now()
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return { bootMs, stopMs: performance.now() - stopping, started: built }
}
