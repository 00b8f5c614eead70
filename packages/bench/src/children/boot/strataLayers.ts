/**
 * Row 4, extra reference: the plain graph of `effect.ts` (no `Lifecycle`, no defaults, no
 * logging) built by Strata's builder (`Strata.buildWithScope`) instead of Effect's: the
 * builder's share of the Strata row, apart from `Lifecycle` and logging.
 */
import { Strata } from "@strata/core"
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
  await Effect.runPromise(Strata.buildWithScope(app, scope))
  const bootMs = performance.now() - started
  const stopping = performance.now()
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return { bootMs, stopMs: performance.now() - stopping, started: built }
}
