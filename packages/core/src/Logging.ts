/**
 * Structured logging on top of effect's `Logger`: keep writing `Effect.log`,
 * `Effect.annotateLogs` and `Effect.withLogSpan`; this module decides how lines look.
 *
 * - `json`: one object per line for production (`timestamp, level, message, ...context,
 *   ...annotations, spans?, cause?`);
 * - `pretty`: one readable line (coloured on a TTY) for development.
 *
 * Every line carries the fiber's request context (`RequestContext`: `requestId`,
 * `userId`, ...) and the current tracer span's `traceId`/`spanId`, and sensitive values
 * are redacted (see `Redaction`). Lines below the minimum level are dropped by effect
 * before this logger runs, so they cost nothing.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type * as Scope from "effect/Scope"
import * as internalConfig from "./internal/loggingConfig.js"
import * as internalFormat from "./internal/loggingFormat.js"
import * as internalInstall from "./internal/loggingInstall.js"
import * as internalMake from "./internal/loggingMake.js"
import * as internalRecord from "./internal/loggingRecord.js"
import * as internalTimed from "./internal/loggingTimed.js"
import * as Redaction from "./Redaction.js"

/**
 * The line format: `pretty` for people, `json` for log pipelines.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * const format: Logging.Format = process.env.NODE_ENV === "production" ? "json" : "pretty"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "pretty" | "json"

/**
 * The level of a record, as written in JSON lines (effect's label in lower case).
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * const isProblem = (level: Logging.Level) => level === "warn" || level === "error" || level === "fatal"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Level = "all" | "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "off"

/**
 * The failure attached to a log line, squashed to its most important error.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * const describe = (cause: Logging.LogCause) => `${cause.code ?? cause.name}: ${cause.message}`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface LogCause {
  readonly name: string
  readonly message: string
  /** The error's string `code` when it has one (every Strata error does). */
  readonly code?: string
  readonly stack?: string
}

/**
 * One log event as structured data: what a JSON line holds (with `context` and
 * `annotations` spread into the top level) and what `LogCapture` records.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * const record: Logging.LogRecord = {
 *   timestamp: "2026-11-24T06:30:00.000Z",
 *   level: "info",
 *   message: "user loaded",
 *   context: { requestId: "req-1" },
 *   annotations: { userId: 42 },
 *   spans: { "load-user": 12 }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface LogRecord {
  /** ISO-8601 time of the event (effect `Clock`, so `TestClock` controls it). */
  readonly timestamp: string
  readonly level: Level
  /** The message parts joined by spaces; objects are rendered as (redacted) JSON. */
  readonly message: string
  /** The fiber's thread name (`#12`), only when the `fiberId` option is on. */
  readonly fiberId?: string
  /** The fiber's request context plus `traceId`/`spanId` of the current tracer span. */
  readonly context: Readonly<Record<string, string>>
  /** Log annotations, redacted and JSON-ready. */
  readonly annotations: Readonly<Record<string, unknown>>
  /** Open log spans: label → milliseconds since the span started. */
  readonly spans: Readonly<Record<string, number>>
  readonly cause?: LogCause
}

/**
 * Options of {@link recordLogger}, shared by {@link Options}.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * const options: Logging.RecordOptions = { redactKeys: ["ssn"], fiberId: true }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordOptions {
  /** Extra sensitive key words, added to `Redaction.defaultKeys`. */
  readonly redactKeys?: ReadonlyArray<string> | undefined
  /** A redactor to use instead of the defaults plus `redactKeys`. */
  readonly redactor?: Redaction.Redactor | undefined
  /** Include the fiber id in each record (default `false`). */
  readonly fiberId?: boolean | undefined
}

/**
 * Options of {@link layer} and {@link make}.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { LogLevel } from "effect"
 *
 * const options: Logging.Options = { format: "json", level: LogLevel.Debug, redactKeys: ["ssn"] }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends RecordOptions {
  readonly format: Format
  /** Minimum level (default `Info`); lower levels are dropped before formatting. */
  readonly level?: LogLevel.LogLevel | undefined
  /** ANSI colours in the pretty format (default: stdout is a TTY and `NO_COLOR` is unset). */
  readonly colors?: boolean | undefined
  /** Where lines go, without a trailing newline (default: `process.stdout`). */
  readonly write?: ((line: string) => void) | undefined
  /**
   * Batch the lines written to stdout: one write per event-loop turn instead of one per
   * line (default: on when stdout is not a TTY). Pending lines are written when the layer
   * is released and when the process exits. Not used with `write`.
   */
  readonly buffer?: boolean | undefined
}

/**
 * A logger that turns each event into a {@link LogRecord} (redacted, with request context
 * and trace ids). The building block of the JSON format and of `LogCapture`.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Logger } from "effect"
 *
 * // ship records to your own sink
 * const sink: Array<Logging.LogRecord> = []
 * const toSink = Logging.recordLogger().pipe(Logger.map((record) => sink.push(record)))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const recordLogger = (options?: RecordOptions): Logger.Logger<unknown, LogRecord> => {
  const recordOptions = { redactor: internalMake.redactorOf(options), fiberId: options?.fiberId === true }
  return Logger.make((input) => internalRecord.buildRecord(input, recordOptions))
}

/**
 * Renders a record as one JSON line: `timestamp, level, message, fiberId?, ...context,
 * ...annotations, spans?, cause?` (`spans` only when a log span is open). A context field or
 * annotation named like a fixed key is written as `context.<name>` / `annotation.<name>`.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * Logging.formatJson({
 *   timestamp: "2026-11-24T06:30:00.000Z", level: "info", message: "hi",
 *   context: { requestId: "r1" }, annotations: { n: 1 }, spans: {}
 * })
 * // {"timestamp":"2026-11-24T06:30:00.000Z","level":"info","message":"hi","requestId":"r1","n":1}
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const formatJson: (record: LogRecord) => string = internalFormat.json

/**
 * A logger writing lines in the given format. Prefer {@link layer}, which also installs
 * it and sets the minimum level.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Effect, Logger } from "effect"
 *
 * const lines: Array<string> = []
 * const logger = Logging.make({ format: "json", write: (line) => lines.push(line) })
 * const program = Effect.log("hello").pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Logger.Logger<unknown, void> =>
  internalMake.logger(options, options.write ?? internalMake.bufferOf(options)?.write ?? internalMake.writeStdout)

/**
 * Options of {@link replaceLogger}.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 *
 * const options: Logging.ReplaceOptions = { capture: true }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplaceOptions {
  /**
   * Marks a test capture (`LogCapture`): while it is installed, every other logger
   * installed by `replaceLogger` stays silent, whichever layer was built first.
   */
  readonly capture?: boolean | undefined
}

/**
 * Installs `logger` as the application's logger: removes effect's default and pretty
 * console loggers and any logger installed before by this function (a `Logging.layer`;
 * a `LogCapture` only by another capture), and keeps every other logger (the tracer
 * logger, OTLP exporters).
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Logger } from "effect"
 *
 * const silent = Logging.replaceLogger(Logger.none)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const replaceLogger: <A>(logger: Logger.Logger<unknown, A>, options?: ReplaceOptions) => Layer.Layer<never> =
  internalInstall.replaceLogger

/**
 * {@link replaceLogger} as a scoped effect: the logger is installed in the current fiber
 * until the scope closes. Use it to install a logger and other FiberRefs in one layer.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Effect, Layer, Logger } from "effect"
 *
 * const quiet = Layer.scopedDiscard(Logging.replaceLoggerScoped(Logger.none))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const replaceLoggerScoped: <A>(
  logger: Logger.Logger<unknown, A>,
  options?: ReplaceOptions
) => Effect.Effect<void, never, Scope.Scope> = internalInstall.replaceLoggerScoped

/**
 * Replaces effect's default logger with a Strata logger and sets the minimum level.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Effect, LogLevel } from "effect"
 *
 * const program = Effect.log("started").pipe(
 *   Effect.annotateLogs({ port: 8080 }),
 *   Effect.provide(Logging.layer({ format: "json", level: LogLevel.Debug }))
 * )
 * // {"timestamp":"…","level":"info","message":"started","port":8080}
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<never> =>
  // one scoped effect rather than `Layer.merge`: merged FiberRef layers outlive `Effect.provide`
  Layer.scopedDiscard(Effect.gen(function*() {
    const buffer = internalMake.bufferOf(options)
    // Released after the logger is uninstalled: lines logged until then are written.
    if (buffer !== undefined) yield* Effect.addFinalizer(() => Effect.sync(buffer.close))
    yield* replaceLoggerScoped(internalMake.logger(options, options.write ?? buffer?.write ?? internalMake.writeStdout))
    yield* Effect.locallyScoped(FiberRef.currentMinimumLogLevel, options.level ?? LogLevel.Info)
  }))

/**
 * The logging settings, nested under `log`: `LOG_FORMAT` (`pretty` | `json`; default
 * `pretty` when stdout is a TTY and `NODE_ENV` is not `production`, else `json`),
 * `LOG_LEVEL` (`trace` … `fatal`, `none`; default `info`), `LOG_REDACT_KEYS` (extra
 * sensitive key words, comma-separated) and `LOG_BUFFER` (`true` | `false`: batch stdout
 * writes; default `true` when stdout is not a TTY).
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const options = yield* Logging.config
 *   yield* Effect.log(`logging as ${options.format}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<Options> = internalConfig.config(internalMake.isTTY)

/**
 * {@link layer} configured from {@link config} (`LOG_FORMAT`, `LOG_LEVEL`, `LOG_REDACT_KEYS`, `LOG_BUFFER`).
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const main = Effect.log("ready").pipe(Effect.provide(Logging.layerConfig))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(config, layer)
)

/**
 * Options of {@link timed}.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { LogLevel } from "effect"
 *
 * const options: Logging.TimedOptions = { level: LogLevel.Debug, failureLevel: LogLevel.Error }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TimedOptions {
  /** Level of the completion line (default `Info`). */
  readonly level?: LogLevel.LogLevel | undefined
  /** Level of the failure / interruption line (default `Warning`). */
  readonly failureLevel?: LogLevel.LogLevel | undefined
}

/**
 * Logs how long an effect took (the seeds' `log_execution_time`): `"<label> completed"`
 * with a `durationMs` annotation when it succeeds, `"<label> failed"` with the cause (or
 * `"<label> interrupted"`) at warning level otherwise. The effect runs inside a log span
 * named `label`, so its own lines carry the label too. Time comes from effect's `Clock`.
 *
 * @example
 * ```ts
 * import { Logging } from "@strata/core"
 * import { Effect } from "effect"
 *
 * const loadUser = (id: string) => Effect.succeed({ id }).pipe(Logging.timed("load-user"))
 * // INFO  load-user completed durationMs=3.2 (load-user=3ms)
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const timed: {
  (label: string, options?: TimedOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, label: string, options?: TimedOptions): Effect.Effect<A, E, R>
} = dual((args) => Effect.isEffect(args[0]), internalTimed.timed)
