/**
 * The `metrics.*` settings: namespace, subsystem, default labels (`service=api,env=prod` in
 * env, or a YAML mapping) and the on/off switch.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/

/** Parses `service=api, env=prod`. @internal */
export const parseLabels = (text: string): Either.Either<Record<string, string>, string> => {
  const labels: Record<string, string> = {}
  for (const part of text.split(",")) {
    const item = part.trim()
    if (item === "") continue
    const eq = item.indexOf("=")
    if (eq <= 0) {
      return Either.left(`Expected name=value pairs separated by commas but received ${JSON.stringify(text)}`)
    }
    const name = item.slice(0, eq).trim()
    const check = checkName(name)
    if (check !== undefined) return Either.left(check)
    labels[name] = item.slice(eq + 1).trim()
  }
  return Either.right(labels)
}

/** Why a label name is not valid in Prometheus, if it is not. @internal */
export const checkName = (name: string): string | undefined =>
  labelName.test(name) && !name.startsWith("__")
    ? undefined
    : `Invalid label name ${JSON.stringify(name)}: use letters, digits and _ (not a leading digit or __)`

const defaultLabels: Config.Config<Record<string, string>> = Config.orElse(
  Config.map(Config.string("defaultLabels"), (text): string | HashMap.HashMap<string, string> => text),
  () => Config.hashMap(Config.string(), "defaultLabels")
).pipe(
  Config.mapOrFail((value) => {
    if (typeof value === "string") {
      return Either.mapLeft(parseLabels(value), (message) => ConfigError.InvalidData(["defaultLabels"], message))
    }
    const labels: Record<string, string> = {}
    for (const [name, label] of value) {
      const check = checkName(name)
      if (check !== undefined) return Either.left(ConfigError.InvalidData(["defaultLabels", name], check))
      labels[name] = label
    }
    return Either.right(labels)
  }),
  Config.withDefault({})
)

const part = (name: string): Config.Config<string | undefined> =>
  Config.option(Config.string(name)).pipe(
    Config.map((value) => {
      const text = Option.getOrUndefined(value)?.trim()
      return text === "" ? undefined : text
    })
  )

/** @internal */
export interface Settings {
  readonly namespace: string | undefined
  readonly subsystem: string | undefined
  readonly defaultLabels: Readonly<Record<string, string>>
  readonly enabled: boolean
}

/** `metrics.namespace`, `metrics.subsystem`, `metrics.defaultLabels`, `metrics.enabled`. @internal */
export const config: Config.Config<Settings> = Config.all({
  namespace: part("namespace"),
  subsystem: part("subsystem"),
  defaultLabels,
  enabled: Config.withDefault(Config.boolean("enabled"), true)
}).pipe(Config.nested("metrics"))
