/**
 * Row 7, subject: Strata's `Metrics` (a counter and a histogram labelled by method, route
 * and status, recorded from inside a running effect) and `Prometheus.render` of 1,000 series.
 */
import { Metrics, Prometheus } from "@strata/telemetry"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { buckets, check, labelSets, renderSeriesPerMetric } from "./data.js"
import { effectOpsPerSecond } from "./loops.js"
import type { Subject } from "./subject.js"

/** @internal */
export const make = async (): Promise<Subject> => {
  const runtime = ManagedRuntime.make(Metrics.layer())
  const setup = Effect.gen(function*() {
    const labelNames = ["method", "route", "status"] as const
    const requests = yield* Metrics.counter("bench_requests_total", { description: "Requests", labelNames })
    const duration = yield* Metrics.histogram("bench_request_duration_seconds", {
      description: "Request duration",
      labelNames,
      buckets
    })
    const renderCounter = yield* Metrics.counter("bench_render_total", {
      description: "Render fixture",
      labelNames: ["route"]
    })
    const renderHistogram = yield* Metrics.histogram("bench_render_seconds", {
      description: "Render fixture",
      labelNames: ["route"],
      buckets
    })
    for (let i = 0; i < renderSeriesPerMetric; i++) {
      yield* renderCounter.inc({ route: `/r/${i}` })
      yield* renderHistogram.observe({ route: `/r/${i}` }, i / 1000)
    }
    const text = yield* Prometheus.render
    check(text.split("\n").filter((line) => line.startsWith("bench_render_total{")).length === renderSeriesPerMetric,
      "Strata renders every counter series")
    check(text.includes(`bench_render_seconds_count{route="/r/0"} 1`), "Strata renders the histogram series")
    return { requests, duration }
  })
  const { duration, requests } = await runtime.runPromise(setup)
  return {
    run: (op, windowMs) => {
      switch (op) {
        case "counter":
          return runtime.runPromise(effectOpsPerSecond(windowMs, (i) => requests.inc(labelSets[i % labelSets.length]!)))
        case "histogram":
          return runtime.runPromise(
            effectOpsPerSecond(windowMs, (i) => duration.observe(labelSets[i % labelSets.length]!, (i % 100) / 1000))
          )
        case "render":
          return runtime.runPromise(
            Effect.gen(function*() {
              const started = performance.now()
              let renders = 0
              let bytes = 0
              do {
                bytes += (yield* Prometheus.render).length
                renders++
              } while (performance.now() < started + windowMs)
              return { opsPerSec: renders / ((performance.now() - started) / 1000), bytes: bytes / renders }
            })
          )
        default:
          return Promise.reject(new Error(`unknown op ${op}`))
      }
    },
    close: () => runtime.dispose()
  }
}
