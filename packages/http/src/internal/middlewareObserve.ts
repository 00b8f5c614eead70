/**
 * Tracing and metrics middleware. The route template comes from the server span: the
 * `HttpRouter` sets `http.route` on the current span when it matches, so metrics read it
 * from the span the tracing middleware opened (never the raw path: bounded cardinality).
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as RequestContext from "@strata/core/RequestContext"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import * as Tracer from "effect/Tracer"
import * as middlewareExit from "./middlewareExit.js"
import * as fiberRefSet from "./fiberRefSet.js"
import * as handoff from "./requestContextHandoff.js"
import * as responseHeaders from "./responseHeaders.js"
import { RequestServices } from "./serverContext.js"
import * as serverSpan from "./serverSpan.js"

/** @internal */
export const pathOf = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

/** `/health/*` matches `/health` and everything below it; other entries match exactly. @internal */
export const ignoreMatcher = (patterns: ReadonlyArray<string>): (path: string) => boolean => {
  const exact = new Set<string>()
  const prefixes: Array<string> = []
  for (const pattern of patterns) {
    if (pattern.endsWith("/*")) {
      prefixes.push(pattern.slice(0, -1))
      exact.add(pattern.slice(0, -2))
    } else exact.add(pattern)
  }
  if (prefixes.length === 0) return (path) => exact.has(path)
  return (path) => {
    if (exact.has(path)) return true
    for (let i = 0; i < prefixes.length; i++) if (path.startsWith(prefixes[i]!)) return true
    return false
  }
}

const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
const methodLabel = (method: string): string => methods.has(method) ? method : "OTHER"

/** The route template the router recorded on the span, else a fixed fallback. @internal */
export const routeOf = (span: Tracer.AnySpan | undefined, status: number): string => {
  if (span !== undefined && span._tag === "Span") {
    const route = span.attributes.get("http.route")
    if (typeof route === "string") return route
  }
  return status === 404 ? "unmatched" : "unknown"
}

const traceparent = (span: Tracer.Span): string =>
  `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`

const annotate = (fiber: Fiber.RuntimeFiber<unknown, unknown>, span: Tracer.Span): Effect.Effect<void> | undefined => {
  const current = fiber.getFiberRef(RequestContext.currentRequestContext)
  if (handoff.take(current)) {
    // Made for this request by the request-id middleware right outside: completed in place.
    const fields = current as Record<string, string | undefined>
    fields.traceId = span.traceId
    fields.spanId = span.spanId
    return undefined
  }
  // Copied with `Object.assign`, not `{ ...current, traceId }`: V8 gives an object spread with
  // added keys a slow map (~2 µs per request, measured).
  const next: Record<string, string | undefined> = Object.assign({}, current)
  next.traceId = span.traceId
  next.spanId = span.spanId
  if (fiberRefSet.setOnRunningFiber(fiber, RequestContext.currentRequestContext, next)) return undefined
  return FiberRef.set(RequestContext.currentRequestContext, next)
}

const finishWith = (
  span: Tracer.Span,
  method: string,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  span.attribute("http.response.status_code", response.status)
  const route = span.attributes.get("http.route")
  // Span names are fixed at creation, before routing; tracers read the name when the
  // span ends, so the route template can still become the name.
  if (typeof route === "string") Reflect.set(span, "name", `${method} ${route}`)
  return responseHeaders.setHeader(response, "traceparent", traceparent(span))
}

const finish = (span: Tracer.Span, method: string) =>
(response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse =>
  finishWith(span, method, response)

/** @internal */
export const tracing = (ignore: ReadonlyArray<string>) => {
  const ignored = ignoreMatcher(ignore)
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber, status) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      const path = pathOf(request.url)
      if (ignored(path)) return app
      const parent = HttpTraceContext.fromHeaders(request.headers)
      const method = request.method
      const attributes = { "http.request.method": method, "url.path": path }
      const options: Tracer.SpanOptions & { readonly attributes: Record<string, unknown> } = parent._tag === "Some"
        ? { kind: "server", attributes, parent: parent.value, captureStackTrace: false }
        : { kind: "server", attributes, captureStackTrace: false }
      const name = `http.server ${method}`
      const started = serverSpan.start(fiber, name, options)
      if (started === undefined) {
        return Effect.useSpan(name, options, (span) => {
          const traced = Effect.map(Effect.withParentSpan(app, span), finish(span, method))
          const annotated = annotate(fiber, span)
          return annotated === undefined ? traced : Effect.zipRight(annotated, traced)
        })
      }
      const span = started.span
      // On the Strata server the span goes into the request's services in place (see
      // `RequestServices`); elsewhere it is provided as usual.
      const services = fiber.currentContext.unsafeMap
      const slot = services instanceof RequestServices && services.canReplace(Tracer.ParentSpan.key)
        ? services
        : undefined
      const previous = slot?.replace(Tracer.ParentSpan.key, span)
      const inner = slot === undefined ? Effect.withParentSpan(app, span) : app
      const annotated = annotate(fiber, span)
      const traced = annotated === undefined ? inner : Effect.zipRight(annotated, inner)
      if (!middlewareExit.shielded(status)) {
        return Effect.onExit(Effect.map(traced, finish(span, method)), (exit) => {
          slot?.replace(Tracer.ParentSpan.key, previous)
          if (Exit.isFailure(exit)) span.attribute("http.response.status_code", middlewareExit.statusOf(exit))
          started.end(exit)
          return Effect.void
        })
      }
      // Uninterruptible here (as in `Http.defaults`): one match instead of `onExit`.
      return Effect.matchCauseEffect(traced, {
        onFailure: (cause) => {
          slot?.replace(Tracer.ParentSpan.key, previous)
          const failed = Exit.failCause(cause)
          span.attribute("http.response.status_code", middlewareExit.statusOf(failed))
          started.end(failed)
          return failed
        },
        onSuccess: (response) => {
          slot?.replace(Tracer.ParentSpan.key, previous)
          const done = Exit.succeed(finishWith(span, method, response))
          started.end(done)
          return done
        }
      })
    })
}

const requestsTotal = Metric.counter("http_requests_total", {
  description: "HTTP requests by method, route template and status",
  incremental: true
})
const requestDuration = Metric.histogram(
  "http_request_duration_seconds",
  MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
  "HTTP request duration in seconds by method, route template and status"
)
const inProgress = Metric.gauge("http_requests_in_progress", {
  description: "HTTP requests being handled, by method"
})

/** @internal */
export const metrics = (ignore: ReadonlyArray<string>) => {
  const ignored = ignoreMatcher(ignore)
  // One label array per (method, route, status), kept by identity: effect's metric hooks are
  // cached per label array, so the hot path does no registry lookup.
  const labelCache = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()
  const methodLabels = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()
  const labelsFor = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`
    let labels = labelCache.get(key)
    if (labels === undefined) {
      labels = [
        MetricLabel.make("method", method),
        MetricLabel.make("route", route),
        MetricLabel.make("status", String(status))
      ]
      labelCache.set(key, labels)
    }
    return labels
  }
  const gaugeLabels = (method: string) => {
    let labels = methodLabels.get(method)
    if (labels === undefined) {
      labels = [MetricLabel.make("method", method)]
      methodLabels.set(method, labels)
    }
    return labels
  }
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber, status) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      if (ignored(pathOf(request.url))) return app
      const span = fiber.currentContext.unsafeMap.get(Tracer.ParentSpan.key) as Tracer.AnySpan | undefined
      const method = methodLabel(request.method)
      const gauge = gaugeLabels(method)
      const start = performance.now()
      inProgress.unsafeModify(1, gauge)
      return middlewareExit.observe(status, app, (done) => {
        inProgress.unsafeModify(-1, gauge)
        const code = middlewareExit.statusOf(done)
        const labels = labelsFor(method, routeOf(span, code), code)
        requestsTotal.unsafeUpdate(1, labels)
        requestDuration.unsafeUpdate((performance.now() - start) / 1000, labels)
      })
    })
}
