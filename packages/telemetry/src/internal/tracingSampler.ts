/**
 * Parent-based ratio sampling around an effect `Tracer` (the OTLP tracer of
 * `@effect/opentelemetry` records every span). A root span is kept with probability
 * `ratio`; every other span follows its parent's decision, local or remote (the
 * `traceparent` flag), so a trace is exported whole or not at all.
 *
 * A dropped span still has a trace id and a span id (logs written inside it carry them,
 * and outgoing calls propagate "not sampled"), but records nothing and exports nothing.
 *
 * @internal
 */
import type * as Context from "effect/Context"
import type * as Exit from "effect/Exit"
import type * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

const hex = "0123456789abcdef"

const randomId = (length: number): string => {
  let out = ""
  for (let i = 0; i < length; i++) out += hex[Math.floor(Math.random() * 16)]
  return out
}

const noAttributes: ReadonlyMap<string, unknown> = new Map()
const noLinks: ReadonlyArray<Tracer.SpanLink> = []

class UnsampledSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly sampled = false
  readonly traceId: string
  readonly spanId: string
  readonly attributes = noAttributes
  readonly links = noLinks
  status: Tracer.SpanStatus

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = parent._tag === "Some" ? parent.value.traceId : randomId(32)
    this.spanId = randomId(16)
    this.status = { _tag: "Started", startTime }
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }

  attribute(): void {}

  event(): void {}

  addLinks(): void {}
}

/** @internal */
export const parentBasedRatio = (tracer: Tracer.Tracer, ratio: number): Tracer.Tracer => {
  if (ratio >= 1) return tracer
  return Tracer.make({
    span(name, parent, context, links, startTime, kind, options) {
      // a root decision is a plain draw: children never re-decide, so it need not derive from the trace id
      const keep = parent._tag === "Some" ? parent.value.sampled : ratio > 0 && Math.random() < ratio
      return keep
        ? tracer.span(name, parent, context, links, startTime, kind, options)
        : new UnsampledSpan(name, parent, context, startTime, kind)
    },
    context: (f, fiber) => tracer.context(f, fiber)
  })
}
