/**
 * Row 4: boot time of an application of 1,000 services, a fresh process per measurement
 * (modules loaded before the clock starts). Strata against a NestJS application context
 * (the target); for information awilix, inversify, and the same graph as plain Effect
 * layers (no Lifecycle, no defaults) built by Effect's builder and by Strata's.
 */
import { start } from "../harness/child.js"
import type { Comparison, Contender, Figure, Windows } from "../harness/compare.js"
import type { Shape } from "../children/boot/graph.js"

const figures: ReadonlyArray<Figure> = [
  { key: "bootMs", label: "boot ms", unit: "ms", better: "lower" },
  { key: "stopMs", label: "shutdown ms", unit: "ms", better: "lower" }
]

// A boot is one process run: the window does not apply, rounds do.
const windows: { readonly full: Windows; readonly smoke: Windows } = {
  full: { rounds: 5, windowMs: 0, warmupMs: 0 },
  smoke: { rounds: 1, windowMs: 0, warmupMs: 0 }
}

const boot = (label: string, framework: string, shape: Shape, services: number): Contender => ({
  label,
  measure: async () => {
    const child = await start("boot", { args: [framework, shape, String(services)], readyTimeoutMs: 120_000 })
    await child.stop()
    return child.ready.figures ?? {}
  }
})

const comparison = (id: string, shape: Shape, services: number): Comparison => ({
  id,
  title: `Boot: build and start ${services.toLocaleString("en-US")} services (${shape}), \`Lifecycle\` on each`,
  figures,
  windows,
  open: async () => ({
    subject: boot("Strata", "strata", shape, services),
    references: [
      { ...boot("NestJS", "nestjs", shape, services), targets: [{ figure: "bootMs", ratio: 0.5 }] },
      { ...boot("Effect layers alone", "effect", shape, services), targets: [] },
      { ...boot("Strata's builder, layers alone", "strata-layers", shape, services), targets: [] },
      { ...boot("awilix", "awilix", shape, services), targets: [], figures: ["bootMs"] },
      { ...boot("inversify", "inversify", shape, services), targets: [], figures: ["bootMs"] }
    ],
    close: async () => {}
  })
})

/** Rows 4a (chain) and 4b (tree); the smoke run boots 100 services. */
export const rows = (smoke: boolean): ReadonlyArray<Comparison> => {
  const services = smoke ? 100 : 1_000
  return [comparison("4a", "chain", services), comparison("4b", "tree", services)]
}
