/**
 * Redaction of sensitive values in any structure before it is logged, reported or sent
 * somewhere: the values under sensitive keys (`password`, `token`, `authorization`, ...)
 * become `"[REDACTED]"`, and effect `Redacted` values print as `"<redacted>"`.
 *
 * Key matching ignores case and every non-alphanumeric character, and a key is sensitive
 * when it *contains* a configured word: `apiKey`, `api_key` and `X-Api-Key` all contain
 * `apikey`; `accessToken`, `refresh_token` and `csrfToken` all contain `token`. Containment
 * errs on the safe side (`tokenCount` is redacted too); pass your own list to `make` to
 * narrow it.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"

/**
 * The text that replaces the value of a sensitive key.
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 *
 * Redaction.redact({ password: "hunter2" }) // { password: Redaction.placeholder }
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const placeholder = "[REDACTED]"

/**
 * The words a key is checked against by default.
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 *
 * // extend the defaults instead of replacing them
 * const redactor = Redaction.make([...Redaction.defaultKeys, "ssn", "iban"])
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const defaultKeys: ReadonlyArray<string> = [
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "token",
  "authorization",
  "cookie",
  "set-cookie",
  "apikey",
  "clientSecret",
  "privateKey"
]

/**
 * A configured redactor. `redact` returns a JSON-ready deep copy (see {@link redact});
 * `isSensitive` tells whether a key's value would be hidden.
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 *
 * const redactor: Redaction.Redactor = Redaction.make(["password", "ssn"])
 * redactor.isSensitive("user_SSN") // true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Redactor {
  /** The words keys are matched against, as given. */
  readonly keys: ReadonlyArray<string>
  /** Whether the value under this key is hidden. */
  readonly isSensitive: (key: string) => boolean
  /** A JSON-ready deep copy of `value` with sensitive values hidden. */
  readonly redact: (value: unknown) => unknown
}

/**
 * Options of {@link make}.
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 *
 * const options: Redaction.Options = { maxDepth: 4 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Nesting below this depth is replaced by `"[Truncated]"`. Default 10. */
  readonly maxDepth?: number | undefined
}

const normalize = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "")

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

// Keys are few and repeat on every log line, so decisions are memoized; the bound keeps
// dynamic keys (ids used as keys) from growing the cache without limit.
const CACHE_LIMIT = 2048

/**
 * Builds a redactor that hides the values of keys containing any of `keys` (matched
 * case-insensitively, ignoring `-`, `_` and other separators). `keys` replaces the
 * defaults; spread {@link defaultKeys} to extend them.
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 *
 * const redactor = Redaction.make([...Redaction.defaultKeys, "ssn"])
 * redactor.redact({ user: { name: "Ada", ssn: "078-05-1120", "X-Api-Key": "k" } })
 * // { user: { name: "Ada", ssn: "[REDACTED]", "X-Api-Key": "[REDACTED]" } }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (keys: ReadonlyArray<string> = defaultKeys, options?: Options): Redactor => {
  const words = Array.from(new Set(keys.map(normalize).filter((word) => word.length > 0)))
  const pattern = words.length === 0 ? undefined : new RegExp(words.map(escape).join("|"))
  const cache = new Map<string, boolean>()
  const isSensitive = (key: string): boolean => {
    if (pattern === undefined) return false
    let hit = cache.get(key)
    if (hit === undefined) {
      hit = pattern.test(normalize(key))
      if (cache.size >= CACHE_LIMIT) cache.clear()
      cache.set(key, hit)
    }
    return hit
  }
  const maxDepth = options?.maxDepth ?? 10
  return {
    keys,
    isSensitive,
    redact: (value) => copy(value, isSensitive, maxDepth, 0, new Set())
  }
}

const defaultRedactor = make()

/**
 * A JSON-ready deep copy of `value` with the values of sensitive keys replaced by
 * `"[REDACTED]"` (defaults: {@link defaultKeys}; `keys` replaces them). Along the way:
 * effect `Redacted` values become `"<redacted>"`, `Map`s become objects and `Set`s arrays,
 * `Date`s ISO strings, errors `{ name, message, ...fields, stack }`, bigints strings,
 * values with a `toJSON()` their JSON form, cycles `"[Circular]"` and anything deeper
 * than the depth limit `"[Truncated]"`. The input is never modified.
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 * import { Redacted } from "effect"
 *
 * Redaction.redact({
 *   user: "ada",
 *   headers: new Map([["Authorization", "Bearer abc"]]),
 *   db: { url: "postgres://db", password: Redacted.make("pw") }
 * })
 * // { user: "ada", headers: { Authorization: "[REDACTED]" }, db: { url: "postgres://db", password: "[REDACTED]" } }
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const redact = (value: unknown, keys?: ReadonlyArray<string>): unknown =>
  keys === undefined ? defaultRedactor.redact(value) : make(keys).redact(value)

/**
 * Whether the value under `key` is hidden by the default redactor (or by one made of `keys`).
 *
 * @example
 * ```ts
 * import { Redaction } from "@strata/core"
 *
 * Redaction.isSensitiveKey("X-Api-Key") // true
 * Redaction.isSensitiveKey("userName")  // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isSensitiveKey = (key: string, keys?: ReadonlyArray<string>): boolean =>
  keys === undefined ? defaultRedactor.isSensitive(key) : make(keys).isSensitive(key)

const copy = (
  value: unknown,
  isSensitive: (key: string) => boolean,
  maxDepth: number,
  depth: number,
  ancestors: Set<object>
): unknown => {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return value
    case "bigint":
    case "symbol":
      return value.toString()
    case "function":
      return `[Function${value.name ? ` ${value.name}` : ""}]`
  }
  if (value === null) return null
  const object = value as object
  if (Redacted.isRedacted(object)) return "<redacted>"
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString()
  if (ancestors.has(object)) return "[Circular]"
  if (depth >= maxDepth) return "[Truncated]"
  ancestors.add(object)
  try {
    const next = depth + 1
    const child = (v: unknown): unknown => copy(v, isSensitive, maxDepth, next, ancestors)
    const entry = (key: string, v: unknown): unknown => isSensitive(key) ? placeholder : child(v)
    if (Array.isArray(object)) return object.map(child)
    if (object instanceof Map) {
      const out: Record<string, unknown> = {}
      for (const [k, v] of object) {
        const key = String(k)
        set(out, key, entry(key, v))
      }
      return out
    }
    if (object instanceof Set) return Array.from(object, child)
    if (object instanceof Error) return copyError(object, entry)
    if (ArrayBuffer.isView(object)) return `[${object.constructor.name} ${object.byteLength} bytes]`
    if (Predicate.hasProperty(object, "toJSON") && Predicate.isFunction(object.toJSON)) {
      // effect data types (Option, HashMap, ...) describe themselves through toJSON
      const json = toJSON(object, object.toJSON)
      return json === object ? copyFields(object, entry) : child(json)
    }
    return copyFields(object, entry)
  } finally {
    ancestors.delete(object)
  }
}

const copyFields = (object: object, entry: (key: string, value: unknown) => unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(object)) {
    set(out, key, entry(key, (object as Record<string, unknown>)[key]))
  }
  return out
}

const copyError = (error: Error, entry: (key: string, value: unknown) => unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = { name: error.name, message: error.message }
  for (const key of Object.keys(error)) {
    if (key !== "stack" && key !== "message" && key !== "name") {
      set(out, key, entry(key, (error as unknown as Record<string, unknown>)[key]))
    }
  }
  if (error.cause !== undefined && !("cause" in out)) out.cause = entry("cause", error.cause)
  if (error.stack !== undefined) out.stack = error.stack
  return out
}

const toJSON = (object: object, f: Function): unknown => {
  try {
    return f.call(object)
  } catch {
    return "[Unserializable]"
  }
}

// A plain assignment of "__proto__" would swap the copy's prototype instead of copying the key.
const set = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    out[key] = value
  }
}
