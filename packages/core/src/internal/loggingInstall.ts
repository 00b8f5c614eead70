/**
 * Installing a logger as the application's logger, and letting a test capture win over
 * the application's own logger whichever layer was built first.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import { globalValue } from "effect/GlobalValue"
import * as HashSet from "effect/HashSet"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type * as Scope from "effect/Scope"
import type { ReplaceOptions } from "../Logging.js"
import * as internalFields from "./loggingFields.js"

// Loggers installed by `replaceLogger`, so a later one replaces an earlier one; and the
// capturing ones (`LogCapture`), which silence the others wherever they are installed.
// Global so that two copies of this module still agree.
const registry = globalValue("@strata/core/Logging/registry", () => ({
  installed: new WeakSet<Logger.Logger<unknown, unknown>>(),
  captures: new WeakSet<Logger.Logger<unknown, unknown>>(),
  anyCapture: false
}))

const captureActive = (refs: FiberRefs.FiberRefs): boolean => {
  for (const logger of FiberRefs.getOrDefault(refs, FiberRef.currentLoggers)) {
    if (registry.captures.has(logger)) return true
  }
  return false
}

/** @internal */
export const replaceLoggerScoped = <A>(
  logger: Logger.Logger<unknown, A>,
  options?: ReplaceOptions
): Effect.Effect<void, never, Scope.Scope> => {
  const capture = options?.capture === true
  const installed: Logger.Logger<unknown, unknown> = capture ? logger : Logger.make((input) => {
    // only tests ever set anyCapture, so production lines skip the lookup
    if (registry.anyCapture && captureActive(input.context)) return
    logger.log(input)
  })
  const withFields = capture ? undefined : internalFields.of(logger)
  if (withFields !== undefined) {
    internalFields.attach(installed, (input, fields) => {
      if (registry.anyCapture && captureActive(input.context)) return
      withFields(input, fields)
    })
  }
  registry.installed.add(installed)
  if (capture) {
    registry.captures.add(installed)
    registry.anyCapture = true
  }
  return Effect.locallyScopedWith(FiberRef.currentLoggers, (loggers) =>
    HashSet.add(
      HashSet.filter(loggers, (current) =>
        current !== Logger.defaultLogger && current !== Logger.prettyLoggerDefault &&
        // a capture is only replaced by another capture
        !(registry.installed.has(current) && (capture || !registry.captures.has(current)))),
      installed
    ))
}

/** @internal */
export const replaceLogger = <A>(logger: Logger.Logger<unknown, A>, options?: ReplaceOptions): Layer.Layer<never> =>
  Layer.scopedDiscard(replaceLoggerScoped(logger, options))
