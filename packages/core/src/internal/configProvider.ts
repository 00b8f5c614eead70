/**
 * The `ConfigProvider` over a snapshot (env + tree), and the registry that lets a
 * `ConfigError` be explained later with the sources of its values.
 *
 * @internal
 */
import type * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as PathPatch from "effect/ConfigProviderPathPatch"
import * as Effect from "effect/Effect"
import * as HashSet from "effect/HashSet"
import * as Predicate from "effect/Predicate"
import { children, envName, indexOf, lookup, type Snapshot, Unresolved, yamlPath } from "./configTree.js"

// Snapshots by provider, so `toConfigurationError` can find the sources of the current provider.
const snapshots = new WeakMap<ConfigProvider.ConfigProvider, Snapshot>()
// The snapshot of the provider `ConfigSource.make` built last: start-up failures are often
// explained outside the fiber that had the provider installed.
let latest: Snapshot | undefined

/** @internal */
export const snapshotOf = (provider: ConfigProvider.ConfigProvider): Snapshot | undefined => snapshots.get(provider)

/** @internal */
export const latestSnapshot = (): Snapshot | undefined => latest

/** @internal */
export const setLatest = (snapshot: Snapshot): void => {
  latest = snapshot
}

/** "required: set env DATABASE_URL or database.url in file strata.yaml". @internal */
export const missingMessage = (snapshot: Snapshot | undefined, path: ReadonlyArray<string>): string => {
  const inTree = snapshot?.origin === undefined ? "" : ` or ${yamlPath(path)} in ${snapshot.origin}`
  return `required: set env ${envName(path)}${inTree}`
}

const splitList = (text: string): Array<string> =>
  text.trim() === "" ? [] : text.split(",").map((item) => item.trim())

// The raw texts of a path, or why there are none. A list element (`[i]`) is never split again.
const texts = (snapshot: Snapshot, path: ReadonlyArray<string>, split: boolean): Array<string> | string => {
  const found = lookup(snapshot, path)
  if (found === undefined) return []
  const last = path[path.length - 1]
  const splits = split && (last === undefined || indexOf(last) === undefined)
  if (found._tag === "Env") return splits ? splitList(found.value) : [found.value]
  const value = found.value
  if (value instanceof Unresolved) return value.message
  if (Array.isArray(value)) {
    if (!splits) return "expected a single value but found a list"
    const items: Array<string> = []
    for (const item of value) {
      if (item instanceof Unresolved) return `[${items.length}] ${item.message}`
      if (Predicate.isObject(item)) return "expected a list of values but found nested lists or mappings"
      items.push(String(item))
    }
    return items
  }
  if (Predicate.isObject(value)) return "expected a value but found a mapping (set the keys below it instead)"
  const text = String(value)
  return splits ? splitList(text) : [text]
}

/**
 * A provider that reads a path from env (constant case, `_`-joined) and else from the
 * tree, and remembers its snapshot.
 *
 * @internal
 */
export const make = (snapshot: Snapshot): ConfigProvider.ConfigProvider => {
  const load = <A>(
    path: ReadonlyArray<string>,
    primitive: Config.Config.Primitive<A>,
    split: boolean
  ): Effect.Effect<Array<A>, ConfigError.ConfigError> =>
    Effect.suspend(() => {
      const found = texts(snapshot, path, split)
      if (typeof found === "string") return Effect.fail(ConfigError.InvalidData([...path], found))
      if (found.length === 0 && lookup(snapshot, path) === undefined) {
        return Effect.fail(ConfigError.MissingData([...path], missingMessage(snapshot, path)))
      }
      return Effect.forEach(found, (text) => primitive.parse(text)).pipe(
        Effect.mapError((error) => ConfigError.prefixed(error, [...path]))
      )
    })
  const enumerateChildren = (path: ReadonlyArray<string>): Effect.Effect<HashSet.HashSet<string>> =>
    Effect.sync(() => HashSet.fromIterable(children(snapshot, path)))
  const provider = ConfigProvider.fromFlat(ConfigProvider.makeFlat({ load, enumerateChildren, patch: PathPatch.empty }))
  snapshots.set(provider, snapshot)
  return provider
}
