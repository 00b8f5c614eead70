/**
 * Cache-control middleware: `Cache-Control` by path pattern and method; `no-store` on error
 * responses and on responses to authenticated requests; a value the handler set wins.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { CacheControlOptions } from "../middleware/cacheControl.js"
import * as responseHeaders from "./responseHeaders.js"

/** @internal */
export interface Rule {
  /** `/static/*` (prefix), `/users/:id` style segments (`:x` matches one segment), or exact. */
  readonly path: string
  readonly methods?: ReadonlyArray<string> | undefined
  readonly value: string
}

/** @internal */
export interface Settings {
  readonly rules: ReadonlyArray<Rule>
  readonly fallback: string | undefined
  readonly noStoreOnErrors: boolean
  readonly noStoreWhenAuthenticated: boolean
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")

/** @internal */
export const compileRule = (path: string): RegExp => {
  const prefix = path.endsWith("/*")
  const base = prefix ? path.slice(0, -2) : path
  const source = base.split("/").map((segment) => segment.startsWith(":") ? "[^/]+" : escape(segment)).join("/")
  return new RegExp(`^${source}${prefix ? "(?:/.*)?" : ""}$`)
}

/** The settings `options` ask for, defaults filled in. @internal */
export const settingsOf = (options?: CacheControlOptions): Settings => ({
  rules: options?.rules ?? [],
  fallback: options !== undefined && "fallback" in options ? options.fallback : "no-store",
  noStoreOnErrors: options?.noStoreOnErrors ?? true,
  noStoreWhenAuthenticated: options?.noStoreWhenAuthenticated ?? true
})

/** What cache control sets on a response to a request, if anything. @internal */
export type Decide = (
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
) => string | undefined

/** The `Cache-Control` value a response gets; `undefined` leaves it as it is. @internal */
export const decide = (settings: Settings): Decide => {
  const rules = settings.rules.map((rule) => ({
    pattern: compileRule(rule.path),
    methods: rule.methods === undefined ? undefined : new Set(rule.methods.map((m) => m.toUpperCase())),
    value: rule.value
  }))
  const valueFor = (method: string, path: string): string | undefined => {
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!
      if ((rule.methods === undefined || rule.methods.has(method)) && rule.pattern.test(path)) return rule.value
    }
    return settings.fallback
  }
  return (request, response) => {
    if (response.headers["cache-control"] !== undefined) return undefined
    const authenticated = settings.noStoreWhenAuthenticated && request.headers["authorization"] !== undefined
    if (authenticated || (settings.noStoreOnErrors && response.status >= 400)) return "no-store"
    const url = request.url
    const query = url.indexOf("?")
    return valueFor(request.method, query === -1 ? url : url.slice(0, query))
  }
}

/** @internal */
export const make = (settings: Settings) => {
  const valueOf = decide(settings)
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      return Effect.map(app, (response) => {
        const value = valueOf(request, response)
        return value === undefined ? response : responseHeaders.setHeader(response, "cache-control", value)
      })
    })
}
