import { describe, expect, it } from "@effect/vitest"
import { TestConfig } from "@strata/testing"
import { Metrics } from "@strata/telemetry"
import { Data, Duration, Effect, Either, Exit, Fiber, Metric, Option, TestClock } from "effect"

// Effect's metric registry is global to the process: every test uses its own metric names.

const withMetrics = <A, E>(effect: Effect.Effect<A, E, Metrics.Metrics>, options?: Metrics.Options) =>
  Effect.provide(effect, Metrics.layer(options))

class PaymentDeclined extends Data.TaggedError("PaymentDeclined")<{}> {}

describe("Metrics handles", () => {
  it.effect("a counter counts per label set; bound children are cached", () =>
    withMetrics(Effect.gen(function*() {
      const orders = yield* Metrics.counter("t1_orders_total", { description: "Orders", labelNames: ["channel"] })
      yield* orders.inc({ channel: "web" })
      yield* orders.inc({ channel: "web" }, 2)
      yield* orders.inc(["app"])
      const web = yield* orders.labels({ channel: "web" })
      expect(yield* orders.labels(["web"])).toBe(web)
      web.unsafeInc()
      expect(yield* web.value).toBe(4)
      expect(yield* orders.value({ channel: "app" })).toBe(1)
      yield* web.inc(-5) // counters only go up
      expect(yield* web.value).toBe(4)
      expect(orders.name).toBe("t1_orders_total")
    })))

  it.effect("a recording effect makes its series when it runs, not when it is built, and can run again", () =>
    withMetrics(Effect.gen(function*() {
      const jobs = yield* Metrics.counter("t1_jobs_total", { labelNames: ["queue"] })
      const series = () => Metric.unsafeSnapshot().filter((pair) => pair.metricKey.name === "t1_jobs_total")
      const mail = jobs.inc({ queue: "mail" })
      expect(series()).toEqual([])
      yield* mail
      yield* mail
      // built once the label set is known: the same series
      const again = jobs.inc({ queue: "mail" }, 3)
      yield* again
      expect(yield* jobs.value({ queue: "mail" })).toBe(5)
      expect(series()).toHaveLength(1)
    })))

  it.effect("numbers are accepted as label values", () =>
    withMetrics(Effect.gen(function*() {
      const responses = yield* Metrics.counter("t1_responses_total", { labelNames: ["status"] })
      yield* responses.inc({ status: 200 })
      expect(yield* responses.value({ status: "200" })).toBe(1)
    })))

  it.effect("a label set that does not match the declared names is a typed error and records nothing", () =>
    withMetrics(Effect.gen(function*() {
      const requests = yield* Metrics.counter("t2_requests_total", { labelNames: ["method", "route"] })
      const missing = { method: "GET" } as unknown as Metrics.Labels<"method" | "route">
      const extra = { method: "GET", route: "/", user: "ada" } as unknown as Metrics.Labels<"method" | "route">
      const misspelt = { method: "GET", rout: "/" } as unknown as Metrics.Labels<"method" | "route">
      const notText = { method: "GET", route: { path: "/" } } as unknown as Metrics.Labels<"method" | "route">

      const error = yield* Effect.flip(requests.inc(missing))
      expect(error._tag).toBe("MetricLabelsMismatch")
      expect(error.metric).toBe("t2_requests_total")
      expect(error.expected).toEqual(["method", "route"])
      expect(error.received).toEqual(["method"])
      expect(error.message).toBe("Metric t2_requests_total expects labels (method, route) but received (method)")
      expect((yield* Effect.flip(requests.inc(extra))).received).toEqual(["method", "route", "user"])
      expect((yield* Effect.flip(requests.inc(misspelt)))._tag).toBe("MetricLabelsMismatch")
      expect((yield* Effect.flip(requests.inc(notText)))._tag).toBe("MetricLabelsMismatch")
      expect((yield* Effect.flip(requests.labels(["GET"])))._tag).toBe("MetricLabelsMismatch")
      expect(() => requests.unsafeLabels(missing)).toThrow(Metrics.MetricLabelsMismatch)

      const series = Metric.unsafeSnapshot().filter((pair) => pair.metricKey.name === "t2_requests_total")
      expect(series).toEqual([])
    })))

  it.effect("declaring a name again returns the same handle; another definition is a typed error", () =>
    withMetrics(Effect.gen(function*() {
      const first = yield* Metrics.histogram("t3_latency_seconds", { labelNames: ["route"], buckets: [0.1, 1] })
      const again = yield* Metrics.histogram("t3_latency_seconds", { labelNames: ["route"], buckets: [1, 0.1] })
      expect(again).toBe(first)

      const asGauge = yield* Effect.flip(Metrics.gauge("t3_latency_seconds", { labelNames: ["route"] }))
      expect(asGauge._tag).toBe("MetricDefinitionError")
      expect(asGauge.reason).toContain("already declared as a histogram")
      const otherLabels = yield* Effect.flip(Metrics.histogram("t3_latency_seconds", {
        labelNames: ["path"],
        buckets: [0.1, 1]
      }))
      expect(otherLabels.reason).toContain("labels (route)")
      const otherBuckets = yield* Effect.flip(Metrics.histogram("t3_latency_seconds", {
        labelNames: ["route"],
        buckets: [0.5]
      }))
      expect(otherBuckets.reason).toContain("buckets (0.1, 1)")
    })))

  it.effect("invalid names, label names, buckets and quantiles are rejected", () =>
    withMetrics(Effect.gen(function*() {
      const reasons = yield* Effect.all([
        Effect.flip(Metrics.counter("t4 bad name")),
        Effect.flip(Metrics.counter("t4_total", { labelNames: ["bad-label"] })),
        Effect.flip(Metrics.counter("t4_total", { labelNames: ["__reserved"] })),
        Effect.flip(Metrics.counter("t4_total", { labelNames: ["a", "a"] })),
        Effect.flip(Metrics.histogram("t4_seconds", { labelNames: ["le"] })),
        Effect.flip(Metrics.histogram("t4_seconds", { buckets: [Number.NaN] })),
        Effect.flip(Metrics.summary("t4_summary", { labelNames: ["quantile"] })),
        Effect.flip(Metrics.summary("t4_summary", { quantiles: [1.5] }))
      ]).pipe(Effect.map((errors) => errors.map((error) => error.reason)))
      expect(reasons).toEqual([
        "the name must match [a-zA-Z_:][a-zA-Z0-9_:]*",
        "label name \"bad-label\" must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __",
        "label name \"__reserved\" must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __",
        "label name \"a\" is listed twice",
        "a histogram cannot have a label \"le\"",
        "buckets must be numbers",
        "a summary cannot have a label \"quantile\"",
        "quantiles must be between 0 and 1"
      ])
    })))

  it.effect("namespace and subsystem prefix declared names", () =>
    withMetrics(
      Effect.gen(function*() {
        const orders = yield* Metrics.counter("orders_total")
        expect(orders.name).toBe("t5shop_api_orders_total")
        yield* orders.inc(3)
        expect(yield* orders.value()).toBe(3)
      }),
      { namespace: "t5shop", subsystem: " api " }
    ))

  it.effect("gauges set, go up and down", () =>
    withMetrics(Effect.gen(function*() {
      const active = yield* Metrics.gauge("t6_active_users", { labelNames: ["tenant"] })
      yield* active.set({ tenant: "main" }, 42)
      yield* active.inc({ tenant: "main" })
      yield* active.dec({ tenant: "main" }, 3)
      expect(yield* active.value({ tenant: "main" })).toBe(40)
      const queue = yield* Metrics.gauge("t6_queue_depth")
      yield* queue.set(7)
      yield* queue.dec()
      expect(yield* queue.value()).toBe(6)
    })))

  it.effect("histograms count observations in cumulative buckets", () =>
    withMetrics(Effect.gen(function*() {
      const h = yield* Metrics.histogram("t7_order_processing_seconds", {
        labelNames: ["type"],
        buckets: [0.1, 0.5, 1, 5, 10]
      })
      for (const value of [0.05, 0.3, 0.3, 1.7, 12]) yield* h.observe({ type: "standard" }, value)
      const state = yield* h.value({ type: "standard" })
      expect(state.buckets).toEqual([[0.1, 1], [0.5, 3], [1, 3], [5, 4], [10, 4], [Infinity, 5]])
      expect(state.count).toBe(5)
      expect(state.sum).toBeCloseTo(14.35)
    })))

  it.effect("summaries report quantiles", () =>
    withMetrics(Effect.gen(function*() {
      const sizes = yield* Metrics.summary("t8_payload_bytes", { quantiles: [0.5, 1] })
      for (let i = 1; i <= 100; i++) yield* sizes.observe(i)
      const state = yield* sizes.value()
      expect(state.count).toBe(100)
      expect(state.sum).toBe(5050)
      const [median, max] = state.quantiles
      expect(median?.[0]).toBe(0.5)
      expect(Option.getOrThrow(median![1])).toBeGreaterThanOrEqual(49)
      expect(Option.getOrThrow(median![1])).toBeLessThanOrEqual(51)
      expect(Option.getOrThrow(max![1])).toBe(100)
    })))

  it.effect("when disabled, declared metrics and trackers record nothing", () =>
    Effect.gen(function*() {
      const off = yield* Effect.provide(
        Effect.gen(function*() {
          const c = yield* Metrics.counter("t9_disabled_total", { labelNames: ["a"] })
          yield* c.inc({ a: "x" })
          yield* Metrics.trackRequest({ method: "GET", route: "/t9", status: 200, duration: 5 })
          expect(yield* c.value({ a: "x" })).toBe(0)
          // labels are still checked
          const wrong = { b: "x" } as unknown as Metrics.Labels<"a">
          expect((yield* Effect.flip(c.inc(wrong)))._tag).toBe("MetricLabelsMismatch")
          return c
        }),
        Metrics.layer({ enabled: false })
      )
      const names = Metric.unsafeSnapshot().map((pair) => pair.metricKey.name)
      expect(names).not.toContain("t9_disabled_total")
      const requests = yield* withMetrics(Metrics.counter("http_requests_total", {
        labelNames: ["method", "route", "status"]
      }))
      expect(yield* requests.value({ method: "GET", route: "/t9", status: "200" })).toBe(0)
      // An enabled service declares the name for real: a different handle.
      const on = yield* withMetrics(Metrics.counter("t9_disabled_total", { labelNames: ["a"] }))
      expect(on).not.toBe(off)
    }))
})

describe("Metrics trackers", () => {
  const httpRequests = Metrics.counter("http_requests_total", { labelNames: ["method", "route", "status"] })

  it.effect("trackRequest records count, duration and errors under the stable names", () =>
    withMetrics(Effect.gen(function*() {
      yield* Metrics.trackRequest({ method: "GET", route: "/t10", status: 200, duration: "125 millis" })
      yield* Metrics.trackRequest({ method: "GET", route: "/t10", status: 500, duration: 2000, error: "Timeout" })
      const requests = yield* httpRequests
      expect(yield* requests.value({ method: "GET", route: "/t10", status: "200" })).toBe(1)
      expect(yield* requests.value({ method: "GET", route: "/t10", status: "500" })).toBe(1)
      const duration = yield* Metrics.histogram(Metrics.MetricNames.httpRequestDurationSeconds, {
        labelNames: ["method", "route", "status"],
        buckets: Metrics.defaultBuckets
      })
      const ok = yield* duration.value({ method: "GET", route: "/t10", status: "200" })
      expect(ok.sum).toBeCloseTo(0.125)
      const errors = yield* Metrics.counter("http_request_errors_total", { labelNames: ["method", "route", "error"] })
      expect(yield* errors.value({ method: "GET", route: "/t10", error: "Timeout" })).toBe(1)
    })))

  it.effect("a user declaration that clashes with a tracker name fails", () =>
    withMetrics(Effect.gen(function*() {
      const error = yield* Effect.flip(Metrics.counter("http_requests_total", { labelNames: ["path"] }))
      expect(error._tag).toBe("MetricDefinitionError")
    })))

  it.effect("trackDbQuery, trackServiceCall and trackCacheOperation", () =>
    withMetrics(Effect.gen(function*() {
      yield* Metrics.trackDbQuery({ operation: "select", entity: "t11_user", duration: "87 millis" })
      yield* Metrics.trackDbQuery({ operation: "insert", entity: "t11_user", duration: 3, error: "AlreadyExists" })
      yield* Metrics.trackServiceCall({ component: "t11_weather", action: "get", duration: Duration.millis(342) })
      const get = { operation: "get", backend: "redis", duration: 4, component: "t11" }
      yield* Metrics.trackCacheOperation({ ...get, hit: true })
      yield* Metrics.trackCacheOperation({ ...get, hit: false })
      yield* Metrics.trackCacheOperation({ operation: "set", backend: "redis", duration: 1, component: "t11" })

      const queries = yield* Metrics.counter("db_queries_total", { labelNames: ["operation", "entity"] })
      expect(yield* queries.value(["select", "t11_user"])).toBe(1)
      const queryErrors = yield* Metrics.counter("db_query_errors_total", {
        labelNames: ["operation", "entity", "error"]
      })
      expect(yield* queryErrors.value(["insert", "t11_user", "AlreadyExists"])).toBe(1)
      const calls = yield* Metrics.counter("service_calls_total", { labelNames: ["component", "action"] })
      expect(yield* calls.value(["t11_weather", "get"])).toBe(1)
      const ops = yield* Metrics.counter("cache_operations_total", {
        labelNames: ["operation", "backend", "component"]
      })
      expect(yield* ops.value(["get", "redis", "t11"])).toBe(2)
      expect(yield* ops.value(["set", "redis", "t11"])).toBe(1)
      const hits = yield* Metrics.counter("cache_hit_total", { labelNames: ["backend", "component"] })
      const misses = yield* Metrics.counter("cache_miss_total", { labelNames: ["backend", "component"] })
      expect(yield* hits.value(["redis", "t11"])).toBe(1)
      expect(yield* misses.value(["redis", "t11"])).toBe(1)
    })))

  it.effect("timedDbQuery and timedServiceCall time an effect with the Clock and count failures", () =>
    withMetrics(Effect.gen(function*() {
      const fiber = yield* Effect.sleep("300 millis").pipe(
        Metrics.timedDbQuery({ operation: "select", entity: "t12_order" }),
        Effect.fork
      )
      yield* TestClock.adjust("300 millis")
      yield* Fiber.join(fiber)
      const failed = yield* Effect.exit(
        Effect.fail(new PaymentDeclined()).pipe(Metrics.timedServiceCall({ component: "t12_psp", action: "charge" }))
      )
      expect(Exit.isFailure(failed)).toBe(true)

      const duration = yield* Metrics.histogram("db_query_duration_seconds", {
        labelNames: ["operation", "entity"],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
      })
      const state = yield* duration.value(["select", "t12_order"])
      expect(state.count).toBe(1)
      expect(state.sum).toBeCloseTo(0.3)
      const errors = yield* Metrics.counter("service_call_errors_total", {
        labelNames: ["component", "action", "error"]
      })
      expect(yield* errors.value(["t12_psp", "charge", "PaymentDeclined"])).toBe(1)
    })))

  it.effect("trackRequestInProgress counts running requests", () =>
    withMetrics(Effect.gen(function*() {
      const gauge = yield* Metrics.gauge("http_requests_in_progress", { labelNames: ["method", "route"] })
      const fiber = yield* Effect.sleep("1 second").pipe(
        Metrics.trackRequestInProgress({ method: "POST", route: "/t13" }),
        Effect.fork
      )
      yield* TestClock.adjust("10 millis")
      expect(yield* gauge.value(["POST", "/t13"])).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(yield* gauge.value(["POST", "/t13"])).toBe(0)
    })))
})

describe("Metrics.timed", () => {
  it.effect("times an effect into a histogram, with an in-progress gauge", () =>
    withMetrics(Effect.gen(function*() {
      const latency = yield* Metrics.histogram("t14_report_duration_seconds", { labelNames: ["kind"] })
      const fiber = yield* Effect.sleep("2 seconds").pipe(
        Effect.as("done"),
        Metrics.timed(latency, { labels: { kind: "daily" }, inProgress: true }),
        Effect.fork
      )
      const inProgress = yield* Metrics.gauge("t14_report_in_progress", { labelNames: ["kind"] })
      yield* TestClock.adjust("1 second")
      expect(yield* inProgress.value({ kind: "daily" })).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("done")
      expect(yield* inProgress.value({ kind: "daily" })).toBe(0)
      const state = yield* latency.value({ kind: "daily" })
      expect(state.count).toBe(1)
      expect(state.sum).toBe(2)
    })))

  it.effect("counts failures by error tag; defects as Defect; interruptions are not measured", () =>
    withMetrics(Effect.gen(function*() {
      const latency = yield* Metrics.histogram("t15_charge_seconds", { labelNames: ["psp"] })
      const timed = Metrics.timed(latency, { labels: ["stripe"], inProgress: true })
      yield* Effect.exit(timed(Effect.fail(new PaymentDeclined())))
      yield* Effect.exit(timed(Effect.fail(new PaymentDeclined())))
      yield* Effect.exit(timed(Effect.fail(new Error("plain"))))
      yield* Effect.exit(timed(Effect.die("boom")))
      const fiber = yield* Effect.fork(timed(Effect.never))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)

      const errors = yield* Metrics.counter("t15_charge_errors_total", { labelNames: ["psp", "error"] })
      expect(yield* errors.value({ psp: "stripe", error: "PaymentDeclined" })).toBe(2)
      expect(yield* errors.value({ psp: "stripe", error: "Error" })).toBe(1)
      expect(yield* errors.value({ psp: "stripe", error: "Defect" })).toBe(1)
      expect((yield* latency.value(["stripe"])).count).toBe(4)
      const inProgress = yield* Metrics.gauge("t15_charge_in_progress", { labelNames: ["psp"] })
      expect(yield* inProgress.value(["stripe"])).toBe(0)
    })))

  it.effect("fails with the typed error when labels do not fit, without running the effect", () =>
    withMetrics(Effect.gen(function*() {
      const latency = yield* Metrics.histogram("t16_seconds", { labelNames: ["kind"] })
      let ran = false
      const wrong = { sort: "x" } as unknown as Metrics.Labels<"kind">
      const error = yield* Effect.flip(Effect.sync(() => {
        ran = true
      }).pipe(Metrics.timed(latency, { labels: wrong })))
      expect(error._tag).toBe("MetricLabelsMismatch")
      expect(ran).toBe(false)
    })))

  it.effect("uses the given errors counter and gauge; a counter with other labels is a definition error", () =>
    withMetrics(Effect.gen(function*() {
      const latency = yield* Metrics.histogram("t17_seconds", { labelNames: ["kind"] })
      const failures = yield* Metrics.counter("t17_failures_total", { labelNames: ["error", "kind"] })
      const running = yield* Metrics.gauge("t17_running", { labelNames: ["kind"] })
      yield* Effect.exit(
        Effect.fail(new PaymentDeclined()).pipe(
          Metrics.timed(latency, { labels: ["a"], errors: failures, inProgress: running })
        )
      )
      expect(yield* failures.value({ kind: "a", error: "PaymentDeclined" })).toBe(1)

      const wrong = yield* Metrics.counter("t17_wrong_total", { labelNames: ["kind"] })
      const error = yield* Effect.flip(
        Effect.void.pipe(
          Metrics.timed(latency, { labels: ["a"], errors: wrong as unknown as Metrics.Counter<"kind" | "error"> })
        )
      )
      expect(error._tag).toBe("MetricDefinitionError")
      // no errors counter at all
      yield* Effect.exit(
        Effect.fail(new PaymentDeclined()).pipe(Metrics.timed(latency, { labels: ["b"], errors: false }))
      )
      const names = Metric.unsafeSnapshot().map((pair) => pair.metricKey.name)
      expect(names).not.toContain("t17_errors_total")
    })))

  it.effect("timedFunction computes labels from the arguments", () =>
    withMetrics(Effect.gen(function*() {
      const duration = yield* Metrics.histogram("t18_fetch_duration", { labelNames: ["resource_type"] })
      const fetchData = Metrics.timedFunction(
        duration,
        (id: string, delay: Duration.DurationInput) => Effect.as(Effect.sleep(delay), id.length),
        { labels: (id) => ({ resource_type: id.split("-")[0] ?? "unknown" }) }
      )
      const fiber = yield* Effect.fork(
        Effect.all([fetchData("user-1", "1 second"), fetchData("order-7", "3 seconds")], { concurrency: 2 })
      )
      yield* TestClock.adjust("3 seconds")
      expect(yield* Fiber.join(fiber)).toEqual([6, 7])
      expect((yield* duration.value({ resource_type: "user" })).sum).toBe(1)
      expect((yield* duration.value({ resource_type: "order" })).sum).toBe(3)
      // `_duration` is stripped from the derived name
      const errors = yield* Effect.either(
        Metrics.counter("t18_fetch_errors_total", { labelNames: ["resource_type", "error"] })
      )
      expect(Either.isRight(errors)).toBe(true)
    })))

  it.effect("trackInProgress holds a gauge up while an effect runs", () =>
    withMetrics(Effect.gen(function*() {
      const running = yield* Metrics.gauge("t19_imports_running", { labelNames: ["source"] })
      const fiber = yield* Effect.fork(Effect.sleep("1 minute").pipe(Metrics.trackInProgress(running, ["csv"])))
      yield* TestClock.adjust("1 second")
      expect(yield* running.value(["csv"])).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(yield* running.value(["csv"])).toBe(0)
    })))
})

describe("Metrics config", () => {
  it.effect("reads namespace, subsystem, default labels and enabled from env", () =>
    Effect.gen(function*() {
      const metrics = yield* Metrics.Metrics
      expect(metrics.settings).toEqual({
        namespace: "shop",
        subsystem: "api",
        defaultLabels: { service: "api", env: "prod" },
        enabled: false
      })
    }).pipe(
      Effect.provide(Metrics.layerConfig),
      Effect.provide(TestConfig.layerEnv({
        METRICS_NAMESPACE: "shop",
        METRICS_SUBSYSTEM: "api",
        METRICS_DEFAULT_LABELS: "service=api, env=prod",
        METRICS_ENABLED: "false"
      }))
    ))

  it.effect("default labels may be a YAML mapping; everything has defaults", () =>
    Effect.gen(function*() {
      const yaml = TestConfig.layer({ metrics: { defaultLabels: { env: "dev" } } })
      const fromYaml = yield* Effect.provide(Metrics.config, yaml)
      expect(fromYaml.defaultLabels).toEqual({ env: "dev" })
      const empty = yield* Effect.provide(Metrics.config, TestConfig.layer({}))
      expect(empty).toEqual({ namespace: undefined, subsystem: undefined, defaultLabels: {}, enabled: true })
    }))

  it.effect("bad default labels are a config error", () =>
    Effect.gen(function*() {
      const noPairs = yield* Effect.flip(
        Effect.provide(Metrics.config, TestConfig.layerEnv({ METRICS_DEFAULT_LABELS: "service" }))
      )
      expect(String(noPairs)).toContain("Expected name=value pairs")
      const badName = yield* Effect.flip(
        Effect.provide(Metrics.config, TestConfig.layerEnv({ METRICS_DEFAULT_LABELS: "my-service=api" }))
      )
      expect(String(badName)).toContain("Invalid label name \"my-service\"")
    }))
})
