/**
 * The configuration tree behind `ConfigSource`: names (config path ↔ env name ↔ YAML
 * path), `${VAR}` interpolation, and the lookup that decides where a value comes from
 * (env first, then the file or object tree).
 *
 * @internal
 */
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"

/**
 * A string value of the tree whose `${VAR}` references could not be resolved. It is kept
 * in the tree (not reported at load time) so that only keys the application actually
 * reads fail, and a value overridden by env never fails.
 *
 * @internal
 */
export class Unresolved {
  constructor(readonly message: string) {}
}

/** @internal */
export type Node = string | number | boolean | Unresolved | ReadonlyArray<Node> | { readonly [key: string]: Node }

/** @internal */
export type Tree = { readonly [key: string]: Node }

/** @internal */
export type Env = Readonly<Record<string, string | undefined>>

/**
 * Everything a provider read, kept so that errors can say where each value came from.
 *
 * @internal
 */
export interface Snapshot {
  readonly env: Env
  readonly tree: Tree
  /** `file /abs/strata.yaml`, `object`, …; `undefined` when there is no file (env only). */
  readonly origin: string | undefined
  /** Line of a tree node (actual keys), for file sources. */
  readonly lineOf: (path: ReadonlyArray<string | number>) => number | undefined
}

/** @internal */
export type Found =
  | { readonly _tag: "Env"; readonly name: string; readonly value: string }
  | { readonly _tag: "Tree"; readonly path: ReadonlyArray<string | number>; readonly value: Node }

const INDEX = /^\[(\d+)\]$/

/** `"[3]"` → 3 (effect's sequence element segments). @internal */
export const indexOf = (segment: string): number | undefined => {
  const match = INDEX.exec(segment)
  return match === null ? undefined : Number(match[1])
}

// Same splitting as effect's ConfigProvider.constantCase (adapted from change-case).
const SPLIT = [/([a-z0-9])([A-Z])/g, /([A-Z])([A-Z][a-z])/g]
const STRIP = /[^A-Z0-9]+/gi

/** `"poolSize"` → `"POOL_SIZE"`, `"log-level"` → `"LOG_LEVEL"`. @internal */
export const constantCase = (name: string): string => {
  const split = SPLIT.reduce((s, re) => s.replace(re, "$1\0$2"), name).replace(STRIP, "\0")
  return split.split("\0").filter((part) => part.length > 0).map((part) => part.toUpperCase()).join("_")
}

/** `["database", "poolSize"]` → `"DATABASE_POOL_SIZE"`; index segments become numbers. @internal */
export const envName = (path: ReadonlyArray<string>): string =>
  path.map((segment) => {
    const index = indexOf(segment)
    return index === undefined ? constantCase(segment) : String(index)
  }).filter((part) => part.length > 0).join("_")

/** `["servers", "[0]", "host"]` → `"servers[0].host"`. @internal */
export const yamlPath = (path: ReadonlyArray<string | number>): string =>
  path.reduce<string>((out, segment) => {
    const index = typeof segment === "number" ? segment : indexOf(segment)
    if (index !== undefined) return `${out}[${index}]`
    return out === "" ? String(segment) : `${out}.${segment}`
  }, "")

const isMap = (node: Node | undefined): node is { readonly [key: string]: Node } =>
  Predicate.isObject(node) && !Array.isArray(node) && !(node instanceof Unresolved)

/** The key of a map that a config path segment names: exact first, then by constant case. @internal */
export const findKey = (map: { readonly [key: string]: Node }, segment: string): string | undefined => {
  if (Object.prototype.hasOwnProperty.call(map, segment)) return segment
  const wanted = constantCase(segment)
  return Object.keys(map).find((key) => constantCase(key) === wanted)
}

/** Walks the tree along a config path; returns the node and the actual keys used. @internal */
export const lookupTree = (
  tree: Tree,
  path: ReadonlyArray<string>
): { readonly path: ReadonlyArray<string | number>; readonly value: Node } | undefined => {
  let node: Node = tree
  const actual: Array<string | number> = []
  for (const segment of path) {
    const index = indexOf(segment)
    if (index !== undefined && Array.isArray(node)) {
      const list: ReadonlyArray<Node> = node
      if (index >= list.length) return undefined
      node = list[index]!
      actual.push(index)
    } else if (isMap(node)) {
      const key = findKey(node, segment)
      if (key === undefined) return undefined
      node = node[key]!
      actual.push(key)
    } else {
      return undefined
    }
  }
  return { path: actual, value: node }
}

/** Where the value of a config path comes from: env wins over the tree. @internal */
export const lookup = (snapshot: Snapshot, path: ReadonlyArray<string>): Found | undefined => {
  if (path.length > 0) {
    const name = envName(path)
    const value = snapshot.env[name]
    if (value !== undefined) return { _tag: "Env", name, value }
  }
  const found = lookupTree(snapshot.tree, path)
  return found === undefined ? undefined : { _tag: "Tree", ...found }
}

/** The child keys of a path: the tree's keys plus env names below it (env keys unsplit). @internal */
export const children = (snapshot: Snapshot, path: ReadonlyArray<string>): ReadonlyArray<string> => {
  const name = envName(path)
  // A list set in env (`HOSTS=a,b`) replaces the file's list: no children, so it is loaded whole.
  if (path.length > 0 && snapshot.env[name] !== undefined) return []
  const node = lookupTree(snapshot.tree, path)?.value
  if (Array.isArray(node)) return node.map((_, i) => `[${i}]`)
  const keys = isMap(node) ? Object.keys(node) : []
  if (path.length === 0) return keys
  const seen = new Set(keys.map(constantCase))
  const out = [...keys]
  const prefix = `${name}_`
  for (const key of Object.keys(snapshot.env)) {
    if (!key.startsWith(prefix) || key.length === prefix.length || snapshot.env[key] === undefined) continue
    const rest = key.slice(prefix.length)
    if (!seen.has(rest)) {
      seen.add(rest)
      out.push(rest)
    }
  }
  return out
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?$/

/**
 * Replaces `${VAR}` and `${VAR:-default}` (default when VAR is unset or empty) with env
 * values; `$${` is a literal `${`. Messages never quote the text itself: it may be a secret.
 *
 * @internal
 */
export const interpolate = (text: string, env: Env): string | Unresolved => {
  if (!text.includes("${")) return text
  let out = ""
  let i = 0
  const missing: Array<string> = []
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      out += "${"
      i += 3
    } else if (text.startsWith("${", i)) {
      const end = text.indexOf("}", i + 2)
      const match = end === -1 ? null : REFERENCE.exec(text.slice(i + 2, end))
      if (match === null) {
        return new Unresolved(`malformed \${...} reference at character ${i + 1} (write $\${ for a literal \${)`)
      }
      const [, name, fallback] = match
      const value = env[name!]
      if (value !== undefined && (fallback === undefined || value !== "")) out += value
      else if (fallback !== undefined) out += fallback
      else missing.push(name!)
      i = end + 1
    } else {
      out += text[i]
      i += 1
    }
  }
  if (missing.length === 0) return out
  const names = missing.map((name) => `\${${name}}`).join(", ")
  return new Unresolved(`references ${names}, which ${missing.length === 1 ? "is" : "are"} not set in the environment`)
}

/**
 * A tree from plain values: scalars become strings, numbers or booleans, `null` and
 * `undefined` are dropped (missing), `Redacted` is unwrapped, strings are interpolated.
 *
 * @internal
 */
export const toTree = (value: unknown, env: Env): Tree => {
  const node = toNode(value, env)
  return isMap(node) ? node : {}
}

const toNode = (value: unknown, env: Env): Node | undefined => {
  if (value === null || value === undefined) return undefined
  if (typeof value === "string") return interpolate(value, env)
  if (typeof value === "number" || typeof value === "boolean") return value
  if (typeof value === "bigint") return String(value)
  if (value instanceof Date) return value.toISOString()
  if (Redacted.isRedacted(value)) return toNode(Redacted.value(value), env)
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const node = toNode(item, env)
      return node === undefined ? [] : [node]
    })
  }
  if (Predicate.isObject(value)) {
    const out: Record<string, Node> = {}
    for (const [key, item] of Object.entries(value)) {
      const node = toNode(item, env)
      if (node !== undefined) out[key] = node
    }
    return out
  }
  return String(value)
}
