/**
 * Secure request middleware: rejects, before the handler runs, requests with a path traversal
 * attempt, an over-long URL, too many or too large headers, a declared body over the limit
 * or a body of a media type the API does not take.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { SecurityViolation } from "@strata/core/Errors"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Problem from "../Problem.js"
import { PayloadTooLarge, UnsupportedMediaType } from "./problemErrors.js"
import { accepts, mediaType } from "./serverBody.js"

/** @internal */
export interface Settings {
  readonly maxUrlLength: number
  readonly maxHeaders: number
  readonly maxHeaderBytes: number
  readonly maxBodySize: number
  readonly mediaTypes: ReadonlyArray<string>
  readonly blockTraversal: boolean
}

/** @internal */
export const defaults: Settings = {
  maxUrlLength: 2048,
  maxHeaders: 100,
  maxHeaderBytes: 8192,
  maxBodySize: 1024 * 1024,
  mediaTypes: ["application/json", "application/*+json", "application/x-www-form-urlencoded", "multipart/form-data"],
  blockTraversal: true
}

/** A 414 / 431: built like the catalogue errors (`code`, `status`, `message`), so `Problem` maps it. */
class RequestRejected extends Data.TaggedError("RequestRejected")<{
  readonly status: number
  readonly code: string
  readonly message: string
}> {}

/** `..` segments (raw, percent-encoded or double-encoded), backslashes and NUL bytes. @internal */
export const traversal = /(?:^|[/\\]|%2f|%5c)(?:\.|%2e|%252e){2}(?:[/\\]|%2f|%5c|$)|%00|\0|\\|%5c|%252f/i

const bodyMethods = new Set(["POST", "PUT", "PATCH"])

/** @internal */
export const make = (options: Partial<Settings>) => {
  const settings: Settings = { ...defaults, ...options }
  const expected = settings.mediaTypes.join(", ")
  // The server's matcher, so one media-type list (`HTTP_MEDIA_TYPES`) means the same in both places.
  const patterns = settings.mediaTypes.map((t) => t.toLowerCase())
  const mediaAllowed = (contentType: string): boolean => accepts(patterns, mediaType(contentType))
  const reject = (error: unknown) => Problem.respond(Cause.fail(error))

  const check = (request: HttpServerRequest.HttpServerRequest): unknown => {
    const url = request.url
    if (url.length > settings.maxUrlLength) {
      return new RequestRejected({ status: 414, code: "URI_TOO_LONG", message: "The request URL is too long" })
    }
    if (settings.blockTraversal) {
      const query = url.indexOf("?")
      if (traversal.test(query === -1 ? url : url.slice(0, query))) {
        return new SecurityViolation({ message: "The request path is not allowed" })
      }
    }
    const headers = request.headers
    let count = 0
    let bytes = 0
    for (const name in headers) {
      count++
      const value = headers[name]!
      bytes += name.length + value.length
    }
    if (count > settings.maxHeaders || bytes > settings.maxHeaderBytes) {
      return new RequestRejected({
        status: 431,
        code: "REQUEST_HEADERS_TOO_LARGE",
        message: "The request headers are too large"
      })
    }
    if (!bodyMethods.has(request.method)) return undefined
    const length = headers["content-length"]
    const hasBody = length !== undefined ? length !== "0" : headers["transfer-encoding"] !== undefined
    if (!hasBody) return undefined
    if (length !== undefined && Number(length) > settings.maxBodySize) {
      return new PayloadTooLarge({ limit: settings.maxBodySize })
    }
    const contentType = headers["content-type"] ?? ""
    if (!mediaAllowed(contentType)) return new UnsupportedMediaType({ contentType, expected })
    return undefined
  }

  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber) => {
      const error = check(Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest))
      return error === undefined ? app : reject(error)
    })
}
