/**
 * Compression middleware: brotli or gzip for complete bodies of at least `minSize` bytes,
 * when the client accepts it and the media type is not already compressed. Streams and
 * small bodies pass untouched; no work at all without `Accept-Encoding`.
 *
 * @internal
 */
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { promisify } from "node:util"
import * as Zlib from "node:zlib"

/** @internal */
export interface Settings {
  readonly minSize: number
  readonly brotli: boolean
  readonly level: number
}

/** Media types that are compressed already (or gain nothing). @internal */
export const incompressible = new RegExp(
  "^(?:image/(?!svg)|video/|audio/|font/woff2?)|zip|gzip|compressed|x-7z|x-rar|x-bzip|zstd|octet-stream|pdf",
  "i"
)

const encoder = new TextEncoder()
const gzip = promisify(Zlib.gzip)
const brotli = promisify(Zlib.brotliCompress)
/** Bodies up to this size are compressed synchronously: cheaper than a thread-pool round trip. */
const syncLimit = 64 * 1024

/** @internal */
export const make = (settings: Settings) => {
  const gzipOptions: Zlib.ZlibOptions = { level: settings.level }
  const brotliOptions: Zlib.BrotliOptions = {
    params: { [Zlib.constants.BROTLI_PARAM_QUALITY]: Math.min(11, Math.max(0, settings.level - 2)) }
  }
  const choose = (accept: string): "br" | "gzip" | undefined => {
    // `q=0` explicitly refuses an encoding.
    if (settings.brotli && /\bbr\b(?!;q=0(?:\.0+)?\b)/.test(accept)) return "br"
    if (/\bgzip\b(?!;q=0(?:\.0+)?\b)/.test(accept)) return "gzip"
    return undefined
  }
  const compress = (
    response: HttpServerResponse.HttpServerResponse,
    encoding: "br" | "gzip"
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    const body = response.body
    let bytes: Uint8Array
    let contentType: string
    if (body._tag === "Uint8Array") {
      bytes = body.body
      contentType = body.contentType
    } else if (body._tag === "Raw" && typeof body.body === "string") {
      bytes = encoder.encode(body.body)
      contentType = body.contentType ?? response.headers["content-type"] ?? "application/octet-stream"
    } else return Effect.succeed(response)
    if (bytes.length < settings.minSize || incompressible.test(contentType)) return Effect.succeed(response)
    if (response.headers["content-encoding"] !== undefined) return Effect.succeed(response)
    const done = (out: Uint8Array) =>
      HttpServerResponse.setBody(
        HttpServerResponse.setHeaders(response, { "content-encoding": encoding, vary: vary(response) }),
        HttpBody.uint8Array(out, contentType)
      )
    if (bytes.length <= syncLimit) {
      return Effect.succeed(done(
        encoding === "br" ? Zlib.brotliCompressSync(bytes, brotliOptions) : Zlib.gzipSync(bytes, gzipOptions)
      ))
    }
    return Effect.map(
      Effect.promise(() => encoding === "br" ? brotli(bytes, brotliOptions) : gzip(bytes, gzipOptions)),
      done
    )
  }
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      const accept = request.headers["accept-encoding"]
      if (accept === undefined || request.method === "HEAD") return app
      const encoding = choose(accept)
      if (encoding === undefined) return app
      return Effect.flatMap(app, (response) => compress(response, encoding))
    })
}

const vary = (response: HttpServerResponse.HttpServerResponse): string => {
  const existing = response.headers["vary"]
  return existing === undefined || existing === "" ? "Accept-Encoding" : `${existing}, Accept-Encoding`
}
