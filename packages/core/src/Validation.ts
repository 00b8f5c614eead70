/**
 * Validation: decode untrusted input with a Schema and fail with ONE `ValidationFailed`
 * that lists every field problem at once as `{ path, message, type }`; or check a plain
 * record against declarative composite rules.
 *
 * `path` is dotted (`"items.0.sku"`, `""` for the input itself). `type` is stable and
 * machine-readable: `"required"`, `"type"`, `"length"`, `"range"`, `"pattern"`, `"enum"`,
 * `"email"`, `"url"`, `"uuid"`, `"phone"`, `"date"`, `"creditCard"`, `"ip"`, `"password"`...
 * Any schema can set its own with the `ValidationType` annotation. Default messages never
 * echo the input value (it may be a password).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import { type FieldError, ValidationFailed } from "./Errors.js"
import * as complete from "./internal/validationComplete.js"
import * as formatter from "./internal/validationFormatter.js"
import * as internalRules from "./internal/validationRules.js"
import type { Bounds, DateBounds, EnumLike, PasswordPolicy, UrlOptions } from "./Validators.js"

export {
  /** @since 0.1.0 */
  ValidationType
} from "./internal/validationType.js"

/**
 * Parse options for `validate`; errors are always collected in full (`errors: "all"`).
 *
 * @since 0.1.0
 * @category models
 */
export type ValidateOptions = Omit<AST.ParseOptions, "errors">

/**
 * Every field problem of a Schema parse issue, with dotted paths and stable types.
 *
 * @example
 * ```ts
 * import { Validation } from "@strata/core"
 * import { Either, Schema } from "effect"
 *
 * const result = Schema.decodeUnknownEither(Schema.Struct({ age: Schema.Number }))({})
 * if (Either.isLeft(result)) Validation.fieldErrors(result.left.issue)
 * // [{ path: "age", message: "Required", type: "required" }]
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const fieldErrors: (issue: ParseResult.ParseIssue) => ReadonlyArray<FieldError> = formatter.fieldErrors

/**
 * Turns a Schema `ParseError` into a `ValidationFailed` listing every field problem, even
 * when the decode stopped at the first one (Schema's default, `errors: "first"`): the input
 * the error carries is then decoded again, synchronously, with `errors: "all"`. When that
 * cannot reproduce the error (a schema that needs services or async work, an encoding
 * error), the error's own problems are listed.
 *
 * @example
 * ```ts
 * import { Validation } from "@strata/core"
 * import { Effect, Schema } from "effect"
 *
 * const Signup = Schema.Struct({ id: Schema.UUID, age: Schema.Number })
 * const program = Schema.decodeUnknown(Signup)({ id: "x", age: "old" }).pipe(
 *   Effect.mapError(Validation.fromParseError)
 * ) // fails with errors at "id" (uuid) and "age" (type)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromParseError = (error: ParseResult.ParseError): ValidationFailed =>
  new ValidationFailed({ errors: complete.completeFieldErrors(error.issue) })

// `validate` decodes with every error already: no second decode.
const fromCompleteIssue = (issue: ParseResult.ParseIssue): ValidationFailed =>
  new ValidationFailed({ errors: formatter.fieldErrors(issue) })

/**
 * Replaces a `ParseError` in an effect's error channel by `ValidationFailed` (see
 * `fromParseError`); other errors pass through. Handy around code that decodes with Schema
 * itself.
 *
 * @example
 * ```ts
 * import { Validation } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const parsePort = (u: unknown) => Schema.decodeUnknown(Schema.NumberFromString)(u).pipe(Validation.mapParseError)
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapParseError = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, ParseResult.ParseError> | ValidationFailed, R> =>
  Effect.catchIf(
    self,
    (e): e is Extract<E, ParseResult.ParseError> => ParseResult.isParseError(e),
    (e) => Effect.fail(fromParseError(e))
  ) as Effect.Effect<A, Exclude<E, ParseResult.ParseError> | ValidationFailed, R>

/**
 * Decodes unknown input with a schema, collecting every problem: fails with one
 * `ValidationFailed` whose `errors` list each field (the seeds' `validate_data`).
 *
 * @example
 * ```ts
 * import { Validation, Validators } from "@strata/core"
 * import { Effect, Schema } from "effect"
 *
 * const UserCreate = Schema.Struct({
 *   username: Schema.String.pipe(Schema.minLength(3), Schema.maxLength(50)),
 *   email: Validators.Email,
 *   age: Schema.Number.pipe(Schema.greaterThanOrEqualTo(18))
 * })
 *
 * const program = Validation.validate(UserCreate)({ username: "jo", email: "nope", age: 12 }).pipe(
 *   Effect.catchTag("ValidationFailed", (e) => Effect.succeed(e.errors.map((f) => `${f.path}:${f.type}`)))
 * ) // ["username:length", "email:email", "age:range"]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = <A, I, R>(
  schema: Schema.Schema<A, I, R>,
  options?: ValidateOptions
): (input: unknown) => Effect.Effect<A, ValidationFailed, R> => {
  const decode = Schema.decodeUnknown(schema, { ...options, errors: "all" })
  return (input) => Effect.mapError(decode(input), (error) => fromCompleteIssue(error.issue))
}

/**
 * Synchronous `validate` for schemas without requirements, returning an `Either`.
 *
 * @example
 * ```ts
 * import { Validation, Validators } from "@strata/core"
 * import { Either } from "effect"
 *
 * const result = Validation.validateEither(Validators.Email)("user@example.com")
 * Either.isRight(result) // true
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const validateEither = <A, I>(
  schema: Schema.Schema<A, I, never>,
  options?: ValidateOptions
): (input: unknown) => Either.Either<A, ValidationFailed> => {
  const decode = Schema.decodeUnknownEither(schema, { ...options, errors: "all" })
  return (input) => Either.mapLeft(decode(input), (error) => fromCompleteIssue(error.issue))
}

/**
 * The rules of one field in a composite rule set. A field that is absent (`null`,
 * `undefined`, blank string, empty array) fails `required` and skips every other rule.
 * `messages` replaces the default message of a rule.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldRules {
  readonly required?: boolean | undefined
  readonly length?: Bounds | undefined
  readonly range?: Bounds | undefined
  readonly email?: boolean | undefined
  readonly url?: boolean | UrlOptions | undefined
  readonly uuid?: boolean | undefined
  readonly phone?: boolean | undefined
  readonly regex?: RegExp | { readonly pattern: RegExp; readonly message: string } | undefined
  readonly enum?: ReadonlyArray<string | number | boolean> | EnumLike | undefined
  readonly date?: boolean | DateBounds | undefined
  readonly creditCard?: boolean | undefined
  readonly ip?: boolean | "v4" | "v6" | undefined
  readonly password?: boolean | PasswordPolicy | undefined
  /** A message when the value is wrong; `input` is the whole record, for cross-field checks. */
  readonly custom?: ((value: unknown, input: Readonly<Record<string, unknown>>) => string | undefined) | undefined
  readonly messages?: { readonly [K in RuleName]?: string | undefined } | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type RuleName = Exclude<keyof FieldRules, "messages">

/**
 * Rules per field. A dotted field name (`"address.city"`) reads nested values.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rules {
  readonly [field: string]: FieldRules
}

/**
 * Checks a record against composite rules and returns every field error (empty when valid)
 * — the seeds' `validate_composite`.
 *
 * @example
 * ```ts
 * import { Validation } from "@strata/core"
 *
 * const errors = Validation.checkRules({ username: "jo", email: "john@example.com" }, {
 *   username: { required: true, length: { min: 3, max: 50 } },
 *   email: { required: true, email: true },
 *   age: { required: true, range: { min: 18 } }
 * })
 * // [{ path: "username", type: "length", ... }, { path: "age", type: "required", ... }]
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const checkRules: (input: unknown, rules: Rules) => ReadonlyArray<FieldError> = internalRules.checkRules

/**
 * An effectful validator from composite rules: succeeds with the input record, or fails
 * with one `ValidationFailed` listing every field error.
 *
 * @example
 * ```ts
 * import { Validation } from "@strata/core"
 *
 * const validateSignup = Validation.rules({
 *   email: { required: true, email: true },
 *   password: { required: true, password: { minLength: 8, requireUppercase: true, requireDigit: true } }
 * })
 * const program = validateSignup({ email: "john@example.com", password: "Secret123" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const rules = (
  rules: Rules
): (input: unknown) => Effect.Effect<Readonly<Record<string, unknown>>, ValidationFailed> =>
(input) =>
  Effect.suspend(() => {
    const errors = internalRules.checkRules(input, rules)
    return errors.length > 0
      ? Effect.fail(new ValidationFailed({ errors }))
      : Effect.succeed(input as Readonly<Record<string, unknown>>)
  })
