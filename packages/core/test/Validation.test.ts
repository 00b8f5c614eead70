import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Either, Exit, Schema } from "effect"
import { Errors, Validation, Validators } from "@strata/core"
import * as docs from "../../../docs/examples/validation.js"

const plain = (errors: ReadonlyArray<Errors.FieldError>) =>
  errors.map((f) => ({ path: f.path, message: f.message, type: f.type }))

const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

const Order = Schema.Struct({
  username: Schema.String.pipe(Schema.minLength(3), Schema.maxLength(50)),
  email: Validators.Email,
  age: Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(18)),
  role: Schema.Literal("admin", "user"),
  website: Schema.optional(Validators.Url),
  address: Schema.Struct({ city: Schema.String, zip: Schema.String.pipe(Schema.pattern(/^\d{5}$/)) }),
  items: Schema.Array(Schema.Struct({ sku: Schema.String, quantity: Schema.NumberFromString }))
})

describe("Validation.validate", () => {
  it.effect("returns the decoded value when the input is valid", () =>
    Effect.gen(function*() {
      const order = yield* Validation.validate(Order)({
        username: "johndoe",
        email: "john@example.com",
        age: 25,
        role: "user",
        address: { city: "Paris", zip: "75001" },
        items: [{ sku: "A-1", quantity: "2" }]
      })
      expect(order.items[0]!.quantity).toBe(2)
    }))

  it.effect("fails with ONE ValidationFailed listing every field problem with dotted paths and types", () =>
    Effect.gen(function*() {
      const error = yield* failure(Validation.validate(Order)({
        username: "jo",
        email: "not-an-email",
        age: 17.5,
        role: "root",
        website: "ftp://example.com",
        address: { zip: "7500" },
        items: [{ sku: "A-1", quantity: "2" }, { quantity: "many" }, 3]
      }))
      expect(error).toBeInstanceOf(Errors.ValidationFailed)
      expect([error.code, error.status]).toEqual(["VALIDATION_FAILED", 422])
      expect(plain(error.errors)).toEqual([
        { path: "username", message: "Expected a string at least 3 character(s) long", type: "length" },
        { path: "email", message: "Invalid email address", type: "email" },
        { path: "age", message: "Expected an integer", type: "integer" },
        { path: "role", message: "Must be one of: admin, user", type: "enum" },
        { path: "website", message: "Invalid URL", type: "url" },
        { path: "address.city", message: "Required", type: "required" },
        { path: "address.zip", message: "Expected a string matching the pattern ^\\d{5}$", type: "pattern" },
        { path: "items.1.sku", message: "Required", type: "required" },
        { path: "items.1.quantity", message: "Unable to decode \"many\" into a number", type: "type" },
        { path: "items.2", message: "Expected an object", type: "type" }
      ])
      expect(error.message).toBe(
        "Validation failed: username: Expected a string at least 3 character(s) long; email: Invalid email address; " +
          "age: Expected an integer; role: Must be one of: admin, user; website: Invalid URL; " +
          "address.city: Required; address.zip: Expected a string matching the pattern ^\\d{5}$; " +
          "items.1.sku: Required; items.1.quantity: Unable to decode \"many\" into a number; " +
          "items.2: Expected an object"
      )
    }))

  it.effect("reports range failures and a root path for a wrong input shape", () =>
    Effect.gen(function*() {
      const Adult = Schema.Struct({ age: Schema.Number.pipe(Schema.between(18, 130)) })
      const tooYoung = yield* failure(Validation.validate(Adult)({ age: 12 }))
      expect(plain(tooYoung.errors)).toEqual([
        { path: "age", message: "Expected a number between 18 and 130", type: "range" }
      ])
      const root = yield* failure(Validation.validate(Order)("nope"))
      expect(plain(root.errors)).toEqual([{ path: "", message: "Expected an object", type: "type" }])
      expect(root.message).toBe("Validation failed: Expected an object")
    }))

  it.effect("never echoes the input value in default messages", () =>
    Effect.gen(function*() {
      const Login = Schema.Struct({
        password: Schema.String.pipe(Schema.minLength(12)),
        pin: Schema.Number
      })
      const error = yield* failure(Validation.validate(Login)({ password: "hunter2", pin: "9876" }))
      expect(error.message).not.toContain("hunter2")
      expect(error.message).not.toContain("9876")
      expect(plain(error.errors).map((f) => f.type)).toEqual(["length", "type"])
    }))

  it.effect("uses the ValidationType annotation and message annotations of any schema", () =>
    Effect.gen(function*() {
      const Sku = Schema.String.pipe(
        Schema.pattern(/^[A-Z]{3}-\d{4}$/),
        Schema.annotations({ [Validation.ValidationType]: "sku", message: () => "Invalid SKU" })
      )
      const Passwords = Schema.Struct({ password: Schema.String, confirm: Schema.String }).pipe(
        Schema.filter((p) => p.password === p.confirm || { path: ["confirm"], message: "Passwords do not match" }, {
          [Validation.ValidationType]: "match"
        })
      )
      const Note = Schema.String.pipe(Schema.filter(() => false))
      const Form = Schema.Struct({ sku: Sku, passwords: Passwords, note: Note })
      const error = yield* failure(Validation.validate(Form)({
        sku: "abc",
        passwords: { password: "a", confirm: "b" },
        note: "x"
      }))
      expect(plain(error.errors)).toEqual([
        { path: "sku", message: "Invalid SKU", type: "sku" },
        { path: "passwords.confirm", message: "Passwords do not match", type: "match" },
        { path: "note", message: "Invalid value", type: "invalid" }
      ])
    }))

  it.effect("reports unexpected fields when asked to", () =>
    Effect.gen(function*() {
      const Strict = Schema.Struct({ a: Schema.String })
      const error = yield* failure(Validation.validate(Strict, { onExcessProperty: "error" })({ a: "x", b: 1 }))
      expect(plain(error.errors)).toEqual([{ path: "b", message: "Unexpected field", type: "unexpected" }])
      expect(yield* Validation.validate(Strict)({ a: "x", b: 1 })).toEqual({ a: "x" })
    }))

  it.effect("supports effectful checks that need services (e.g. uniqueness)", () =>
    Effect.gen(function*() {
      class TakenEmails extends Context.Tag("test/TakenEmails")<TakenEmails, ReadonlySet<string>>() {}
      const UniqueEmail = Validators.Email.pipe(
        Schema.filterEffect((email) =>
          Effect.map(TakenEmails, (taken) => taken.has(email) ? `Email '${email}' is already registered` : undefined)
        ),
        Schema.annotations({ [Validation.ValidationType]: "unique" })
      )
      const validate = Validation.validate(Schema.Struct({ email: UniqueEmail }))
      const provided = <A, E>(effect: Effect.Effect<A, E, TakenEmails>) =>
        Effect.provideService(effect, TakenEmails, new Set(["ada@example.com"]))
      const error = yield* failure(provided(validate({ email: "ada@example.com" })))
      expect(plain(error.errors)).toEqual([
        { path: "email", message: "Email 'ada@example.com' is already registered", type: "unique" }
      ])
      expect(yield* provided(validate({ email: "bob@example.com" }))).toEqual({ email: "bob@example.com" })
    }))

  it("validateEither is the synchronous variant", () => {
    const validate = Validation.validateEither(Schema.Struct({ phone: Validators.PhoneE164 }))
    expect(Either.getOrThrow(validate({ phone: "+12125551234" }))).toEqual({ phone: "+12125551234" })
    const result = validate({ phone: "12125551234" })
    expect(Either.isLeft(result) && plain(result.left.errors)).toEqual([
      { path: "phone", message: "Invalid phone number (E.164 expected, e.g. +12125551234)", type: "phone" }
    ])
  })

  it.effect("fromParseError and mapParseError turn a Schema ParseError into ValidationFailed", () =>
    Effect.gen(function*() {
      const parseError = yield* failure(Schema.decodeUnknown(Schema.Struct({ id: Schema.UUID }))({ id: "x" }))
      expect(plain(Validation.fromParseError(parseError).errors)).toEqual([
        { path: "id", message: "Expected a Universally Unique Identifier", type: "uuid" }
      ])
      const mapped = yield* failure(Validation.mapParseError(Schema.decodeUnknown(Schema.NumberFromString)("x")))
      expect(mapped._tag).toBe("ValidationFailed")
      const notFound = Effect.fail(new Errors.NotFound({ resource: "User", id: "1" }))
      const other = yield* failure(Validation.mapParseError(notFound))
      expect(other._tag).toBe("NotFound")
    }))

  it("fromParseError lists every problem when the decode stopped at the first", () => {
    const Signup = Schema.Struct({
      username: Schema.String.pipe(Schema.minLength(3)),
      email: Validators.Email,
      tags: Schema.Array(Schema.String.pipe(Schema.pattern(/^[a-z]+$/)))
    })
    const first = Either.flip(Schema.decodeUnknownEither(Signup)({ username: "x", email: "nope", tags: ["ok", "UP"] }))
    expect(Validation.fieldErrors(Either.getOrThrow(first).issue)).toHaveLength(1)
    expect(plain(Validation.fromParseError(Either.getOrThrow(first)).errors).map((e) => `${e.path}:${e.type}`))
      .toEqual(["username:length", "email:email", "tags.1:pattern"])
    class Account extends Schema.Class<Account>("Account")({ id: Schema.UUID, age: Schema.Number }) {}
    const classError = Either.flip(Schema.decodeUnknownEither(Account)({ id: "x", age: "old" }))
    expect(plain(Validation.fromParseError(Either.getOrThrow(classError)).errors).map((e) => `${e.path}:${e.type}`))
      .toEqual(["id:uuid", "age:type"])
    // Unknown keys refused by the call's own options stay refused.
    const strict = Either.flip(
      Schema.decodeUnknownEither(Signup, { onExcessProperty: "error" })({ colour: 1, username: "x", email: "a@b.co" })
    )
    expect(plain(Validation.fromParseError(Either.getOrThrow(strict)).errors).map((e) => `${e.path}:${e.type}`))
      .toEqual(["colour:unexpected", "username:length", "tags:required"])
  })

  it("fromParseError keeps the error's own problems when decoding again cannot explain them", () => {
    // An encoding error: decoding the value again would describe another input.
    const Stamp = Schema.Struct({ at: Schema.DateFromString, n: Schema.Number })
    const encoded = Either.flip(Schema.encodeUnknownEither(Stamp)({ at: "not a date", n: "1" }))
    expect(plain(Validation.fromParseError(Either.getOrThrow(encoded)).errors)).toEqual([
      { path: "at", message: "Expected a potentially invalid Date instance", type: "type" }
    ])
    // A schema that needs a service cannot be decoded again synchronously.
    class Allowed extends Context.Tag("Allowed")<Allowed, ReadonlyArray<string>>() {}
    const Role = Schema.String.pipe(
      Schema.filterEffect((role) => Effect.map(Allowed, (allowed) => allowed.includes(role)))
    )
    const program = Schema.decodeUnknown(Schema.Struct({ role: Role, backup: Role }))({ role: "root", backup: "root" })
    const parseError = Effect.runSync(Effect.flip(Effect.provideService(program, Allowed, ["user"])))
    expect(plain(Validation.fromParseError(parseError).errors).map((e) => `${e.path}:${e.type}`)).toEqual(["role:type"])
  })

  it("an optional field that is not a number says so, without an `undefined` entry", () => {
    const result = Schema.decodeUnknownEither(
      Schema.Struct({ n: Schema.optional(Schema.Number), role: Schema.optional(Schema.Literal("admin", "user")) }),
      { errors: "all" }
    )({ n: "x", role: "root" })
    expect(Either.isLeft(result) && plain(Validation.fieldErrors(result.left.issue))).toEqual([
      { path: "n", message: "Expected a number", type: "type" },
      { path: "role", message: "Must be one of: admin, user", type: "enum" }
    ])
  })

  it("fieldErrors collapses unions of plain values into one error", () => {
    const result = Schema.decodeUnknownEither(Schema.Struct({ v: Schema.Union(Schema.String, Schema.Number) }))({
      v: true
    })
    expect(Either.isLeft(result) && plain(Validation.fieldErrors(result.left.issue))).toEqual([
      { path: "v", message: "Expected string | number", type: "type" }
    ])
  })

  it("a ValidationFailed survives the JSON round trip of the error catalogue", () => {
    const error = Either.flip(Validation.validateEither(Schema.Struct({ email: Validators.Email }))({ email: "x" }))
    const wire = JSON.parse(JSON.stringify(Schema.encodeSync(Errors.StrataError)(Either.getOrThrow(error))))
    const back = Schema.decodeUnknownSync(Errors.StrataError)(wire)
    expect(back._tag === "ValidationFailed" && plain(back.errors)).toEqual([
      { path: "email", message: "Invalid email address", type: "email" }
    ])
  })
})

const signupRules: Validation.Rules = {
  username: { required: true, length: { min: 3, max: 50 } },
  email: { required: true, email: true },
  password: { required: true, password: { minLength: 8, requireUppercase: true, requireDigit: true } },
  age: { required: true, range: { min: 18 } }
}

const seedUser = { username: "johndoe", email: "john@example.com", password: "Secret123", age: 25 }

describe("Validation composite rules", () => {
  it("accepts the seed's example and reports every failing field at once", () => {
    // "Secret123" is on the common-password list, refused by default (NIST SP 800-63B).
    expect(plain(Validation.checkRules(seedUser, signupRules))).toEqual([
      { path: "password", message: "Is too common", type: "password" }
    ])
    const seedRules: Validation.Rules = {
      ...signupRules,
      password: {
        required: true,
        password: { minLength: 8, requireUppercase: true, requireDigit: true, forbidCommon: false }
      }
    }
    expect(Validation.checkRules(seedUser, seedRules)).toEqual([])
    expect(Validation.checkRules({ ...seedUser, password: "Tr0ub4dor&3x" }, signupRules)).toEqual([])
    expect(plain(Validation.checkRules({ username: "jo", email: "nope", password: "secret", age: "old" }, signupRules)))
      .toEqual([
        { path: "username", message: "Must be between 3 and 50 characters", type: "length" },
        { path: "email", message: "Invalid email address", type: "email" },
        { path: "password", message: "Must be at least 8 characters long", type: "password" },
        { path: "password", message: "Must contain an uppercase letter", type: "password" },
        { path: "password", message: "Must contain a digit", type: "password" },
        { path: "password", message: "Is too common", type: "password" },
        { path: "age", message: "Expected a number", type: "type" }
      ])
  })

  it("requires present values and skips the other rules of absent optional fields", () => {
    const rules: Validation.Rules = {
      name: { required: true, length: { min: 3 } },
      tags: { required: true },
      nickname: { length: { min: 3 }, regex: /^[a-z]+$/ },
      website: { url: true }
    }
    expect(plain(Validation.checkRules({ name: "  ", tags: [], nickname: "", website: null }, rules))).toEqual([
      { path: "name", message: "Required", type: "required" },
      { path: "tags", message: "Required", type: "required" }
    ])
    expect(plain(Validation.checkRules({ name: "Ada", tags: ["x"], nickname: "A1" }, rules))).toEqual([
      { path: "nickname", message: "Must be at least 3 characters", type: "length" },
      { path: "nickname", message: "Invalid format", type: "pattern" }
    ])
  })

  it("checks every rule kind", () => {
    enum Role {
      Admin = "admin",
      User = "user"
    }
    const rules: Validation.Rules = {
      id: { uuid: true },
      phone: { phone: true },
      site: { url: { protocols: ["https"] } },
      code: { regex: { pattern: /^[A-Z]{3}$/, message: "Three capital letters" } },
      role: { enum: Role },
      size: { enum: ["S", "M", "L"] },
      born: { date: { min: "1900-01-01", max: "2020-12-31" } },
      day: { date: true },
      card: { creditCard: true },
      v4: { ip: "v4" },
      v6: { ip: "v6" },
      anyIp: { ip: true }
    }
    const valid = {
      id: "123e4567-e89b-12d3-a456-426614174000",
      phone: "+12125551234",
      site: "https://example.com",
      code: "ABC",
      role: "admin",
      size: "M",
      born: "1990-05-15",
      day: new Date("2023-01-01"),
      card: "4539 1488 0343 6467",
      v4: "10.0.0.1",
      v6: "2001:db8::1",
      anyIp: "::1"
    }
    expect(Validation.checkRules(valid, rules)).toEqual([])
    const invalid = {
      id: "123",
      phone: "12125551234",
      site: "http://example.com",
      code: "abc",
      role: "root",
      size: "XL",
      born: "2021-01-01",
      day: "2023-02-30",
      card: "4539 1488 0343 6468",
      v4: "::1",
      v6: "10.0.0.1",
      anyIp: "1::2::3"
    }
    expect(plain(Validation.checkRules(invalid, rules))).toEqual([
      { path: "id", message: "Invalid UUID", type: "uuid" },
      { path: "phone", message: "Invalid phone number (E.164 expected, e.g. +12125551234)", type: "phone" },
      { path: "site", message: "Invalid URL", type: "url" },
      { path: "code", message: "Three capital letters", type: "pattern" },
      { path: "role", message: "Must be one of: admin, user", type: "enum" },
      { path: "size", message: "Must be one of: S, M, L", type: "enum" },
      { path: "born", message: "Must be between 1900-01-01 and 2020-12-31", type: "date" },
      { path: "day", message: "Invalid date", type: "date" },
      { path: "card", message: "Invalid credit card number", type: "creditCard" },
      { path: "v4", message: "Invalid IPv4 address", type: "ip" },
      { path: "v6", message: "Invalid IPv6 address", type: "ip" },
      { path: "anyIp", message: "Invalid IP address", type: "ip" }
    ])
  })

  it("supports custom checks across fields, message overrides, nested paths and type errors", () => {
    const rules: Validation.Rules = {
      password: { required: true },
      confirm: {
        required: true,
        custom: (value, input) => value === input["password"] ? undefined : "Passwords do not match"
      },
      "address.city": { required: true, messages: { required: "City is required" } },
      "items.0.sku": { length: { min: 2 } },
      email: { email: true, url: true, messages: { email: "Use your work email" } }
    }
    expect(plain(Validation.checkRules({
      password: "a",
      confirm: "b",
      address: {},
      items: [{ sku: "x" }],
      email: 42
    }, rules))).toEqual([
      { path: "confirm", message: "Passwords do not match", type: "custom" },
      { path: "address.city", message: "City is required", type: "required" },
      { path: "items.0.sku", message: "Must be at least 2 characters", type: "length" },
      { path: "email", message: "Expected a string", type: "type" }
    ])
    expect(plain(Validation.checkRules({ password: "a", confirm: "a", address: { city: "Paris" }, email: "x" }, rules)))
      .toEqual([
        { path: "email", message: "Use your work email", type: "email" },
        { path: "email", message: "Invalid URL", type: "url" }
      ])
    expect(plain(Validation.checkRules([1, 2], rules))).toEqual([
      { path: "", message: "Expected an object", type: "type" }
    ])
  })

  it.effect("rules() succeeds with the input or fails with one ValidationFailed", () =>
    Effect.gen(function*() {
      const validateSignup = Validation.rules(signupRules)
      const input = { ...seedUser, password: "Tr0ub4dor&3x" }
      expect(yield* validateSignup(input)).toBe(input)
      const exit = yield* Effect.exit(validateSignup({ username: "johndoe", password: "Tr0ub4dor&3x", age: 25 }))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* failure(validateSignup({ username: "johndoe", password: "Tr0ub4dor&3x", age: 25 }))
      expect(error).toBeInstanceOf(Errors.ValidationFailed)
      expect(error.message).toBe("Validation failed: email: Required")
    }))
})

describe("docs/examples/validation.ts", () => {
  it.effect("shows what really happens", () =>
    Effect.gen(function*() {
      expect(docs.checks.every((check, i) => check === (i !== 9))).toBe(true)
      expect(docs.problems).toEqual(["Must be at least 8 characters long", "Must contain a digit", "Is too common"])
      expect(plain(yield* docs.invalid)).toEqual([
        { path: "username", message: "Expected a string at least 3 character(s) long", type: "length" },
        { path: "email", message: "Invalid email address", type: "email" },
        { path: "password", message: "Must be at least 10 characters long", type: "password" },
        { path: "password", message: "Must contain a digit", type: "password" },
        { path: "password", message: "Is too common", type: "password" },
        { path: "age", message: "Must be at least 18", type: "range" },
        { path: "role", message: "Must be one of: admin, user, guest", type: "enum" },
        { path: "addresses.0.city", message: "Required", type: "required" },
        { path: "addresses.0.zip", message: "Expected a string matching the pattern ^\\d{5}$", type: "pattern" }
      ])
      expect(plain(docs.fieldErrors).map((f) => `${f.path}:${f.type}`)).toEqual([
        "username:length",
        "confirm:custom",
        "address.city:required"
      ])
      expect(Either.isRight(docs.parsed)).toBe(true)
      expect((yield* Effect.flip(docs.port))._tag).toBe("ValidationFailed")
      expect(docs.signupErrors).toEqual(Either.left(["username:length", "email:email", "tags.1:pattern"]))
    }))
})
