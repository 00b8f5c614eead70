/**
 * Flattens effect's `ConfigError` tree into `ConfigIssue`s: one per bad key, named by its
 * env variable, with the source of its value.
 *
 * @internal
 */
import type * as ConfigError from "effect/ConfigError"
import { missingMessage } from "./configProvider.js"
import { envName, lookup, type Snapshot, Unresolved, yamlPath } from "./configTree.js"

/** @internal */
export interface Issue {
  readonly key: string
  readonly message: string
  readonly source: string
}

// Config.redacted replaces the messages of its errors with this.
const REDACTED = "<redacted>"

const keyOf = (path: ReadonlyArray<string>): string => path.length === 0 ? "(config)" : envName(path)

const sourceOf = (snapshot: Snapshot | undefined, path: ReadonlyArray<string>): string => {
  if (snapshot === undefined) return "unknown"
  const found = lookup(snapshot, path)
  if (found === undefined) return path.length === 0 ? snapshot.origin ?? "env" : "default"
  if (found._tag === "Env") return "env"
  const origin = snapshot.origin ?? "file"
  const line = snapshot.lineOf(found.path)
  return line === undefined ? origin : `${origin}:${line}`
}

const invalid = (snapshot: Snapshot | undefined, path: ReadonlyArray<string>, message: string): Issue => {
  const found = snapshot === undefined ? undefined : lookup(snapshot, path)
  const text = found?._tag === "Tree" && found.value instanceof Unresolved
    ? found.value.message
    : message === REDACTED
    ? "invalid value (a secret: not shown)"
    : message
  // Name the file's key too: that is what the user edits.
  const prefix = found?._tag === "Tree" && found.path.length > 0 ? `${yamlPath(found.path)}: ` : ""
  return { key: keyOf(path), source: sourceOf(snapshot, path), message: `${prefix}${text}` }
}

const missing = (snapshot: Snapshot | undefined, path: ReadonlyArray<string>, message: string): Issue => {
  const found = snapshot === undefined ? undefined : lookup(snapshot, path)
  if (found !== undefined) return invalid(snapshot, path, message)
  const text = message === REDACTED ? (path.length === 0 ? "required" : missingMessage(snapshot, path)) : message
  return { key: keyOf(path), source: "missing", message: text }
}

/**
 * Every leaf of the error trees (`And` and `Or` alike: both sides of an `Or` failed),
 * without duplicates, in order.
 *
 * @internal
 */
export const toIssues = (
  errors: ReadonlyArray<ConfigError.ConfigError>,
  snapshot: Snapshot | undefined
): Array<Issue> => {
  const out: Array<Issue> = []
  const seen = new Set<string>()
  const add = (issue: Issue) => {
    const id = `${issue.key}\0${issue.source}\0${issue.message}`
    if (!seen.has(id)) {
      seen.add(id)
      out.push(issue)
    }
  }
  const stack = [...errors].reverse()
  while (stack.length > 0) {
    const error = stack.pop()!
    switch (error._op) {
      case "And":
      case "Or":
        stack.push(error.right, error.left)
        break
      case "MissingData":
        add(missing(snapshot, error.path, error.message))
        break
      case "InvalidData":
        add(invalid(snapshot, error.path, error.message))
        break
      case "SourceUnavailable":
        add({ key: keyOf(error.path), source: "unavailable", message: error.message })
        break
      case "Unsupported":
        add({ key: keyOf(error.path), source: sourceOf(snapshot, error.path), message: error.message })
        break
    }
  }
  return out
}
