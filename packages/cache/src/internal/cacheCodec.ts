/**
 * Values to and from the JSON text the stores keep, through the caller's Schema.
 *
 * The hot path is synchronous: `JSON.parse` / `JSON.stringify` and the Schema's `Either`
 * parser (memoised per schema); `decodeNow` / `encodeNow` answer without any effect, and
 * `decode` / `encode` return that `Either` (an Effect, so composing it costs one step). Only
 * when that parser cannot answer — a Schema with asynchronous transformations, or a value
 * that does not fit — does the effectful parser run, which gives the exact result (or the
 * exact error) in every case.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** Why a value could not be written: the Schema refused it, or its encoding is not JSON. @internal */
export type EncodeFailure =
  | { readonly _tag: "Schema"; readonly cause: ParseResult.ParseError }
  | { readonly _tag: "Json"; readonly cause: unknown }

type Parser = (input: unknown) => Either.Either<unknown, ParseResult.ParseError>

const decoders = new WeakMap<Schema.Schema.Any, Parser>()
const encoders = new WeakMap<Schema.Schema.Any, Parser>()

const memo = (cache: WeakMap<Schema.Schema.Any, Parser>, schema: Schema.Schema.Any, make: () => Parser): Parser => {
  let parser = cache.get(schema)
  if (parser === undefined) {
    parser = make()
    cache.set(schema, parser)
  }
  return parser
}

const parse = (text: string): Either.Either<unknown, unknown> => {
  try {
    return Either.right(JSON.parse(text))
  } catch (cause) {
    return Either.left(cause)
  }
}

const decodeJson = <A, I>(schema: Schema.Schema<A, I>, json: unknown) =>
  memo(decoders, schema, () => Schema.decodeUnknownEither(schema))(json) as Either.Either<A, ParseResult.ParseError>

/** JSON text → value at once; `none` when only the effectful `decode` can tell (or it fails). @internal */
export const decodeNow = <A, I>(schema: Schema.Schema<A, I>, text: string): Option.Option<A> => {
  const json = parse(text)
  return Either.isLeft(json) ? Option.none() : Either.getRight(decodeJson(schema, json.right))
}

/** JSON text → value; fails with the JSON or Schema error. @internal */
export const decode = <A, I>(schema: Schema.Schema<A, I>, text: string): Effect.Effect<A, unknown> => {
  const json = parse(text)
  if (Either.isLeft(json)) return Effect.fail(json.left)
  const fast = decodeJson(schema, json.right)
  return Either.isRight(fast) ? fast : Schema.decodeUnknown(schema)(json.right)
}

const stringify = (encoded: unknown): Either.Either<string, EncodeFailure> => {
  try {
    return Either.right(JSON.stringify(encoded))
  } catch (cause) {
    return Either.left({ _tag: "Json", cause })
  }
}

const encodeValue = <A, I>(schema: Schema.Schema<A, I>, value: A) =>
  memo(encoders, schema, () => Schema.encodeUnknownEither(schema))(value)

/** Value → JSON text at once; `none` when only the effectful `encode` can tell (or it fails). @internal */
export const encodeNow = <A, I>(schema: Schema.Schema<A, I>, value: A): Option.Option<string> => {
  const encoded = encodeValue(schema, value)
  if (Either.isLeft(encoded)) return Option.none()
  const text = stringify(encoded.right)
  // `JSON.stringify` answers undefined for some inputs: the effectful path keeps its behaviour
  return Either.isRight(text) && typeof text.right === "string" ? Option.some(text.right) : Option.none()
}

/** Value → JSON text. @internal */
export const encode = <A, I>(schema: Schema.Schema<A, I>, value: A): Effect.Effect<string, EncodeFailure> => {
  const fast = encodeValue(schema, value)
  return Either.isRight(fast)
    ? stringify(fast.right)
    : Schema.encode(schema)(value).pipe(
      Effect.mapError((cause): EncodeFailure => ({ _tag: "Schema", cause })),
      Effect.flatMap(stringify)
    )
}
