/**
 * Response envelope middleware (opt-in): successful JSON bodies become
 * `{ success: true, data, meta: { requestId, timestamp } }`. Problem responses, non-JSON and
 * streamed bodies pass unchanged.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as RequestContext from "@strata/core/RequestContext"
import * as Effect from "effect/Effect"

const decoder = new TextDecoder()
const encoder = new TextEncoder()

const isJson = (contentType: string): boolean => {
  const semi = contentType.indexOf(";")
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  return type === "application/json"
}

/** @internal */
export const make = () =>
<E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.withFiberRuntime((fiber) =>
    Effect.map(app, (response) => {
      const body = response.body
      if (response.status >= 300 || body._tag !== "Uint8Array" || !isJson(body.contentType)) return response
      const requestId = fiber.getFiberRef(RequestContext.currentRequestContext).requestId
      const data: unknown = body.body.length === 0 ? null : JSON.parse(decoder.decode(body.body))
      const meta = requestId === undefined
        ? { timestamp: new Date().toISOString() }
        : { requestId, timestamp: new Date().toISOString() }
      const out = encoder.encode(JSON.stringify({ success: true, data, meta }))
      return HttpServerResponse.setBody(response, HttpBody.uint8Array(out, body.contentType))
    })
  )
