/**
 * The service map of one request's `Context`: the server's services plus three
 * per-request entries (the request, its scope, the node response), without copying the
 * server's map for every request — a `Map` copy is the single most expensive step of
 * starting a request fiber. Reads go to the three fields first, then to the shared map.
 * It behaves as a plain `Map` in every respect; a write (nothing in Effect writes to a
 * context's map in place, but it stays correct if something does) first copies everything
 * into the map itself.
 *
 * A few more entries ("slots") can be replaced in place: the request's server span
 * (`Tracer.ParentSpan`, by the tracing middleware) and the matched route with its search
 * params (`RouteContext`, `ParsedSearchParams`, by the router). Providing them the usual
 * way copies the context and changes the fiber's context twice per request (each a copy of
 * the fiber's refs), which costs more than the middleware or the route lookup themselves.
 *
 * @internal
 */

/** The server's services, fixed when the app is served. @internal */
export interface Shared {
  readonly map: ReadonlyMap<string, unknown>
  /** `map`'s entries without the per-request keys and the slots. */
  readonly entries: ReadonlyArray<readonly [string, unknown]>
  readonly requestKey: string
  readonly scopeKey: string
  readonly responseKey: string
  /** Keys whose entries can be replaced in place, and the server's own values for them. */
  readonly slotKeys: ReadonlyArray<string>
  readonly slotDefaults: ReadonlyArray<unknown>
}

/** @internal */
export const shared = (
  map: ReadonlyMap<string, unknown>,
  requestKey: string,
  scopeKey: string,
  responseKey: string,
  slotKeys: ReadonlyArray<string> = []
): Shared => {
  const own = new Set([requestKey, scopeKey, responseKey, ...slotKeys])
  const base = new Map<string, unknown>()
  for (const [key, value] of map) {
    if (!own.has(key)) base.set(key, value)
  }
  const slotDefaults = slotKeys.map((key) => map.get(key))
  return { map: base, entries: Array.from(base), requestKey, scopeKey, responseKey, slotKeys, slotDefaults }
}

/** @internal */
export class RequestServices extends Map<string, unknown> {
  private materialized = false
  /** The slots' values, made on the first replacement (until then: the defaults). */
  private slots: Array<unknown> | undefined = undefined

  constructor(
    private readonly shared: Shared,
    private readonly request: unknown,
    private readonly scope: unknown,
    private readonly response: unknown
  ) {
    super()
  }

  /**
   * Whether the entry under `key` can be replaced in place (not when `key` has no slot or
   * this map was written to and is a plain map now): otherwise provide it the usual way.
   */
  canReplace(key: string): boolean {
    return !this.materialized && this.shared.slotKeys.includes(key)
  }

  /** Replaces the entry of a slot in place (see `canReplace`); returns the previous value. */
  replace(key: string, value: unknown): unknown {
    const index = this.shared.slotKeys.indexOf(key)
    const slots = this.slots ??= this.shared.slotDefaults.slice()
    const previous = slots[index]
    slots[index] = value
    return previous
  }

  private slotValues(): ReadonlyArray<unknown> {
    return this.slots ?? this.shared.slotDefaults
  }

  private all(): Array<[string, unknown]> {
    const shared = this.shared
    const out = shared.entries.slice() as Array<[string, unknown]>
    out.push([shared.requestKey, this.request], [shared.scopeKey, this.scope], [shared.responseKey, this.response])
    const values = this.slotValues()
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== undefined) out.push([shared.slotKeys[i]!, values[i]])
    }
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
    const slot = shared.slotKeys.indexOf(key)
    if (slot !== -1) return this.slotValues()[slot]
    return shared.map.get(key)
  }

  override has(key: string): boolean {
    if (this.materialized) return super.has(key)
    const shared = this.shared
    const slot = shared.slotKeys.indexOf(key)
    if (slot !== -1) return this.slotValues()[slot] !== undefined
    return key === shared.requestKey || key === shared.scopeKey || key === shared.responseKey || shared.map.has(key)
  }

  override get size(): number {
    if (this.materialized) return super.size
    let size = this.shared.entries.length + 3
    for (const value of this.slotValues()) if (value !== undefined) size++
    return size
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
