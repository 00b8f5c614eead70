/**
 * Request context middleware: accepts a well-formed incoming request id or creates one,
 * echoes it and puts it into the fiber's `RequestContext`.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as RequestContext from "@strata/core/RequestContext"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { randomUUID } from "node:crypto"
import * as fiberRefSet from "./fiberRefSet.js"
import * as handoff from "./requestContextHandoff.js"
import * as responseHeaders from "./responseHeaders.js"

/** Unset fields take their defaults. @internal */
export interface Settings {
  readonly header?: string | undefined
  readonly pattern?: RegExp | undefined
  readonly generate?: (() => string) | undefined
  /** The tracing middleware runs right inside (`Http.defaults`): it may add its ids to the context made here. */
  readonly handOver?: boolean | undefined
}

/** Ids a proxy or client may send: short, printable, no spaces or separators that break logs. @internal */
export const defaultPattern = /^[A-Za-z0-9][A-Za-z0-9._:@=+/-]{0,127}$/

/** @internal */
export const make = (settings: Settings) => {
  const header = (settings.header ?? "x-request-id").toLowerCase()
  const pattern = settings.pattern ?? defaultPattern
  const generate = settings.generate ?? randomUUID
  const handOver = settings.handOver === true
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      const incoming = request.headers[header]
      const id = incoming !== undefined && pattern.test(incoming) ? incoming : generate()
      // `Object.assign`, not `{ ...current, requestId }`: V8 gives an object spread with added
      // keys a slow map (~2 µs per request, measured).
      const context: Record<string, string | undefined> = Object.assign(
        {},
        fiber.getFiberRef(RequestContext.currentRequestContext)
      )
      context.requestId = id
      if (handOver) handoff.handOver(context)
      // Set on the request fiber itself (no `locally` frame): it ends with the request, and
      // every fiber forked from it inherits the context.
      const answered = Effect.map(app, (response) => responseHeaders.setHeader(response, header, id))
      if (fiberRefSet.setOnRunningFiber(fiber, RequestContext.currentRequestContext, context)) return answered
      return Effect.zipRight(FiberRef.set(RequestContext.currentRequestContext, context), answered)
    })
}
