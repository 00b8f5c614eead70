/**
 * OpenTelemetry tracing for effect's spans. Keep writing `Effect.withSpan`,
 * `Effect.annotateCurrentSpan` and `Effect.fn("name")`; this module decides where the
 * spans go:
 *
 * - {@link layerConfig}: OTLP/HTTP export when `OTEL_EXPORTER_OTLP_ENDPOINT` is set
 *   (service name, version, resource attributes, headers, sampling from the standard
 *   `OTEL_*` variables); nothing at all when it is not;
 * - {@link layer}: the same with explicit {@link Options};
 * - {@link layerSdk}: the OpenTelemetry SDK with your own span processors (an
 *   `InMemorySpanExporter` in tests, any SDK exporter in production).
 *
 * The OTLP path is Effect-native (`@effect/opentelemetry`'s `OtlpTracer` over a fetch
 * client): spans are batched and sent every few seconds, and the batch in flight is
 * flushed when the layer's scope closes. Log lines written inside a span carry its
 * `traceId` and `spanId` (the Strata logger reads the current span).
 *
 * @since 0.1.0
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as internalConfig from "./internal/tracingConfig.js"
import * as internalOtlp from "./internal/tracingOtlp.js"

/**
 * The OTLP/HTTP encoding: `http/protobuf` (the OpenTelemetry default, smaller) or
 * `http/json` (readable when debugging a collector). gRPC is not supported.
 *
 * @example
 * ```ts
 * import { Tracing } from "@strata/telemetry"
 *
 * const protocol: Tracing.Protocol = "http/json"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Protocol = "http/protobuf" | "http/json"

/**
 * Options of {@link layer}.
 *
 * @example
 * ```ts
 * import { Tracing } from "@strata/telemetry"
 * import { Redacted } from "effect"
 *
 * const options: Tracing.Options = {
 *   endpoint: "http://otel-collector:4318",
 *   serviceName: "orders",
 *   serviceVersion: "1.4.0",
 *   attributes: { "deployment.environment": "production" },
 *   headers: { authorization: Redacted.make("Bearer s3cr3t") },
 *   sampleRatio: 0.25
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** OTLP/HTTP base URL; signals go to `<endpoint>/v1/traces`, `/v1/metrics`, `/v1/logs`. */
  readonly endpoint: string
  /** The resource's `service.name`. */
  readonly serviceName: string
  /** The resource's `service.version`. */
  readonly serviceVersion?: string | undefined
  /** More resource attributes (`deployment.environment`, `service.namespace`, ...). */
  readonly attributes?: Readonly<Record<string, string>> | undefined
  /** Headers sent with every export (credentials: pass them `Redacted`). */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted>> | undefined
  /** Default `http/protobuf`. */
  readonly protocol?: Protocol | undefined
  /**
   * Share of traces to keep, 0 to 1 (default 1). Root spans draw; every other span
   * follows its parent, remote parents included, so traces are kept whole.
   */
  readonly sampleRatio?: number | undefined
  /** Also export effect `Metric`s over OTLP (default `true`). */
  readonly metrics?: boolean | undefined
  /** Also export log lines over OTLP, redacted like Strata's own (default `false`). */
  readonly logs?: boolean | undefined
  /** How often batches are sent (default: spans 5 s, logs 1 s, metrics 10 s). */
  readonly exportInterval?: Duration.DurationInput | undefined
  /** How long the final flush may take when the layer closes (default 3 s). */
  readonly shutdownTimeout?: Duration.DurationInput | undefined
}

/**
 * The tracing settings, from the standard OpenTelemetry variables; `None` (tracing off)
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` is unset or empty, or `OTEL_SDK_DISABLED=true`.
 *
 * | Variable | Meaning | Default |
 * |---|---|---|
 * | `OTEL_EXPORTER_OTLP_ENDPOINT` | OTLP/HTTP base URL | unset: off |
 * | `OTEL_SERVICE_NAME` | `service.name` | see below |
 * | `OTEL_SERVICE_VERSION` | `service.version` | see below |
 * | `OTEL_RESOURCE_ATTRIBUTES` | `k=v,k2=v2`, percent-encoded | none |
 * | `OTEL_EXPORTER_OTLP_HEADERS` | `k=v,k2=v2`, percent-encoded, read as a secret | none |
 * | `OTEL_EXPORTER_OTLP_PROTOCOL` | `http/protobuf`, `http/json` | `http/protobuf` |
 * | `OTEL_TRACES_SAMPLER_ARG` | ratio 0..1, parent-based | 1 |
 * | `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` | `otlp`, `none` | `otlp` / `none` |
 *
 * Without `OTEL_SERVICE_NAME`, the name is `service.name` from `OTEL_RESOURCE_ATTRIBUTES`,
 * then config `service.name` (`SERVICE_NAME`), then `strata-app`; the version likewise.
 *
 * @example
 * ```ts
 * import { Tracing } from "@strata/telemetry"
 * import { Effect, Option } from "effect"
 *
 * const describe = Effect.map(Tracing.config, Option.match({
 *   onNone: () => "tracing off",
 *   onSome: (options) => `tracing ${options.serviceName} to ${options.endpoint}`
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<Option.Option<Options>> = internalConfig.config

/**
 * Exports spans (and, per {@link Options}, metrics and logs) over OTLP/HTTP. Spans are
 * sent in batches; closing the layer's scope flushes what is left (bounded by
 * `shutdownTimeout`), so provide it under the application's layers. A collector that
 * cannot be reached never fails the application: export pauses for a minute and a
 * debug line is logged.
 *
 * @example
 * ```ts
 * import { Tracing } from "@strata/telemetry"
 * import { Effect } from "effect"
 *
 * const TracingLive = Tracing.layer({ endpoint: "http://localhost:4318", serviceName: "orders" })
 *
 * const program = Effect.log("placing order").pipe(
 *   Effect.withSpan("place-order", { attributes: { "order.id": "o-17" } }),
 *   Effect.provide(TracingLive)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Layer.Layer<never> = internalOtlp.layer

/**
 * {@link layer} from {@link config}; `Layer.empty` when no endpoint is configured: no
 * tracer is installed and nothing is allocated, so spans cost only what effect's
 * built-in tracer costs.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Tracing } from "@strata/telemetry"
 * import { Effect, Layer } from "effect"
 *
 * const App = Layer.effectDiscard(Effect.log("ready").pipe(Effect.withSpan("startup")))
 * const Main = App.pipe(Layer.provide(Tracing.layerConfig), Layer.provide(Strata.layerDefaults))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(config, Option.match({ onNone: () => Layer.empty, onSome: layer }))
)

/**
 * Options of {@link layerSdk}.
 *
 * @example
 * ```ts
 * import { Tracing } from "@strata/telemetry"
 * import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
 *
 * const options: Tracing.SdkOptions = {
 *   spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()),
 *   serviceName: "orders"
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface SdkOptions {
  /** Where finished spans go: `SimpleSpanProcessor` (tests), `BatchSpanProcessor` (production). */
  readonly spanProcessor: SpanProcessor | ReadonlyArray<SpanProcessor>
  /** The resource's `service.name` (default `strata-app`). */
  readonly serviceName?: string | undefined
  /** The resource's `service.version`. */
  readonly serviceVersion?: string | undefined
  /** More resource attributes. */
  readonly attributes?: Readonly<Record<string, string>> | undefined
  /** How long flushing the processors may take when the layer closes (default 3 s). */
  readonly shutdownTimeout?: Duration.DurationInput | undefined
}

/**
 * Traces through the OpenTelemetry SDK (`@effect/opentelemetry`'s `NodeSdk`) with your
 * span processors: an `InMemorySpanExporter` to assert on spans in tests, or any SDK
 * exporter. The processors are flushed and shut down when the layer's scope closes.
 *
 * @example
 * ```ts
 * import { Tracing } from "@strata/telemetry"
 * import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
 * import { Effect } from "effect"
 *
 * const exporter = new InMemorySpanExporter()
 * const program = Effect.void.pipe(
 *   Effect.withSpan("child"),
 *   Effect.withSpan("parent"),
 *   Effect.provide(Tracing.layerSdk({ spanProcessor: new SimpleSpanProcessor(exporter) }))
 * )
 * // afterwards: exporter.getFinishedSpans().map((span) => span.name) → ["child", "parent"]
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSdk = (options: SdkOptions): Layer.Layer<never> => {
  const resource: { serviceName: string; serviceVersion?: string; attributes?: Record<string, string> } = {
    serviceName: options.serviceName ?? internalConfig.defaultServiceName
  }
  if (options.serviceVersion !== undefined) resource.serviceVersion = options.serviceVersion
  if (options.attributes !== undefined) resource.attributes = { ...options.attributes }
  return Layer.discard(NodeSdk.layer(() => ({
    resource,
    spanProcessor: options.spanProcessor,
    shutdownTimeout: options.shutdownTimeout
  })))
}
