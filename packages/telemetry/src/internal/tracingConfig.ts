/**
 * Reading the standard OpenTelemetry environment variables (plus Strata's
 * `service.name` / `service.version`) into tracing options.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { Options, Protocol } from "../Tracing.js"

/** @internal */
export const defaultServiceName = "strata-app"

const ATTR_SERVICE_NAME = "service.name"
const ATTR_SERVICE_VERSION = "service.version"

const decode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/**
 * Parses the W3C-baggage-like `key1=value1,key2=value2` lists of `OTEL_RESOURCE_ATTRIBUTES`
 * and `OTEL_EXPORTER_OTLP_HEADERS`: entries trimmed, empty entries skipped, keys and values
 * percent-decoded, the first `=` splits (values may contain `=`). `undefined` when malformed.
 *
 * @internal
 */
export const parseKeyValues = (text: string): Record<string, string> | undefined => {
  const out: Record<string, string> = {}
  for (const entry of text.split(",")) {
    if (entry.trim() === "") continue
    const at = entry.indexOf("=")
    if (at <= 0) return undefined
    const key = decode(entry.slice(0, at).trim())
    const value = decode(entry.slice(at + 1).trim())
    if (key === undefined || key === "" || value === undefined) return undefined
    // defineProperty: a "__proto__" key must stay a plain entry
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return out
}

// the message never echoes the input: OTEL_EXPORTER_OTLP_HEADERS carries credentials
const malformed = ConfigError.InvalidData(
  [],
  "Expected comma-separated key=value pairs (percent-encoded), e.g. k1=v1,k2=v2"
)

const keyValues = (name: string): Config.Config<Record<string, string>> =>
  Config.string(name).pipe(
    Config.mapOrFail((text) => {
      const parsed = parseKeyValues(text)
      return parsed === undefined ? Either.left(malformed) : Either.right(parsed)
    }),
    Config.withDefault({})
  )

// mapped before nesting: a mapped `Config.redacted(name)` would lose the name in errors
const headers: Config.Config<Record<string, Redacted.Redacted>> = Config.redacted().pipe(
  Config.mapOrFail((secret) => {
    const parsed = parseKeyValues(Redacted.value(secret))
    if (parsed === undefined) return Either.left(malformed)
    const out: Record<string, Redacted.Redacted> = {}
    for (const key in parsed) out[key.toLowerCase()] = Redacted.make(parsed[key]!)
    return Either.right(out)
  }),
  Config.nested("OTEL_EXPORTER_OTLP_HEADERS"),
  Config.withDefault({})
)

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

// An empty variable means "unset", as OTel SDKs read it.
const endpoint: Config.Config<Option.Option<string>> = Config.string("OTEL_EXPORTER_OTLP_ENDPOINT").pipe(
  Config.mapOrFail((text) => {
    const value = text.trim()
    if (value === "") return Either.right(Option.none())
    return isHttpUrl(value)
      ? Either.right(Option.some(value))
      : Either.left(ConfigError.InvalidData([], `Expected an http(s) URL but received ${JSON.stringify(text)}`))
  }),
  Config.withDefault(Option.none())
)

const disabled: Config.Config<boolean> = Config.boolean("OTEL_SDK_DISABLED").pipe(Config.withDefault(false))

const protocol: Config.Config<Protocol> = Config.string("OTEL_EXPORTER_OTLP_PROTOCOL").pipe(
  Config.mapOrFail((text): Either.Either<Protocol, ConfigError.ConfigError> => {
    const value = text.trim().toLowerCase()
    return value === "http/protobuf" || value === "http/json"
      ? Either.right(value)
      : Either.left(
        ConfigError.InvalidData(
          [],
          `Expected one of (http/protobuf, http/json) but received ${JSON.stringify(text)} (grpc is not supported)`
        )
      )
  }),
  Config.withDefault<Protocol>("http/protobuf")
)

const exporter = (name: string, fallback: boolean): Config.Config<boolean> =>
  Config.string(name).pipe(
    Config.mapOrFail((text) => {
      const value = text.trim().toLowerCase()
      return value === "otlp" || value === "none"
        ? Either.right(value === "otlp")
        : Either.left(ConfigError.InvalidData([], `Expected one of (otlp, none) but received ${JSON.stringify(text)}`))
    }),
    Config.withDefault(fallback)
  )

const sampleRatio: Config.Config<Option.Option<number>> = Config.number("OTEL_TRACES_SAMPLER_ARG").pipe(
  Config.validate({ message: "Expected a sampling ratio between 0 and 1", validation: (n) => n >= 0 && n <= 1 }),
  Config.option
)

const trimmed = (config: Config.Config<string>): Config.Config<Option.Option<string>> =>
  config.pipe(Config.option, Config.map(Option.flatMap((text) => Option.liftPredicate(text.trim(), (s) => s !== ""))))

const service = Config.all({
  name: trimmed(Config.string("name")),
  version: trimmed(Config.string("version"))
}).pipe(Config.nested("service"))

/** @internal */
export const config: Config.Config<Option.Option<Options>> = Config.all({
  endpoint,
  disabled,
  serviceName: trimmed(Config.string("OTEL_SERVICE_NAME")),
  serviceVersion: trimmed(Config.string("OTEL_SERVICE_VERSION")),
  service,
  attributes: keyValues("OTEL_RESOURCE_ATTRIBUTES"),
  headers,
  protocol,
  sampleRatio,
  metrics: exporter("OTEL_METRICS_EXPORTER", true),
  logs: exporter("OTEL_LOGS_EXPORTER", false)
}).pipe(Config.map((c): Option.Option<Options> => {
  if (c.disabled || Option.isNone(c.endpoint)) return Option.none()
  // the OTel variables win over the application's own `service.*` settings
  const { [ATTR_SERVICE_NAME]: attrName, [ATTR_SERVICE_VERSION]: attrVersion, ...attributes } = c.attributes
  const serviceName = Option.getOrUndefined(c.serviceName) ?? attrName ?? Option.getOrUndefined(c.service.name) ??
    defaultServiceName
  const serviceVersion = Option.getOrUndefined(c.serviceVersion) ?? attrVersion ??
    Option.getOrUndefined(c.service.version)
  return Option.some({
    endpoint: c.endpoint.value,
    serviceName,
    serviceVersion,
    attributes,
    headers: c.headers,
    protocol: c.protocol,
    sampleRatio: Option.getOrUndefined(c.sampleRatio),
    metrics: c.metrics,
    logs: c.logs
  })
}))
