/**
 * Declarative composite rules (`{ username: { required: true, length: { min: 3 } } }`)
 * checked against a plain record, collecting every field error at once.
 *
 * @internal
 */
import * as Predicate from "effect/Predicate"
import { FieldError } from "../Errors.js"
import type { FieldRules, RuleName, Rules } from "../Validation.js"
import { dedupe } from "./validationFormatter.js"
import * as p from "./validationPredicates.js"

type Input = Readonly<Record<string, unknown>>

// Reads `field` from the input; a dotted name ("address.city", "items.0") walks into
// nested records and arrays unless the input has that exact key.
const read = (input: Input, field: string): unknown => {
  if (field in input || !field.includes(".")) return input[field]
  let current: unknown = input
  for (const key of field.split(".")) {
    if (!Predicate.isRecord(current) && !Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

type Outcome = { readonly type: string; readonly messages: ReadonlyArray<string> } | undefined

const expect = (what: string): Outcome => ({ type: "type", messages: [`Expected ${what}`] })
const failIf = (failed: boolean, type: string, message: string): Outcome =>
  failed ? { type, messages: [message] } : undefined

const onString = (value: unknown, check: (s: string) => Outcome): Outcome =>
  Predicate.isString(value) ? check(value) : expect("a string")

// One checker per rule; `order` below fixes the order errors are reported in.
const checkers: { readonly [K in RuleName]-?: Checker<K> } = {
  required: () => undefined,
  length: (value, bounds) =>
    Predicate.isString(value) || Array.isArray(value)
      ? failIf(!p.hasLength(value, bounds), "length", p.messages.length(value, bounds))
      : expect("a string or an array"),
  range: (value, bounds) =>
    Predicate.isNumber(value)
      ? failIf(!p.inRange(value, bounds), "range", p.messages.range(bounds))
      : expect("a number"),
  email: (value, on) => on ? onString(value, (s) => failIf(!p.isEmail(s), "email", p.messages.email)) : undefined,
  url: (value, on) =>
    on === false
      ? undefined
      : onString(value, (s) => failIf(!p.isUrl(s, on === true ? undefined : on), "url", p.messages.url)),
  uuid: (value, on) => on ? onString(value, (s) => failIf(!p.isUuid(s), "uuid", p.messages.uuid)) : undefined,
  phone: (value, on) =>
    on ? onString(value, (s) => failIf(!p.isPhoneE164(s), "phone", p.messages.phone)) : undefined,
  regex: (value, rule) =>
    onString(value, (s) =>
      rule instanceof RegExp
        ? failIf(!p.matches(s, rule), "pattern", p.messages.pattern)
        : failIf(!p.matches(s, rule.pattern), "pattern", rule.message)),
  enum: (value, values) => failIf(!p.isOneOf(value, values), "enum", p.messages.oneOf(values)),
  date: (value, rule) => {
    if (rule === false) return undefined
    if (!Predicate.isString(value) && !Predicate.isDate(value)) return expect("a date")
    if (p.parseDate(value) === undefined) return { type: "date", messages: [p.messages.date] }
    const bounds = rule === true ? {} : rule
    return failIf(!p.isDateInRange(value, bounds), "date", p.messages.dateRange(bounds))
  },
  creditCard: (value, on) =>
    on ? onString(value, (s) => failIf(!p.isCreditCard(s), "creditCard", p.messages.creditCard)) : undefined,
  ip: (value, rule) => {
    if (rule === false) return undefined
    const version = rule === "v4" ? 4 : rule === "v6" ? 6 : undefined
    return onString(value, (s) => failIf(!p.isIP(s, version), "ip", p.messages.ip(version)))
  },
  password: (value, rule) => {
    if (rule === false) return undefined
    return onString(value, (s) => {
      const problems = p.checkPassword(s, rule === true ? undefined : rule)
      return problems.length > 0 ? { type: "password", messages: problems } : undefined
    })
  },
  custom: (value, check, input) => {
    const message = check(value, input)
    return message === undefined ? undefined : { type: "custom", messages: [message] }
  }
}

const order: ReadonlyArray<RuleName> = [
  "length",
  "range",
  "email",
  "url",
  "uuid",
  "phone",
  "regex",
  "enum",
  "date",
  "creditCard",
  "ip",
  "password",
  "custom"
]

type Checker<K extends RuleName> = (value: unknown, rule: NonNullable<FieldRules[K]>, input: Input) => Outcome

const run = <K extends RuleName>(name: K, fieldRules: FieldRules, value: unknown, input: Input): Outcome => {
  const rule = fieldRules[name]
  return rule === undefined ? undefined : (checkers[name] as Checker<K>)(value, rule, input)
}

/** @internal */
export const checkRules = (input: unknown, rules: Rules): ReadonlyArray<FieldError> => {
  if (!Predicate.isRecord(input)) return [new FieldError({ path: "", message: "Expected an object", type: "type" })]
  const errors: Array<FieldError> = []
  for (const [field, fieldRules] of Object.entries(rules)) {
    const value = read(input, field)
    const override = fieldRules.messages
    if (!p.isPresent(value)) {
      if (fieldRules.required === true) {
        errors.push(new FieldError({ path: field, message: override?.required ?? "Required", type: "required" }))
      }
      continue
    }
    for (const name of order) {
      const outcome = run(name, fieldRules, value, input)
      if (outcome === undefined) continue
      const custom = outcome.type === "type" ? undefined : override?.[name]
      for (const message of custom === undefined ? outcome.messages : [custom]) {
        errors.push(new FieldError({ path: field, message, type: outcome.type }))
      }
    }
  }
  return dedupe(errors)
}
