/**
 * Examples for docs/http-client.md (compiled by `npm run typecheck`).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Errors, RequestContext } from "@strata/core"
import { ApiClient } from "@strata/http"
import { Effect, Layer, Schema } from "effect"

// --- 1. One tag per upstream, one layer per tag ---

export const Payments = ApiClient.Tag("payments")

export const PaymentsLive = ApiClient.layer(Payments, {
  baseUrl: "https://payments.internal/v1",
  timeout: "5 seconds", //                        per attempt, body included
  retries: { maxAttempts: 4, baseDelay: "200 millis" }, // exponential, full jitter
  headers: { "user-agent": "shop/1.0" },
  circuitBreaker: { failureThreshold: 5, resetTimeout: "30 seconds" }
}).pipe(Layer.provide(NodeHttpClient.layerUndici))

// From configuration: INVENTORY_BASE_URL, INVENTORY_TIMEOUT, INVENTORY_RETRIES
// (or inventory.baseUrl, inventory.timeout, inventory.retries in YAML).
export const Inventory = ApiClient.Tag("inventory")
export const InventoryLive = ApiClient.layerConfig(Inventory).pipe(Layer.provide(NodeHttpClient.layerUndici))

// --- 2. Calls: a schema gives the decoded body, no schema gives the Response ---

const Charge = Schema.Struct({ id: Schema.String, status: Schema.Literal("pending", "paid") })

export const charge = (orderId: string, cents: number) =>
  Effect.gen(function*() {
    const payments = yield* Payments
    // A POST is retried only because it carries an idempotency key.
    return yield* payments.post("/charges", {
      body: { orderId, amount: cents, currency: "EUR" },
      schema: Charge,
      idempotencyKey: `charge-${orderId}`,
      action: "charge" // the metrics' action label
    })
  })

export const stock = (sku: string) =>
  Effect.gen(function*() {
    const inventory = yield* Inventory
    const response = yield* inventory.get("/stock", { query: { sku } })
    return response.status === 200 ? response.body : undefined
  })

// --- 3. Typed errors ---

export const chargeOrExplain = (orderId: string) =>
  charge(orderId, 1200).pipe(
    Effect.catchTags({
      // 4xx are not retried; the upstream's problem body is in details.problem
      ExternalServiceError: (error) =>
        error.upstreamStatus === 402
          ? Effect.fail(Errors.businessRule("Payment declined", { upstream: error.details?.problem }))
          : Effect.fail(error),
      // refused, reset or timed out after every attempt
      NetworkError: (error) => Effect.fail(error),
      // the circuit is open: fail fast
      Unavailable: (error) => Effect.fail(error)
    })
  )

// --- 4. The request id travels as X-Request-ID; the trace context as traceparent ---

export const inRequest = charge("o-1", 1200).pipe(
  Effect.withSpan("checkout"),
  RequestContext.withRequestContext({ requestId: "req-7f3a" })
)
