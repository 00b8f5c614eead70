import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Option, Schema } from "effect"
import { Errors } from "@strata/core"

const roundTrip = (error: Errors.StrataError) =>
  Schema.decodeUnknownSync(Errors.StrataError)(
    JSON.parse(JSON.stringify(Schema.encodeSync(Errors.StrataError)(error)))
  )

describe("Errors", () => {
  it("gives each error a stable code, status and default message", () => {
    const notFound = new Errors.NotFound({ resource: "User", id: "42" })
    expect([notFound._tag, notFound.code, notFound.status, notFound.message]).toEqual([
      "NotFound", "NOT_FOUND", 404, "User '42' not found"
    ])
    const exists = Errors.alreadyExists("User", "ada@example.com", "email")
    expect([exists.code, exists.status, exists.message]).toEqual([
      "ALREADY_EXISTS", 409, "User with email 'ada@example.com' already exists"
    ])
    expect(new Errors.NotFound({ resource: "User", id: "1", message: "gone" }).message).toBe("gone")
    expect(new Errors.RateLimited({ retryAfter: Duration.millis(1500) }).retryAfterSeconds).toBe(2)
  })

  it("round-trips every error through JSON with its class, fields and cause intact", () => {
    const errors: ReadonlyArray<Errors.StrataError> = [
      new Errors.NotFound({ resource: "User", id: "1", details: { hint: "x" } }),
      Errors.alreadyExists("User", "a", "email"),
      new Errors.Unauthenticated(),
      Errors.permissionDenied("edit", "Doc", "docs:write"),
      Errors.businessRule("no", { reason: "r" }),
      new Errors.InvalidState({ currentState: "a", expectedState: "b" }),
      new Errors.OperationNotAllowed({ operation: "delete" }),
      Errors.validationError("email", "bad", "email"),
      new Errors.DatabaseError({ message: "down", sqlState: "57P01", retryable: true, cause: new Error("boom") }),
      new Errors.NetworkError({ message: "reset" }),
      new Errors.ExternalServiceError({ service: "stripe", upstreamStatus: 400 }),
      new Errors.ConfigurationError({ issues: [{ key: "A", message: "missing", source: "env" }] }),
      new Errors.SecurityViolation({ message: "nope" }),
      new Errors.RateLimited({ retryAfter: Duration.seconds(3), limit: 10 }),
      new Errors.Timeout({ operation: "op", after: Duration.seconds(2) }),
      new Errors.Unavailable({ service: "db", reason: "circuit-open" })
    ]
    for (const error of errors) {
      const back = roundTrip(error)
      expect(back).toBeInstanceOf(error.constructor)
      expect(back.message).toBe(error.message)
      expect(back.code).toBe(error.code)
      expect(Errors.isStrataError(back)).toBe(true)
    }
    const db = roundTrip(errors[8]!) as Errors.DatabaseError
    expect(db.retryable).toBe(true)
    expect(String((db.cause as Error).message)).toContain("boom")
    expect((roundTrip(errors[13]!) as Errors.RateLimited).retryAfterSeconds).toBe(3)
  })

  it("marks only retryable errors as retryable", () => {
    expect(Errors.isRetryable(new Errors.NetworkError({ message: "x" }))).toBe(true)
    expect(Errors.isRetryable(new Errors.DatabaseError({ message: "x" }))).toBe(false)
    expect(Errors.isRetryable(new Errors.ExternalServiceError({ service: "s", upstreamStatus: 404 }))).toBe(false)
    expect(Errors.isRetryable(Errors.notFound("User", 1))).toBe(false)
    expect(Errors.isStrataError(new Error("plain"))).toBe(false)
  })

  it.effect("ensureFound unwraps values and fails with NotFound on none/null", () =>
    Effect.gen(function*() {
      expect(yield* Errors.ensureFound(Option.some(1), "N", 1)).toBe(1)
      expect(yield* Errors.ensureFound("x" as string | null, "N", 1)).toBe("x")
      const exit = yield* Effect.exit(Errors.ensureFound(null, "User", 9))
      expect(exit).toEqual(Exit.fail(new Errors.NotFound({ resource: "User", id: "9" })))
      const none = yield* Effect.flip(Errors.ensureFound(Option.none(), "User", "x"))
      expect(none.message).toBe("User 'x' not found")
    }))
})
