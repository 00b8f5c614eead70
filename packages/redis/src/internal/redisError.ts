/**
 * The error of the Redis package and the mapping of ioredis failures onto it.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * A Redis command or connection failed. `command` is the command group the caller passed
 * to `use` (or `connect`, `quit`, `ping`, ...). `retryable` is true for connection-class
 * failures and timeouts (the call may succeed later; a timed-out write may still have been
 * applied), false for errors Redis answered with (`WRONGTYPE`, a script error).
 *
 * @example
 * ```ts
 * import { RedisClient } from "@strata/redis"
 *
 * const error = new RedisClient.RedisError({ command: "cache.get", message: "Command timed out", retryable: true })
 * error.code   // "REDIS_ERROR"
 * error.status // 503
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class RedisError extends Schema.TaggedError<RedisError>()("RedisError", {
  command: Schema.String,
  message: Schema.String,
  retryable: Schema.Boolean,
  cause: Schema.optional(Schema.Defect)
}) {
  /** @since 0.1.0 */
  get code(): "REDIS_ERROR" {
    return "REDIS_ERROR"
  }
  /** @since 0.1.0 */
  get status(): 503 {
    return 503
  }
}

// Error replies that say "not now" rather than "never": a failover, a loading replica, a busy script.
const transientReplies = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/

const messageOf = (cause: unknown): string => {
  if (cause instanceof Error) return cause.message
  return typeof cause === "string" ? cause : "unknown failure"
}

/** True for an error reply of the server (`ReplyError` of redis-errors). @internal */
export const isReplyError = (cause: unknown): boolean => cause instanceof Error && cause.name === "ReplyError"

const connectionMessages = /^(Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries)/

// Failures of the connection rather than of the command: worth retrying later.
const isConnectionError = (cause: Error): boolean =>
  cause.name === "MaxRetriesPerRequestError" || cause.name === "AbortError" ||
  connectionMessages.test(cause.message) ||
  ("syscall" in cause && typeof cause.syscall === "string")

/** Turns whatever a command rejected with into a `RedisError`. @internal */
export const fromCause = (command: string, cause: unknown, status?: string): RedisError => {
  if (cause instanceof RedisError) return cause
  const text = messageOf(cause)
  if (isReplyError(cause)) {
    return new RedisError({ command, message: text, retryable: transientReplies.test(text), cause })
  }
  if (cause instanceof Error && isConnectionError(cause)) {
    // ioredis's own wording is about its options; say what happened instead.
    const message = text.startsWith("Stream isn't writeable")
      ? `Redis is not connected${status === undefined ? "" : ` (${status})`}`
      : cause.name === "MaxRetriesPerRequestError"
      ? "Redis connection lost while the command was in flight (it may or may not have been applied)"
      : text
    return new RedisError({ command, message, retryable: true, cause })
  }
  // A bug in the caller's function (a TypeError, a bad argument): retrying will not help.
  return new RedisError({ command, message: text, retryable: false, cause })
}
