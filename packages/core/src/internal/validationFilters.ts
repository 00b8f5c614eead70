/**
 * Schema filters and ready schemas, re-exported by `Validators`. Each filter wraps a
 * predicate, returns its own message (so a `message` annotation still overrides it) and
 * carries a `ValidationType` that `Validation.validate` reports as the field error's `type`.
 *
 * @internal
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import type { Bounds, DateBounds, Filter, PasswordPolicy, UrlOptions } from "../Validators.js"
import * as predicates from "./validationPredicates.js"
import { ValidationType } from "./validationType.js"

type Check<I> = (value: I) => Schema.FilterOutput | ReadonlyArray<Schema.FilterOutput>

const refinement = <I>(
  guard: (u: unknown) => u is I,
  check: Check<I>,
  annotations: AST.Annotations
): Filter<I> =>
<S extends Schema.Schema.Any, A extends I>(
  self: S & Schema.Schema<A, Schema.Schema.Encoded<S>, Schema.Schema.Context<S>>
): Schema.filter<S> => Schema.filter<S>((a) => guard(a) ? check(a) : false, annotations)(self)

const isStringOrArray = (u: unknown): u is string | ReadonlyArray<unknown> => Predicate.isString(u) || Array.isArray(u)
const isStringOrDate = (u: unknown): u is string | Date => Predicate.isString(u) || Predicate.isDate(u)

const stringCheck = (
  type: string,
  test: (value: string) => boolean,
  message: string,
  extra: AST.Annotations = {}
): Filter<string> =>
  refinement(Predicate.isString, (value) => test(value) ? undefined : message, {
    [ValidationType]: type,
    title: type,
    ...extra
  })

/**
 * An email address (type `"email"`). Override the message with
 * `.annotations({ message: () => "..." })`.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Signup = Schema.Struct({ email: Schema.String.pipe(Validators.email()) })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const email = (): Filter<string> =>
  stringCheck("email", predicates.isEmail, predicates.messages.email, {
    description: "an email address",
    jsonSchema: { format: "email" }
  })

/**
 * An absolute `http`/`https` URL, or one of `options.protocols` (type `"url"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Webhook = Schema.String.pipe(Validators.url({ protocols: ["https"] }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const url = (options?: UrlOptions): Filter<string> =>
  stringCheck("url", (value) => predicates.isUrl(value, options), predicates.messages.url, {
    description: "a URL",
    jsonSchema: { format: "uri" }
  })

/**
 * A UUID (type `"uuid"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const OrderId = Schema.String.pipe(Validators.uuid())
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const uuid = (): Filter<string> =>
  stringCheck("uuid", predicates.isUuid, predicates.messages.uuid, {
    description: "a UUID",
    jsonSchema: { format: "uuid" }
  })

/**
 * An E.164 phone number (type `"phone"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Mobile = Schema.String.pipe(Validators.phoneE164())
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const phoneE164 = (): Filter<string> =>
  stringCheck("phone", predicates.isPhoneE164, predicates.messages.phone, {
    description: "an E.164 phone number",
    jsonSchema: { pattern: "^\\+[1-9]\\d{1,14}$" }
  })

/**
 * A credit card number with a valid Luhn checksum (type `"creditCard"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const CardNumber = Schema.String.pipe(Validators.creditCard())
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const creditCard = (): Filter<string> =>
  stringCheck("creditCard", predicates.isCreditCard, predicates.messages.creditCard, {
    description: "a credit card number"
  })

/**
 * An IP address, or only IPv4 / IPv6 with `version` (type `"ip"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const ClientAddress = Schema.String.pipe(Validators.ip(4))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const ip = (version?: 4 | 6): Filter<string> =>
  stringCheck("ip", (value) => predicates.isIP(value, version), predicates.messages.ip(version), {
    description: version === undefined ? "an IP address" : `an IPv${version} address`,
    ...(version === undefined ? {} : { jsonSchema: { format: `ipv${version}` } })
  })

/**
 * A password that meets the policy; one field error per broken rule (type `"password"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const NewPassword = Schema.String.pipe(Validators.password({ minLength: 12, requireDigit: true }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const password = (policy?: PasswordPolicy): Filter<string> =>
  refinement(Predicate.isString, (value) => predicates.checkPassword(value, policy), {
    [ValidationType]: "password",
    title: "password",
    description: "a password that meets the policy"
  })

/**
 * Inclusive length bounds for strings (in code points) and arrays (type `"length"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Username = Schema.String.pipe(Validators.length({ min: 3, max: 50 }))
 * const Tags = Schema.Array(Schema.String).pipe(Validators.length({ max: 10 }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const length = (bounds: Bounds): Filter<string | ReadonlyArray<unknown>> =>
  refinement(
    isStringOrArray,
    (value) => predicates.hasLength(value, bounds) ? undefined : predicates.messages.length(value, bounds),
    { [ValidationType]: "length", title: "length", description: predicates.messages.length("", bounds) }
  )

/**
 * Inclusive numeric bounds (type `"range"`).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Age = Schema.Number.pipe(Validators.range({ min: 18, max: 130 }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const range = (bounds: Bounds): Filter<number> =>
  refinement(
    Predicate.isNumber,
    (value) => predicates.inRange(value, bounds) ? undefined : predicates.messages.range(bounds),
    { [ValidationType]: "range", title: "range", description: predicates.messages.range(bounds) }
  )

/**
 * A valid date within inclusive bounds (type `"date"`), for `Date` or ISO-string schemas.
 * The bounds are parsed here: an invalid bound throws where the schema is defined.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Birthday = Schema.String.pipe(Validators.dateInRange({ min: "1900-01-01", max: new Date() }))
 * const Appointment = Schema.Date.pipe(Validators.dateInRange({ min: "2023-01-01" }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const dateInRange = (bounds: DateBounds): Filter<string | Date> => {
  const checked: DateBounds = { min: predicates.parseBound(bounds.min), max: predicates.parseBound(bounds.max) }
  return refinement(
    isStringOrDate,
    (value) =>
      predicates.parseDate(value) === undefined
        ? predicates.messages.date
        : predicates.isDateInRange(value, checked)
        ? undefined
        : predicates.messages.dateRange(checked),
    { [ValidationType]: "date", title: "date", description: "a date in range" }
  )
}

/**
 * An email address (string in, string out). Brand it for a nominal type:
 * `Validators.Email.pipe(Schema.brand("Email"))`.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Contact = Schema.Struct({ email: Validators.Email })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Email: Schema.filter<typeof Schema.String> = Schema.String.pipe(email())

/**
 * An `http`/`https` URL string.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Profile = Schema.Struct({ website: Schema.optional(Validators.Url) })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Url: Schema.filter<typeof Schema.String> = Schema.String.pipe(url())

/**
 * A UUID string.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Params = Schema.Struct({ id: Validators.Uuid })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Uuid: Schema.filter<typeof Schema.String> = Schema.String.pipe(uuid())

/**
 * An E.164 phone number string.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Contact = Schema.Struct({ phone: Validators.PhoneE164 })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhoneE164: Schema.filter<typeof Schema.String> = Schema.String.pipe(phoneE164())

/**
 * A credit card number string (Luhn-checked).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Payment = Schema.Struct({ card: Validators.CreditCard })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreditCard: Schema.filter<typeof Schema.String> = Schema.String.pipe(creditCard())

/**
 * An IPv4 address string.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Rule = Schema.Struct({ source: Validators.IPv4 })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const IPv4: Schema.filter<typeof Schema.String> = Schema.String.pipe(ip(4))

/**
 * An IPv6 address string.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Rule = Schema.Struct({ source: Validators.IPv6 })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const IPv6: Schema.filter<typeof Schema.String> = Schema.String.pipe(ip(6))

/**
 * An IPv4 or IPv6 address string.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Rule = Schema.Struct({ source: Validators.IP })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const IP: Schema.filter<typeof Schema.String> = Schema.String.pipe(ip())

/**
 * A password under the default policy (8 to 1024 characters, not a common password).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Signup = Schema.Struct({ password: Validators.Password })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Password: Schema.filter<typeof Schema.String> = Schema.String.pipe(password())
