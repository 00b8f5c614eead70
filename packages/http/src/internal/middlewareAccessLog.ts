/**
 * Access log middleware: one log line per request through the application's loggers (so the
 * Strata JSON format, redaction and the request context apply), with `method`, `path`
 * (without the query string, which may carry secrets), `route`, `status` and `durationMs`
 * as annotations. Nothing is measured or built when the level is below the fiber's minimum.
 *
 * The line is handed to the loggers (all but effect's tracer logger) as `Effect.log` does it
 * (same level check, annotations, log spans, clock and redaction context), from plain code:
 * `Effect.annotateLogs` around a log effect sets two fiber refs and rebuilds the annotation
 * map, several times the cost of the logging itself. Strata's loggers take the line's
 * fields as a plain record beside the fiber's annotations; only other loggers get them
 * merged into an annotation `HashMap`.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Inspectable from "effect/Inspectable"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import * as middlewareExit from "./middlewareExit.js"
import { ignoreMatcher, pathOf } from "./middlewareObserve.js"

/** Strata's loggers' way of taking a record of fields (see `@strata/core`'s `loggingFields`). */
const logWithFieldsKey = Symbol.for("@strata/core/Logging/logWithFields")

/** @internal */
export interface Settings {
  readonly level: LogLevel.LogLevel
  readonly message: string
  readonly ignore: ReadonlyArray<string>
}

const emit = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  level: LogLevel.LogLevel,
  message: ReadonlyArray<unknown>,
  fields: Readonly<Record<string, unknown>>
): void => {
  const loggers = fiber.getFiberRef(FiberRef.currentLoggers)
  if (HashSet.size(loggers) === 0) return
  const current = fiber.getFiberRef(FiberRef.currentLogAnnotations)
  const context = fiber.getFiberRefs()
  const options: Logger.Logger.Options<unknown> = {
    fiberId: fiber.id(),
    logLevel: level,
    message,
    cause: Cause.empty,
    context,
    spans: fiber.getFiberRef(FiberRef.currentLogSpan),
    annotations: current,
    date: new Date(Context.get(fiber.currentDefaultServices, Clock.Clock).unsafeCurrentTimeMillis())
  }
  let merged: Logger.Logger.Options<unknown> | undefined
  Inspectable.withRedactableContext(context, () => {
    for (const logger of loggers) {
      // effect's tracer logger would copy the line onto the request's span as an event: the
      // span already has all of it (method, path, route, status, duration).
      if (logger === Logger.tracerLogger) continue
      // Strata's loggers take the fields as they are; others get them as annotations.
      const withFields: unknown = Reflect.get(logger, logWithFieldsKey)
      if (typeof withFields === "function") {
        withFields(options, fields)
        continue
      }
      merged ??= Object.assign({}, options, {
        annotations: HashMap.mutate(current, (map) => {
          for (const key in fields) HashMap.set(map, key, fields[key])
        })
      })
      logger.log(merged)
    }
  })
}

/** @internal */
export const make = (settings: Settings) => {
  const ignored = ignoreMatcher(settings.ignore)
  const message = [settings.message]
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.withFiberRuntime((fiber, status) => {
      if (LogLevel.greaterThan(fiber.getFiberRef(FiberRef.currentMinimumLogLevel), settings.level)) return app
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      const path = pathOf(request.url)
      if (ignored(path)) return app
      // The router records the route template on the request's span (of `tracing`, outside).
      const span = fiber.currentContext.unsafeMap.get(Tracer.ParentSpan.key) as Tracer.AnySpan | undefined
      const start = performance.now()
      return middlewareExit.observe(status, app, (done) => {
        const route = span !== undefined && span._tag === "Span" ? span.attributes.get("http.route") : undefined
        // In this order in the line (Strata's loggers keep it): method, path, route, status, duration.
        const fields: Record<string, unknown> = { method: request.method, path }
        if (typeof route === "string") fields.route = route
        fields.status = middlewareExit.statusOf(done)
        fields.durationMs = Math.round((performance.now() - start) * 100) / 100
        emit(fiber, settings.level, message, fields)
      })
    })
}
