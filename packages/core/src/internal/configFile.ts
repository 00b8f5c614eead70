/**
 * Finding, reading and parsing the YAML configuration file.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as NodePath from "node:path"
import * as Yaml from "yaml"
import { ConfigurationError } from "./systemErrors.js"
import { constantCase, type Env, envName, type Tree, toTree } from "./configTree.js"

type Issue = { readonly key: string; readonly message: string; readonly source: string }

/** The parsed file: its tree (interpolated) and a line lookup. @internal */
export interface File {
  readonly path: string
  readonly tree: Tree
  readonly lineOf: (path: ReadonlyArray<string | number>) => number | undefined
}

/** @internal */
export interface Choice {
  readonly path: string
  readonly required: boolean
  /** Who asked for the file: `STRATA_CONFIG`, the `file` option, or the default. */
  readonly key: string
  readonly source: string
}

/**
 * Which file to read: the `file` option, else `STRATA_CONFIG` (both must exist), else
 * `./strata.yaml` when it exists.
 *
 * @internal
 */
export const choose = (file: string | false | undefined, env: Env, cwd: string): Choice | undefined => {
  if (file === false) return undefined
  if (file !== undefined) return { path: NodePath.resolve(cwd, file), required: true, key: file, source: "option" }
  const fromEnv = env["STRATA_CONFIG"]
  if (fromEnv !== undefined && fromEnv !== "") {
    return { path: NodePath.resolve(cwd, fromEnv), required: true, key: "STRATA_CONFIG", source: "env" }
  }
  return { path: NodePath.resolve(cwd, "strata.yaml"), required: false, key: "strata.yaml", source: "default" }
}

const fail = (issues: ReadonlyArray<Issue>): Effect.Effect<never, ConfigurationError> =>
  Effect.fail(new ConfigurationError({ issues }))

/** Reads and parses the chosen file; `undefined` when an optional file does not exist. @internal */
export const load = (choice: Choice, env: Env): Effect.Effect<File | undefined, ConfigurationError> =>
  Effect.suspend(() => {
    let text: string
    try {
      text = Fs.readFileSync(choice.path, "utf8")
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code
      if (code === "ENOENT" && !choice.required) return Effect.succeed(undefined)
      const reason = code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(cause)})`
      return fail([{ key: choice.key, source: choice.source, message: `${reason}: ${choice.path}` }])
    }
    return parse(choice.path, text, env)
  })

/** Parses YAML text; every syntax error and conflicting key is one issue. @internal */
export const parse = (path: string, text: string, env: Env): Effect.Effect<File, ConfigurationError> => {
  const lines = new Yaml.LineCounter()
  // prettyErrors off: the pretty form quotes the source line, which may hold a secret.
  const doc = Yaml.parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true })
  const at = (offset: number) => {
    const pos = lines.linePos(offset)
    return `${path}:${pos.line}:${pos.col}`
  }
  if (doc.errors.length > 0) {
    return fail(doc.errors.map((error) => ({
      key: at(error.pos[0]),
      source: "file",
      message: `YAML syntax error: ${error.message} (${error.code})`
    })))
  }
  let json: unknown
  try {
    json = doc.toJS({ maxAliasCount: 1000 })
  } catch (cause) {
    return fail([{ key: path, source: "file", message: `cannot read YAML: ${String(cause)}` }])
  }
  if (json !== null && json !== undefined && (typeof json !== "object" || Array.isArray(json))) {
    return fail([{ key: path, source: "file", message: "the top level of the file must be a mapping" }])
  }
  const lineOf = (keys: ReadonlyArray<string | number>): number | undefined => {
    const node = doc.getIn(keys, true)
    return Yaml.isNode(node) && node.range ? lines.linePos(node.range[0]).line : undefined
  }
  const conflicts = findConflicts(json, [])
  if (conflicts.length > 0) {
    return fail(conflicts.map(({ keys, names }) => {
      const line = lineOf([...keys, names[names.length - 1]!])
      return {
        key: envName([...keys.map(String), names[0]!]),
        source: `file ${path}${line === undefined ? "" : `:${line}`}`,
        message: `${names.join(" and ")} name the same setting; keep one`
      }
    }))
  }
  return Effect.succeed({ path, tree: toTree(json, env), lineOf })
}

type Conflict = { readonly keys: ReadonlyArray<string | number>; readonly names: ReadonlyArray<string> }

// `poolSize` and `pool_size` in one mapping would both answer DATABASE_POOL_SIZE.
const findConflicts = (value: unknown, keys: ReadonlyArray<string | number>): Array<Conflict> => {
  if (Array.isArray(value)) return value.flatMap((item, i) => findConflicts(item, [...keys, i]))
  if (value === null || typeof value !== "object" || value instanceof Date) return []
  const out: Array<Conflict> = []
  const byName = new Map<string, Array<string>>()
  for (const [key, item] of Object.entries(value)) {
    const name = constantCase(key)
    byName.set(name, [...(byName.get(name) ?? []), key])
    out.push(...findConflicts(item, [...keys, key]))
  }
  for (const names of byName.values()) if (names.length > 1) out.push({ keys, names })
  return out
}
