/**
 * When and how the outbound client retries: `Resilience.schedule` (capped exponential backoff
 * with jitter, retryable errors only) stretched to the upstream's `Retry-After`, and only for
 * requests that are safe to send twice.
 *
 * @internal
 */
import type * as HttpMethod from "@effect/platform/HttpMethod"
import * as Errors from "@strata/core/Errors"
import * as Resilience from "@strata/core/Resilience"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type { RetryOptions } from "./apiClientModels.js"
import { type ApiError, type Call, errorLabel, retryAfterOf } from "./apiClientErrors.js"

/** The retry settings of a client, or `undefined` when it never retries. @internal */
export interface RetrySettings {
  readonly policy: Resilience.RetryPolicy<ApiError>
  readonly maxAttempts: number
  readonly maxRetryAfterMillis: number
}

/** @internal */
export const resolve = (options: RetryOptions | false | undefined): RetrySettings | undefined => {
  if (options === false) return undefined
  const maxAttempts = Math.max(1, Math.floor(options?.maxAttempts ?? 3))
  if (maxAttempts === 1) return undefined
  const { maxRetryAfter, ...policy } = options ?? {}
  return {
    policy: { ...policy, maxAttempts },
    maxAttempts,
    maxRetryAfterMillis: Duration.toMillis(maxRetryAfter ?? Duration.seconds(30))
  }
}

// RFC 9110 §9.2.2: sending these twice has the same effect as sending them once.
const idempotentMethods: ReadonlySet<HttpMethod.HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/**
 * Whether a request may be retried: idempotent methods by default; POST and PATCH only with
 * `retry: true` or an idempotency key (the upstream then deduplicates); never with `retry: false`.
 *
 * @internal
 */
export const mayRetry = (
  method: HttpMethod.HttpMethod,
  options: { readonly retry?: boolean | undefined; readonly idempotencyKey?: string | undefined }
): boolean =>
  options.retry === false
    ? false
    : options.retry === true || options.idempotencyKey !== undefined || idempotentMethods.has(method)

const logRetry = (call: Call, settings: RetrySettings, error: ApiError, attempt: number, delay: number) => {
  const label = errorLabel(error)
  const wait = Duration.format(Duration.millis(delay))
  const maxAttempts = settings.maxAttempts
  const what = `${call.service}: retrying ${call.method} ${call.url} after ${label}`
  return Effect.logWarning(`${what} (attempt ${attempt} of ${maxAttempts}) in ${wait}`).pipe(
    Effect.annotateLogs({ service: call.service, attempt, maxAttempts, delay: wait, error: label })
  )
}

/**
 * The schedule of one call. A retryable error is retried after `max(backoff, Retry-After)`;
 * when the upstream asks for a longer wait than `maxRetryAfter` the call gives up at once
 * (the error keeps `retryAfterMillis`), since retrying earlier would only be refused again.
 *
 * @internal
 */
export const schedule = (call: Call, settings: RetrySettings): Schedule.Schedule<unknown, ApiError> =>
  Resilience.schedule<ApiError>({
    ...settings.policy,
    while: (error) => Errors.isRetryable(error) && (retryAfterOf(error) ?? 0) <= settings.maxRetryAfterMillis
  }).pipe(
    Schedule.intersect(Schedule.identity<ApiError>()),
    Schedule.modifyDelayEffect(([step, error], backoff) => {
      const wait = Math.max(Duration.toMillis(backoff), retryAfterOf(error) ?? 0)
      return Effect.as(logRetry(call, settings, error, step.attempt, wait), Duration.millis(wait))
    })
  )
