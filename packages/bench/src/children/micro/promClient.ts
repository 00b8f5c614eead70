/**
 * Row 7, reference: prom-client (a counter and a histogram with the same labels and
 * buckets, and `register.metrics()` of the same 1,000 series).
 */
import * as Prom from "prom-client"
import { batchSize, buckets, check, labelSets, renderSeriesPerMetric } from "./data.js"
import { opsPerSecond } from "./loops.js"
import type { Subject } from "./subject.js"

/** @internal */
export const make = async (): Promise<Subject> => {
  const register = new Prom.Registry()
  const labelNames = ["method", "route", "status"] as const
  const requests = new Prom.Counter({
    name: "bench_requests_total",
    help: "Requests",
    labelNames,
    registers: [register]
  })
  const duration = new Prom.Histogram({
    name: "bench_request_duration_seconds",
    help: "Request duration",
    labelNames,
    buckets: [...buckets],
    registers: [register]
  })
  const renderCounter = new Prom.Counter({
    name: "bench_render_total",
    help: "Render fixture",
    labelNames: ["route"],
    registers: [register]
  })
  const renderHistogram = new Prom.Histogram({
    name: "bench_render_seconds",
    help: "Render fixture",
    labelNames: ["route"],
    buckets: [...buckets],
    registers: [register]
  })
  for (let i = 0; i < renderSeriesPerMetric; i++) {
    renderCounter.inc({ route: `/r/${i}` })
    renderHistogram.observe({ route: `/r/${i}` }, i / 1000)
  }
  const text = await register.metrics()
  check(text.split("\n").filter((line) => line.startsWith("bench_render_total{")).length === renderSeriesPerMetric,
    "prom-client renders every counter series")
  let next = 0
  return {
    run: async (op, windowMs) => {
      switch (op) {
        case "counter":
          return opsPerSecond(windowMs, batchSize, () => {
            for (let k = 0; k < batchSize; k++) requests.inc(labelSets[next++ % labelSets.length]!)
          })
        case "histogram":
          return opsPerSecond(windowMs, batchSize, () => {
            for (let k = 0; k < batchSize; k++) {
              duration.observe(labelSets[next % labelSets.length]!, (next % 100) / 1000)
              next++
            }
          })
        case "render": {
          let bytes = 0
          let renders = 0
          const figures = await opsPerSecond(windowMs, 1, async () => {
            bytes += (await register.metrics()).length
            renders++
          })
          return { ...figures, bytes: bytes / renders }
        }
        default:
          throw new Error(`unknown op ${op}`)
      }
    },
    close: async () => {
      register.clear()
    }
  }
}
