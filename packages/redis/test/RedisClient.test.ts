import { afterEach, beforeEach, expect, it, vi } from "@effect/vitest"
import { Health } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { TestConfig, TestServers } from "@strata/testing"
import {
  ConfigError,
  Context,
  DefaultServices,
  Effect,
  Exit,
  Fiber,
  Layer,
  Metric,
  MetricState,
  Option,
  Redacted,
  Schedule,
  Tracer
} from "effect"
import { Redis } from "ioredis"
import { countOrder, lastSeenOrNone, touch } from "../../../docs/examples/redis.js"

// Sums a metric over the series that carry `command` (or over all series).
const metric = (name: string, command?: string): Effect.Effect<number> =>
  Effect.map(Metric.snapshot, (pairs) => {
    let total = 0
    for (const { metricKey, metricState } of pairs) {
      if (metricKey.name !== name) continue
      if (command !== undefined && !metricKey.tags.some((t) => t.key === "command" && t.value === command)) continue
      if (MetricState.isCounterState(metricState)) total += Number(metricState.count)
      else if (MetricState.isHistogramState(metricState)) total += metricState.count
    }
    return total
  })

const unique = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 10)}`

// An unhandled ioredis 'error' event is printed with console.error; a leaked promise rejection
// reaches the process. Either fails the test.
let problems: Array<string> = []
const onRejection = (reason: unknown) => problems.push(`unhandledRejection: ${String(reason)}`)
beforeEach(() => {
  problems = []
  process.on("unhandledRejection", onRejection)
  vi.spyOn(console, "error").mockImplementation((...args: Array<unknown>) => {
    problems.push(args.map(String).join(" "))
  })
})
afterEach(() => {
  process.off("unhandledRejection", onRejection)
  vi.restoreAllMocks()
  expect(problems).toEqual([])
})

// A plain client to look at the server from outside.
const admin = (url: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 })
      client.on("error", () => {})
      return client
    }),
    (client) => Effect.sync(() => client.disconnect())
  )

const clientNames = (client: Redis) =>
  Effect.promise(() => client.client("LIST")).pipe(
    Effect.map((list) => String(list).split("\n").map((line) => /\bname=(\S*)/.exec(line)?.[1] ?? ""))
  )

TestServers.describeWithRedis("RedisClient", (url) => {
  const live = (options: RedisClient.Options = {}) =>
    RedisClient.layer({ url, ...options }).pipe(Layer.provideMerge(Health.layer))

  it.live("runs commands through use and counts them per command group", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const group = unique("test.set")
      const key = `${redis.prefix}${unique("k")}`
      const before = yield* metric("redis_commands_total", group)
      expect(before).toBe(0)

      expect(yield* redis.use(group, (client) => client.set(key, "v1", "PX", 10_000))).toBe("OK")
      expect(yield* redis.use(group, (client) => client.get(key))).toBe("v1")

      expect(yield* metric("redis_commands_total", group)).toBe(2)
      expect(yield* metric("redis_command_duration_seconds", group)).toBe(2)
      expect(yield* metric("redis_command_errors_total", group)).toBe(0)
    }).pipe(Effect.provide(live())))

  it.live("maps an error reply to a non-retryable RedisError and counts it", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const group = unique("test.wrongtype")
      const key = unique("list")
      yield* redis.use(group, (client) => client.lpush(key, "a"))
      const error = yield* Effect.flip(redis.use(group, (client) => client.get(key)))
      expect(error._tag).toBe("RedisError")
      expect(error.command).toBe(group)
      expect(error.message).toMatch(/^WRONGTYPE/)
      expect(error.retryable).toBe(false)
      expect(error.cause).toMatchObject({ name: "ReplyError" })
      expect(error.code).toBe("REDIS_ERROR")
      expect(error.status).toBe(503)
      expect(yield* metric("redis_command_errors_total", group)).toBe(1)
      expect(yield* metric("redis_commands_total", group)).toBe(2)
      yield* redis.use(group, (client) => client.del(key))
    }).pipe(Effect.provide(live())))

  it.live("a throwing callback becomes a non-retryable RedisError, not a defect", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const error = yield* Effect.flip(redis.use("test.bug", () => {
        throw new TypeError("not a function")
      }))
      expect(error).toMatchObject({ _tag: "RedisError", command: "test.bug", retryable: false })
      expect(error.message).toBe("not a function")
    }).pipe(Effect.provide(live())))

  it.live("interrupting use returns at once and is not counted as an error", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const group = unique("test.hang")
      const fiber = yield* Effect.fork(redis.use(group, () => new Promise<never>(() => {})))
      yield* Effect.yieldNow()
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(yield* metric("redis_commands_total", group)).toBe(1)
      expect(yield* metric("redis_command_errors_total", group)).toBe(0)
    }).pipe(Effect.provide(live())))

  it.live("a recording tracer gets a client span per command; the fiber's metric labels are kept", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const group = unique("test.traced")
      const builtIn = Context.get(DefaultServices.liveServices, Tracer.Tracer)
      const spans: Array<{ readonly name: string; readonly kind: Tracer.SpanKind }> = []
      const recording = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          spans.push({ name, kind })
          return builtIn.span(name, parent, context, links, startTime, kind, options)
        },
        context: (f) => f()
      })
      yield* redis.use(group, (client) => client.ping()).pipe(Effect.withTracer(recording))
      expect(spans).toEqual([{ name: `redis ${group}`, kind: "client" }])
      // Labels added with Effect.tagMetrics join the command label.
      yield* redis.use(group, (client) => client.ping()).pipe(Effect.tagMetrics("tenant", "t1"))
      const tagged = yield* Effect.map(Metric.snapshot, (pairs) =>
        pairs.filter(({ metricKey }) =>
          metricKey.name === "redis_commands_total" &&
          metricKey.tags.some((t) => t.key === "command" && t.value === group) &&
          metricKey.tags.some((t) => t.key === "tenant" && t.value === "t1")
        ))
      expect(tagged).toHaveLength(1)
      expect(yield* metric("redis_commands_total", group)).toBe(2)
    }).pipe(Effect.provide(live())))

  it.live("exposes the key prefix without applying it behind the caller's back", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const outside = yield* admin(url)
      expect(redis.prefix).toBe("myapp:")
      const name = unique("prefixed")
      yield* redis.use("test.set", (client) => client.set(`${redis.prefix}${name}`, "1", "PX", 10_000))
      // The key is exactly what the caller wrote, so SCAN MATCH "myapp:*" finds it as is.
      expect(yield* Effect.promise(() => outside.get(`myapp:${name}`))).toBe("1")
      expect(yield* redis.use("test.keys", (client) => client.keys(`myapp:${name}`))).toEqual([`myapp:${name}`])
      expect(yield* redis.use("test.get", (client) => client.get(name))).toBeNull()
    }).pipe(Effect.provide(live({ keyPrefix: "myapp:" })), Effect.scoped))

  it.live("registers a readiness check that is up, with the persistence mode", () =>
    Effect.gen(function*() {
      const report = yield* Health.report("readiness")
      expect(report.status).toBe("healthy")
      const check = report.checks.find((c) => c.name === "redis")
      expect(check).toMatchObject({ name: "redis", kind: "readiness", critical: true, status: "up" })
      // The shared test server runs with appendonly no: the check says so (Redis durability).
      expect(check?.details).toMatchObject({ latencyMs: expect.any(Number), aof: "off" })
      expect(JSON.stringify(check?.details)).toContain("AOF is off")
    }).pipe(Effect.provide(live())))

  it.live("layerConfig reads redis.* (env names REDIS_URL, REDIS_KEY_PREFIX, ...)", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      expect(redis.prefix).toBe("cfg:")
      expect(redis.client.options.commandTimeout).toBe(150)
      expect(redis.client.options.connectTimeout).toBe(1000)
      expect(yield* redis.use("test.ping", (client) => client.ping())).toBe("PONG")
    }).pipe(
      Effect.provide(RedisClient.layerConfig.pipe(Layer.provideMerge(Health.layer))),
      Effect.provide(TestConfig.layer(
        { redis: { commandTimeout: "150ms", connectTimeout: "1 second" } },
        { env: { REDIS_URL: url, REDIS_KEY_PREFIX: "cfg:" } }
      ))
    ))

  it.live("config defaults, and a bad duration is a ConfigError", () =>
    Effect.gen(function*() {
      const defaults = yield* RedisClient.config.pipe(Effect.provide(TestConfig.layer({})))
      expect(Redacted.value(defaults.url as Redacted.Redacted<string>)).toBe("redis://127.0.0.1:6379")
      expect(defaults).toMatchObject({
        keyPrefix: "",
        tls: false,
        startDegraded: false,
        healthCritical: true,
        autoPipelining: true
      })
      const off = yield* RedisClient.config.pipe(Effect.provide(TestConfig.layer({ redis: { autoPipelining: false } })))
      expect(off.autoPipelining).toBe(false)

      const error = yield* Effect.flip(
        RedisClient.config.pipe(Effect.provide(TestConfig.layer({ redis: { commandTimeout: "soon" } })))
      )
      expect(ConfigError.isConfigError(error)).toBe(true)
      expect(String(error)).toContain("commandTimeout")
    }))

  it.live("the request-path client has the fail-fast ioredis settings", () =>
    Effect.gen(function*() {
      const { client } = yield* RedisClient.RedisClient
      expect(client.options).toMatchObject({
        enableAutoPipelining: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        autoResendUnfulfilledCommands: false,
        commandTimeout: 200
      })
      expect(client.options.keyPrefix ?? "").toBe("")
      const delays = [1, 2, 5, 20, 100].map((attempt) => client.options.retryStrategy?.(attempt))
      for (const delay of delays) expect(delay).toBeLessThanOrEqual(2_400) // 2 s cap + 20% jitter
      expect(delays[0]).toBeLessThanOrEqual(60)
    }).pipe(Effect.provide(live())))

  it.live("duplicate gives a connection without command timeout for blocking reads, closed with its scope", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const outside = yield* admin(url)
      const name = unique("dup")
      const key = unique("queue")

      // On the request-path client a 400 ms BLPOP hits the 200 ms command timeout...
      const timedOut = yield* Effect.flip(redis.use("test.blpop", (client) => client.blpop(key, 0.4)))
      expect(timedOut).toMatchObject({ message: "Command timed out", retryable: true })

      // ...on a duplicate it waits as asked.
      yield* Effect.scoped(Effect.gen(function*() {
        const blocking = yield* redis.duplicate({ connectionName: name })
        expect(yield* clientNames(outside)).toContain(name)
        const started = performance.now()
        expect(yield* Effect.promise(() => blocking.blpop(key, 0.4))).toBeNull()
        expect(performance.now() - started).toBeGreaterThanOrEqual(350)
      }))
      yield* clientNames(outside).pipe(
        Effect.filterOrFail((names) => !names.includes(name)),
        Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds")))
      )
    }).pipe(Effect.provide(live()), Effect.scoped))

  it.live("release sends QUIT and the server sees the client gone", () =>
    Effect.gen(function*() {
      const outside = yield* admin(url)
      const name = unique("quit")
      let quits = 0
      yield* Effect.scoped(Effect.gen(function*() {
        const redis = yield* RedisClient.make({ url, redisOptions: { connectionName: name } })
        const original = redis.client.quit.bind(redis.client)
        vi.spyOn(redis.client, "quit").mockImplementation(() => {
          quits += 1
          return original()
        })
        expect(yield* clientNames(outside)).toContain(name)
        const during = yield* Health.report("readiness")
        expect(during.checks.map((c) => c.name)).toContain("redis")
      }))
      expect(quits).toBe(1)
      yield* clientNames(outside).pipe(
        Effect.filterOrFail((names) => !names.includes(name)),
        Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds")))
      )
      // The readiness check went away with the client.
      const after = yield* Health.report("readiness")
      expect(after.checks.map((c) => c.name)).not.toContain("redis")
    }).pipe(Effect.provide(Health.layer), Effect.scoped))

  it.live("the guide's examples work: count-once script, fail-open read", () =>
    Effect.gen(function*() {
      const redis = yield* RedisClient.RedisClient
      const order = unique("order")
      const before = yield* countOrder(unique("other"))
      expect(yield* countOrder(order)).toBe(before + 1)
      expect(yield* countOrder(order)).toBe(before + 1) // the same order again: not counted twice
      const user = unique("user")
      yield* touch(user, "2025-01-01")
      expect(yield* lastSeenOrNone(user)).toEqual(Option.some("2025-01-01"))
      yield* redis.use("test.del", (client) => client.del(`${redis.prefix}seen:${user}`))
    }).pipe(Effect.provide(live({ keyPrefix: unique("docs") + ":" }))))
})
