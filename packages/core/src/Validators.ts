/**
 * Validators for the formats Schema does not ship: email, URL, E.164 phone, credit card
 * (Luhn), IPv4/IPv6, password policy, date ranges — each as a plain predicate
 * (`isEmail(value)`) and as a Schema filter (`Schema.String.pipe(Validators.email())`) or a
 * ready schema (`Validators.Email`). The filters carry a stable `type` that
 * `Validation.validate` reports in each `FieldError`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as predicates from "./internal/validationPredicates.js"

/**
 * Inclusive bounds; either side may be left out.
 *
 * @since 0.1.0
 * @category models
 */
export interface Bounds {
  readonly min?: number | undefined
  readonly max?: number | undefined
}

/**
 * Inclusive date bounds, as `Date`s or ISO strings (`"2023-01-01"` is UTC midnight).
 *
 * @since 0.1.0
 * @category models
 */
export interface DateBounds {
  readonly min?: string | Date | undefined
  readonly max?: string | Date | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface UrlOptions {
  /** Accepted schemes, without `:`. Default `["http", "https"]`. */
  readonly protocols?: ReadonlyArray<string> | undefined
}

/**
 * A password policy. Defaults follow NIST SP 800-63B and OWASP ASVS: 8 to 1024 characters
 * (counted as code points, never truncated), no composition rules, common passwords refused.
 *
 * @since 0.1.0
 * @category models
 */
export interface PasswordPolicy {
  readonly minLength?: number | undefined
  readonly maxLength?: number | undefined
  readonly requireLowercase?: boolean | undefined
  readonly requireUppercase?: boolean | undefined
  readonly requireDigit?: boolean | undefined
  readonly requireSpecial?: boolean | undefined
  /** Refuse a built-in list of the most common passwords (case-insensitive). Default `true`. */
  readonly forbidCommon?: boolean | undefined
}

/**
 * A TypeScript `enum` object (or any record of string/number values).
 *
 * @since 0.1.0
 * @category models
 */
export interface EnumLike {
  readonly [key: string]: string | number
}

/**
 * A Schema filter for schemas whose type is `I`, as returned by `email()`, `length(...)`...
 *
 * @since 0.1.0
 * @category models
 */
export interface Filter<I> {
  <S extends Schema.Schema.Any, A extends I>(
    self: S & Schema.Schema<A, Schema.Schema.Encoded<S>, Schema.Schema.Context<S>>
  ): Schema.filter<S>
}

/**
 * An email address (dot-atom local part, DNS domain with a real top-level label, at most
 * 254 characters).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isEmail("user@example.com") // true
 * Validators.isEmail("user@localhost")   // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isEmail: (value: string) => boolean = predicates.isEmail

/**
 * An absolute URL with a host; only `http` and `https` unless `protocols` says otherwise.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isUrl("https://example.com")                          // true
 * Validators.isUrl("ftp://example.com")                            // false
 * Validators.isUrl("ftp://example.com", { protocols: ["ftp"] })    // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isUrl: (value: string, options?: UrlOptions) => boolean = predicates.isUrl

/**
 * A UUID in the 8-4-4-4-12 hex layout (any version, any case).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isUuid("123e4567-e89b-12d3-a456-426614174000") // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isUuid: (value: string) => boolean = predicates.isUuid

/**
 * A phone number in E.164 form: `+`, a country code not starting with 0, at most 15 digits,
 * no spaces.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isPhoneE164("+12125551234") // true
 * Validators.isPhoneE164("12125551234")  // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isPhoneE164: (value: string) => boolean = predicates.isPhoneE164

/**
 * A card number: digits with optional spaces or dashes, 12 to 19 digits, valid Luhn checksum.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isCreditCard("4539 1488 0343 6467") // true
 * Validators.isCreditCard("4539 1488 0343 6468") // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isCreditCard: (value: string) => boolean = predicates.isCreditCard

/**
 * A dotted-decimal IPv4 address; octets with leading zeros are refused.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isIPv4("192.168.0.1") // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isIPv4: (value: string) => boolean = predicates.isIPv4

/**
 * An IPv6 address (RFC 4291 text forms, with `::` and an embedded IPv4 tail; no zone id).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isIPv6("2001:db8::1") // true
 * Validators.isIPv6("1::2::3")     // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isIPv6: (value: string) => boolean = predicates.isIPv6

/**
 * An IPv4 or IPv6 address, or only one of them when `version` is given.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isIP("::1")    // true
 * Validators.isIP("::1", 4) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isIP: (value: string, version?: 4 | 6) => boolean = predicates.isIP

/**
 * The length is within inclusive bounds. Strings count code points, arrays count items.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.hasLength("johndoe", { min: 3, max: 50 }) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const hasLength: (value: string | ReadonlyArray<unknown>, bounds: Bounds) => boolean = predicates.hasLength

/**
 * The number is within inclusive bounds (`NaN` never is).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.inRange(25, { min: 18 }) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const inRange: (value: number, bounds: Bounds) => boolean = predicates.inRange

/**
 * The string matches the regular expression (safe with `g`/`y` flags).
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.matches("ABC-123", /^[A-Z]{3}-\d{3}$/) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const matches: (value: string, regex: RegExp) => boolean = predicates.matches

/**
 * A required value is present: not `null`/`undefined`, not a blank string, not an empty array.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isPresent("  ") // false
 * Validators.isPresent(0)    // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isPresent: (value: unknown) => boolean = predicates.isPresent

/**
 * A valid date within inclusive bounds. Strings must be ISO 8601 (`2023-05-15` or a
 * date-time); impossible dates (`2023-02-30`) fail; a date-time without offset is UTC.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isDateInRange("2023-05-15", { min: "2023-01-01", max: "2023-12-31" }) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isDateInRange: (value: string | Date, bounds?: DateBounds) => boolean = predicates.isDateInRange

/**
 * Parses an ISO 8601 date or date-time strictly (see `isDateInRange`); `undefined` if invalid.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.parseDate("2024-02-29")?.toISOString() // "2024-02-29T00:00:00.000Z"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const parseDate: (value: string | Date) => Date | undefined = predicates.parseDate

/**
 * The value is one of a list, or one of the values of a TypeScript enum.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * enum UserRole { Admin = "admin", User = "user" }
 * Validators.isOneOf("admin", UserRole)         // true
 * Validators.isOneOf("root", ["admin", "user"]) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export function isOneOf<const T>(value: unknown, values: ReadonlyArray<T>): value is T
export function isOneOf<E extends EnumLike>(value: unknown, values: E): value is E[keyof E]
export function isOneOf(value: unknown, values: ReadonlyArray<unknown> | EnumLike): boolean {
  return predicates.isOneOf(value, values)
}

/**
 * Every way a password fails the policy, as messages; empty when it passes.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.checkPassword("secret", { requireDigit: true })
 * // ["Must be at least 8 characters long", "Must contain a digit", "Is too common"]
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const checkPassword: (value: string, policy?: PasswordPolicy) => ReadonlyArray<string> =
  predicates.checkPassword

/**
 * The password passes the policy.
 *
 * @example
 * ```ts
 * import { Validators } from "@strata/core"
 *
 * Validators.isStrongPassword("SecureP@ss123", {
 *   minLength: 10, requireLowercase: true, requireUppercase: true, requireDigit: true, requireSpecial: true
 * }) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isStrongPassword = (value: string, policy?: PasswordPolicy): boolean =>
  predicates.checkPassword(value, policy).length === 0

export {
  /** @since 0.1.0 */
  email,
  /** @since 0.1.0 */
  url,
  /** @since 0.1.0 */
  uuid,
  /** @since 0.1.0 */
  phoneE164,
  /** @since 0.1.0 */
  creditCard,
  /** @since 0.1.0 */
  ip,
  /** @since 0.1.0 */
  password,
  /** @since 0.1.0 */
  length,
  /** @since 0.1.0 */
  range,
  /** @since 0.1.0 */
  dateInRange,
  /** @since 0.1.0 */
  Email,
  /** @since 0.1.0 */
  Url,
  /** @since 0.1.0 */
  Uuid,
  /** @since 0.1.0 */
  PhoneE164,
  /** @since 0.1.0 */
  CreditCard,
  /** @since 0.1.0 */
  IPv4,
  /** @since 0.1.0 */
  IPv6,
  /** @since 0.1.0 */
  IP,
  /** @since 0.1.0 */
  Password
} from "./internal/validationFilters.js"
