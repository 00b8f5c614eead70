/**
 * One boot run: `node boot.js <framework> <chain|tree> <n>` builds and starts an app of `n`
 * services, shuts it down, and announces the timings. A fresh process per run: boot is a
 * cold start, JIT included.
 */
import type { BootResult, Shape } from "./boot/graph.js"
import { isShape } from "./boot/graph.js"
import { announce, exitWithParent, failStartup } from "./ipc.js"

const frameworks: Record<string, () => Promise<{ readonly boot: (shape: Shape, n: number) => Promise<BootResult> }>> =
  {
    strata: () => import("./boot/strata.js"),
    effect: () => import("./boot/effect.js"),
    "strata-layers": () => import("./boot/strataLayers.js"),
    nestjs: () => import("./boot/nest.js"),
    awilix: () => import("./boot/awilix.js"),
    inversify: () => import("./boot/inversify.js")
  }

const main = async (): Promise<void> => {
  exitWithParent()
  const [name = "", shape = "", count = ""] = process.argv.slice(2)
  const load = frameworks[name]
  if (load === undefined) throw new Error(`unknown framework "${name}"`)
  if (!isShape(shape)) throw new Error(`unknown shape "${shape}"`)
  const n = Number(count)
  if (!Number.isInteger(n) || n < 1) throw new Error(`bad service count "${count}"`)
  // The framework's modules are loaded before the clock starts: boot, not module loading.
  const { boot } = await load()
  const result = await boot(shape, n)
  if (result.started !== n) throw new Error(`${name}: ${result.started} of ${n} services started`)
  announce({ figures: { bootMs: result.bootMs, stopMs: result.stopMs } })
}

main().catch(failStartup)
