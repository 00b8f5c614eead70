/**
 * The models of the outbound client, re-exported by `ApiClient`.
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as HttpMethod from "@effect/platform/HttpMethod"
import type * as UrlParams from "@effect/platform/UrlParams"
import type * as CircuitBreaker from "@strata/core/CircuitBreaker"
import type * as Errors from "@strata/core/Errors"
import type * as Resilience from "@strata/core/Resilience"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"

/**
 * Every error a call can fail with.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * const explain = (error: ApiClient.ApiClientError): string =>
 *   error._tag === "ExternalServiceError" ? `upstream said ${error.upstreamStatus}` : error.message
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiClientError = Errors.NetworkError | Errors.ExternalServiceError | Errors.Unavailable

/**
 * Retry settings (see `Resilience.RetryPolicy`; defaults: 3 attempts, 100 ms doubling up to
 * 10 s, full jitter). `maxRetryAfter` (30 s) is the longest `Retry-After` the client waits
 * for; when an upstream asks for more, the call fails at once with the wait in
 * `details.retryAfterMillis`.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * const retries: ApiClient.RetryOptions = { maxAttempts: 5, baseDelay: "200 millis", maxRetryAfter: "10 seconds" }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions extends Omit<Resilience.RetryPolicy, "while"> {
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}

/**
 * Settings of a client:
 *
 * - `baseUrl`: prefixed to every relative path (a path that is a full URL is used as is).
 * - `name`: the upstream's name, in errors (`service`), spans, logs and metrics
 *   (`component`). Default: the name given to `ApiClient.Tag`, else the base URL's host.
 * - `timeout` (10 s): the limit of each attempt, body included.
 * - `retries` (`{}` = the defaults of `RetryOptions`): `false` never retries.
 * - `headers`: sent with every request (a call's own headers win).
 * - `circuitBreaker`: a breaker to share, or settings to make one for this client (its
 *   failures are the retryable errors: 5xx, 429, network, timeouts).
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * const options: ApiClient.Options = {
 *   name: "payments",
 *   baseUrl: "https://payments.internal/v1",
 *   timeout: "5 seconds",
 *   retries: { maxAttempts: 4 },
 *   headers: { "user-agent": "shop/1.0" },
 *   circuitBreaker: { failureThreshold: 5, resetTimeout: "30 seconds" }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly baseUrl: string | URL
  readonly name?: string | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly retries?: RetryOptions | false | undefined
  readonly headers?: Headers.Input | undefined
  readonly circuitBreaker?: CircuitBreaker.CircuitBreaker | Omit<CircuitBreaker.Options, "name"> | undefined
}

/**
 * Options of one call:
 *
 * - `query`: URL parameters; `headers`: extra headers (they win over the client's).
 * - `body`: sent as JSON (an `HttpBody` is sent as it is).
 * - `timeout`: this call's limit per attempt.
 * - `retry`: `false` never retries this call; `true` retries it even when it is a POST/PATCH.
 * - `idempotencyKey`: sent as `Idempotency-Key` (the same on every attempt); makes POST/PATCH retryable.
 * - `action`: the `action` label of the metrics (default: the method).
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * const options: ApiClient.RequestOptions = {
 *   body: { amount: 1200, currency: "EUR" },
 *   idempotencyKey: "order-42",
 *   action: "charge"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  readonly query?: UrlParams.Input | undefined
  readonly headers?: Headers.Input | undefined
  readonly body?: unknown
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: boolean | undefined
  readonly idempotencyKey?: string | undefined
  readonly action?: string | undefined
}

/**
 * Options of a call whose JSON body is decoded with `schema`.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 * import { Schema } from "effect"
 *
 * const User = Schema.Struct({ id: Schema.String, name: Schema.String })
 * const options: ApiClient.DecodeOptions<typeof User.Type, typeof User.Encoded> = { schema: User }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions<A, I> extends RequestOptions {
  readonly schema: Schema.Schema<A, I>
}

/**
 * A successful answer of a call without a schema. `body` is the parsed JSON when the
 * content type is JSON, the text otherwise, `undefined` when empty.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * const created = (response: ApiClient.Response): boolean => response.status === 201
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: unknown
}

/**
 * One method of the client: with `schema` it returns the decoded body, without it the `Response`.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * declare const get: ApiClient.Method
 * const health = get("/health")
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Method {
  <A, I>(path: string, options: DecodeOptions<A, I>): Effect.Effect<A, ApiClientError>
  (path: string, options?: RequestOptions): Effect.Effect<Response, ApiClientError>
}

/**
 * The client. `request` takes any method; `execute` sends a prepared `HttpClientRequest` and
 * returns the platform response unread (for streaming) — its status is checked and it is
 * retried like any call, but its timeout ends when the headers arrive.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 * import { Effect, Schema } from "effect"
 *
 * const Order = Schema.Struct({ id: Schema.String, total: Schema.Number })
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* ApiClient.ApiClient
 *   const order = yield* client.get("/orders/42", { schema: Order })
 *   yield* client.post("/orders/42/refunds", { body: { amount: order.total }, idempotencyKey: "refund-42" })
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly name: string
  readonly baseUrl: string
  readonly get: Method
  readonly post: Method
  readonly put: Method
  readonly patch: Method
  readonly del: Method
  readonly request: {
    <A, I>(method: HttpMethod.HttpMethod, path: string, options: DecodeOptions<A, I>): Effect.Effect<A, ApiClientError>
    (method: HttpMethod.HttpMethod, path: string, options?: RequestOptions): Effect.Effect<Response, ApiClientError>
  }
  readonly execute: (
    request: HttpClientRequest.HttpClientRequest,
    options?: Pick<RequestOptions, "timeout" | "retry" | "idempotencyKey" | "action">
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, ApiClientError>
}

/**
 * The settings `config` reads.
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 * import { Duration } from "effect"
 *
 * const settings: ApiClient.ConfigOptions = {
 *   baseUrl: "https://payments.internal",
 *   timeout: Duration.seconds(5),
 *   retries: 2
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigOptions {
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retries: number
}

/**
 * What `layerConfig` takes besides the configuration: headers, a circuit breaker, and retry
 * tuning other than the number of attempts (which `<NAME>_RETRIES` sets).
 *
 * @example
 * ```ts
 * import type { ApiClient } from "@strata/http"
 *
 * const extra: ApiClient.ConfigExtra = { retries: { baseDelay: "250 millis" }, headers: { "user-agent": "shop/1.0" } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigExtra {
  readonly retries?: Omit<RetryOptions, "maxAttempts"> | undefined
  readonly headers?: Headers.Input | undefined
  readonly circuitBreaker?: Options["circuitBreaker"]
}
