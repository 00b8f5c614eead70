/**
 * CORS middleware: an origin allowlist (exact origins, `*.example.com` patterns, or `*`),
 * credentials, preflight answers with a cache lifetime. Requests without `Origin` pass
 * untouched.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { CorsOptions } from "../middleware/cors.js"
import type * as cacheControl_ from "./middlewareCacheControl.js"
import * as responseHeaders from "./responseHeaders.js"

/** @internal */
export interface Settings {
  readonly origins: ReadonlyArray<string>
  readonly credentials: boolean
  readonly methods: ReadonlyArray<string>
  readonly allowedHeaders: ReadonlyArray<string>
  readonly exposedHeaders: ReadonlyArray<string>
  readonly maxAge: number
}

/** @internal */
export const defaults: Settings = {
  origins: [],
  credentials: false,
  methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
  allowedHeaders: ["authorization", "content-type", "x-request-id", "traceparent", "tracestate"],
  exposedHeaders: ["x-request-id", "traceparent", "retry-after"],
  maxAge: 600
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * `*.example.com` matches any subdomain of example.com over http or https;
 * `https://*.example.com` pins the scheme.
 *
 * @internal
 */
export const compilePattern = (pattern: string): RegExp => {
  const scheme = pattern.includes("://") ? "" : "https?://"
  return new RegExp(`^${scheme}${pattern.split("*").map(escape).join("[a-z0-9-]+(?:\\.[a-z0-9-]+)*")}$`, "i")
}

/** The settings `options` set (the rest from `defaults`). @internal */
export const settingsOf = (options?: CorsOptions): Partial<Settings> => {
  const settings: { -readonly [K in keyof Settings]?: Settings[K] } = {}
  if (options?.origins !== undefined) settings.origins = options.origins
  if (options?.credentials !== undefined) settings.credentials = options.credentials
  if (options?.methods !== undefined) settings.methods = options.methods
  if (options?.allowedHeaders !== undefined) settings.allowedHeaders = options.allowedHeaders
  if (options?.exposedHeaders !== undefined) settings.exposedHeaders = options.exposedHeaders
  if (options?.maxAge !== undefined) settings.maxAge = options.maxAge
  return settings
}

/**
 * With `cacheControl` (the cache control middleware right inside, as `Http.defaults` has
 * it), its `Cache-Control` is set here too: one step and one rebuild of the response.
 *
 * @internal
 */
export const make = (options: Partial<Settings>, cacheControl?: cacheControl_.Decide) => {
  const settings: Settings = { ...defaults, ...options }
  const any = settings.origins.includes("*")
  const exact = new Set(settings.origins.filter((o) => o !== "*" && !o.includes("*")).map((o) => o.toLowerCase()))
  const patterns = settings.origins.filter((o) => o !== "*" && o.includes("*")).map(compilePattern)
  const allowed = (origin: string): boolean => {
    if (any || exact.has(origin.toLowerCase())) return true
    for (let i = 0; i < patterns.length; i++) if (patterns[i]!.test(origin)) return true
    return false
  }
  // With credentials the spec forbids `*`: the origin is reflected instead.
  const wildcard = any && !settings.credentials
  const common: Record<string, string> = {}
  if (settings.credentials) common["access-control-allow-credentials"] = "true"
  if (!wildcard) common["vary"] = "Origin"
  const actual: Record<string, string> = { ...common }
  if (settings.exposedHeaders.length > 0) {
    actual["access-control-expose-headers"] = settings.exposedHeaders.join(", ")
  }
  const actualNames = [...Object.keys(actual), "access-control-allow-origin"]
  const actualValues = actualNames.map((name) => actual[name] ?? "")
  const originIndex = actualNames.length - 1
  const cachedNames = [...actualNames, "cache-control"]
  const varyIndex = actualNames.indexOf("vary")
  const preflight: Record<string, string> = {
    ...common,
    "access-control-allow-methods": settings.methods.join(", "),
    "access-control-max-age": String(settings.maxAge)
  }
  const allowHeaders = settings.allowedHeaders.join(", ")
  const denied = HttpServerResponse.empty({ status: 204, headers: { vary: "Origin" } })

  const cacheOnly = cacheControl === undefined
    ? undefined
    : (request: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse) => {
      const value = cacheControl(request, response)
      return value === undefined ? response : responseHeaders.setHeader(response, "cache-control", value)
    }

  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      const origin = request.headers["origin"]
      if (origin === undefined) {
        return cacheOnly === undefined ? app : Effect.map(app, (response) => cacheOnly(request, response))
      }
      const ok = allowed(origin)
      if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
        // A denied preflight gets no CORS headers: the browser then blocks the real request.
        if (!ok) return Effect.succeed(denied)
        return Effect.succeed(HttpServerResponse.empty({
          status: 204,
          headers: {
            ...preflight,
            "access-control-allow-origin": wildcard ? "*" : origin,
            "access-control-allow-headers": allowHeaders.length > 0
              ? allowHeaders
              : request.headers["access-control-request-headers"] ?? ""
          }
        }))
      }
      if (!ok) return cacheOnly === undefined ? app : Effect.map(app, (response) => cacheOnly(request, response))
      const allowOrigin = wildcard ? "*" : origin
      return Effect.map(app, (response) => {
        const values = actualValues.slice()
        values[originIndex] = allowOrigin
        // Keep a `Vary` set inside (e.g. `Accept-Encoding` by compression).
        const vary = response.headers["vary"]
        if (vary !== undefined && varyIndex !== -1) values[varyIndex] = `${vary}, Origin`
        const cache = cacheControl?.(request, response)
        if (cache === undefined) return responseHeaders.set(response, actualNames, values)
        values.push(cache)
        return responseHeaders.set(response, cachedNames, values)
      })
    })
}
