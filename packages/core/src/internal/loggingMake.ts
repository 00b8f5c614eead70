/**
 * The loggers `Logging.make` and `Logging.layer` build: JSON or pretty lines over
 * `buildRecord`, written to stdout directly or through the line buffer.
 *
 * @internal
 */
import * as Logger from "effect/Logger"
import type { Options, RecordOptions } from "../Logging.js"
import * as Redaction from "../Redaction.js"
import * as internalBuffer from "./loggingBuffer.js"
import * as internalFields from "./loggingFields.js"
import * as internalFormat from "./loggingFormat.js"
import * as internalRecord from "./loggingRecord.js"

/** @internal */
export const redactorOf = (options: RecordOptions | undefined): Redaction.Redactor =>
  options?.redactor ??
    (options?.redactKeys === undefined || options.redactKeys.length === 0
      ? defaultRedactor
      : Redaction.make([...Redaction.defaultKeys, ...options.redactKeys]))

/** @internal */
export const defaultRedactor = Redaction.make()

/** @internal */
export const isTTY = (): boolean => typeof process === "object" && process.stdout?.isTTY === true

/** @internal */
export const noColor = (): boolean => typeof process === "object" && (process.env?.NO_COLOR ?? "") !== ""

/** @internal */
export const writeStdout = (line: string): void => {
  process.stdout.write(line + "\n")
}

const writeChunk = (chunk: string): void => {
  process.stdout.write(chunk)
}

/** The stdout buffer `options` ask for, if any. @internal */
export const bufferOf = (options: Options): internalBuffer.LineBuffer | undefined =>
  options.write === undefined && (options.buffer ?? !isTTY()) ? internalBuffer.make({ sink: writeChunk }) : undefined

/** @internal */
export const logger = (options: Options, write: (line: string) => void): Logger.Logger<unknown, void> => {
  const recordOptions = { redactor: redactorOf(options), fiberId: options.fiberId === true }
  if (options.format === "json") {
    return internalFields.attach(
      Logger.make((input) => write(internalFormat.json(internalRecord.buildRecord(input, recordOptions)))),
      (input, fields) => write(internalFormat.json(internalRecord.buildRecord(input, recordOptions, fields)))
    )
  }
  const colors = options.colors ?? (isTTY() && !noColor())
  return internalFields.attach(
    Logger.make((input) =>
      write(internalFormat.pretty(internalRecord.buildRecord(input, recordOptions), input.cause, colors))
    ),
    (input, fields) =>
      write(internalFormat.pretty(internalRecord.buildRecord(input, recordOptions, fields), input.cause, colors))
  )
}

