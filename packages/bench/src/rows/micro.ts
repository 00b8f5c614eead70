/**
 * Rows 5–7: in-process operations, each side in its own worker process (its own heap and
 * JIT), asked to run an operation for a window and report operations per second.
 */
import { type Child, start } from "../harness/child.js"
import { type Comparison, type Figure, Skipped, type Windows } from "../harness/compare.js"
import { findRedisServer, type RedisServer, startRedis } from "../harness/redis.js"

const figures: ReadonlyArray<Figure> = [{ key: "opsPerSec", unit: "ops/s", better: "higher" }]

const windows: { readonly full: Windows; readonly smoke: Windows } = {
  full: { rounds: 5, windowMs: 2_000, warmupMs: 1_500 },
  smoke: { rounds: 1, windowMs: 200, warmupMs: 100 }
}

interface Side {
  readonly label: string
  readonly worker: string
}

interface MicroSpec {
  readonly id: string
  readonly title: string
  readonly op: string
  readonly subject: Side
  readonly reference: Side
  readonly target: number
  /** Extra set-up (a Redis server); its environment goes to both workers. */
  readonly around?: () => Promise<{ readonly env: Record<string, string>; readonly close: () => Promise<void> }>
}

const micro = (spec: MicroSpec): Comparison => ({
  id: spec.id,
  title: spec.title,
  figures,
  windows,
  open: async () => {
    const extra = spec.around === undefined ? { env: {}, close: async () => {} } : await spec.around()
    const children: Array<Child> = []
    const close = async () => {
      await Promise.all(children.map((child) => child.stop()))
      await extra.close()
    }
    try {
      for (const side of [spec.subject, spec.reference]) {
        children.push(await start("worker", { args: [side.worker], env: extra.env }))
      }
    } catch (error) {
      await close()
      throw error
    }
    const [subject, reference] = children as [Child, Child]
    return {
      subject: { label: spec.subject.label, measure: (windowMs) => subject.run(spec.op, windowMs) },
      references: [{
        label: spec.reference.label,
        measure: (windowMs) => reference.run(spec.op, windowMs),
        targets: [{ figure: "opsPerSec", ratio: spec.target }]
      }],
      close
    }
  }
})

const withRedis = async () => {
  const binary = findRedisServer()
  if (binary === undefined) {
    const reason = "redis-server not found (searched STRATA_REDIS_SERVER, PATH, /usr/bin, /usr/sbin, /usr/local/bin)"
    // CI sets this: there a missing server is a broken set-up, not a skip.
    if (process.env.STRATA_REQUIRE_SERVICES === "1") throw new Error(reason)
    throw new Skipped(reason)
  }
  const server: RedisServer = await startRedis(binary)
  return { env: { BENCH_REDIS_URL: server.url }, close: server.stop }
}

const strataCache: Side = { label: "Strata", worker: "strata-cache" }
const lruCache: Side = { label: "lru-cache", worker: "lru-cache" }
const strataMetrics: Side = { label: "Strata", worker: "strata-metrics" }
const promClient: Side = { label: "prom-client", worker: "prom-client" }

/** Rows 5a, 5b, 6, 7a, 7b, 7c. */
export const rows: ReadonlyArray<Comparison> = [
  micro({
    id: "5a",
    title: "Cache `get` (hit), memory backend, from inside a running effect",
    op: "get",
    subject: strataCache,
    reference: lruCache,
    target: 0.5
  }),
  micro({
    id: "5b",
    title: "Cache `set`, memory backend, from inside a running effect",
    op: "set",
    subject: strataCache,
    reference: lruCache,
    target: 0.5
  }),
  micro({
    id: "6",
    title: "Cache `get` on Redis, 100 in flight",
    op: "get",
    subject: { label: "Strata", worker: "strata-redis" },
    reference: { label: "ioredis GET", worker: "ioredis" },
    target: 0.9,
    around: withRedis
  }),
  micro({
    id: "7a",
    title: "Metrics: counter increment with 3 labels",
    op: "counter",
    subject: strataMetrics,
    reference: promClient,
    target: 1
  }),
  micro({
    id: "7b",
    title: "Metrics: histogram observe with 3 labels",
    op: "histogram",
    subject: strataMetrics,
    reference: promClient,
    target: 1
  }),
  micro({
    id: "7c",
    title: "Metrics: render 1,000 series as Prometheus text",
    op: "render",
    subject: strataMetrics,
    reference: promClient,
    target: 1
  })
]
