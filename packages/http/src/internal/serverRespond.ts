/**
 * Writes an `HttpServerResponse` to a `node:http` response. Complete bodies (empty, bytes,
 * strings) are written synchronously — no fiber suspension on the hot path; streams and
 * piped bodies are written with back-pressure inside the request fiber.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as HttpServerError from "@effect/platform/HttpServerError"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Http from "node:http"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"

const headersOf = (response: HttpServerResponse.HttpServerResponse): Http.OutgoingHttpHeaders => {
  if (Cookies.isEmpty(response.cookies)) return response.headers
  const headers: Record<string, string | Array<string>> = { ...response.headers }
  const cookies = Cookies.toSetCookieHeaders(response.cookies)
  const existing = headers["set-cookie"]
  if (existing !== undefined) cookies.push(...(typeof existing === "string" ? [existing] : existing))
  headers["set-cookie"] = cookies
  return headers
}

const writeHead = (
  res: Http.ServerResponse,
  response: HttpServerResponse.HttpServerResponse,
  headers: Http.OutgoingHttpHeaders
): void => {
  if (response.statusText === undefined) res.writeHead(response.status, headers)
  else res.writeHead(response.status, response.statusText, headers)
}

const isPipeable = (u: unknown): u is NodeJS.ReadableStream =>
  typeof u === "object" && u !== null && "pipe" in u && typeof u.pipe === "function"

const abort = (res: Http.ServerResponse) => (cause: Cause.Cause<unknown>): Effect.Effect<void> =>
  Effect.sync(() => {
    if (!res.headersSent) {
      res.writeHead(500, { connection: "close" })
      res.end()
    } else if (!res.writableEnded) {
      // A body that broke off half-way must not look complete to the client.
      res.destroy(Cause.isInterruptedOnly(cause) ? undefined : new Error("response body failed"))
    }
  })

/**
 * Writes the response. Returns `undefined` when it was written synchronously, else the
 * effect that writes the rest (stream bodies).
 *
 * @internal
 */
export const write = (
  request: HttpServerRequest.HttpServerRequest,
  res: Http.ServerResponse,
  response: HttpServerResponse.HttpServerResponse
): Effect.Effect<void, HttpServerError.ResponseError> | undefined => {
  if (res.writableEnded || res.destroyed) return undefined
  const headers = headersOf(response)
  if (request.method === "HEAD") {
    writeHead(res, response, headers)
    res.end()
    return undefined
  }
  const body = response.body
  switch (body._tag) {
    case "Empty": {
      writeHead(res, response, headers)
      res.end()
      return undefined
    }
    case "Uint8Array": {
      writeHead(res, response, headers)
      res.end(body.body)
      return undefined
    }
    case "Raw": {
      writeHead(res, response, headers)
      if (!isPipeable(body.body)) {
        res.end(body.body as string | Uint8Array)
        return undefined
      }
      const readable = body.body
      return Effect.tryPromise({
        try: (signal) => pipeline(readable, res, { signal, end: true }),
        catch: (cause) => new HttpServerError.ResponseError({ request, response, reason: "Decode", cause })
      }).pipe(Effect.interruptible, Effect.tapErrorCause(abort(res)))
    }
    case "FormData": {
      const web = new Response(body.formData)
      writeHead(res, response, { ...headers, ...Object.fromEntries(web.headers) })
      const source = Readable.fromWeb(web.body as Parameters<typeof Readable.fromWeb>[0])
      return Effect.tryPromise({
        try: (signal) => pipeline(source, res, { signal, end: true }),
        catch: (cause) => new HttpServerError.ResponseError({ request, response, reason: "Decode", cause })
      }).pipe(Effect.interruptible, Effect.tapErrorCause(abort(res)))
    }
    case "Stream": {
      writeHead(res, response, headers)
      const drained = Effect.unsafeMakeLatch(true)
      res.on("drain", () => drained.unsafeOpen())
      return body.stream.pipe(
        Stream.orDie,
        Stream.runForEachChunk((chunk) => {
          const parts = Chunk.toReadonlyArray(chunk)
          let full = false
          for (let i = 0; i < parts.length; i++) {
            if (!res.write(parts[i])) full = true
          }
          if (!full) return Effect.void
          drained.unsafeClose()
          return drained.await
        }),
        Effect.interruptible,
        Effect.matchCauseEffect({
          onSuccess: () => Effect.sync(() => res.end()),
          onFailure: abort(res)
        })
      )
    }
  }
}
