/**
 * Opaque, signed cursors: `base64url(json).base64url(HMAC-SHA256(key, json))`. The signature
 * is checked (in constant time) before the payload is even parsed, so a tampered or foreign
 * cursor never reaches a query.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { InvalidCursor } from "./paginationErrors.js"

/**
 * The key that signs pagination cursors (at least 32 bytes).
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Effect } from "effect"
 *
 * const hasKey = Effect.map(Pagination.CursorKey, (key) => key !== undefined)
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class CursorKey extends Context.Tag("@strata/sql/Pagination/CursorKey")<
  CursorKey,
  Redacted.Redacted<Uint8Array>
>() {}

/** @internal */
export const minimumKeyBytes = 32

/** @internal */
export const randomKey = (): Redacted.Redacted<Uint8Array> => Redacted.make(new Uint8Array(randomBytes(32)))

/** @internal */
export const maxCursorLength = 4096

/** What a cursor says: the query, the side of the page it points from, the sort and the key values. @internal */
export const Payload = Schema.Struct({
  v: Schema.Literal(1),
  /** the paginated query's name */
  q: Schema.String,
  /** "a": rows after the values (next page), "b": rows before them (previous page) */
  d: Schema.Literal("a", "b"),
  /** sort fields as [field, direction] */
  s: Schema.Array(Schema.Tuple(Schema.String, Schema.Literal("asc", "desc"))),
  /** key values as text, tiebreaker last */
  k: Schema.Array(Schema.NullOr(Schema.String))
})

/** @internal */
export type Payload = typeof Payload.Type

const decodePayload = Schema.decodeUnknownEither(Schema.parseJson(Payload))

const mac = (key: Redacted.Redacted<Uint8Array>, body: string): Buffer =>
  createHmac("sha256", Redacted.value(key)).update(`strata-cursor.${body}`).digest()

/** @internal */
export const encode = (key: Redacted.Redacted<Uint8Array>, payload: Payload): string => {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url")
  return `${body}.${mac(key, body).toString("base64url")}`
}

const base64url = /^[A-Za-z0-9_-]+$/

/** @internal */
export const decode = (key: Redacted.Redacted<Uint8Array>, token: string): Either.Either<Payload, InvalidCursor> => {
  if (token.length > maxCursorLength) return Either.left(new InvalidCursor({ reason: "malformed" }))
  const dot = token.indexOf(".")
  const body = token.slice(0, dot)
  const signature = token.slice(dot + 1)
  if (dot <= 0 || !base64url.test(body) || !base64url.test(signature)) {
    return Either.left(new InvalidCursor({ reason: "malformed" }))
  }
  const expected = mac(key, body)
  const given = Buffer.from(signature, "base64url")
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return Either.left(new InvalidCursor({ reason: "signature" }))
  }
  return Either.mapLeft(
    decodePayload(Buffer.from(body, "base64url").toString("utf8")),
    () => new InvalidCursor({ reason: "malformed" })
  )
}
