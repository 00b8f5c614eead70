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
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as ConfigSource from "./ConfigSource.js"
import * as ErrorReporter from "./ErrorReporter.js"
import type * as Errors from "./Errors.js"
import * as Health from "./Health.js"
import * as Lifecycle from "./Lifecycle.js"
import * as layerBuild from "./internal/layerBuild.js"
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
 * A layer that only reads the given settings. Provided under the whole application
 * (`Layer.provide` builds what it is given first), it makes a bad value fail the start at
 * once, every bad key in one message, instead of after the layers built before the one
 * that reads it — e.g. a bad `PORT` only after an embedded database took seconds to start.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Config, Effect, Layer } from "effect"
 *
 * const App = Layer.effectDiscard(Effect.log("up"))
 * const Main = App.pipe(Layer.provide(Strata.checkConfig(Config.port("PORT"), Config.string("REGION"))))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const checkConfig = (
  ...configs: ReadonlyArray<Config.Config<unknown>>
): Layer.Layer<never, ConfigError.ConfigError> => Layer.effectDiscard(Config.all(configs))

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
 * Builds a layer with Strata's builder, its resources released when the scope closes.
 * Same semantics as `Layer.build` — a layer used twice is built once (unless
 * `Layer.fresh`), dependencies before dependents, released in reverse order (a shared layer
 * when its last user is released), a failed build releases what it acquired, config
 * provider and logger changes reach the layers built after them — with less work per layer.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Context, Effect, Layer } from "effect"
 *
 * class Greeting extends Context.Tag("app/Greeting")<Greeting, string>() {}
 *
 * const program = Effect.scoped(
 *   Effect.map(Strata.build(Layer.succeed(Greeting, "hello")), Context.get(Greeting))
 * )
 * ```
 *
 * @since 0.1.0
 * @category runtime
 */
export const build = <ROut, E, RIn>(
  layer: Layer.Layer<ROut, E, RIn>
): Effect.Effect<Context.Context<ROut>, E, RIn | Scope.Scope> =>
  Effect.flatMap(Effect.scope, (scope) => buildWithScope(layer, scope))

/**
 * {@link build} into a given scope.
 *
 * @example
 * ```ts
 * import { Strata } from "@strata/core"
 * import { Effect, Exit, Layer, Scope } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const scope = yield* Scope.make()
 *   yield* Strata.buildWithScope(Layer.effectDiscard(Effect.log("built")), scope)
 *   yield* Scope.close(scope, Exit.void)
 * })
 * ```
 *
 * @since 0.1.0
 * @category runtime
 */
export const buildWithScope: {
  (scope: Scope.Scope): <ROut, E, RIn>(layer: Layer.Layer<ROut, E, RIn>) => Effect.Effect<Context.Context<ROut>, E, RIn>
  <ROut, E, RIn>(layer: Layer.Layer<ROut, E, RIn>, scope: Scope.Scope): Effect.Effect<Context.Context<ROut>, E, RIn>
} = dual(
  2,
  <ROut, E, RIn>(layer: Layer.Layer<ROut, E, RIn>, scope: Scope.Scope) =>
    layerBuild.buildWithScope(layer as Layer.Layer<unknown, unknown, unknown>, scope) as Effect.Effect<
      Context.Context<ROut>,
      E,
      RIn
    >
)

/**
 * Starts the application as {@link launch} does, without waiting: builds the layer over the
 * default layers (with {@link build}), logs the service summary, reports uncaught exceptions
 * through the `ErrorReporter`, and returns the built context. Everything is released, in
 * reverse order, when the scope closes. A start-up failure is written as one clear message.
 *
 * @example
 * ```ts
 * import { Health, Strata } from "@strata/core"
 * import { Context, Effect, Layer } from "effect"
 *
 * const readiness = Effect.scoped(
 *   Effect.gen(function*() {
 *     const context = yield* Strata.start(Layer.effectDiscard(Effect.log("up")))
 *     return yield* Context.get(context, Health.Health).report("readiness")
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category runtime
 */
export const start = <ROut, E, RIn extends Defaults, E2 = Errors.ConfigurationError | ConfigError.ConfigError>(
  layer: Layer.Layer<ROut, E, RIn>,
  options?: RunOptions<E2>
): Effect.Effect<Context.Context<ROut | Defaults>, E | E2, Scope.Scope> => {
  const defaults = (options?.defaults ?? layerDefaults) as Layer.Layer<Defaults, E2>
  return Effect.gen(function*() {
    const context = yield* build(Layer.provideMerge(layer as Layer.Layer<ROut, E, Defaults>, defaults)).pipe(
      Effect.tapErrorCause((cause) => startup.describeFailure(cause, options?.writeError))
    )
    yield* Lifecycle.logSummary.pipe(Effect.provide(context))
    yield* startup.reportProcessFailures(Context.get(context, ErrorReporter.ErrorReporter))
    return context
  })
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
): Effect.Effect<never, E | E2> =>
  Effect.scoped(
    Effect.gen(function*() {
      const context = yield* start(layer, options)
      const health = Context.get(context, Health.Health)
      return yield* Effect.never.pipe(
        Effect.onInterrupt(() => Effect.zipRight(Effect.logInfo("Shutting down"), health.markShuttingDown))
      )
    })
  )

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
