/**
 * The `HttpServerRequest` of the Strata server, over a `node:http` request. Body accessors
 * enforce the size limit (`MaxBodySize`, set by the server) and the media-type allowlist;
 * `json` needs a JSON media type and refuses prototype-polluting keys. Errors are
 * `RequestError`s whose `cause` says what was wrong (see `Problem`).
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Headers from "@effect/platform/Headers"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as Multipart from "@effect/platform/Multipart"
import type * as Path from "@effect/platform/Path"
import type * as Socket from "@effect/platform/Socket"
import * as UrlParams from "@effect/platform/UrlParams"
import * as NodeMultipart from "@effect/platform-node/NodeMultipart"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import type { ReadonlyRecord } from "effect/Record"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Http from "node:http"
import { PayloadTooLarge } from "./problemErrors.js"
import * as body from "./serverBody.js"

/** What every request of one server shares. @internal */
export interface Settings {
  readonly mediaTypes: ReadonlyArray<string>
}

const limitOf = (size: Option.Option<FileSystem.Size>): number | undefined =>
  size._tag === "Some" ? Number(size.value) : undefined

/** @internal */
export class ServerRequestImpl implements HttpServerRequest.HttpServerRequest {
  declare readonly [HttpServerRequest.TypeId]: HttpServerRequest.TypeId
  declare readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId

  constructor(
    readonly source: Http.IncomingMessage,
    readonly response: Http.ServerResponse,
    readonly settings: Settings,
    readonly url: string,
    private readonly headersOverride: Headers.Headers | undefined,
    private readonly remoteAddressOverride: string | undefined,
    private reader: body.BodyReader | undefined
  ) {}

  get originalUrl(): string {
    return this.source.url!
  }

  get method(): HttpMethod {
    return this.source.method as HttpMethod
  }

  get headers(): Headers.Headers {
    return this.headersOverride ?? (this.source.headers as unknown as Headers.Headers)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.fromNullable(this.remoteAddressOverride ?? this.source.socket.remoteAddress)
  }

  private cachedCookies: ReadonlyRecord<string, string> | undefined
  get cookies(): ReadonlyRecord<string, string> {
    return this.cachedCookies ??= Cookies.parseHeader(this.headers.cookie ?? "")
  }

  modify(options: {
    readonly url?: string
    readonly headers?: Headers.Headers
    readonly remoteAddress?: string
  }): HttpServerRequest.HttpServerRequest {
    return new ServerRequestImpl(
      this.source,
      this.response,
      this.settings,
      options.url ?? this.url,
      options.headers ?? this.headersOverride,
      options.remoteAddress ?? this.remoteAddressOverride,
      this.bodyReader()
    )
  }

  private bodyReader(): body.BodyReader {
    return this.reader ??= new body.BodyReader(this.source, this.response)
  }

  private fail(failure: body.ReadFailure): HttpServerError.RequestError {
    return failure._tag === "Transport"
      ? new HttpServerError.RequestError({ request: this, reason: "Transport", cause: failure.cause })
      : new HttpServerError.RequestError({
        request: this,
        reason: "Decode",
        cause: failure,
        description: failure.message
      })
  }

  private read(json: boolean): Effect.Effect<Buffer, HttpServerError.RequestError> {
    return Effect.flatMap(IncomingMessage.MaxBodySize, (size) => {
      const unsupported = body.checkMediaType(this.source, this.settings.mediaTypes, json)
      if (unsupported !== undefined) {
        if (!this.response.headersSent) this.response.setHeader("connection", "close")
        return Effect.fail(this.fail(unsupported))
      }
      return Effect.mapError(this.bodyReader().read(limitOf(size)), (failure) => this.fail(failure))
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpServerError.RequestError> {
    return Effect.map(
      this.read(false),
      (buffer) => buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer
    )
  }

  get text(): Effect.Effect<string, HttpServerError.RequestError> {
    return Effect.map(this.read(false), (buffer) => buffer.toString("utf8"))
  }

  get json(): Effect.Effect<unknown, HttpServerError.RequestError> {
    return Effect.flatMap(this.read(true), (buffer) =>
      Effect.mapError(body.parseJson(buffer.toString("utf8")), (failure) => this.fail(failure)))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpServerError.RequestError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get stream(): Stream.Stream<Uint8Array, HttpServerError.RequestError> {
    return Stream.unwrap(Effect.map(IncomingMessage.MaxBodySize, (size) => {
      const unsupported = body.checkMediaType(this.source, this.settings.mediaTypes, false)
      if (unsupported !== undefined) return Stream.fail(this.fail(unsupported))
      const chunks = NodeStream.fromReadable<HttpServerError.RequestError, Uint8Array>(
        () => this.source,
        (cause) => this.fail({ _tag: "Transport", cause })
      )
      const limit = limitOf(size)
      if (limit === undefined) return chunks
      let total = 0
      return Stream.mapChunksEffect(chunks, (chunk) => {
        for (const part of chunk) total += part.length
        return total > limit ? Effect.fail(this.fail(new PayloadTooLarge({ limit }))) : Effect.succeed(chunk)
      })
    }))
  }

  private multipartEffect:
    | Effect.Effect<Multipart.Persisted, Multipart.MultipartError, Scope.Scope | FileSystem.FileSystem | Path.Path>
    | undefined
  get multipart(): Effect.Effect<
    Multipart.Persisted,
    Multipart.MultipartError,
    Scope.Scope | FileSystem.FileSystem | Path.Path
  > {
    return this.multipartEffect ??= Effect.runSync(
      Effect.cached(NodeMultipart.persisted(this.source, this.source.headers))
    )
  }

  get multipartStream(): Stream.Stream<Multipart.Part, Multipart.MultipartError> {
    return NodeMultipart.stream(this.source, this.source.headers)
  }

  get upgrade(): Effect.Effect<Socket.Socket, HttpServerError.RequestError> {
    return Effect.fail(
      new HttpServerError.RequestError({
        request: this,
        reason: "Decode",
        description: "WebSocket upgrades are not supported by the Strata server"
      })
    )
  }

  toString(): string {
    return `ServerRequest(${this.method} ${this.url})`
  }

  [Inspectable.NodeInspectSymbol](): unknown {
    return this.toJSON()
  }

  toJSON(): unknown {
    // No body here: inspecting a request must not start reading it.
    return {
      _id: "@effect/platform/HttpServerRequest",
      method: this.method,
      url: this.originalUrl,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
  }
}

Object.defineProperty(ServerRequestImpl.prototype, HttpServerRequest.TypeId, { value: HttpServerRequest.TypeId })
Object.defineProperty(ServerRequestImpl.prototype, IncomingMessage.TypeId, { value: IncomingMessage.TypeId })

/** @internal */
export const make = (
  source: Http.IncomingMessage,
  response: Http.ServerResponse,
  settings: Settings
): ServerRequestImpl => new ServerRequestImpl(source, response, settings, source.url!, undefined, undefined, undefined)

/** @internal */
export const isServerRequestImpl = (u: unknown): u is ServerRequestImpl => u instanceof ServerRequestImpl
