/**
 * The outbound client: one call = request built from the client's settings and the request
 * context → attempts (each with a timeout, through the circuit breaker) → retries → one
 * span and one `service_call*` sample.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as HttpMethod from "@effect/platform/HttpMethod"
import * as CircuitBreaker from "@strata/core/CircuitBreaker"
import * as Errors from "@strata/core/Errors"
import * as RequestContext from "@strata/core/RequestContext"
import * as Metrics from "@strata/telemetry/Metrics"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type { DecodeOptions, Options, RequestOptions, Response, Service } from "./apiClientModels.js"
import * as errors from "./apiClientErrors.js"
import * as retry from "./apiClientRetry.js"

type CallOptions = Pick<RequestOptions, "timeout" | "retry" | "idempotencyKey" | "action">
type Handle<A> = (
  response: HttpClientResponse.HttpClientResponse,
  call: errors.Call
) => Effect.Effect<A, errors.ApiError>

const isAbsolute = (url: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(url)

const nameOf = (baseUrl: string): string => URL.canParse(baseUrl) ? new URL(baseUrl).host : baseUrl

const isBreaker = (u: unknown): u is CircuitBreaker.CircuitBreaker =>
  Predicate.hasProperty(u, "protect") && typeof u.protect === "function"

const decodeWith = <A, I>(schema: Schema.Schema<A, I>): Handle<A> => {
  const decode = Schema.decodeUnknown(schema)
  return (response, call) =>
    errors.readBody(call, response, true).pipe(
      Effect.mapError((e) => typeof e === "string" ? errors.decodeFailed(call, response.status, e) : e),
      Effect.flatMap((body) => decode(Option.getOrUndefined(body))),
      Effect.mapError((e) => ParseResult.isParseError(e) ? errors.decodeFailed(call, response.status, e) : e)
    )
}

const asResponse: Handle<Response> = (response, call) =>
  errors.readBody(call, response, false).pipe(
    Effect.mapError((e) => typeof e === "string" ? errors.decodeFailed(call, response.status, e) : e),
    Effect.map((body): Response => ({
      status: response.status,
      headers: response.headers,
      body: Option.getOrUndefined(body)
    }))
  )

/** @internal */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    // The telemetry service when the app has one (it may disable metrics); the global trackers otherwise.
    const metrics = Option.getOrElse(yield* Effect.serviceOption(Metrics.Metrics), () => Metrics.make())
    const baseUrl = String(options.baseUrl).replace(/\/+$/, "")
    const name = options.name ?? nameOf(baseUrl)
    const breakerOption = options.circuitBreaker
    const breaker = breakerOption === undefined
      ? undefined
      : isBreaker(breakerOption)
      ? breakerOption
      : yield* CircuitBreaker.make({ isFailure: Errors.isRetryable, ...breakerOption, name })
    const defaultTimeout = Duration.decode(options.timeout ?? Duration.seconds(10))
    const retrySettings = retry.resolve(options.retries)
    const clientHeaders = Headers.fromInput(options.headers)

    const resolveUrl = (url: string): string => isAbsolute(url) ? url : `${baseUrl}/${url.replace(/^\/+/, "")}`

    const run = <A>(built: HttpClientRequest.HttpClientRequest, callOptions: CallOptions, handle: Handle<A>) =>
      Effect.gen(function*() {
        const context = yield* RequestContext.get
        const call: errors.Call = { service: name, method: built.method, url: errors.stripQuery(built.url) }
        // Precedence: the client's headers < the request id < the call's own headers.
        let request = HttpClientRequest.setHeaders(built, Headers.merge(clientHeaders, built.headers))
        if (context.requestId !== undefined && !Headers.has(built.headers, "x-request-id")) {
          request = HttpClientRequest.setHeader(request, "x-request-id", context.requestId)
        }
        if (callOptions.idempotencyKey !== undefined) {
          request = HttpClientRequest.setHeader(request, "idempotency-key", callOptions.idempotencyKey)
        }
        const timeout = Duration.decode(callOptions.timeout ?? defaultTimeout)
        const attempts = yield* Ref.make(0)
        const lastStatus = yield* Ref.make<number | undefined>(undefined)

        const once = Effect.gen(function*() {
          yield* Ref.update(attempts, (n) => n + 1)
          const response = yield* Effect.mapError(http.execute(request), (e) => errors.fromClientError(call, e))
          yield* Ref.set(lastStatus, response.status)
          if (response.status >= 400) {
            const now = yield* Clock.currentTimeMillis
            return yield* Effect.flatMap(errors.fromStatus(call, response, now), Effect.fail)
          }
          return yield* handle(response, call)
        }).pipe(Effect.timeoutFail({ duration: timeout, onTimeout: () => errors.timeout(call, timeout) }))

        const guarded = breaker === undefined ? once : breaker.protect(once)
        const retried = retrySettings !== undefined && retry.mayRetry(call.method, callOptions)
          ? Effect.retry(guarded, retry.schedule(call, retrySettings))
          : guarded

        const start = yield* Clock.currentTimeMillis
        const action = callOptions.action ?? call.method
        return yield* retried.pipe(
          Effect.onExit((exit) =>
            Effect.gen(function*() {
              const n = yield* Ref.get(attempts)
              const status = yield* Ref.get(lastStatus)
              yield* Effect.annotateCurrentSpan({
                "http.request.resend_count": Math.max(0, n - 1),
                ...(status === undefined ? {} : { "http.response.status_code": status })
              })
              if (Exit.isInterrupted(exit)) return
              const duration = Duration.millis((yield* Clock.currentTimeMillis) - start)
              const error = Exit.isSuccess(exit)
                ? undefined
                : Option.match(Cause.failureOption(exit.cause), { onNone: () => "defect", onSome: errors.errorLabel })
              yield* metrics.trackServiceCall({ component: name, action, duration, error })
            })
          ),
          Effect.withSpan(`${name} ${call.method}`, {
            kind: "client",
            attributes: { "peer.service": name, "http.request.method": call.method, "url.full": call.url }
          })
        )
      })

    const build = (method: HttpMethod.HttpMethod, path: string, callOptions: RequestOptions) =>
      Effect.gen(function*() {
        let request = HttpClientRequest.make(method)(resolveUrl(path), {
          acceptJson: true,
          ...(callOptions.query === undefined ? {} : { urlParams: callOptions.query })
        })
        request = HttpClientRequest.setHeaders(request, Headers.fromInput(callOptions.headers))
        const body = callOptions.body
        if (body === undefined) return request
        if (HttpBody.isHttpBody(body)) return HttpClientRequest.setBody(request, body)
        // A body that cannot be encoded as JSON is a bug in the caller, not a failure of the upstream.
        return yield* Effect.orDie(HttpClientRequest.bodyJson(request, body))
      })

    function request<A, I>(
      method: HttpMethod.HttpMethod,
      path: string,
      callOptions: DecodeOptions<A, I>
    ): Effect.Effect<A, errors.ApiError>
    function request(
      method: HttpMethod.HttpMethod,
      path: string,
      callOptions?: RequestOptions
    ): Effect.Effect<Response, errors.ApiError>
    function request<A, I>(
      method: HttpMethod.HttpMethod,
      path: string,
      callOptions: RequestOptions | DecodeOptions<A, I> = {}
    ): Effect.Effect<A | Response, errors.ApiError> {
      return Effect.flatMap(build(method, path, callOptions), (built) =>
        "schema" in callOptions
          ? run<A | Response>(built, callOptions, decodeWith(callOptions.schema))
          : run<A | Response>(built, callOptions, asResponse))
    }

    const method = (m: HttpMethod.HttpMethod): Service["get"] => {
      function call<A, I>(path: string, callOptions: DecodeOptions<A, I>): Effect.Effect<A, errors.ApiError>
      function call(path: string, callOptions?: RequestOptions): Effect.Effect<Response, errors.ApiError>
      function call<A, I>(
        path: string,
        callOptions: RequestOptions | DecodeOptions<A, I> = {}
      ): Effect.Effect<A | Response, errors.ApiError> {
        return "schema" in callOptions ? request(m, path, callOptions) : request(m, path, callOptions)
      }
      return call
    }

    return {
      name,
      baseUrl,
      get: method("GET"),
      post: method("POST"),
      put: method("PUT"),
      patch: method("PATCH"),
      del: method("DELETE"),
      request,
      execute: (built, callOptions = {}) =>
        run(HttpClientRequest.setUrl(built, resolveUrl(built.url)), callOptions, (response) => Effect.succeed(response))
    } satisfies Service
  })
