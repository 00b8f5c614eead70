/**
 * The request's server span, started and ended as `Effect.useSpan` does it (same tracer,
 * parent, links, fiber-level annotations, clock and timing switch), from plain code inside
 * the middleware's own `withFiberRuntime`: `useSpan` adds several effect steps per request
 * for the same result.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

const zero = BigInt(0)

/** The span a new span is the child of: the nearest one whose propagation is not disabled. */
const propagating = (span: Option.Option<Tracer.AnySpan>): Option.Option<Tracer.AnySpan> => {
  let current = span
  while (current._tag === "Some" && Context.get(current.value.context, Tracer.DisablePropagation)) {
    current = current.value._tag === "Span" ? current.value.parent : Option.none()
  }
  return current
}

/** @internal */
export interface Started {
  readonly span: Tracer.Span
  readonly end: (exit: Exit.Exit<unknown, unknown>) => void
}

/**
 * Starts a span on the fiber's tracer; `undefined` when tracing is disabled on the fiber
 * (use `Effect.useSpan`, which makes its no-op span, then).
 *
 * @internal
 */
export const start = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  name: string,
  options: Tracer.SpanOptions & { readonly attributes: Readonly<Record<string, unknown>> }
): Started | undefined => {
  if (!fiber.getFiberRef(FiberRef.currentTracerEnabled)) return undefined
  const parent = options.parent !== undefined
    ? Option.some(options.parent)
    : propagating(Context.getOption(fiber.currentContext, Tracer.ParentSpan))
  const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
  const timing = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
  const links = Chunk.toReadonlyArray(fiber.getFiberRef(FiberRef.currentTracerSpanLinks))
  const span = fiber.currentTracer.span(
    name,
    parent,
    Context.empty(),
    options.links === undefined ? links : [...links, ...options.links],
    timing ? clock.unsafeCurrentTimeNanos() : zero,
    options.kind ?? "internal",
    options
  )
  const annotations = fiber.getFiberRef(FiberRef.currentTracerSpanAnnotations)
  if (HashMap.size(annotations) > 0) HashMap.forEach(annotations, (value, key) => span.attribute(key, value))
  for (const key in options.attributes) span.attribute(key, options.attributes[key])
  const end = (exit: Exit.Exit<unknown, unknown>): void => {
    if (span.status._tag !== "Ended") span.end(timing ? clock.unsafeCurrentTimeNanos() : zero, exit)
  }
  return { span, end }
}
