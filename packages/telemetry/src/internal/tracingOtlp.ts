/**
 * The OTLP/HTTP exporters of `@effect/opentelemetry` (Effect-native: no OTel SDK), wired
 * from `Tracing.Options`: one resource for every signal, sampling, optional metrics and
 * (redacted) logs, a private fetch client, and a flush when the layer's scope closes.
 *
 * @internal
 */
import * as OtlpLogger from "@effect/opentelemetry/OtlpLogger"
import * as OtlpMetrics from "@effect/opentelemetry/OtlpMetrics"
import * as OtlpSerialization from "@effect/opentelemetry/OtlpSerialization"
import * as OtlpTracer from "@effect/opentelemetry/OtlpTracer"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Redaction } from "@strata/core"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import type { Options } from "../Tracing.js"
import { parentBasedRatio } from "./tracingSampler.js"

// @effect/opentelemetry merges OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME from the config
// provider into the resource on its own; hiding them keeps `Options` the single source.
const noConfig = ConfigProvider.fromMap(new Map())

const isolated = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withConfigProvider(effect, noConfig)

const unwrapHeaders = (headers: Options["headers"]): Record<string, string> => {
  const out: Record<string, string> = {}
  if (headers === undefined) return out
  for (const key in headers) {
    const value = headers[key]!
    out[key] = Redacted.isRedacted(value) ? Redacted.value(value) : value
  }
  return out
}

const redactPart = (part: unknown, redactor: Redaction.Redactor): unknown =>
  typeof part === "object" && part !== null ? redactor.redact(part) : part

/**
 * The OTLP log exporter sends annotations and message objects as they are; pass them
 * through the same redaction as Strata's own log lines first.
 */
const redacting = (logger: Logger.Logger<unknown, void>): Logger.Logger<unknown, void> => {
  const redactor = Redaction.make()
  return Logger.mapInputOptions(logger, (input) => ({
    ...input,
    message: Array.isArray(input.message)
      ? input.message.map((part) => redactPart(part, redactor))
      : redactPart(input.message, redactor),
    annotations: HashMap.map(
      input.annotations,
      (value, key) => redactor.isSensitive(key) ? Redaction.placeholder : redactPart(value, redactor)
    )
  }))
}

/** @internal */
export const layer = (options: Options): Layer.Layer<never> => {
  const base = options.endpoint.replace(/\/+$/, "")
  const resource = {
    serviceName: options.serviceName,
    serviceVersion: options.serviceVersion,
    attributes: { ...options.attributes }
  }
  const common = {
    resource,
    headers: unwrapHeaders(options.headers),
    exportInterval: options.exportInterval,
    shutdownTimeout: options.shutdownTimeout
  }
  const ratio = options.sampleRatio ?? 1

  const traces = Layer.unwrapScoped(
    Effect.map(
      isolated(OtlpTracer.make({ ...common, url: `${base}/v1/traces` })),
      (tracer) => Layer.setTracer(parentBasedRatio(tracer, ratio))
    )
  )
  const metrics = options.metrics === false
    ? Layer.empty
    : Layer.scopedDiscard(isolated(OtlpMetrics.make({ ...common, url: `${base}/v1/metrics` })))
  const logs = options.logs === true
    ? Logger.addScoped(Effect.map(isolated(OtlpLogger.make({ ...common, url: `${base}/v1/logs` })), redacting))
    : Layer.empty

  return Layer.mergeAll(traces, metrics, logs).pipe(
    Layer.provide(options.protocol === "http/json" ? OtlpSerialization.layerJson : OtlpSerialization.layerProtobuf),
    Layer.provide(FetchHttpClient.layer)
  )
}
