import { afterEach, beforeEach, expect, it, vi } from "@effect/vitest"
import { Health } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { LogCapture, TestServers } from "@strata/testing"
import { Duration, Effect, Fiber, Layer, Metric, MetricState, Schedule } from "effect"
import { Redis } from "ioredis"

// Outages against a dedicated redis-server that the tests stop, pause and start again.
// Times are real: the fail-fast bound (250 ms) is about the wall clock.

const connectionErrors: Effect.Effect<number> = Effect.map(Metric.snapshot, (pairs) => {
  const pair = pairs.find((p) => p.metricKey.name === "redis_connection_errors_total")
  return pair !== undefined && MetricState.isCounterState(pair.metricState) ? Number(pair.metricState.count) : 0
})

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

const admin = (url: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 })
      client.on("error", () => {})
      return client
    }),
    (client) => Effect.sync(() => client.disconnect())
  )

// Real elapsed time of an effect.
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<[A, number], E, R> =>
  Effect.suspend(() => {
    const started = performance.now()
    return Effect.map(effect, (a): [A, number] => [a, performance.now() - started])
  })

// Polls until the effect succeeds, for at most `deadline` (real time).
const eventually = <A, E, R>(effect: Effect.Effect<A, E, R>, deadline: Duration.DurationInput = "10 seconds") =>
  Effect.retry(effect, Schedule.spaced("25 millis").pipe(Schedule.upTo(deadline)))

const redisCheck = Effect.map(Health.report("readiness"), (report) => ({
  status: report.status,
  check: report.checks.find((c) => c.name === "redis")
}))

TestServers.describeWithRedis("RedisClient outages", () => {
  it.live("fails fast while Redis is down, reports it, and reconnects by itself", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      const redis = yield* RedisClient.make({ url: server.url })
      expect(yield* redis.use("outage.ping", (c) => c.ping())).toBe("PONG")
      const errorsBefore = yield* connectionErrors

      yield* server.stop
      for (let i = 0; i < 5; i++) {
        const [error, ms] = yield* timed(Effect.flip(redis.use("outage.get", (c) => c.get("k"))))
        expect(error).toMatchObject({ _tag: "RedisError", command: "outage.get", retryable: true })
        expect(ms).toBeLessThan(250)
      }
      const down = yield* redisCheck
      expect(down.status).toBe("unhealthy")
      expect(down.check).toMatchObject({ status: "down", critical: true })
      // Every failed reconnect attempt is counted...
      yield* eventually(Effect.filterOrFail(connectionErrors, (n) => n >= errorsBefore + 2))

      yield* server.start
      expect(yield* eventually(redis.use("outage.ping", (c) => c.ping()))).toBe("PONG")
      expect(yield* redis.use("outage.set", (c) => c.set("k", "back"))).toBe("OK")
      expect((yield* redisCheck).status).toBe("healthy")
      // ...but the outage is logged once, and the recovery once.
      const lines = (yield* LogCapture.messages).filter((m) => m.startsWith("redis: "))
      expect(lines.filter((m) => /^redis: connection (lost|error)/.test(m))).toHaveLength(1)
      expect(lines.filter((m) => /^redis: reconnected after \d+ connection errors?$/.test(m))).toHaveLength(1)
    }).pipe(Effect.provide(Layer.merge(Health.layer, LogCapture.layer)), Effect.scoped))

  it.live("a hung server costs the command timeout, not more", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      const outside = yield* admin(server.url)
      const redis = yield* RedisClient.make({ url: server.url })
      // CLIENT PAUSE ALL: the connection stays open but nothing is answered, like a stuck server
      // (until the pause ends: even CLIENT UNPAUSE waits).
      yield* Effect.promise(() => outside.client("PAUSE", 600, "ALL"))
      const [error, ms] = yield* timed(Effect.flip(redis.use("hung.get", (c) => c.get("k"))))
      expect(error).toMatchObject({ message: "Command timed out", retryable: true })
      expect(ms).toBeGreaterThanOrEqual(150)
      expect(ms).toBeLessThan(250)
      expect((yield* redisCheck).check?.status).toBe("down")
      expect(yield* eventually(redis.use("hung.ping", (c) => c.ping()))).toBe("PONG")
    }).pipe(Effect.provide(Health.layer), Effect.scoped))

  it.live("fails the layer quickly with a typed error when Redis is unreachable at start-up", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      yield* server.stop
      const url = server.url.replace("redis://", "redis://app:hunter2@")
      const layer = RedisClient.layer({ url, connectTimeout: "500 millis" }).pipe(Layer.provide(Health.layer))
      const [error, ms] = yield* timed(Effect.flip(Layer.build(layer).pipe(Effect.scoped)))
      expect(error).toMatchObject({ _tag: "RedisError", command: "connect", retryable: true })
      expect(error.message).toContain("ECONNREFUSED")
      expect(error.message).toContain("app:***@")
      expect(error.message).not.toContain("hunter2")
      expect(ms).toBeLessThan(1_000)
    }).pipe(Effect.scoped))

  it.live("a connect that hangs fails after the connect timeout", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      const outside = yield* admin(server.url)
      // TCP connects, but the ready check (INFO) is never answered.
      yield* Effect.promise(() => outside.client("PAUSE", 800, "ALL"))
      const [error, ms] = yield* timed(Effect.flip(
        RedisClient.make({ url: server.url, connectTimeout: "300 millis", commandTimeout: "100 millis" })
      ))
      expect(error).toMatchObject({ _tag: "RedisError", command: "connect" })
      expect(ms).toBeLessThan(800)
    }).pipe(Effect.provide(Health.layer), Effect.scoped))

  it.live("startDegraded builds without Redis and connects when it comes", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      yield* server.stop
      const redis = yield* RedisClient.make({ url: server.url, startDegraded: true, reconnectMaxDelay: "200 millis" })
      const [error, ms] = yield* timed(Effect.flip(redis.use("degraded.get", (c) => c.get("k"))))
      expect(error).toMatchObject({ retryable: true })
      expect(error.message).toMatch(/^Redis is not connected/)
      expect(ms).toBeLessThan(250)
      expect((yield* redisCheck).status).toBe("unhealthy")

      yield* server.start
      expect(yield* eventually(redis.use("degraded.ping", (c) => c.ping()))).toBe("PONG")
      expect((yield* redisCheck).status).toBe("healthy")
    }).pipe(Effect.provide(Health.layer), Effect.scoped))

  it.live("a non-critical check makes an outage degraded, not unhealthy", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      yield* RedisClient.make({ url: server.url, healthCritical: false })
      yield* server.stop
      expect((yield* redisCheck).status).toBe("degraded")
    }).pipe(Effect.provide(Health.layer), Effect.scoped))

  // A command in flight when the connection drops: ioredis's default re-sends it after the
  // reconnect (an INCR may then apply twice); the Strata client fails it and does not re-send.
  // CLIENT PAUSE WRITE holds the INCR inside the server; CLIENT KILL then cuts the connection.
  const inFlightIncr = (url: string, name: string, run: (key: string) => Promise<unknown>) =>
    Effect.gen(function*() {
      const outside = yield* admin(url)
      const key = "counter"
      const connection = (predicate: (line: string) => boolean) =>
        eventually(Effect.flatMap(
          Effect.promise(() => outside.client("LIST")),
          (list) => Effect.fromNullable(String(list).split("\n").find((l) => l.includes(` name=${name} `) && predicate(l)))
        ))
      const idOf = (line: string) => /\bid=(\d+)/.exec(line)?.[1] ?? ""
      const first = idOf(yield* connection(() => true))
      yield* Effect.promise(() => outside.client("PAUSE", 3000, "WRITE"))
      const fiber = yield* Effect.fork(Effect.either(Effect.tryPromise(() => run(key))))
      yield* connection((line) => /\bcmd=incr\b/.test(line))
      yield* Effect.promise(() => outside.client("KILL", "ID", first))
      // Reconnected (a new connection id), then let writes through.
      yield* connection((line) => idOf(line) !== first)
      yield* Effect.promise(() => outside.client("UNPAUSE"))
      const result = yield* Fiber.join(fiber)
      return { result, value: yield* Effect.promise(() => outside.get(key)) }
    })

  it.live("does not re-send an in-flight INCR after a reconnect", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      const redis = yield* RedisClient.make({
        url: server.url,
        reconnectMaxDelay: "100 millis",
        redisOptions: { connectionName: "strata" }
      })
      const { result, value } = yield* inFlightIncr(
        server.url,
        "strata",
        (key) => Effect.runPromise(redis.use("resend.incr", (c) => c.incr(key)))
      )
      expect(result._tag).toBe("Left") // the caller got a RedisError at once...
      expect(value).toBeNull() // ...and the INCR was not sent again after the reconnect
    }).pipe(Effect.provide(Health.layer), Effect.scoped))

  it.live("documents the hazard: ioredis's defaults re-send it", () =>
    Effect.gen(function*() {
      const server = yield* TestServers.redisServer()
      const plain = yield* Effect.acquireRelease(
        Effect.sync(() => {
          const client = new Redis(server.url, { retryStrategy: () => 50, connectionName: "plain" })
          client.on("error", () => {})
          return client
        }),
        (client) => Effect.sync(() => client.disconnect())
      )
      yield* Effect.promise(() => plain.ping())
      const { result, value } = yield* inFlightIncr(server.url, "plain", (key) => plain.incr(key))
      expect(result._tag).toBe("Right") // the caller sees a success after the reconnect...
      expect(value).toBe("1") // ...because ioredis wrote the INCR a second time on the new connection
    }).pipe(Effect.scoped))
})
