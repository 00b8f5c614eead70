/**
 * The client's IP address, for logs, metrics, rate limiting and audit — one resolver for
 * all of them.
 *
 * Only proxies we trust may speak for the client. The resolver starts from the socket's
 * peer address; while that hop is a trusted proxy it steps one entry to the left in
 * `X-Forwarded-For` (right to left, because each proxy appends the address it saw). The
 * first address that is not trusted is the client. The leftmost entries are whatever the
 * client wrote, so they are only used when every hop to their right is trusted.
 *
 * Trusted proxies are IPs, CIDR ranges, or the keywords `loopback` (127.0.0.0/8, ::1),
 * `private` (10/8, 172.16/12, 192.168/16, fc00::/7), `linklocal`, `none`. The default is
 * `loopback`: a reverse proxy on the same host is trusted, nothing else. Behind a load
 * balancer, list its addresses (`HTTP_TRUSTED_PROXIES=10.0.0.0/8`).
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as internal from "./internal/clientIp.js"

/**
 * A client IP resolver.
 *
 * - `trustedProxies`: the expanded list (keywords replaced by their ranges).
 * - `isTrusted(address)`: whether a hop is a trusted proxy.
 * - `resolve(peer, forwardedFor)`: the client address for a socket peer and the
 *   `X-Forwarded-For` header value(s); `undefined` only when there is no peer.
 *
 * @example
 * ```ts
 * import { ClientIp } from "@strata/http"
 *
 * const resolver: ClientIp.Resolver = ClientIp.resolver()
 * resolver.isTrusted("127.0.0.1") // true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolver extends internal.Resolver {}

/**
 * Options of `resolver`.
 *
 * @example
 * ```ts
 * import { ClientIp } from "@strata/http"
 *
 * const options: ClientIp.Options = { trustedProxies: ["loopback", "10.0.0.0/8"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default `["loopback"]`. */
  readonly trustedProxies?: ReadonlyArray<string> | undefined
}

/**
 * Builds a resolver. Throws on an entry that is neither an IP, a CIDR range nor a keyword
 * (a programming error; configuration goes through `Server.layerConfig`, which reports it
 * as a config error instead).
 *
 * @example
 * ```ts
 * import { ClientIp } from "@strata/http"
 *
 * const ip = ClientIp.resolver({ trustedProxies: ["10.0.0.0/8"] })
 * ip.resolve("10.0.0.5", "203.0.113.7, 10.0.0.9") // "203.0.113.7"
 * ip.resolve("198.51.100.1", "203.0.113.7") // "198.51.100.1": that peer may not set the header
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolver = (options?: Options): Resolver =>
  Either.getOrThrowWith(internal.make(options?.trustedProxies ?? ["loopback"]), (message) => new Error(message))

/**
 * The resolver in use. The Strata server provides the one built from its configuration;
 * elsewhere the default (`loopback` trusted) applies.
 *
 * @example
 * ```ts
 * import { ClientIp } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const trusted = Effect.map(ClientIp.ClientIpResolver, (r) => r.trustedProxies)
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ClientIpResolver extends Context.Reference<ClientIpResolver>()("@strata/http/ClientIp/Resolver", {
  defaultValue: (): Resolver => resolver()
}) {}

/**
 * Provides a resolver (for apps served without `Server`, or to override it).
 *
 * @example
 * ```ts
 * import { ClientIp } from "@strata/http"
 *
 * const BehindLoadBalancer = ClientIp.layer({ trustedProxies: ["10.0.0.0/8"] })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<ClientIpResolver> =>
  Layer.sync(ClientIpResolver, () => resolver(options))

/**
 * The client address of a request with a given resolver (`"unknown"` when the socket is
 * already gone).
 *
 * @example
 * ```ts
 * import { ClientIp } from "@strata/http"
 * import { HttpServerRequest } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const program = Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
 *   ClientIp.fromRequest(request, ClientIp.resolver())
 * )
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const fromRequest = (request: HttpServerRequest.HttpServerRequest, resolver: Resolver): string => {
  const peer = request.remoteAddress
  return resolver.resolve(peer._tag === "Some" ? peer.value : undefined, request.headers["x-forwarded-for"]) ??
    "unknown"
}

/**
 * The client address of the current request. The request-context middleware puts it into
 * `RequestContext` as `clientIp`; rate limiting and audit read it from here.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServerResponse } from "@effect/platform"
 * import { ClientIp } from "@strata/http"
 * import { Effect } from "effect"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.get("/ip", Effect.map(ClientIp.current, (ip) => HttpServerResponse.text(ip)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const current: Effect.Effect<string, never, HttpServerRequest.HttpServerRequest> = Effect.zipWith(
  HttpServerRequest.HttpServerRequest,
  ClientIpResolver,
  fromRequest
)
