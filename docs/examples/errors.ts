/**
 * Examples for docs/errors.md (compiled by `npm run typecheck`).
 */
import { Errors } from "@strata/core"
import { Duration, Effect, Option, Schema } from "effect"

// --- 1. Failing with a catalogue error: errors are yieldable ---

interface User {
  readonly id: string
  readonly email: string
  readonly status: "active" | "suspended"
}

declare const findUser: (id: string) => Effect.Effect<Option.Option<User>>

export const getUser = (id: string): Effect.Effect<User, Errors.NotFound> =>
  Effect.flatMap(findUser(id), (user) => Errors.ensureFound(user, "User", id)) // the seeds' ensure_not_none

export const suspend = (id: string): Effect.Effect<User, Errors.NotFound | Errors.InvalidState> =>
  Effect.gen(function*() {
    const user = yield* getUser(id)
    if (user.status !== "active") {
      return yield* new Errors.InvalidState({ currentState: user.status, expectedState: "active" })
    }
    return { ...user, status: "suspended" as const }
  })

// --- 2. Every error has a stable code, an HTTP status and a default message ---

export const notFound = new Errors.NotFound({ resource: "User", id: "42" })
// notFound.code === "NOT_FOUND", notFound.status === 404, notFound.message === "User '42' not found"

export const examples: ReadonlyArray<Errors.StrataError> = [
  Errors.alreadyExists("User", "ada@example.com", "email"), // 409 "User with email 'ada@example.com' already exists"
  new Errors.Unauthenticated({ details: { reason: "expired_token" } }), // 401 "Authentication required"
  Errors.permissionDenied("edit", "Document", "documents:write"), // 403
  Errors.businessRule("Cannot complete order", { reason: "insufficient_inventory" }), // 422
  new Errors.OperationNotAllowed({ operation: "delete", reason: "system_account" }), // 403
  Errors.validationError("email", "Invalid email format", "email"), // 422, one field error
  new Errors.DatabaseError({ message: "connection refused", retryable: true }), // 500
  new Errors.ExternalServiceError({ service: "stripe", upstreamStatus: 503 }), // 502, retryable (5xx)
  new Errors.RateLimited({ retryAfter: Duration.seconds(60), limit: 100 }), // 429, retryAfterSeconds === 60
  new Errors.Timeout({ operation: "fetch-user", after: Duration.seconds(2) }), // 504 "fetch-user timed out after 2s"
  new Errors.Unavailable({ service: "payments", reason: "circuit-open" }) // 503
]

// --- 3. Handling: by tag, by guard ---

export const handled = suspend("42").pipe(
  Effect.catchTags({
    NotFound: (e) => Effect.succeed(`no such ${e.resource}`),
    InvalidState: (e) => Effect.succeed(`cannot suspend a ${e.currentState} user`)
  })
)

export const describeError = (u: unknown): string =>
  Errors.isStrataError(u)
    ? `${u.code} (${u.status})${Errors.isRetryable(u) ? ", retryable" : ""}: ${u.message}`
    : "unexpected error"

// --- 4. Crossing a process boundary: encode, send, decode back into the class ---

export const wire: unknown = JSON.parse(JSON.stringify(Schema.encodeSync(Errors.StrataError)(notFound)))
export const back: Errors.StrataError = Schema.decodeUnknownSync(Errors.StrataError)(wire)
// back instanceof Errors.NotFound, back.message === "User '42' not found"

// --- 5. An error of your own, built the same way ---

export class PaymentDeclined extends Schema.TaggedError<PaymentDeclined>()("PaymentDeclined", {
  reason: Schema.String,
  message: Schema.String
}) {
  get code(): "PAYMENT_DECLINED" {
    return "PAYMENT_DECLINED"
  }
  get status(): 402 {
    return 402
  }
}
