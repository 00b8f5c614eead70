/**
 * Row 4, subject: 1,000 Strata services as users write them (see `layers.ts`), each marked
 * with `Lifecycle.service`, started as `Strata.runMain` starts an app: `Strata.start` builds
 * the graph over `Strata.layerDefaults` with Strata's builder, logs the service summary and
 * hooks process failures; then the scope is closed by the same fiber, as on SIGTERM.
 */
import { Lifecycle, Strata } from "@strata/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import type { BootResult, Shape } from "./graph.js"
import { graph } from "./layers.js"

/** @internal */
export const boot = (shape: Shape, n: number): Promise<BootResult> => {
  const started = performance.now()
  const app = graph<Lifecycle.Lifecycle>(shape, n, (name, layer) => Lifecycle.service(name, layer))
  return Effect.runPromise(Effect.gen(function*() {
    const scope = yield* Scope.make()
    const context = yield* Strata.start(app).pipe(Scope.extend(scope))
    const services = yield* Context.get(context, Lifecycle.Lifecycle).services
    const bootMs = performance.now() - started
    const stopping = performance.now()
    yield* Scope.close(scope, Exit.void)
    return {
      bootMs,
      stopMs: performance.now() - stopping,
      started: services.filter((s) => s.state === "running").length
    }
  }))
}
