/**
 * Examples for docs/validation.md (compiled by `npm run typecheck`).
 */
import { Errors, Validation, Validators } from "@strata/core"
import { Context, Effect, Either, Schema } from "effect"

// --- 1. Plain predicates: booleans, no Effect ---

export enum UserRole {
  Admin = "admin",
  User = "user",
  Guest = "guest"
}

export const checks: ReadonlyArray<boolean> = [
  Validators.isEmail("user@example.com"), // true
  Validators.isPhoneE164("+12125551234"), // true (E.164: "+", country code, <= 15 digits)
  Validators.isUrl("https://example.com"), // true (http/https unless { protocols })
  Validators.isUuid("123e4567-e89b-12d3-a456-426614174000"), // true
  Validators.isCreditCard("4539 1488 0343 6467"), // true (Luhn)
  Validators.isIP("2001:db8::1"), // true (isIPv4 / isIPv6 for one family)
  Validators.hasLength("johndoe", { min: 3, max: 50 }), // true
  Validators.inRange(25, { min: 18 }), // true
  Validators.matches("ABC-123", /^[A-Z]{3}-\d{3}$/), // true
  Validators.isPresent("  "), // false: blank strings and empty arrays are absent
  Validators.isDateInRange("2023-05-15", { min: "2023-01-01", max: new Date("2023-12-31") }), // true
  Validators.isOneOf("admin", UserRole), // true
  Validators.isStrongPassword("SecureP@ss123", {
    minLength: 10,
    requireLowercase: true,
    requireUppercase: true,
    requireDigit: true,
    requireSpecial: true
  }) // true
]

// Every broken password rule, as messages (empty when the password passes).
export const problems: ReadonlyArray<string> = Validators.checkPassword("secret", { requireDigit: true })
// ["Must be at least 8 characters long", "Must contain a digit", "Is too common"]

// --- 2. Schemas: Validators' filters and ready schemas next to Schema's own ---

export const UserCreate = Schema.Struct({
  username: Schema.String.pipe(Schema.minLength(3), Schema.maxLength(50)), // type "length"
  email: Validators.Email, // type "email"
  password: Schema.String.pipe(Validators.password({ minLength: 10, requireDigit: true })), // type "password"
  age: Schema.Number.pipe(Schema.int(), Validators.range({ min: 18 })), // "integer", "range"
  role: Schema.Enums(UserRole), // type "enum"
  website: Schema.optional(Schema.String.pipe(Validators.url({ protocols: ["https"] }))), // type "url"
  birthday: Schema.optional(Schema.String.pipe(Validators.dateInRange({ min: "1900-01-01" }))), // type "date"
  addresses: Schema.Array(Schema.Struct({ city: Schema.String, zip: Schema.String.pipe(Schema.pattern(/^\d{5}$/)) }))
})

// --- 3. validate: one ValidationFailed with every field problem ---

export const createUser = (body: unknown) =>
  Effect.gen(function*() {
    const user = yield* Validation.validate(UserCreate)(body) // Effect<UserCreate, ValidationFailed>
    yield* Effect.log(`creating ${user.username}`)
    return user
  })

export const invalid = createUser({
  username: "jo",
  email: "not-an-email",
  password: "secret",
  age: 17,
  role: "root",
  addresses: [{ zip: "7500" }]
}).pipe(
  Effect.flip, // the ValidationFailed
  Effect.map((error) => error.errors)
)
// [
//   { path: "username",          type: "length",   message: "Expected a string at least 3 character(s) long" },
//   { path: "email",             type: "email",    message: "Invalid email address" },
//   { path: "password",          type: "password", message: "Must be at least 10 characters long" },
//   { path: "password",          type: "password", message: "Must contain a digit" },
//   { path: "password",          type: "password", message: "Is too common" },
//   { path: "age",               type: "range",    message: "Must be at least 18" },
//   { path: "role",              type: "enum",     message: "Must be one of: admin, user, guest" },
//   { path: "addresses.0.city",  type: "required", message: "Required" },
//   { path: "addresses.0.zip",   type: "pattern",  message: "Expected a string matching the pattern ^\\d{5}$" }
// ]

// Synchronous variant for schemas without requirements.
export const parsed: Either.Either<string, Errors.ValidationFailed> = Validation.validateEither(Validators.Email)(
  "user@example.com"
)

// --- 4. Your own types and messages ---

export const Sku = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{3}-\d{4}$/),
  Schema.annotations({ [Validation.ValidationType]: "sku", message: () => "Invalid SKU (e.g. ABC-1234)" })
)

// A cross-field check reports on the field it is about.
export const PasswordChange = Schema.Struct({ password: Validators.Password, confirm: Schema.String }).pipe(
  Schema.filter((p) => p.password === p.confirm || { path: ["confirm"], message: "Passwords do not match" }, {
    [Validation.ValidationType]: "match"
  })
)

// An effectful check (database uniqueness) keeps its requirement in the type.
export class UserRepository extends Context.Tag("app/UserRepository")<UserRepository, {
  readonly emailExists: (email: string) => Effect.Effect<boolean>
}>() {}

export const UniqueEmail = Validators.Email.pipe(
  Schema.filterEffect((email) =>
    Effect.flatMap(UserRepository, (repo) => repo.emailExists(email)).pipe(
      Effect.map((exists) => exists ? "Email is already registered" : undefined)
    )
  ),
  Schema.annotations({ [Validation.ValidationType]: "unique" })
)

export const validateSignup: (
  body: unknown
) => Effect.Effect<{ readonly email: string }, Errors.ValidationFailed, UserRepository> = Validation.validate(
  Schema.Struct({ email: UniqueEmail })
)

// Code that decodes with Schema itself: turn its ParseError into ValidationFailed.
export const port = Schema.decodeUnknown(Schema.NumberFromString)("80a").pipe(Validation.mapParseError)

// Schema.decodeUnknown(Signup)(...) stops at "username"; the ValidationFailed still lists all three.
const Signup = Schema.Struct({
  username: Schema.String.pipe(Schema.minLength(3)),
  email: Validators.Email,
  tags: Schema.Array(Schema.String.pipe(Schema.pattern(/^[a-z]+$/)))
})

const bad = { username: "x", email: "nope", tags: ["ok", "UP"] }
export const signupErrors = Schema.decodeUnknownEither(Signup)(bad).pipe(
  Either.mapLeft((error) => Validation.fromParseError(error).errors.map((e) => `${e.path}:${e.type}`))
) // Left(["username:length", "email:email", "tags.1:pattern"])

// --- 5. Composite rules: the seed's declarative style ---

export const signupRules: Validation.Rules = {
  username: { required: true, length: { min: 3, max: 50 } },
  email: { required: true, email: true },
  password: { required: true, password: { minLength: 8, requireUppercase: true, requireDigit: true } },
  age: { required: true, range: { min: 18 } },
  confirm: {
    required: true,
    custom: (value, input) => value === input["password"] ? undefined : "Passwords do not match"
  },
  "address.city": { required: true, messages: { required: "Tell us your city" } }, // dotted: nested value
  nickname: { length: { min: 3 }, regex: { pattern: /^[a-z0-9_]+$/, message: "Lowercase letters, digits, _" } }
}

// Every field error at once; [] when valid.
export const fieldErrors: ReadonlyArray<Errors.FieldError> = Validation.checkRules(
  { username: "jo", email: "john@example.com", password: "Tr0ub4dor&3x", age: 25, confirm: "x" },
  signupRules
)
// username (length), confirm (custom), address.city (required) — nickname is absent, so skipped

// Or as an effect that fails with ValidationFailed.
export const checkSignup: (body: unknown) => Effect.Effect<Readonly<Record<string, unknown>>, Errors.ValidationFailed> =
  Validation.rules(signupRules)
