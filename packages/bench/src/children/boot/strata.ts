/**
 * Row 4, subject: 1,000 Strata services as users write them (see `layers.ts`), each marked
 * with `Lifecycle.service`, built over `Strata.layerDefaults` as `Strata.runMain` does
 * (including the service summary it logs).
 */
import { Lifecycle, Strata } from "@strata/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import type { BootResult, Shape } from "./graph.js"
import { graph } from "./layers.js"

/** @internal */
export const boot = async (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  const app = graph<Lifecycle.Lifecycle>(shape, n, (name, layer) => Lifecycle.service(name, layer))
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
