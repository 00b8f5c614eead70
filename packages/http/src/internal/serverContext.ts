/**
 * The service map of one request's `Context`: the server's services plus three
 * per-request entries (the request, its scope, the node response), without copying the
 * server's map for every request — a `Map` copy is the single most expensive step of
 * starting a request fiber. Reads go to the three fields first, then to the shared map.
 * It behaves as a plain `Map` in every respect; a write (nothing in Effect writes to a
 * context's map in place, but it stays correct if something does) first copies everything
 * into the map itself.
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
}

/** @internal */
export const shared = (
  map: ReadonlyMap<string, unknown>,
  requestKey: string,
  scopeKey: string,
  responseKey: string
): Shared => {
  const own = new Set([requestKey, scopeKey, responseKey])
  const base = new Map<string, unknown>()
  for (const [key, value] of map) {
    if (!own.has(key)) base.set(key, value)
  }
  return { map: base, entries: Array.from(base), requestKey, scopeKey, responseKey }
}

/** @internal */
export class RequestServices extends Map<string, unknown> {
  private materialized = false

  constructor(
    private readonly shared: Shared,
    private readonly request: unknown,
    private readonly scope: unknown,
    private readonly response: unknown
  ) {
    super()
  }

  private all(): Array<[string, unknown]> {
    const out = this.shared.entries.slice() as Array<[string, unknown]>
    out.push([this.shared.requestKey, this.request], [this.shared.scopeKey, this.scope], [
      this.shared.responseKey,
      this.response
    ])
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
    return shared.map.get(key)
  }

  override has(key: string): boolean {
    if (this.materialized) return super.has(key)
    const shared = this.shared
    return key === shared.requestKey || key === shared.scopeKey || key === shared.responseKey || shared.map.has(key)
  }

  override get size(): number {
    return this.materialized ? super.size : this.shared.entries.length + 3
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
