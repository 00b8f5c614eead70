/**
 * The tracing middleware's span: its parent, its children, its name and end, on the Strata
 * server (span set in the request's services in place) and on another host (provided).
 */
import { HttpApp, HttpRouter, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Middleware } from "@strata/http"
import { Effect, Option, Tracer } from "effect"
import { request, serve } from "./MiddlewareSupport.js"

interface Recorded {
  readonly name: () => string
  readonly span: Tracer.Span
}

const recordingTracer = () => {
  const spans: Array<Recorded> = []
  let next = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      const id = (next++).toString(16).padStart(16, "0")
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: id,
        traceId: parent._tag === "Some" ? parent.value.traceId : "0af7651916cd43dd8448eb211c80319c",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end(endTime, exit) {
          ;(span as { status: Tracer.SpanStatus }).status = { _tag: "Ended", startTime, endTime, exit }
        },
        attribute(key, value) {
          attributes.set(key, value)
        },
        event() {},
        addLinks() {}
      }
      spans.push({ name: () => span.name, span })
      return span
    },
    context: (f) => f()
  })
  return { tracer, spans }
}

const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/users/:id",
    Effect.map(Effect.withSpan(Effect.currentSpan, "load-user"), (span) =>
      HttpServerResponse.unsafeJson({ parent: Option.getOrUndefined(Option.map(span.parent, (p) => p.spanId)) }))
  )
)

const check = (spans: ReadonlyArray<Recorded>, body: { readonly parent?: string }, traceparent: string | null) => {
  const server = spans.find((entry) => entry.span.kind === "server")!
  expect(server.name()).toBe("GET /users/:id")
  expect(server.span.status._tag).toBe("Ended")
  expect(server.span.attributes.get("http.response.status_code")).toBe(200)
  expect(server.span.attributes.get("http.route")).toBe("/users/:id")
  expect(body.parent).toBe(server.span.spanId)
  expect(traceparent).toBe(`00-${server.span.traceId}-${server.span.spanId}-01`)
  const child = spans.find((entry) => entry.name() === "load-user")!
  expect(child.span.parent._tag === "Some" && child.span.parent.value.spanId).toBe(server.span.spanId)
}

describe("Middleware.tracing", () => {
  it.scopedLive("on the Strata server: the handler's spans are children of the server span", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const url = yield* serve(Middleware.tracing()(router)).pipe(Effect.withTracer(tracer))
      const reply = yield* request(`${url}/users/7`)
      check(spans, JSON.parse(reply.body), reply.headers.get("traceparent"))
      // The span slot is restored after the request: the next request gets a fresh root span.
      const again = yield* request(`${url}/users/8`)
      const servers = spans.filter((entry) => entry.span.kind === "server")
      expect(servers).toHaveLength(2)
      expect(servers[1]!.span.parent._tag).toBe("None")
      expect(again.status).toBe(200)
    }))

  it.effect("on another host the span is provided as usual", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      const handler = HttpApp.toWebHandler(Middleware.tracing()(router).pipe(Effect.withTracer(tracer)))
      const reply = yield* Effect.promise(() => handler(new Request("http://localhost/users/7")))
      const body = (yield* Effect.promise(() => reply.json())) as { readonly parent?: string }
      check(spans, body, reply.headers.get("traceparent"))
    }))
})
