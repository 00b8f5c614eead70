import { describe, expect, it } from "@effect/vitest"
import { TestConfig } from "@strata/testing"
import { Metrics, Prometheus } from "@strata/telemetry"
import { Context, Effect, Fiber, Layer, Metric, Option, RuntimeFlags } from "effect"
import { createRequire } from "node:module"

// An independent parser (npm `parse-prometheus-text-format`, a port of the Python client's
// parser), so the tests do not check our output with our own reading of the format.
interface ParsedSample {
  readonly value?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly buckets?: Readonly<Record<string, string>>
  readonly quantiles?: Readonly<Record<string, string>>
  readonly count?: string
  readonly sum?: string
}
interface ParsedFamily {
  readonly name: string
  readonly help: string
  readonly type: string
  readonly metrics: ReadonlyArray<ParsedSample>
}
const parse = createRequire(import.meta.url)("parse-prometheus-text-format") as (
  text: string
) => ReadonlyArray<ParsedFamily>

const family = (text: string, name: string): ParsedFamily => {
  const found = parse(text).find((f) => f.name === name)
  if (found === undefined) throw new Error(`no family ${name} in:\n${text}`)
  return found
}

// Effect's metric registry is global to the process: every test uses its own metric names.
const MetricsLive = Metrics.layer()

describe("Prometheus.render", () => {
  it.effect("counters, gauges and histograms read back with the values recorded", () =>
    Effect.gen(function*() {
      const orders = yield* Metrics.counter("p1_orders_total", {
        description: "Orders placed",
        labelNames: ["channel"]
      })
      yield* orders.inc({ channel: "web" }, 3)
      yield* orders.inc({ channel: "app" })
      const temperature = yield* Metrics.gauge("p1_temperature_celsius")
      yield* temperature.set(-2.5)
      const latency = yield* Metrics.histogram("p1_latency_seconds", { description: "Latency", buckets: [0.1, 0.5, 1] })
      for (const value of [0.05, 0.3, 0.4, 7]) yield* latency.observe(value)

      const text = yield* Prometheus.render
      expect(text.endsWith("\n")).toBe(true)

      const counter = family(text, "p1_orders_total")
      expect(counter.type).toBe("COUNTER")
      expect(counter.help).toBe("Orders placed")
      expect(counter.metrics).toEqual([
        { labels: { channel: "web" }, value: "3" },
        { labels: { channel: "app" }, value: "1" }
      ])
      const gauge = family(text, "p1_temperature_celsius")
      expect(gauge.type).toBe("GAUGE")
      expect(gauge.help).toBe("")
      expect(gauge.metrics).toEqual([{ value: "-2.5" }])
      const histogram = family(text, "p1_latency_seconds")
      expect(histogram.type).toBe("HISTOGRAM")
      expect(histogram.metrics).toEqual([{
        buckets: { "0.1": "1", "0.5": "3", "1": "3", "+Inf": "4" },
        sum: "7.75",
        count: "4"
      }])
    }).pipe(Effect.provide(MetricsLive)))

  it.effect("labelled histograms write buckets, +Inf, sum and count per series", () =>
    Effect.gen(function*() {
      const h = yield* Metrics.histogram("p2_seconds", { labelNames: ["route"], buckets: [1, 2] })
      yield* h.observe({ route: "/a" }, 1.5)
      yield* h.observe({ route: "/a" }, 3)
      yield* h.observe({ route: "/b" }, 0.5)
      const text = yield* Prometheus.render
      const lines = text.split("\n").filter((line) => line.startsWith("p2_seconds"))
      expect(lines).toEqual([
        "p2_seconds_bucket{route=\"/a\",le=\"1\"} 0",
        "p2_seconds_bucket{route=\"/a\",le=\"2\"} 1",
        "p2_seconds_bucket{route=\"/a\",le=\"+Inf\"} 2",
        "p2_seconds_sum{route=\"/a\"} 4.5",
        "p2_seconds_count{route=\"/a\"} 2",
        "p2_seconds_bucket{route=\"/b\",le=\"1\"} 1",
        "p2_seconds_bucket{route=\"/b\",le=\"2\"} 1",
        "p2_seconds_bucket{route=\"/b\",le=\"+Inf\"} 1",
        "p2_seconds_sum{route=\"/b\"} 0.5",
        "p2_seconds_count{route=\"/b\"} 1"
      ])
      expect(text).toContain("# TYPE p2_seconds histogram\n")
      expect(family(text, "p2_seconds").type).toBe("HISTOGRAM")
    }).pipe(Effect.provide(MetricsLive)))

  it.effect("summaries write quantiles, sum and count; no samples yet is NaN", () =>
    Effect.gen(function*() {
      const sizes = yield* Metrics.summary("p3_payload_bytes", { description: "Payload sizes", quantiles: [0.5, 1] })
      for (let i = 1; i <= 9; i++) yield* sizes.observe(i * 100)
      yield* Metrics.summary("p3_empty_bytes", { quantiles: [0.5] })
      const text = yield* Prometheus.render
      const summary = family(text, "p3_payload_bytes")
      expect(summary.type).toBe("SUMMARY")
      // The quantile values are effect's estimate (error 1%); the text must carry them as they are.
      const [median] = (yield* sizes.value()).quantiles
      expect(summary.metrics).toEqual([{
        quantiles: { "0.5": String(Option.getOrThrow(median![1])), "1": "900" },
        sum: "4500",
        count: "9"
      }])
      expect(family(text, "p3_empty_bytes").metrics).toEqual([{ quantiles: { "0.5": "NaN" }, sum: "0", count: "0" }])
    }).pipe(Effect.provide(MetricsLive)))

  it.effect("label values and help texts are escaped and read back unchanged", () =>
    Effect.gen(function*() {
      const weird = ["C:\\DIR\\FILE.TXT", "say \"hi\"\nbye", "plain {braces}, commas = fine"]
      const files = yield* Metrics.counter("p4_file_access_total", {
        description: "Path \\ with backslash\nand a second line",
        labelNames: ["path"]
      })
      for (const path of weird) yield* files.inc({ path })
      const text = yield* Prometheus.render
      expect(text).toContain("# HELP p4_file_access_total Path \\\\ with backslash\\nand a second line\n")
      const parsed = family(text, "p4_file_access_total")
      expect(parsed.help).toBe("Path \\ with backslash\nand a second line")
      expect(parsed.metrics.map((m) => m.labels?.["path"])).toEqual(weird)
    }).pipe(Effect.provide(MetricsLive)))

  it.effect("metrics recorded with plain effect/Metric appear, frequencies as counters with a key label", () =>
    Effect.gen(function*() {
      const plain = Metric.counter("p5_plain_total", { description: "From another package" })
      yield* Metric.incrementBy(Metric.tagged(plain, "route", "/x"), 2)
      const words = Metric.frequency("p5_words", { description: "Words seen" })
      yield* Metric.update(words, "hello")
      yield* Metric.update(words, "hello")
      yield* Metric.update(words, "bye")
      yield* Metric.set(Metric.gauge("p5_not_a_number"), Number.NaN)
      yield* Metric.set(Metric.gauge("p5_infinite"), Number.POSITIVE_INFINITY)
      const big = Metric.counter("p5_big_total", { bigint: true })
      yield* Metric.incrementBy(big, BigInt(2) ** BigInt(64))

      const text = yield* Prometheus.render
      expect(family(text, "p5_plain_total").metrics).toEqual([{ labels: { route: "/x" }, value: "2" }])
      const frequency = family(text, "p5_words")
      expect(frequency.type).toBe("COUNTER")
      expect(frequency.metrics).toEqual([
        { labels: { key: "hello" }, value: "2" },
        { labels: { key: "bye" }, value: "1" }
      ])
      expect(family(text, "p5_not_a_number").metrics).toEqual([{ value: "NaN" }])
      expect(family(text, "p5_infinite").metrics).toEqual([{ value: "+Inf" }])
      expect(family(text, "p5_big_total").metrics).toEqual([{ value: "18446744073709551616" }])
    }))

  it.effect("effect's own fiber metrics appear when runtime metrics are enabled", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.void)
      yield* Fiber.join(fiber)
      const text = yield* Prometheus.render
      const started = family(text, "effect_fiber_started")
      expect(started.type).toBe("COUNTER")
      expect(Number(started.metrics[0]?.value)).toBeGreaterThan(0)
    }).pipe(Effect.provide(RuntimeFlags.enableRuntimeMetrics)))

  it.effect("default labels of the Metrics service go on every series; a series' own labels win", () =>
    Effect.gen(function*() {
      const jobs = yield* Metrics.counter("p6_jobs_total", { labelNames: ["env"] })
      yield* jobs.inc({ env: "staging" })
      yield* Metric.increment(Metric.counter("p6_plain_total"))
      const text = yield* Prometheus.render
      expect(family(text, "p6_jobs_total").metrics).toEqual([
        { labels: { env: "staging", service: "api" }, value: "1" }
      ])
      expect(family(text, "p6_plain_total").metrics).toEqual([{ labels: { service: "api", env: "prod" }, value: "1" }])
      // without the service (or with `renderWith`) there are none, or the ones given
      const bare = yield* Prometheus.render.pipe(
        Effect.mapInputContext((context: Context.Context<never>) => Context.omit(Metrics.Metrics)(context))
      )
      expect(bare).toContain("p6_plain_total 1\n")
      const other = yield* Prometheus.renderWith({ defaultLabels: { region: "eu" } })
      expect(other).toContain("p6_plain_total{region=\"eu\"} 1\n")
    }).pipe(Effect.provide(Metrics.layer({ defaultLabels: { service: "api", env: "prod" } }))))

  it.effect("names and label names are made valid; a name used with two types renders once", () =>
    Effect.gen(function*() {
      yield* Metric.increment(Metric.tagged(Metric.counter("p7-bad.name"), "bad-label", "v"))
      yield* Metric.increment(Metric.counter("7p_leading_digit"))
      yield* Metric.increment(Metric.counter("p7_mixed"))
      yield* Metric.set(Metric.gauge("p7_mixed"), 5)
      const text = yield* Prometheus.render
      expect(family(text, "p7_bad_name").metrics).toEqual([{ labels: { bad_label: "v" }, value: "1" }])
      expect(family(text, "_7p_leading_digit").metrics).toEqual([{ value: "1" }])
      expect(text.match(/# TYPE p7_mixed /g)).toHaveLength(1)
      expect(parse(text).filter((f) => f.name === "p7_mixed")).toHaveLength(1)
    }))

  it.effect("the same label set under two keys of one name is merged", () =>
    Effect.gen(function*() {
      // Same name and labels, but another description: effect keeps two series.
      yield* Metric.increment(Metric.tagged(Metric.counter("p8_total", { description: "one" }), "a", "x"))
      yield* Metric.incrementBy(Metric.tagged(Metric.counter("p8_total", { description: "two" }), "a", "x"), 2)
      const text = yield* Prometheus.render
      expect(family(text, "p8_total").metrics).toEqual([{ labels: { a: "x" }, value: "3" }])
    }))
})

describe("Prometheus HTTP", () => {
  it.effect("httpApp answers with the text and its content type", () =>
    Effect.gen(function*() {
      yield* Metric.increment(Metric.counter("p9_total"))
      const response = yield* Prometheus.httpApp
      expect(response.status).toBe(200)
      expect(response.body._tag).toBe("Uint8Array")
      if (response.body._tag !== "Uint8Array") return
      expect(response.body.contentType).toBe(Prometheus.contentType)
      expect(new TextDecoder().decode(response.body.body)).toContain("p9_total 1\n")
    }))

  it.scoped("serve listens on a port: /metrics is the text, other paths are 404", () =>
    Effect.gen(function*() {
      const jobs = yield* Metrics.counter("p10_jobs_total")
      yield* jobs.inc(4)
      const address = yield* Prometheus.serve({ port: 0, host: "127.0.0.1" })
      if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
      const base = `http://127.0.0.1:${address.port}`
      const metrics = yield* Effect.promise(() => fetch(`${base}/metrics?debug=1`))
      expect(metrics.status).toBe(200)
      expect(metrics.headers.get("content-type")).toBe(Prometheus.contentType)
      const body = yield* Effect.promise(() => metrics.text())
      expect(family(body, "p10_jobs_total").metrics).toEqual([{ labels: { service: "worker" }, value: "4" }])
      const other = yield* Effect.promise(() => fetch(`${base}/other`))
      expect(other.status).toBe(404)
    }).pipe(Effect.provide(Metrics.layer({ defaultLabels: { service: "worker" } }))))

  it.effect("layerServerConfig starts nothing without METRICS_PORT and rejects a bad port", () =>
    Effect.gen(function*() {
      yield* Layer.build(Prometheus.layerServerConfig).pipe(
        Effect.scoped,
        Effect.provide(TestConfig.layerEnv({})),
        Effect.provide(MetricsLive)
      )
      const error = yield* Layer.build(Prometheus.layerServerConfig).pipe(
        Effect.scoped,
        Effect.provide(TestConfig.layerEnv({ METRICS_PORT: "not-a-port" })),
        Effect.provide(MetricsLive),
        Effect.flip
      )
      expect(String(error)).toContain("Invalid data at metrics.port")
    }))
})
