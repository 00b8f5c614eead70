/**
 * Examples for docs/metrics.md (compiled by `npm run typecheck`).
 */
import { HttpRouter } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { Errors } from "@strata/core"
import { Metrics, Prometheus } from "@strata/telemetry"
import { Context, Effect, Layer, Metric, Schedule } from "effect"

// --- 1. See Prometheus text for a running program ---

const work = Metrics.trackRequest({ method: "GET", route: "/hello", status: 200, duration: "12 millis" }).pipe(
  Effect.repeat(Schedule.spaced("1 second"))
)

export const main = () =>
  work.pipe(
    Effect.provide(Prometheus.layerServer({ port: 9464 })), // curl http://localhost:9464/metrics
    Effect.provide(Metrics.layer({ defaultLabels: { service: "hello" } })),
    NodeRuntime.runMain
  )

// Or just the text, once:
export const printOnce = Effect.gen(function*() {
  yield* Metrics.trackDbQuery({ operation: "select", entity: "user", duration: "87 millis" })
  const text = yield* Prometheus.render
  yield* Effect.log(text)
}).pipe(Effect.provide(Metrics.layer()))

// --- 2. The service: from config (METRICS_NAMESPACE, ...) or explicit options ---

export const MetricsLive = Metrics.layerConfig // Layer<Metrics, ConfigError>

export const MetricsExplicit = Metrics.layer({
  namespace: "shop", //                       declared names become shop_api_<name>
  subsystem: "api",
  defaultLabels: { service: "api", env: "prod" }, // added to every series when rendered
  enabled: true
})

// --- 3. Declare metrics once (in a layer), record with labels ---

export class Orders extends Context.Tag("app/Orders")<Orders, {
  readonly place: (channel: "web" | "app", amount: number) => Effect.Effect<void, Metrics.MetricLabelsMismatch>
}>() {}

export const OrdersLive: Layer.Layer<Orders, Metrics.MetricDefinitionError, Metrics.Metrics> = Layer.effect(
  Orders,
  Effect.gen(function*() {
    const placed = yield* Metrics.counter("orders_total", { description: "Orders placed", labelNames: ["channel"] })
    const amounts = yield* Metrics.histogram("order_amount_euros", {
      description: "Order amounts",
      labelNames: ["channel"],
      buckets: [10, 50, 100, 500, 1000]
    })
    const open = yield* Metrics.gauge("orders_open") // no labels: inc/set/dec take just the value
    return {
      place: (channel, amount) =>
        Effect.gen(function*() {
          yield* placed.inc({ channel })
          yield* amounts.observe({ channel }, amount)
          yield* open.inc()
        })
    }
  })
)

// A label set that is not exactly the declared one is a typed error, never a new series:
export const wrong = Effect.gen(function*() {
  const placed = yield* Metrics.counter("orders_total", { description: "Orders placed", labelNames: ["channel"] })
  const labels: Record<string, string> = { chanel: "web" } // misspelt, from untyped data
  return yield* placed.inc(labels as Metrics.Labels<"channel">) // fails: MetricLabelsMismatch
})

// Hot code: bind the label set once, then record synchronously.
export const hotLoop = Effect.gen(function*() {
  const bytes = yield* Metrics.counter("upload_bytes_total", { labelNames: ["bucket"] })
  const avatars = yield* bytes.labels(["avatars"]) // cached per label set
  for (const chunk of [512, 1024, 2048]) avatars.unsafeInc(chunk)
})

// --- 4. Trackers with stable names (see the table in metrics.md) ---

export const trackers = Effect.gen(function*() {
  yield* Metrics.trackRequest({ method: "GET", route: "/api/users", status: 200, duration: "125 millis" })
  yield* Metrics.trackRequest({ method: "POST", route: "/api/users", status: 409, duration: 40, error: "AlreadyExists" })
  yield* Metrics.trackDbQuery({ operation: "select", entity: "user", duration: "87 millis" })
  yield* Metrics.trackServiceCall({ component: "weather_api", action: "get_forecast", duration: "342 millis" })
  yield* Metrics.trackCacheOperation({
    operation: "get",
    backend: "redis",
    hit: true,
    duration: "4 millis",
    component: "user_profile"
  })
})

// Or time an effect as one (a failure is counted with its error tag):
declare const findUsersByRole: (role: string) => Effect.Effect<ReadonlyArray<{ id: string }>, Errors.DatabaseError>

export const usersByRole = (role: string) =>
  findUsersByRole(role).pipe(Metrics.timedDbQuery({ operation: "select", entity: "user" }))

export const handleRequest = Effect.succeed("ok").pipe(
  Metrics.trackRequestInProgress({ method: "GET", route: "/api/users" })
)

// --- 5. Time your own effects ---

declare const processOrder: (orderId: string, kind: "standard" | "express") => Effect.Effect<void, Errors.NotFound>

export const timedOrders = Effect.gen(function*() {
  const duration = yield* Metrics.histogram("order_processing_duration_seconds", {
    labelNames: ["kind"],
    buckets: [0.1, 0.5, 1, 5, 10]
  })
  // duration → the histogram; NotFound → order_processing_errors_total{kind, error="NotFound"};
  // order_processing_in_progress{kind} while it runs.
  const process = Metrics.timedFunction(duration, processOrder, {
    labels: (_orderId, kind) => ({ kind }),
    inProgress: true
  })
  yield* process("o-17", "express")

  // One effect, fixed labels:
  yield* processOrder("o-18", "standard").pipe(Metrics.timed(duration, { labels: { kind: "standard" } }))
})

export const imports = Effect.gen(function*() {
  const running = yield* Metrics.gauge("imports_running", { labelNames: ["source"] })
  yield* Effect.sleep("1 minute").pipe(Metrics.trackInProgress(running, { source: "csv" }))
})

// --- 6. Other code records with plain effect/Metric; it shows up too ---

const retries = Metric.counter("http_client_retries_total", { description: "Retries of outgoing calls" })

export const retried = Metric.increment(Metric.tagged(retries, "target", "payments"))

// --- 7. Serve /metrics from your own router ---

export const router = HttpRouter.empty.pipe(HttpRouter.get("/metrics", Prometheus.httpApp))
