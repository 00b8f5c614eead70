/**
 * The service map of one request's `Context`: the server's services plus three
 * per-request entries (the request, its scope, the node response), without copying the
 * server's map for every request — a `Map` copy is the single most expensive step of
 * starting a request fiber. Reads go to the three fields first, then to the shared map.
 * It behaves as a plain `Map` in every respect; a write (nothing in Effect writes to a
 * context's map in place, but it stays correct if something does) first copies everything
 * into the map itself.
 *
 * One more entry can be set in place: the request's server span (`Tracer.ParentSpan`), by
 * the tracing middleware before the app runs. Providing it the usual way changes the
 * fiber's context twice per request and has Effect compare the old and new contexts each
 * time, which costs more than all the rest of the tracing middleware.
 *
 * @internal
 */

/** The server's services, fixed when the app is served. @internal */
export interface Shared {
  readonly map: ReadonlyMap<string, unknown>
  /** `map`'s entries without the three per-request keys. */
  readonly entries: ReadonlyArray<readonly [string, unknown]>
  readonly requestKey: string
  readonly scopeKey: string
  readonly responseKey: string
  /** The key of the in-place span entry, and the server's own value for it (if any). */
  readonly spanKey: string | undefined
  readonly span: unknown
}

/** @internal */
export const shared = (
  map: ReadonlyMap<string, unknown>,
  requestKey: string,
  scopeKey: string,
  responseKey: string,
  spanKey?: string
): Shared => {
  const own = new Set([requestKey, scopeKey, responseKey])
  if (spanKey !== undefined) own.add(spanKey)
  const base = new Map<string, unknown>()
  for (const [key, value] of map) {
    if (!own.has(key)) base.set(key, value)
  }
  const span = spanKey === undefined ? undefined : map.get(spanKey)
  return { map: base, entries: Array.from(base), requestKey, scopeKey, responseKey, spanKey, span }
}

/** @internal */
export class RequestServices extends Map<string, unknown> {
  private materialized = false
  private span: unknown


  constructor(
    private readonly shared: Shared,
    private readonly request: unknown,
    private readonly scope: unknown,
    private readonly response: unknown
  ) {
    super()
    this.span = shared.span
  }

  /**
   * Whether the span entry can be replaced in place (not when this map has no span slot or
   * was written to and is a plain map now): otherwise provide the span the usual way.
   */
  get hasSpanSlot(): boolean {
    return !this.materialized && this.shared.spanKey !== undefined
  }

  /** Replaces the span entry in place (see `hasSpanSlot`); returns the previous value. */
  swapSpan(span: unknown): unknown {
    const previous = this.span
    this.span = span
    return previous
  }

  private all(): Array<[string, unknown]> {
    const shared = this.shared
    const out = shared.entries.slice() as Array<[string, unknown]>
    out.push([shared.requestKey, this.request], [shared.scopeKey, this.scope], [shared.responseKey, this.response])
    if (this.span !== undefined) out.push([shared.spanKey!, this.span])
    return out
  }

  private materialize(): void {
    if (this.materialized) return
    for (const [key, value] of this.all()) super.set(key, value)
    this.materialized = true
  }

  override get(key: string): unknown {
    if (this.materialized) return super.get(key)
    const shared = this.shared
    if (key === shared.requestKey) return this.request
    if (key === shared.scopeKey) return this.scope
    if (key === shared.responseKey) return this.response
    if (key === shared.spanKey) return this.span
    return shared.map.get(key)
  }

  override has(key: string): boolean {
    if (this.materialized) return super.has(key)
    const shared = this.shared
    if (key === shared.spanKey) return this.span !== undefined
    return key === shared.requestKey || key === shared.scopeKey || key === shared.responseKey || shared.map.has(key)
  }

  override get size(): number {
    return this.materialized ? super.size : this.shared.entries.length + (this.span === undefined ? 3 : 4)
  }

  override set(key: string, value: unknown): this {
    this.materialize()
    return super.set(key, value)
  }

  override delete(key: string): boolean {
    this.materialize()
    return super.delete(key)
  }

  override clear(): void {
    this.materialized = true
    super.clear()
  }

  override entries(): MapIterator<[string, unknown]> {
    return this.materialized ? super.entries() : this.all()[Symbol.iterator]()
  }

  override keys(): MapIterator<string> {
    return this.materialized ? super.keys() : this.all().map(([key]) => key)[Symbol.iterator]()
  }

  override values(): MapIterator<unknown> {
    return this.materialized ? super.values() : this.all().map(([, value]) => value)[Symbol.iterator]()
  }

  override forEach(
    callback: (value: unknown, key: string, map: Map<string, unknown>) => void,
    thisArg?: unknown
  ): void {
    if (this.materialized) return super.forEach(callback, thisArg)
    for (const [key, value] of this.all()) callback.call(thisArg, value, key, this)
  }

  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries()
  }
}
