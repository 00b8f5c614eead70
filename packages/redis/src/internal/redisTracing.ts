/**
 * When a command gets a span. A span per command is what makes Redis calls visible in a
 * trace, so it is made whenever a tracer that exports spans is installed (OpenTelemetry,
 * a test tracer). With effect's built-in tracer nothing ever reads a span that has no
 * children and logs nothing, so the command runs without one: the span, its context and
 * its finalizer cost about as much CPU as the command itself.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Tracer from "effect/Tracer"

const builtIn: Tracer.Tracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/** @internal */
export const isRecording = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
  Context.get(fiber.currentDefaultServices, Tracer.Tracer) !== builtIn

/** @internal */
export const spanOptions: Tracer.SpanOptions = {
  kind: "client",
  attributes: { "db.system": "redis" },
  // It would always point at RedisClient.use, and capturing it costs more than the command.
  captureStackTrace: false
}
