/**
 * The runtime: the default layers every application starts with, and `runMain`, which
 * builds an application layer, keeps it running, and on SIGTERM/SIGINT flips readiness,
 * releases every layer in reverse order and exits 0. A start-up failure prints one clear
 * message and exits 1.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ConfigSource from "./ConfigSource.js"
import * as ErrorReporter from "./ErrorReporter.js"
import type * as Errors from "./Errors.js"
import * as Health from "./Health.js"
import * as Lifecycle from "./Lifecycle.js"
import * as startup from "./internal/startup.js"
import * as Logging from "./Logging.js"

/**
 * The services the default layers provide.
 *
 * @since 0.1.0
 * @category models
 */
export type Defaults = Health.Health | Lifecycle.Lifecycle | ErrorReporter.ErrorReporter

/**
 * Config provider (env over `strata.yaml`), logging from `LOG_FORMAT`/`LOG_LEVEL`,
 * `Health`, `Lifecycle` and the log `ErrorReporter`. Provide it under the application's
 * layers: every layer above it reads config from the same provider and logs through the
 * configured logger.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Effect, Layer } from "effect"
 *
 * const App = Layer.effectDiscard(Effect.log("ready"))
 * const Main = App.pipe(Layer.provide(Strata.layerDefaults))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDefaults: Layer.Layer<Defaults, Errors.ConfigurationError | ConfigError.ConfigError> = Layer
  .mergeAll(Health.layer, Lifecycle.layer, ErrorReporter.layerLog)
  .pipe(
    Layer.provideMerge(Logging.layerConfig),
    Layer.provideMerge(ConfigSource.layer())
  )

/**
 * Options of {@link launch} and {@link runMain}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions<E2 = never> {
  /**
   * The layers under the application (default: {@link layerDefaults}). The application
   * layer may provide them itself too: the same layer value is built once.
   */
  readonly defaults?: Layer.Layer<Defaults, E2> | undefined
  /** Written when start-up fails (default: standard error). */
  readonly writeError?: ((text: string) => void) | undefined
}

/**
 * Builds the application layer over the default layers and keeps it running until
 * interrupted. Once everything started, the service summary is logged; the moment
 * shutdown begins, readiness turns unhealthy, before any layer is released (then in
 * reverse order). A start-up failure is written as one clear message (every bad config
 * key at once) and the effect fails with it.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Effect, Layer } from "effect"
 *
 * const program = Strata.launch(Layer.effectDiscard(Effect.log("up")))
 * ```
 *
 * @since 0.1.0
 * @category runtime
 */
export const launch = <ROut, E, RIn extends Defaults, E2 = Errors.ConfigurationError | ConfigError.ConfigError>(
  layer: Layer.Layer<ROut, E, RIn>,
  options?: RunOptions<E2>
): Effect.Effect<never, E | E2> => {
  const defaults = (options?.defaults ?? layerDefaults) as Layer.Layer<Defaults, E2>
  return Effect.scoped(
    Effect.gen(function*() {
      const context = yield* Layer.build(Layer.provideMerge(layer as Layer.Layer<ROut, E, Defaults>, defaults)).pipe(
        Effect.tapErrorCause((cause) => startup.describeFailure(cause, options?.writeError))
      )
      const health = Context.get(context, Health.Health)
      yield* Lifecycle.logSummary.pipe(Effect.provide(context))
      yield* startup.reportProcessFailures(Context.get(context, ErrorReporter.ErrorReporter))
      return yield* Effect.never.pipe(
        Effect.onInterrupt(() => Effect.zipRight(Effect.logInfo("Shutting down"), health.markShuttingDown))
      )
    })
  )
}

/**
 * Runs an application layer as the process's main program (on `NodeRuntime.runMain`):
 * SIGTERM/SIGINT → readiness off → finalizers in reverse order → exit 0; a start-up
 * failure → one clear error on stderr → exit 1.
 *
 * @example
 * ```ts
 * import { Lifecycle, Strata } from "@strata/core"
 * import { Effect, Layer } from "effect"
 *
 * const Greeter = Lifecycle.service("greeter", Layer.effectDiscard(Effect.log("hello")))
 *
 * // in main.ts (the default layers are provided for you):
 * // Strata.runMain(Greeter)
 * ```
 *
 * @since 0.1.0
 * @category runtime
 */
export const runMain = <ROut, E, RIn extends Defaults, E2 = Errors.ConfigurationError | ConfigError.ConfigError>(
  layer: Layer.Layer<ROut, E, RIn>,
  options?: RunOptions<E2>
): void =>
  NodeRuntime.runMain(launch(layer, options), {
    disablePrettyLogger: true,
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(startup.hasCrashed() || (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) ? 1 : 0)
  })

/**
 * Turns a start-up failure into the one message `runMain` prints: the configuration
 * issues when config was bad, else the pretty cause.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Cause, Effect } from "effect"
 *
 * const text = Strata.formatStartupFailure(Cause.fail(new Error("port in use")))
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const formatStartupFailure: (cause: Cause.Cause<unknown>) => Effect.Effect<string> = startup.formatFailure
