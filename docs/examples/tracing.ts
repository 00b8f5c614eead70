/**
 * Examples for docs/tracing.md (compiled by `npm run typecheck`).
 */
import { describe, expect, it } from "@effect/vitest"
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Strata } from "@strata/core"
import { Tracing } from "@strata/telemetry"
import { LogCapture } from "@strata/testing"
import { Effect, Layer, Redacted } from "effect"

// --- 1. Turn it on from the environment (off, at no cost, when OTEL_EXPORTER_OTLP_ENDPOINT is unset) ---

const App = Layer.effectDiscard(Effect.log("ready").pipe(Effect.withSpan("startup")))

// Below the application: its spans are flushed after it has been released.
export const Main = App.pipe(
  Layer.provide(Tracing.layerConfig),
  Layer.provide(Strata.layerDefaults) // the config provider and the logger
)

// --- 2. Or with explicit options ---

export const TracingLive = Tracing.layer({
  endpoint: "http://otel-collector:4318",
  serviceName: "orders",
  serviceVersion: "1.4.0",
  attributes: { "deployment.environment": "production" },
  headers: { authorization: Redacted.make("Bearer s3cr3t") },
  sampleRatio: 0.25, //                         keep a quarter of the traces, whole
  logs: true //                                 also ship (redacted) log lines over OTLP
})

// --- 3. Write spans with plain effect ---

interface Order {
  readonly id: string
  readonly items: number
}
declare const saveOrder: (order: Order) => Effect.Effect<void>
declare const charge: (orderId: string) => Effect.Effect<void, Error>

export const placeOrder = Effect.fn("placeOrder")(function*(order: Order) {
  yield* Effect.annotateCurrentSpan({ "order.id": order.id, "order.items": order.items })
  yield* saveOrder(order).pipe(Effect.withSpan("db.save"))
  yield* charge(order.id).pipe(Effect.withSpan("payment.charge", { kind: "client" }))
  yield* Effect.log("order placed") // carries traceId and spanId of "placeOrder"
})

// --- 4. Test with an in-memory exporter ---

// SimpleSpanProcessor exports asynchronously and InMemorySpanExporter forgets its spans
// when the layer shuts it down: flush, then read the spans inside the layer.
export const collectSpans = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<ReadonlyArray<ReadableSpan>, E, R> => {
  const exporter = new InMemorySpanExporter()
  const processor = new SimpleSpanProcessor(exporter)
  return effect.pipe(
    Effect.zipRight(Effect.promise(() => processor.forceFlush())),
    Effect.map(() => exporter.getFinishedSpans()),
    Effect.provide(Tracing.layerSdk({ spanProcessor: processor, serviceName: "orders" }))
  )
}

describe("checkout tracing", () => {
  it.effect("records the child span under its parent", () =>
    Effect.gen(function*() {
      const spans = yield* collectSpans(
        Effect.void.pipe(Effect.withSpan("child", { attributes: { "order.id": "o-17" } }), Effect.withSpan("parent"))
      )
      const parent = spans.find((span) => span.name === "parent")
      const child = spans.find((span) => span.name === "child")
      expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId)
      expect(child?.attributes["order.id"]).toBe("o-17")
    }))

  it.effect("correlates log lines with the span", () =>
    Effect.gen(function*() {
      const entries = yield* Effect.log("charging").pipe(
        Effect.withSpan("charge"),
        Effect.zipRight(LogCapture.entries),
        Effect.provide(LogCapture.layer),
        Effect.provide(Tracing.layerSdk({ spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()) }))
      )
      expect(entries[0]?.context["traceId"]).toMatch(/^[0-9a-f]{32}$/)
      expect(entries[0]?.context["spanId"]).toMatch(/^[0-9a-f]{16}$/)
    }))
})
