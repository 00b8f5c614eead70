/**
 * Plain predicates behind `Validators`: pure functions, no Effect, safe to call anywhere.
 *
 * @internal
 */
import type { Bounds, DateBounds, EnumLike, PasswordPolicy, UrlOptions } from "../Validators.js"
import { commonPasswords } from "./validationCommonPasswords.js"

// Dot-atom local part (RFC 5322 without quoted strings or comments) and a DNS host name
// with an alphabetic or punycode top-level label; no IP-literal domains.
const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
const topLabel = "(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
const emailRegex = new RegExp(`^${atext}(?:\\.${atext})*@(?:${label}\\.)+${topLabel}$`)

/** @internal */
export const isEmail = (value: string): boolean => {
  if (value.length > 254 || !emailRegex.test(value)) return false
  return value.indexOf("@") <= 64
}

const schemeRegex = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//
const whitespaceOrControl = /[\s\u0000-\u001f\u007f]/

/** @internal */
export const isUrl = (value: string, options?: UrlOptions): boolean => {
  const scheme = schemeRegex.exec(value)
  if (scheme === null || whitespaceOrControl.test(value)) return false
  const protocols = options?.protocols ?? ["http", "https"]
  if (!protocols.some((p) => p.toLowerCase() === scheme[1]!.toLowerCase())) return false
  try {
    return new URL(value).hostname !== ""
  } catch {
    return false
  }
}

const uuidRegex = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** @internal */
export const isUuid = (value: string): boolean => uuidRegex.test(value)

/** @internal */
export const isPhoneE164 = (value: string): boolean => /^\+[1-9]\d{1,14}$/.test(value)

/** @internal */
export const isCreditCard = (value: string): boolean => {
  if (!/^[\d -]+$/.test(value)) return false
  const digits = value.replace(/[ -]/g, "")
  if (digits.length < 12 || digits.length > 19) return false
  // Luhn: from the right, double every second digit, subtract 9 when it exceeds 9.
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

// Decimal octets without leading zeros: "010" is octal to some parsers, so it is refused.
const ipv4Regex = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** @internal */
export const isIPv4 = (value: string): boolean => ipv4Regex.test(value)

const hexGroup = /^[0-9A-Fa-f]{1,4}$/

/** @internal */
export const isIPv6 = (value: string): boolean => {
  if (value.length > 45) return false
  let text = value
  if (value.includes(".")) {
    // An embedded IPv4 tail ("::ffff:192.0.2.1") stands for two 16-bit groups.
    const last = value.lastIndexOf(":")
    if (last < 0 || !isIPv4(value.slice(last + 1))) return false
    text = `${value.slice(0, last + 1)}0:0`
  }
  const halves = text.split("::")
  if (halves.length > 2) return false
  const groups = (part: string): Array<string> => part === "" ? [] : part.split(":")
  if (halves.length === 2) {
    const head = groups(halves[0]!)
    const tail = groups(halves[1]!)
    return head.length + tail.length <= 7 && [...head, ...tail].every((g) => hexGroup.test(g))
  }
  const all = groups(text)
  return all.length === 8 && all.every((g) => hexGroup.test(g))
}

/** @internal */
export const isIP = (value: string, version?: 4 | 6): boolean =>
  version === 4 ? isIPv4(value) : version === 6 ? isIPv6(value) : isIPv4(value) || isIPv6(value)

/** @internal */
export const sizeOf = (value: string | ReadonlyArray<unknown>): number =>
  typeof value === "string" ? [...value].length : value.length

/** @internal */
export const hasLength = (value: string | ReadonlyArray<unknown>, bounds: Bounds): boolean => {
  const size = sizeOf(value)
  return (bounds.min === undefined || size >= bounds.min) && (bounds.max === undefined || size <= bounds.max)
}

/** @internal */
export const inRange = (value: number, bounds: Bounds): boolean =>
  !Number.isNaN(value) && (bounds.min === undefined || value >= bounds.min) &&
  (bounds.max === undefined || value <= bounds.max)

/** @internal */
export const matches = (value: string, regex: RegExp): boolean => {
  // A global or sticky RegExp remembers where it stopped; start from 0 every time.
  if (regex.global || regex.sticky) regex.lastIndex = 0
  return regex.test(value)
}

/** @internal */
export const isPresent = (value: unknown): boolean =>
  value !== null && value !== undefined &&
  !(typeof value === "string" && value.trim() === "") &&
  !(Array.isArray(value) && value.length === 0)

const dateRegex =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
const daysIn = (year: number, month: number): number =>
  month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/**
 * Parses an ISO 8601 date (`2023-05-15`) or date-time (`2023-05-15T10:30:00Z`) strictly:
 * impossible calendar dates (`2023-02-30`) are refused, and a date-time without an offset
 * is read as UTC so the result never depends on the server's time zone.
 *
 * @internal
 */
export const parseDate = (value: string | Date): Date | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value
  const m = dateRegex.exec(value)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const millis = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3))
  let offsetMinutes = 0
  const zone = m[8]
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "")
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2))
    if (oh > 23 || om > 59) return undefined
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om)
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  return new Date(date.getTime() - offsetMinutes * 60_000)
}

/** @internal */
export const parseBound = (bound: string | Date | undefined): Date | undefined => {
  if (bound === undefined) return undefined
  const date = parseDate(bound)
  if (date === undefined) throw new TypeError(`Invalid date bound: ${String(bound)}`)
  return date
}

/** @internal */
export const isDateInRange = (value: string | Date, bounds: DateBounds = {}): boolean => {
  const date = parseDate(value)
  if (date === undefined) return false
  const min = parseBound(bounds.min)
  const max = parseBound(bounds.max)
  return (min === undefined || date.getTime() >= min.getTime()) &&
    (max === undefined || date.getTime() <= max.getTime())
}

/** @internal */
export const enumValues = (values: ReadonlyArray<unknown> | EnumLike): ReadonlyArray<unknown> => {
  if (Array.isArray(values)) return values
  const record = values as EnumLike
  // Numeric TypeScript enums also map each value back to its name; keep names only.
  return Object.keys(record).filter((key) => typeof record[record[key]!] !== "number").map((key) => record[key])
}

/** @internal */
export const isOneOf = (value: unknown, values: ReadonlyArray<unknown> | EnumLike): boolean =>
  enumValues(values).includes(value)

const lowercase = /\p{Ll}/u
const uppercase = /\p{Lu}/u
const digit = /\p{Nd}/u
const special = /[^\p{L}\p{N}]/u

/** @internal */
export const checkPassword = (value: string, policy: PasswordPolicy = {}): ReadonlyArray<string> => {
  const minLength = policy.minLength ?? 8
  const maxLength = policy.maxLength ?? 1024
  // Length counts code points (NIST SP 800-63B): an emoji is one character.
  const length = [...value].length
  const problems: Array<string> = []
  if (length < minLength) problems.push(`Must be at least ${minLength} characters long`)
  if (length > maxLength) problems.push(`Must be at most ${maxLength} characters long`)
  if (policy.requireLowercase === true && !lowercase.test(value)) problems.push("Must contain a lowercase letter")
  if (policy.requireUppercase === true && !uppercase.test(value)) problems.push("Must contain an uppercase letter")
  if (policy.requireDigit === true && !digit.test(value)) problems.push("Must contain a digit")
  if (policy.requireSpecial === true && !special.test(value)) problems.push("Must contain a special character")
  if (policy.forbidCommon !== false && commonPasswords.has(value.toLowerCase())) {
    problems.push("Is too common")
  }
  return problems
}

const formatBound = (date: Date): string => {
  const iso = date.toISOString()
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso
}

/** Default messages, shared by the Schema filters and the composite rules. @internal */
export const messages = {
  email: "Invalid email address",
  url: "Invalid URL",
  uuid: "Invalid UUID",
  phone: "Invalid phone number (E.164 expected, e.g. +12125551234)",
  creditCard: "Invalid credit card number",
  ip: (version?: 4 | 6): string => `Invalid ${version === undefined ? "IP" : `IPv${version}`} address`,
  pattern: "Invalid format",
  date: "Invalid date",
  length: (value: string | ReadonlyArray<unknown>, bounds: Bounds): string => {
    const unit = typeof value === "string" ? "characters" : "items"
    return between(bounds, unit)
  },
  range: (bounds: Bounds): string => between(bounds, ""),
  dateRange: (bounds: DateBounds): string => {
    const min = parseBound(bounds.min)
    const max = parseBound(bounds.max)
    if (min !== undefined && max !== undefined) return `Must be between ${formatBound(min)} and ${formatBound(max)}`
    if (min !== undefined) return `Must be on or after ${formatBound(min)}`
    return max !== undefined ? `Must be on or before ${formatBound(max)}` : "Invalid date"
  },
  oneOf: (values: ReadonlyArray<unknown> | EnumLike): string =>
    `Must be one of: ${enumValues(values).map((v) => String(v)).join(", ")}`
}

const between = (bounds: Bounds, unit: string): string => {
  const suffix = unit === "" ? "" : ` ${unit}`
  if (bounds.min !== undefined && bounds.max !== undefined) {
    return bounds.min === bounds.max
      ? `Must be exactly ${bounds.min}${suffix}`
      : `Must be between ${bounds.min} and ${bounds.max}${suffix}`
  }
  if (bounds.min !== undefined) return `Must be at least ${bounds.min}${suffix}`
  return bounds.max !== undefined ? `Must be at most ${bounds.max}${suffix}` : "Invalid value"
}
