/**
 * The `Metrics` service implementation.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import type { Options, Service } from "./metricsTag.js"
import type { Settings } from "./metricsConfig.js"
import { declare, definition, type Kind } from "./metricsDeclare.js"
import type { MetricDefinitionError } from "./metricsErrors.js"
import {
  recordCacheOperation,
  recordDbQuery,
  recordRequest,
  recordServiceCall,
  requestInProgress,
  timedWith
} from "./metricsTrackers.js"

const clean = (text: string | undefined): string | undefined => {
  const trimmed = text?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

/** @internal */
export const settingsOf = (options: Options): Settings => ({
  namespace: clean(options.namespace),
  subsystem: clean(options.subsystem),
  defaultLabels: options.defaultLabels ?? {},
  enabled: options.enabled ?? true
})

type Combinator = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/** @internal */
export const make = (options: Options = {}): Service => {
  const settings = settingsOf(options)
  const prefix = [settings.namespace, settings.subsystem].filter((part) => part !== undefined).join("_")
  const declareAs = (kind: Kind) =>
  (
    name: string,
    metricOptions: Parameters<typeof definition>[2] = {}
  ): Effect.Effect<never, MetricDefinitionError> =>
    Effect.suspend(() =>
      declare(definition(kind, prefix === "" ? name : `${prefix}_${name}`, metricOptions, settings.enabled))
    ) as unknown as Effect.Effect<never, MetricDefinitionError>
  const on = settings.enabled
  const off = (): Effect.Effect<void> => Effect.void
  const untimed = (): Combinator => identity
  return {
    settings,
    counter: declareAs("counter"),
    gauge: declareAs("gauge"),
    histogram: declareAs("histogram"),
    summary: declareAs("summary"),
    trackRequest: on ? (sample) => Effect.sync(() => recordRequest(sample)) : off,
    trackRequestInProgress: on
      ? ({ method, route }): Combinator => (self) =>
        Effect.suspend(() => {
          const gauge = requestInProgress(method, route)
          return Effect.acquireUseRelease(
            Effect.sync(() => gauge.unsafeInc()),
            () => self,
            () => Effect.sync(() => gauge.unsafeDec())
          )
        })
      : untimed,
    trackDbQuery: on ? (sample) => Effect.sync(() => recordDbQuery(sample)) : off,
    timedDbQuery: on
      ? ({ entity, operation }): Combinator => (self) =>
        timedWith(self, (duration, error) => recordDbQuery({ operation, entity, duration, error }))
      : untimed,
    trackServiceCall: on ? (sample) => Effect.sync(() => recordServiceCall(sample)) : off,
    timedServiceCall: on
      ? ({ action, component }): Combinator => (self) =>
        timedWith(self, (duration, error) => recordServiceCall({ component, action, duration, error }))
      : untimed,
    trackCacheOperation: on ? (sample) => Effect.sync(() => recordCacheOperation(sample)) : off
  }
}
