import { describe, expect, it } from "@effect/vitest"
import { ConfigValues } from "@strata/core"
import { RedisClient } from "@strata/redis"
import { Duration, Either, Redacted } from "effect"
import { ioredisOptions, resolve, retryDelay } from "../src/internal/redisConfig.js"
import { fromCause } from "../src/internal/redisError.js"

describe("RedisClient settings", () => {
  it("durations follow the Strata rule: effect's form, short forms, bare milliseconds", () => {
    const ms = (text: string) => Either.map(ConfigValues.parseDuration(text), Duration.toMillis)
    expect(ms("200 millis")).toEqual(Either.right(200))
    expect(ms("200ms")).toEqual(Either.right(200))
    expect(ms("2s")).toEqual(Either.right(2000))
    expect(ms("1.5 s")).toEqual(Either.right(1500))
    expect(ms("1m")).toEqual(Either.right(60_000))
    expect(ms(" 250 ")).toEqual(Either.right(250))
    expect(ms("2 seconds")).toEqual(Either.right(2000))
    expect(Either.isLeft(ms("soon"))).toBe(true)
    expect(Either.isLeft(ms("-5ms"))).toBe(true)
  })

  it("fills in the defaults", () => {
    const settings = resolve()
    expect(Redacted.value(settings.url)).toBe("redis://127.0.0.1:6379")
    expect(settings).toMatchObject({
      keyPrefix: "",
      connectTimeoutMs: 2000,
      commandTimeoutMs: 200,
      tls: false,
      healthTimeoutMs: 1000,
      reconnectMaxDelayMs: 2000,
      startDegraded: false,
      healthCritical: true,
      autoPipelining: true
    })
    expect(ioredisOptions(resolve()).enableAutoPipelining).toBe(true)
    expect(ioredisOptions(resolve({ autoPipelining: false })).enableAutoPipelining).toBe(false)
  })

  it("turns TLS on when asked and lets raw ioredis options win", () => {
    expect(ioredisOptions(resolve({ tls: true })).tls).toEqual({})
    expect(ioredisOptions(resolve()).tls).toBeUndefined()
    const raw = ioredisOptions(resolve({ commandTimeout: "1 second", redisOptions: { connectionName: "app" } }))
    expect(raw).toMatchObject({ commandTimeout: 1000, connectionName: "app", lazyConnect: true })
  })

  it("backs off exponentially with jitter up to the cap, and never gives up", () => {
    for (let attempt = 1; attempt <= 50; attempt++) {
      const delay = retryDelay(attempt, 2000)
      expect(delay).toBeGreaterThanOrEqual(1)
      expect(delay).toBeLessThanOrEqual(2400)
    }
    expect(retryDelay(1, 2000)).toBeLessThanOrEqual(60)
    expect(retryDelay(4, 2000)).toBeGreaterThanOrEqual(320) // 400 ± 20%
    expect(retryDelay(1000, 2000)).toBeGreaterThanOrEqual(1600)
  })

  it("redacts the password of a URL", () => {
    expect(RedisClient.redactUrl("redis://app:s3cret@cache:6379/0")).toBe("redis://app:***@cache:6379/0")
    expect(RedisClient.redactUrl("rediss://:s3cret@cache:6380")).toBe("rediss://:***@cache:6380")
    expect(RedisClient.redactUrl(Redacted.make("redis://cache:6379"))).toBe("redis://cache:6379")
  })

  it("classifies failures: connection-class and transient replies are retryable, the rest is not", () => {
    const reply = (message: string) => Object.assign(new Error(message), { name: "ReplyError" })
    expect(fromCause("c", reply("WRONGTYPE Operation against a key")).retryable).toBe(false)
    expect(fromCause("c", reply("LOADING Redis is loading the dataset")).retryable).toBe(true)
    expect(fromCause("c", reply("READONLY You can't write against a read only replica.")).retryable).toBe(true)
    expect(fromCause("c", new Error("Command timed out"))).toMatchObject({ retryable: true, message: "Command timed out" })
    expect(fromCause("c", new Error("Connection is closed."))).toMatchObject({ retryable: true })
    expect(fromCause("c", new Error("Stream isn't writeable and enableOfflineQueue options is false"), "connecting"))
      .toMatchObject({ retryable: true, message: "Redis is not connected (connecting)" })
    const lost = Object.assign(new Error("Reached the max retries per request limit (which is 0)."), {
      name: "MaxRetriesPerRequestError"
    })
    expect(fromCause("c", lost).message).toMatch(/may or may not have been applied/)
    expect(fromCause("c", Object.assign(new Error("read ECONNRESET"), { syscall: "read" })).retryable).toBe(true)
    expect(fromCause("c", new TypeError("x is not a function")).retryable).toBe(false)
    expect(fromCause("c", "odd")).toMatchObject({ retryable: false, message: "odd" })
  })
})
