/**
 * How the outbound client turns what can go wrong on the wire into the catalogue's errors:
 * transport failures and timeouts become `NetworkError`, error statuses and unreadable
 * bodies become `ExternalServiceError`. Also reads `Retry-After`.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Headers from "@effect/platform/Headers"
import type * as HttpMethod from "@effect/platform/HttpMethod"
import * as Errors from "@strata/core/Errors"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import type { ApiClientError } from "./apiClientModels.js"

/** What every error of one call carries: the client, the method and the URL without its query. @internal */
export interface Call {
  readonly service: string
  readonly method: HttpMethod.HttpMethod
  /** Origin and path only: a query string may hold secrets, so it stays out of errors and spans. */
  readonly url: string
}

/** @internal */
export type ApiError = ApiClientError

const maxBodyChars = 2_000

/** `https://host/path?token=x` → `https://host/path` (also for relative URLs). @internal */
export const stripQuery = (url: string): string => {
  const cut = url.search(/[?#]/)
  return cut === -1 ? url : url.slice(0, cut)
}

const describe = (call: Call): string => `${call.service}: ${call.method} ${call.url}`

const causeText = (cause: unknown): string => {
  if (cause instanceof Error) {
    // undici hides the socket error (ECONNRESET, ECONNREFUSED) in `cause`
    const inner = Predicate.hasProperty(cause, "cause") ? cause.cause : undefined
    return inner instanceof Error ? `${cause.message}: ${inner.message}` : cause.message
  }
  return String(cause)
}

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds (`"120"`) or an HTTP date; `undefined`
 * when absent or unreadable. A date in the past is 0.
 *
 * @internal
 */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** The `retryAfterMillis` an error carries in its details, if any. @internal */
export const retryAfterOf = (error: unknown): number | undefined => {
  if (!Predicate.hasProperty(error, "details") || !Predicate.isRecord(error.details)) return undefined
  const value = error.details.retryAfterMillis
  return typeof value === "number" ? value : undefined
}

/** @internal */
export const timeout = (call: Call, after: Duration.Duration): Errors.NetworkError =>
  new Errors.NetworkError({
    message: `${describe(call)} timed out after ${Duration.format(after)}`,
    target: call.service,
    retryable: true,
    details: { method: call.method, url: call.url, reason: "timeout", timeoutMillis: Duration.toMillis(after) }
  })

/**
 * A failure of the platform client. Transport failures (refused, reset, DNS, a body cut off
 * half way) may succeed on another attempt; a URL or body that cannot be encoded never will.
 *
 * @internal
 */
export const fromClientError = (call: Call, error: HttpClientError.HttpClientError): Errors.NetworkError => {
  const reason = error._tag === "RequestError"
    ? error.reason === "Transport" ? "transport" : error.reason === "InvalidUrl" ? "invalid_url" : "encode"
    : "transport"
  return new Errors.NetworkError({
    message: `${describe(call)} failed: ${causeText(error.cause ?? error.description ?? error.message)}`,
    target: call.service,
    retryable: reason === "transport",
    cause: error,
    details: { method: call.method, url: call.url, reason }
  })
}

const isJson = (response: HttpClientResponse.HttpClientResponse): boolean =>
  Option.match(Headers.get(response.headers, "content-type"), {
    onNone: () => false,
    onSome: (type) => /[/+]json\b/i.test(type)
  })

/**
 * Reads a body: JSON when the content type says so (or `json` is forced), else text;
 * `undefined` when empty. Fails with the parse error's message when JSON does not parse.
 *
 * @internal
 */
export const readBody = (
  call: Call,
  response: HttpClientResponse.HttpClientResponse,
  json: boolean
): Effect.Effect<Option.Option<unknown>, Errors.NetworkError | string> =>
  Effect.flatMap(Effect.mapError(response.text, (error) => fromClientError(call, error)), (text) => {
    if (text === "") return Effect.succeed(Option.none())
    if (!json && !isJson(response)) return Effect.succeed(Option.some(text))
    return Effect.try({ try: () => Option.some<unknown>(JSON.parse(text)), catch: (e) => causeText(e) })
  })

const statusMessage = (call: Call, status: number, problem: unknown): string => {
  const base = `${describe(call)} answered ${status}`
  if (!Predicate.isRecord(problem)) return base
  const text = [problem.title, problem.detail, problem.message].find((v): v is string => typeof v === "string")
  return text === undefined ? base : `${base}: ${text}`
}

/**
 * An error status. 5xx and 429 are retryable; other statuses are not. The body goes into the
 * details (`problem` when JSON, `body` text otherwise), and `Retry-After` as `retryAfterMillis`.
 *
 * @internal
 */
export const fromStatus = (
  call: Call,
  response: HttpClientResponse.HttpClientResponse,
  now: number
): Effect.Effect<Errors.ExternalServiceError> => {
  const status = response.status
  const retryable = status >= 500 || status === 429
  const retryAfter = parseRetryAfter(Option.getOrUndefined(Headers.get(response.headers, "retry-after")), now)
  return Effect.map(Effect.either(readBody(call, response, false)), (body) => {
    const content = body._tag === "Right" ? Option.getOrUndefined(body.right) : undefined
    const problem = typeof content === "string" ? undefined : content
    return new Errors.ExternalServiceError({
      service: call.service,
      upstreamStatus: status,
      retryable,
      message: statusMessage(call, status, problem),
      details: {
        method: call.method,
        url: call.url,
        reason: "status",
        ...(retryAfter === undefined ? {} : { retryAfterMillis: retryAfter }),
        ...(problem === undefined ? {} : { problem }),
        ...(typeof content === "string" ? { body: content.slice(0, maxBodyChars) } : {})
      }
    })
  })
}

/** A 2xx body that is not JSON or does not match the schema: the upstream broke its contract. @internal */
export const decodeFailed = (call: Call, status: number, problem: string | ParseResult.ParseError) =>
  new Errors.ExternalServiceError({
    service: call.service,
    upstreamStatus: status,
    retryable: false,
    message: `${describe(call)} returned an unexpected body`,
    details: {
      method: call.method,
      url: call.url,
      reason: "decode",
      issues: typeof problem === "string" ? problem : ParseResult.TreeFormatter.formatErrorSync(problem)
    }
  })

/**
 * The `error` label of `service_call_errors_total`: few values, so dashboards can group by it.
 *
 * @internal
 */
export const errorLabel = (error: ApiError): string => {
  switch (error._tag) {
    case "Unavailable":
      return "circuit_open"
    case "ExternalServiceError":
      return error.details?.reason === "decode" ? "decode" : `http_${error.upstreamStatus ?? "error"}`
    case "NetworkError": {
      const reason = error.details?.reason
      if (reason === "timeout") return "timeout"
      return typeof reason === "string" && reason !== "transport" ? reason : "network"
    }
  }
}
