import { describe, expect, it } from "@effect/vitest"
import { SpanStatusCode } from "@opentelemetry/api"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Tracing } from "@strata/telemetry"
import { LogCapture, TestConfig } from "@strata/testing"
import { ConfigError, Effect, Either, Layer, Metric, Option, Queue, Redacted, Tracer } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

// --- helpers -------------------------------------------------------------------------

const nested = Effect.gen(function*() {
  yield* Effect.log("in parent")
  yield* Effect.log("in child").pipe(
    Effect.withSpan("child", { attributes: { "order.id": "o-17", "order.items": 3 } })
  )
}).pipe(Effect.withSpan("parent"))

/**
 * Runs `effect` under `Tracing.layerSdk` with an in-memory exporter and returns its result
 * with the finished spans. `SimpleSpanProcessor` exports asynchronously and the exporter
 * forgets its spans when the layer shuts it down: read them after a flush, inside the layer.
 */
const withSdk = <A, E, R>(effect: Effect.Effect<A, E, R>, options: Omit<Tracing.SdkOptions, "spanProcessor"> = {}) => {
  const exporter = new InMemorySpanExporter()
  const processor = new SimpleSpanProcessor(exporter)
  return Effect.gen(function*() {
    const result = yield* Effect.either(effect)
    yield* Effect.promise(() => processor.forceFlush())
    return { result, spans: exporter.getFinishedSpans() }
  }).pipe(Effect.provide(Tracing.layerSdk({ ...options, spanProcessor: processor })))
}

const byName = <S extends { readonly name: string }>(spans: ReadonlyArray<S>, name: string): S => {
  const span = spans.find((s) => s.name === name)
  if (span === undefined) throw new Error(`no span named ${name} in [${spans.map((s) => s.name).join(", ")}]`)
  return span
}

interface Received {
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

/** A fake OTLP/HTTP collector on a free loopback port that records every request. */
const collector = Effect.gen(function*() {
  const queue = yield* Queue.unbounded<Received>()
  const server = yield* Effect.acquireRelease(
    Effect.async<http.Server>((resume) => {
      const server = http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          Queue.unsafeOffer(queue, { path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) })
          res.writeHead(200, { "content-type": "application/json" }).end("{}")
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  const seen: Array<Received> = []
  const drain = Effect.map(Queue.takeAll(queue), (chunk) => {
    seen.push(...chunk)
    return seen.slice()
  })
  /** The first request to `path`, waiting for it up to a deadline. */
  const waitFor = (path: string): Effect.Effect<Received, Error> =>
    Effect.gen(function*() {
      for (const request of yield* drain) if (request.path === path) return request
      while (true) {
        const request = yield* Queue.take(queue)
        seen.push(request)
        if (request.path === path) return request
      }
    }).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`no request to ${path}`) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, waitFor, received: drain }
})

interface AttributeJson {
  readonly key: string
  readonly value: { readonly stringValue?: string; readonly intValue?: number }
}
interface SpanJson {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly attributes: ReadonlyArray<AttributeJson>
  readonly status: { readonly code: number; readonly message?: string }
}
interface TracesJson {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource: { readonly attributes: ReadonlyArray<AttributeJson> }
    readonly scopeSpans: ReadonlyArray<{ readonly spans: ReadonlyArray<SpanJson> }>
  }>
}

const tracesOf = (request: Received) => {
  const json = JSON.parse(request.body.toString("utf8")) as TracesJson
  const resource = Object.fromEntries(
    json.resourceSpans.flatMap((r) => r.resource.attributes).map((a) => [a.key, a.value.stringValue])
  )
  const resourceKeys = json.resourceSpans.flatMap((r) => r.resource.attributes).map((a) => a.key)
  const spans = json.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
  return { resource, resourceKeys, spans }
}

const jsonSpan = (spans: ReadonlyArray<SpanJson>, name: string): SpanJson => byName(spans, name)

const withEnv = (env: Record<string, string>) => Tracing.layerConfig.pipe(Layer.provide(TestConfig.layerEnv(env)))

const readConfig = (env: Record<string, string>, values: TestConfig.Values = {}) =>
  Effect.withConfigProvider(Tracing.config, TestConfig.provider(values, { env }))

// --- SDK path: in-memory exporter --------------------------------------------------------

describe("Tracing.layerSdk (in-memory exporter)", () => {
  it.effect("exports a nested effect as real parent/child spans with attributes and resource", () =>
    Effect.gen(function*() {
      const { spans } = yield* withSdk(nested.pipe(Effect.provide(LogCapture.layer)), {
        serviceName: "orders",
        serviceVersion: "1.4.0",
        attributes: { "deployment.environment": "test" }
      })
      expect(spans.map((s) => s.name)).toEqual(["child", "parent"])
      const parent = byName(spans, "parent")
      const child = byName(spans, "child")
      expect(child.spanContext().traceId).toBe(parent.spanContext().traceId)
      expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
      expect(parent.parentSpanContext).toBeUndefined()
      expect(child.attributes).toMatchObject({ "order.id": "o-17", "order.items": 3 })
      expect(child.status.code).toBe(SpanStatusCode.OK)
      expect(parent.resource.attributes).toMatchObject({
        "service.name": "orders",
        "service.version": "1.4.0",
        "deployment.environment": "test"
      })
    }))

  it.effect("marks a failing span as an error with the exception, and the failure still propagates", () =>
    Effect.gen(function*() {
      const { result, spans } = yield* withSdk(
        Effect.fail(new Error("card declined")).pipe(Effect.withSpan("charge"), Effect.withSpan("checkout"))
      )
      expect(Either.isLeft(result)).toBe(true)
      for (const name of ["charge", "checkout"]) {
        const span = byName(spans, name)
        expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "card declined" })
        expect(span.events.map((e) => e.name)).toContain("exception")
      }
      expect(byName(spans, "charge").resource.attributes["service.name"]).toBe("strata-app")
    }))

  it.effect("log lines inside a span carry the exported span's traceId and spanId", () =>
    Effect.gen(function*() {
      const { result, spans } = yield* withSdk(
        Effect.gen(function*() {
          yield* Effect.log("outside")
          yield* nested
          return yield* LogCapture.entries
        }).pipe(Effect.provide(LogCapture.layer))
      )
      const entries = Either.getOrThrow(result)
      const parent = byName(spans, "parent").spanContext()
      const child = byName(spans, "child").spanContext()
      const contextOf = (message: string) => entries.find((e) => e.message === message)?.context
      expect(contextOf("outside")).toEqual({})
      expect(contextOf("in parent")).toEqual({ traceId: parent.traceId, spanId: parent.spanId })
      expect(contextOf("in child")).toEqual({ traceId: child.traceId, spanId: child.spanId })
      expect(child.traceId).toMatch(/^[0-9a-f]{32}$/)
    }))
})

// --- configuration -------------------------------------------------------------------------

describe("Tracing.config", () => {
  it.effect("is None without an endpoint, with an empty one, or with OTEL_SDK_DISABLED", () =>
    Effect.gen(function*() {
      expect(yield* readConfig({ OTEL_SERVICE_NAME: "orders" })).toEqual(Option.none())
      expect(yield* readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: " " })).toEqual(Option.none())
      expect(yield* readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }))
        .toEqual(Option.none())
    }))

  it.effect("reads the standard OTEL_* variables", () =>
    Effect.gen(function*() {
      const options = yield* readConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector.example.com:4318/",
        OTEL_SERVICE_NAME: "orders",
        OTEL_SERVICE_VERSION: "2.0.1",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod, team=core%2Cplatform,service.name=ignored",
        OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%20abc,x-tenant=t=1",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_TRACES_SAMPLER_ARG: "0.25",
        OTEL_METRICS_EXPORTER: "none",
        OTEL_LOGS_EXPORTER: "otlp"
      }).pipe(Effect.map(Option.getOrThrow))
      const { headers, ...rest } = options
      expect(rest).toEqual({
        endpoint: "https://collector.example.com:4318/",
        serviceName: "orders",
        serviceVersion: "2.0.1",
        attributes: { "deployment.environment": "prod", team: "core,platform" },
        protocol: "http/json",
        sampleRatio: 0.25,
        metrics: false,
        logs: true
      })
      expect(Object.keys(headers ?? {})).toEqual(["authorization", "x-tenant"])
      const auth = headers?.["authorization"]
      expect(Redacted.isRedacted(auth) ? Redacted.value(auth) : auth).toBe("Bearer abc")
      expect(String(auth)).not.toContain("abc")
      const tenant = headers?.["x-tenant"]
      expect(Redacted.isRedacted(tenant) ? Redacted.value(tenant) : tenant).toBe("t=1")
    }))

  it.effect("falls back to resource attributes, then config service.*, then strata-app", () =>
    Effect.gen(function*() {
      const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }
      const fromAttributes = yield* readConfig(
        { ...endpoint, OTEL_RESOURCE_ATTRIBUTES: "service.name=attr-name,service.version=9" },
        { service: { name: "billing", version: "1.2.3" } }
      )
      expect(Option.map(fromAttributes, (o) => [o.serviceName, o.serviceVersion, o.attributes]))
        .toEqual(Option.some(["attr-name", "9", {}]))
      const fromService = yield* readConfig(endpoint, { service: { name: "billing", version: "1.2.3" } })
      expect(Option.map(fromService, (o) => [o.serviceName, o.serviceVersion]))
        .toEqual(Option.some(["billing", "1.2.3"]))
      const defaults = yield* readConfig(endpoint)
      expect(Option.map(defaults, (o) => [o.serviceName, o.serviceVersion, o.protocol, o.metrics, o.logs]))
        .toEqual(Option.some(["strata-app", undefined, "http/protobuf", true, false]))
    }))

  it.effect("rejects bad values with the variable's name, never echoing header secrets", () =>
    Effect.gen(function*() {
      const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }
      const failures = yield* Effect.forEach([
        { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" },
        { ...endpoint, OTEL_TRACES_SAMPLER_ARG: "2" },
        { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
        { ...endpoint, OTEL_LOGS_EXPORTER: "console" },
        { ...endpoint, OTEL_RESOURCE_ATTRIBUTES: "novalue" },
        { ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: "api-key:s3cr3t" }
      ], (env) => Effect.flip(readConfig(env)))
      const text = failures.map((error) => String(error))
      expect(failures.every(ConfigError.isConfigError)).toBe(true)
      expect(text[0]).toContain("OTEL_EXPORTER_OTLP_ENDPOINT")
      expect(text[1]).toContain("OTEL_TRACES_SAMPLER_ARG")
      expect(text[2]).toContain("OTEL_EXPORTER_OTLP_PROTOCOL")
      expect(text[3]).toContain("OTEL_LOGS_EXPORTER")
      expect(text[4]).toContain("OTEL_RESOURCE_ATTRIBUTES")
      expect(text[5]).toContain("OTEL_EXPORTER_OTLP_HEADERS")
      expect(text[5]).not.toContain("s3cr3t")
    }))
})

describe("Tracing.layerConfig", () => {
  it.effect("without an endpoint installs nothing: effect's own tracer stays", () =>
    Effect.gen(function*() {
      const builtin = yield* Effect.tracer
      const off = yield* Effect.tracer.pipe(Effect.provide(withEnv({ OTEL_SERVICE_NAME: "orders" })))
      const disabled = yield* Effect.tracer.pipe(Effect.provide(withEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
        OTEL_SDK_DISABLED: "true"
      })))
      expect(off).toBe(builtin)
      expect(disabled).toBe(builtin)
      // control: with an endpoint, a different tracer is installed (nothing is sent: no spans, no metrics)
      const on = yield* Effect.tracer.pipe(Effect.provide(withEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
        OTEL_METRICS_EXPORTER: "none"
      })))
      expect(on).not.toBe(builtin)
    }))

  it.effect("fails to build on a bad setting", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.provide(Effect.void, withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "nope" })))
      expect(String(error)).toContain("OTEL_EXPORTER_OTLP_ENDPOINT")
    }))
})

// --- OTLP path: a real HTTP export to a local collector ----------------------------------------

describe("Tracing OTLP export", () => {
  it.scopedLive("sends spans, resource, headers and metrics as OTLP/JSON when the layer closes", () =>
    Effect.gen(function*() {
      const otlp = yield* collector
      const orders = Metric.counter("strata_tracing_test_orders_total")
      const entries = yield* Effect.gen(function*() {
        yield* nested
        yield* Metric.increment(orders)
        return yield* LogCapture.entries
      }).pipe(
        Effect.provide(LogCapture.layer),
        Effect.provide(withEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_SERVICE_NAME: "orders",
          OTEL_SERVICE_VERSION: "1.4.0",
          OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=test,service.name=overridden",
          OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20abc"
        }))
      )
      // the layer is closed: its final flush has been answered by the collector
      const request = yield* otlp.waitFor("/v1/traces")
      expect(request.headers["content-type"]).toContain("application/json")
      expect(request.headers["authorization"]).toBe("Bearer abc")
      const { resource, resourceKeys, spans } = tracesOf(request)
      expect(resource).toMatchObject({
        "service.name": "orders",
        "service.version": "1.4.0",
        "deployment.environment": "test"
      })
      expect(resourceKeys.filter((key) => key === "service.name")).toHaveLength(1)
      const parent = jsonSpan(spans, "parent")
      const child = jsonSpan(spans, "child")
      expect(child.traceId).toBe(parent.traceId)
      expect(child.parentSpanId).toBe(parent.spanId)
      expect(parent.parentSpanId).toBeUndefined()
      expect(child.attributes).toContainEqual({ key: "order.id", value: { stringValue: "o-17" } })
      expect(child.attributes).toContainEqual({ key: "order.items", value: { intValue: 3 } })
      const inChild = entries.find((e) => e.message === "in child")
      expect(inChild?.context).toEqual({ traceId: child.traceId, spanId: child.spanId })

      const metrics = yield* otlp.waitFor("/v1/metrics")
      expect(metrics.body.toString("utf8")).toContain("strata_tracing_test_orders_total")
      expect((yield* otlp.received).some((r) => r.path === "/v1/logs")).toBe(false)
    }))

  it.scopedLive("speaks OTLP/protobuf by default", () =>
    Effect.gen(function*() {
      const otlp = yield* collector
      yield* nested.pipe(
        Effect.provide(LogCapture.layer),
        Effect.provide(withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_METRICS_EXPORTER: "none" }))
      )
      const request = yield* otlp.waitFor("/v1/traces")
      expect(request.headers["content-type"]).toBe("application/x-protobuf")
      const bytes = request.body.toString("latin1")
      for (const text of ["parent", "child", "o-17", "strata-app"]) expect(bytes).toContain(text)
    }))

  it.scopedLive("samples whole traces: a dropped root drops its children, a sampled remote parent is kept", () =>
    Effect.gen(function*() {
      const otlp = yield* collector
      const remote = Tracer.externalSpan({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" })
      const entries = yield* Effect.gen(function*() {
        yield* nested
        yield* Effect.void.pipe(Effect.withSpan("handled"), Effect.withParentSpan(remote))
        return yield* LogCapture.entries
      }).pipe(
        Effect.provide(LogCapture.layer),
        Effect.provide(withEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_TRACES_SAMPLER_ARG: "0",
          OTEL_METRICS_EXPORTER: "none"
        }))
      )
      const { spans } = tracesOf(yield* otlp.waitFor("/v1/traces"))
      expect(spans.map((s) => s.name)).toEqual(["handled"])
      expect(jsonSpan(spans, "handled")).toMatchObject({ traceId: remote.traceId, parentSpanId: remote.spanId })
      // dropped spans still correlate logs
      const parent = entries.find((e) => e.message === "in parent")?.context
      const child = entries.find((e) => e.message === "in child")?.context
      expect(parent?.["traceId"]).toMatch(/^[0-9a-f]{32}$/)
      expect(child?.["traceId"]).toBe(parent?.["traceId"])
      expect(child?.["spanId"]).not.toBe(parent?.["spanId"])
    }))

  it.scopedLive("exports log lines, redacted and with their trace ids, when OTEL_LOGS_EXPORTER=otlp", () =>
    Effect.gen(function*() {
      const otlp = yield* collector
      yield* Effect.log("signing in", { user: "ada", password: "hunter2" }).pipe(
        Effect.annotateLogs({ accessToken: "t-123", attempt: 2 }),
        Effect.withSpan("login"),
        Effect.provide(LogCapture.layer),
        Effect.provide(withEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_METRICS_EXPORTER: "none",
          OTEL_LOGS_EXPORTER: "otlp"
        }))
      )
      const body = (yield* otlp.waitFor("/v1/logs")).body.toString("utf8")
      const { spans } = tracesOf(yield* otlp.waitFor("/v1/traces"))
      expect(body).toContain("signing in")
      expect(body).toContain("[REDACTED]")
      expect(body).not.toContain("hunter2")
      expect(body).not.toContain("t-123")
      expect(body).toContain(jsonSpan(spans, "login").spanId)
    }))
})
