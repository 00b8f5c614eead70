/**
 * Rows 5–7: in-process operations, each side in its own worker process (its own heap and
 * JIT). Per round each side runs every operation of the row for a window and reports
 * operations per second.
 */
import { type Child, start } from "../harness/child.js"
import { type Comparison, type Figure, Skipped, type Windows } from "../harness/compare.js"
import type { Figures } from "../harness/protocol.js"
import { findRedisServer, type RedisServer, startRedis } from "../harness/redis.js"

const windows: { readonly full: Windows; readonly smoke: Windows } = {
  full: { rounds: 5, windowMs: 2_000, warmupMs: 1_500 },
  smoke: { rounds: 1, windowMs: 200, warmupMs: 100 }
}

interface Side {
  readonly label: string
  readonly worker: string
}

interface Operation {
  /** The worker's name of the operation, also the figure key. */
  readonly op: string
  readonly label: string
  readonly target: number
}

/**
 * A second, informational reference run by the reference's worker: its operations are the
 * row's with `suffix` (`get-effect`, `get-pipelined`).
 */
interface Floor {
  readonly label: string
  readonly suffix: string
}

interface MicroSpec {
  readonly id: string
  readonly title: string
  readonly operations: ReadonlyArray<Operation>
  readonly subject: Side
  readonly reference: Side
  readonly floor?: Floor
  /** Extra set-up (a Redis server); its environment goes to both workers. */
  readonly around?: () => Promise<{ readonly env: Record<string, string>; readonly close: () => Promise<void> }>
}

const measure = (label: string, child: Child, operations: ReadonlyArray<Operation>, suffix = "") =>
async (windowMs: number) => {
  const figures: Record<string, number> = {}
  for (const { op } of operations) {
    const result = await child.run(op + suffix, windowMs)
    // every read must find its value: a miss means the side measured something else
    if ((result.misses ?? 0) > 0) throw new Error(`${label}: ${result.misses} of its ${op} reads missed`)
    figures[op] = result.opsPerSec ?? NaN
  }
  return figures as Figures
}

const micro = (spec: MicroSpec): Comparison => ({
  id: spec.id,
  title: spec.title,
  figures: spec.operations.map((o): Figure => ({ key: o.op, label: o.label, unit: "ops/s", better: "higher" })),
  windows,
  open: async () => {
    const extra = spec.around === undefined ? { env: {}, close: async () => {} } : await spec.around()
    const started = await Promise.allSettled(
      [spec.subject, spec.reference].map((side) => start("worker", { args: [side.worker], env: extra.env }))
    )
    const children = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []))
    const close = async () => {
      await Promise.all(children.map((child) => child.stop()))
      await extra.close()
    }
    const failed = started.find((result) => result.status === "rejected")
    if (failed !== undefined) {
      await close()
      throw failed.reason
    }
    const [subject, reference] = children as [Child, Child]
    return {
      subject: { label: spec.subject.label, measure: measure(spec.subject.label, subject, spec.operations) },
      references: [
        {
          label: spec.reference.label,
          measure: measure(spec.reference.label, reference, spec.operations),
          targets: spec.operations.map((o) => ({ figure: o.op, ratio: o.target }))
        },
        ...(spec.floor === undefined ? [] : [{
          label: spec.floor.label,
          measure: measure(spec.floor.label, reference, spec.operations, spec.floor.suffix),
          targets: []
        }])
      ],
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

/** Rows 5, 6 and 7. */
export const rows: ReadonlyArray<Comparison> = [
  micro({
    id: "5",
    title: "Cache get (hit) / set, memory backend, from inside a running effect",
    operations: [
      { op: "get", label: "get ops/s", target: 0.5 },
      { op: "set", label: "set ops/s", target: 0.5 }
    ],
    subject: { label: "Strata", worker: "strata-cache" },
    reference: { label: "lru-cache", worker: "lru-cache" },
    // what any API returning an Effect costs from inside an effect: lru-cache behind one `yield*`
    floor: { label: "lru-cache, one `yield* Effect.sync` per call", suffix: "-effect" }
  }),
  micro({
    id: "6",
    title: "Cache get on Redis, 100 in flight",
    operations: [{ op: "get", label: "get ops/s", target: 0.9 }],
    subject: { label: "Strata", worker: "strata-redis" },
    reference: { label: "ioredis GET", worker: "ioredis" },
    // like for like: Strata's RedisClient pipelines by default
    floor: { label: "ioredis GET, `enableAutoPipelining`", suffix: "-pipelined" },
    around: withRedis
  }),
  micro({
    id: "7",
    title: "Metrics: counter increment and histogram observe with 3 labels; render 1,000 series",
    operations: [
      { op: "counter", label: "inc ops/s", target: 1 },
      { op: "histogram", label: "observe ops/s", target: 1 },
      { op: "render", label: "renders/s", target: 1 }
    ],
    subject: { label: "Strata", worker: "strata-metrics" },
    reference: { label: "prom-client", worker: "prom-client" }
  })
]
