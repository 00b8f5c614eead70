/**
 * A log call with extra annotations given as a plain record. Strata's loggers accept it
 * beside `log`: a caller with a record of its own (the HTTP access log: method, path,
 * status, ...) then builds no annotation `HashMap` for it (~3 µs per line with five
 * fields: hashing, trie nodes, and the walk back to an object). Any other logger is called
 * with the record merged into the annotations as usual.
 *
 * The key is a global symbol, so that copies of this module (and the HTTP package, which
 * cannot import core internals) agree on it.
 *
 * @internal
 */
import type * as Logger from "effect/Logger"

/** @internal */
export const logWithFieldsKey: unique symbol = Symbol.for("@strata/core/Logging/logWithFields")

/** Logs `input` with `fields` added to its annotations (a field wins over an annotation of the same name). @internal */
export type LogWithFields = (input: Logger.Logger.Options<unknown>, fields: Readonly<Record<string, unknown>>) => void

/** `logger`, also accepting records of fields. @internal */
export const attach = <L extends Logger.Logger<unknown, unknown>>(logger: L, log: LogWithFields): L => {
  Object.defineProperty(logger, logWithFieldsKey, { value: log })
  return logger
}

/** The logger's way of taking a record of fields, if it has one. @internal */
export const of = (logger: Logger.Logger<unknown, unknown>): LogWithFields | undefined => {
  const log: unknown = Reflect.get(logger, logWithFieldsKey)
  return typeof log === "function" ? log as LogWithFields : undefined
}
