/**
 * The data every micro benchmark uses, identical for subject and reference.
 */

/** The number of distinct cache keys (the memory cache holds all of them: no eviction). */
export const keyCount = 10_000

/** Operations per batch between two clock reads. */
export const batchSize = 1_000

/** A small record, as an application would cache a user. */
export interface User {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly active: boolean
}

/** `user:0` … `user:9999`. */
export const keys: ReadonlyArray<string> = Array.from({ length: keyCount }, (_, i) => `user:${i}`)

/** One user per key. */
export const users: ReadonlyArray<User> = keys.map((_, i) => ({
  id: i,
  name: `User ${i}`,
  email: `user${i}@example.com`,
  active: i % 2 === 0
}))

/** The TTL both caches give every entry (Strata's default). */
export const ttlMs = 5 * 60_000

/** Label sets of the metrics benchmark: realistic method/route/status triples. */
export const labelSets: ReadonlyArray<{ readonly method: string; readonly route: string; readonly status: number }> = [
  { method: "GET", route: "/users/:id", status: 200 },
  { method: "GET", route: "/users", status: 200 },
  { method: "POST", route: "/users", status: 201 },
  { method: "GET", route: "/orders/:id", status: 200 },
  { method: "GET", route: "/orders/:id", status: 404 },
  { method: "PUT", route: "/orders/:id", status: 200 },
  { method: "DELETE", route: "/orders/:id", status: 204 },
  { method: "GET", route: "/health", status: 200 }
]

/** Series the render benchmark creates in each of its two metrics (so 1,000 in all). */
export const renderSeriesPerMetric = 500

/** Duration buckets (Prometheus' client defaults), the same for both libraries. */
export const buckets: ReadonlyArray<number> = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Throws when a self-check of a worker fails: a broken harness must not produce numbers. */
export const check = (ok: boolean, message: string): void => {
  if (!ok) throw new Error(`self-check failed: ${message}`)
}
