/**
 * Named clients for other HTTP services, over `@effect/platform`'s `HttpClient`: a base URL,
 * a timeout per attempt, retries with exponential backoff and jitter that honour
 * `Retry-After`, typed errors from the catalogue, a span and the `service_call*` metrics
 * per call, and the request id (`X-Request-ID`) and trace context passed on.
 *
 * - Transport failures and timeouts fail with `Errors.NetworkError` (retryable).
 * - 5xx and 429 fail with `Errors.ExternalServiceError` (`retryable: true`); other error
 *   statuses with `retryable: false` and the upstream's problem body in `details.problem`.
 * - A body that does not match the schema fails with `ExternalServiceError` (`details.reason: "decode"`).
 * - With a circuit breaker, calls are refused with `Errors.Unavailable` while it is open.
 *
 * Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried unless a call says
 * `retry: true` or passes an `idempotencyKey`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as internalConfig from "./internal/apiClientConfig.js"
import type { ConfigExtra, ConfigOptions, Options, Service } from "./internal/apiClientModels.js"
import * as internal from "./internal/apiClientService.js"

export type {
  /** @since 0.1.0 */
  ApiClientError,
  /** @since 0.1.0 */
  ConfigExtra,
  /** @since 0.1.0 */
  ConfigOptions,
  /** @since 0.1.0 */
  DecodeOptions,
  /** @since 0.1.0 */
  Method,
  /** @since 0.1.0 */
  Options,
  /** @since 0.1.0 */
  RequestOptions,
  /** @since 0.1.0 */
  Response,
  /** @since 0.1.0 */
  RetryOptions,
  /** @since 0.1.0 */
  Service
} from "./internal/apiClientModels.js"

/**
 * The default client, for applications that call one upstream. Use `ApiClient.Tag` for more.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const ping = Effect.flatMap(ApiClient.ApiClient, (client) => client.get("/ping"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ApiClient extends Context.Tag("@strata/http/ApiClient")<ApiClient, Service>() {}

/**
 * The service identifier of a client made by `ApiClient.Tag(name)`: what a layer of that tag
 * provides and what an effect using it requires.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 * import type { Effect } from "effect"
 *
 * declare const charge: Effect.Effect<ApiClient.Response, ApiClient.ApiClientError, ApiClient.Named<"payments">>
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Named<Name extends string> {
  readonly _: unique symbol
  readonly name: Name
}

/**
 * A tag made by `ApiClient.Tag`; it remembers the name.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 *
 * const Payments: ApiClient.NamedTag<"payments"> = ApiClient.Tag("payments")
 * Payments.clientName // "payments"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface NamedTag<Name extends string> extends Context.Tag<Named<Name>, Service> {
  readonly clientName: Name
}

/**
 * A tag for the client of one upstream. Tags made with the same name are the same tag.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const Payments = ApiClient.Tag("payments")
 * const PaymentsLive = ApiClient.layer(Payments, { baseUrl: "https://payments.internal" })
 *
 * const balance = Effect.flatMap(Payments, (payments) => payments.get("/balance"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export const Tag = <const Name extends string>(name: Name): NamedTag<Name> =>
  Object.assign(Context.GenericTag<Named<Name>, Service>(`@strata/http/ApiClient/${name}`), { clientName: name })

/**
 * Builds a client on the `HttpClient` of the context (provide
 * `NodeHttpClient.layerUndici` or `FetchHttpClient.layer`). The metrics go through the
 * `Metrics` service of `@strata/telemetry` when one is provided (so `enabled: false` turns
 * them off), else straight to the global registry.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const weather = yield* ApiClient.make({ name: "weather", baseUrl: "https://api.weather.test" })
 *   return yield* weather.get("/forecast", { query: { city: "Lyon" } })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<Service, never, HttpClient.HttpClient> = internal.make

/**
 * A layer of a client: under the default `ApiClient` tag, or under your tag (the name of a
 * tag made by `ApiClient.Tag` is the client's name unless `options.name` says otherwise).
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 *
 * const Inventory = ApiClient.Tag("inventory")
 * const InventoryLive = ApiClient.layer(Inventory, { baseUrl: "http://inventory:8080", retries: { maxAttempts: 5 } })
 *   .pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export function layer(options: Options): Layer.Layer<ApiClient, never, HttpClient.HttpClient>
export function layer<I>(tag: Context.Tag<I, Service>, options: Options): Layer.Layer<I, never, HttpClient.HttpClient>
export function layer<I>(
  ...args: [options: Options] | [tag: Context.Tag<I, Service>, options: Options]
): Layer.Layer<never, never, HttpClient.HttpClient> {
  // (`Layer<never>` is the implementation's type only: each overload states what it provides.)
  if (args.length === 1) return Layer.effect(ApiClient, make(args[0]))
  const [tag, options] = args
  const name = options.name ?? tagName(tag)
  return Layer.effect(tag, make(name === undefined ? options : { ...options, name }))
}

const tagName = (tag: unknown): string | undefined =>
  Predicate.hasProperty(tag, "clientName") && typeof tag.clientName === "string" ? tag.clientName : undefined

/**
 * What `layer` and `layerConfig` read for a client `name`, nested under it: `baseUrl`
 * (env `<NAME>_BASE_URL`, required, an http(s) URL), `timeout` (`<NAME>_TIMEOUT`:
 * `"5 seconds"`, `5s`, `500ms`, or a bare number of milliseconds — the rule of
 * `ConfigValues.duration`; it was seconds before; default 10 s) and `retries`
 * (`<NAME>_RETRIES`: retries after the first attempt, `0` = none; default 2).
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 *
 * // PAYMENTS_BASE_URL=https://payments.internal PAYMENTS_TIMEOUT=5s PAYMENTS_RETRIES=3
 * const settings = ApiClient.config("payments")
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const config = (name: string): Config.Config<ConfigOptions> => internalConfig.config(name)

/**
 * A client layer from configuration (`config(name)`). With a tag made by `ApiClient.Tag`
 * the name is the tag's; with another tag, pass the name.
 *
 * @example
 * ```ts
 * import { ApiClient } from "@strata/http"
 *
 * const Payments = ApiClient.Tag("payments")
 * // PAYMENTS_BASE_URL, PAYMENTS_TIMEOUT, PAYMENTS_RETRIES (payments.baseUrl, ... in YAML)
 * const PaymentsLive = ApiClient.layerConfig(Payments, { headers: { "user-agent": "shop/1.0" } })
 * const DefaultLive = ApiClient.layerConfig("upstream")
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export function layerConfig(
  name: string,
  extra?: ConfigExtra
): Layer.Layer<ApiClient, ConfigError.ConfigError, HttpClient.HttpClient>
export function layerConfig<Name extends string>(
  tag: NamedTag<Name>,
  extra?: ConfigExtra
): Layer.Layer<Named<Name>, ConfigError.ConfigError, HttpClient.HttpClient>
export function layerConfig<I>(
  tag: Context.Tag<I, Service>,
  name: string,
  extra?: ConfigExtra
): Layer.Layer<I, ConfigError.ConfigError, HttpClient.HttpClient>
export function layerConfig<I>(
  first: string | Context.Tag<I, Service>,
  second?: string | ConfigExtra,
  third?: ConfigExtra
): Layer.Layer<never, ConfigError.ConfigError, HttpClient.HttpClient> {
  const name = typeof first === "string" ? first : typeof second === "string" ? second : tagName(first) ?? first.key
  const extra = (typeof second === "string" ? third : second) ?? {}
  const build = Effect.flatMap(internalConfig.config(name), (settings) =>
    make({
      ...extra,
      name,
      baseUrl: settings.baseUrl,
      timeout: settings.timeout,
      retries: settings.retries === 0 ? false : { ...extra.retries, maxAttempts: settings.retries + 1 }
    }))
  return typeof first === "string" ? Layer.effect(ApiClient, build) : Layer.effect(first, build)
}
