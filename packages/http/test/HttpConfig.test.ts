import { describe, expect, it } from "@effect/vitest"
import { ConfigSource } from "@strata/core"
import { Http } from "@strata/http"
import { ConfigProvider, Duration, Effect, Exit } from "effect"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(
    ConfigProvider.constantCase(ConfigProvider.fromMap(new Map(Object.entries(env)), { pathDelim: "_" }))
  )

/** What a user sees at start-up: the message of the `ConfigurationError`. */
const startupError = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const provider = yield* ConfigSource.make({ env, file: false })
    const error = yield* Effect.flip(ConfigSource.load(Http.config).pipe(Effect.withConfigProvider(provider)))
    return error.message
  })

describe("Http.config", () => {
  it.effect("defaults", () =>
    Effect.gen(function*() {
      const options = yield* Http.config.pipe(withEnv({}))
      expect(options.timeout).toEqual({ duration: Duration.seconds(30) })
      expect(options.compression).toEqual({ minSize: 1024 })
      expect(options.envelope).toBe(false)
      expect(options.cors).toEqual({ origins: [], credentials: false })
      expect(options.metrics).toEqual({ ignore: ["/metrics", "/health", "/health/*"] })
      expect(options.securityHeaders).toEqual({})
      expect(options.secureRequest).toEqual({
        maxBodySize: 1024 * 1024,
        mediaTypes: ["application/json", "application/*+json", "application/x-www-form-urlencoded", "multipart/form-data"],
        maxUrlLength: 2048,
        maxHeaders: 100,
        maxHeaderBytes: 8192,
        blockTraversal: true
      })
      expect(options.cacheControl).toEqual({ fallback: "no-store" })
      expect(options.accessLog).toBe(false)
    }))

  it.effect("reads HTTP_*", () =>
    Effect.gen(function*() {
      const options = yield* Http.config.pipe(withEnv({
        HTTP_CORS_ORIGINS: "https://a.example.com, *.example.org",
        HTTP_CORS_CREDENTIALS: "true",
        HTTP_TIMEOUT: "5s",
        HTTP_HSTS: "off",
        HTTP_CSP: "default-src 'none'",
        HTTP_ENVELOPE: "true",
        HTTP_COMPRESSION: "false",
        HTTP_METRICS_IGNORE: "/metrics,/internal/*",
        HTTP_ACCESS_LOG: "true"
      }))
      expect(options.cors).toEqual({ origins: ["https://a.example.com", "*.example.org"], credentials: true })
      expect(options.timeout).toEqual({ duration: Duration.seconds(5) })
      expect(options.securityHeaders).toEqual({
        "strict-transport-security": false,
        "content-security-policy": "default-src 'none'"
      })
      expect(options.envelope).toBe(true)
      expect(options.compression).toBe(false)
      expect(options.metrics).toEqual({ ignore: ["/metrics", "/internal/*"] })
      expect(options.accessLog).toEqual({ ignore: ["/metrics", "/internal/*"] })
      const off = yield* Http.config.pipe(withEnv({ HTTP_TIMEOUT: "off" }))
      expect(off.timeout).toBe(false)
      const zero = yield* Http.config.pipe(withEnv({ HTTP_TIMEOUT: "0" }))
      expect(zero.timeout).toBe(false)
      // A bare number is milliseconds, as for every Strata duration.
      const bare = yield* Http.config.pipe(withEnv({ HTTP_TIMEOUT: "1500" }))
      expect(bare.timeout).toEqual({ duration: Duration.millis(1500) })
    }))

  it.effect("reads the secure request and cache control keys", () =>
    Effect.gen(function*() {
      const options = yield* Http.config.pipe(withEnv({
        HTTP_BODY_LIMIT: "64kb",
        HTTP_MEDIA_TYPES: "application/json, text/*",
        HTTP_MAX_URL_LENGTH: "512",
        HTTP_MAX_HEADERS: "20",
        HTTP_MAX_HEADER_BYTES: "4kb",
        HTTP_BLOCK_TRAVERSAL: "false",
        HTTP_CACHE_CONTROL: "private, max-age=0",
        HTTP_COMPRESSION_MIN_SIZE: "2kb"
      }))
      expect(options.secureRequest).toEqual({
        maxBodySize: 64 * 1024,
        mediaTypes: ["application/json", "text/*"],
        maxUrlLength: 512,
        maxHeaders: 20,
        maxHeaderBytes: 4096,
        blockTraversal: false
      })
      expect(options.cacheControl).toEqual({ fallback: "private, max-age=0" })
      expect(options.compression).toEqual({ minSize: 2048 })
      const off = yield* Http.config.pipe(withEnv({ HTTP_SECURE_REQUEST: "false", HTTP_CACHE_CONTROL: "off" }))
      expect(off.secureRequest).toBe(false)
      expect(off.cacheControl).toEqual({ fallback: undefined })
      const unlimited = yield* Http.config.pipe(withEnv({ HTTP_BODY_LIMIT: "none" }))
      expect(unlimited.secureRequest).toMatchObject({ maxBodySize: Number.POSITIVE_INFINITY })
    }))

  it.effect("a bad value fails naming its key", () =>
    Effect.gen(function*() {
      for (
        const [env, key, says] of [
          [{ HTTP_TIMEOUT: "soon" }, "HTTP_TIMEOUT", "Expected a duration"],
          [{ HTTP_BODY_LIMIT: "huge" }, "HTTP_BODY_LIMIT", "Expected a size"],
          [{ HTTP_MAX_HEADER_BYTES: "0" }, "HTTP_MAX_HEADER_BYTES", "at least 1"],
          [{ HTTP_MAX_URL_LENGTH: "-3" }, "HTTP_MAX_URL_LENGTH", "positive whole number"],
          [{ HTTP_MAX_HEADERS: "lots" }, "HTTP_MAX_HEADERS", "positive whole number"],
          [{ HTTP_MAX_HEADER_BYTES: "8 parsecs" }, "HTTP_MAX_HEADER_BYTES", "Expected a size"],
          [{ HTTP_SECURE_REQUEST: "maybe" }, "HTTP_SECURE_REQUEST", "true or false"],
          [{ HTTP_COMPRESSION_MIN_SIZE: "big" }, "HTTP_COMPRESSION_MIN_SIZE", "Expected a size"]
        ] as const
      ) {
        const message = yield* startupError(env)
        expect(message).toContain(key)
        expect(message).toContain(says)
      }
      const exit = yield* Effect.exit(Http.config.pipe(withEnv({ HTTP_TIMEOUT: "soon" })))
      expect(Exit.isFailure(exit) && String(exit.cause)).toContain("timeout")
    }))

  it.effect("every bad key is listed at once", () =>
    Effect.gen(function*() {
      const message = yield* startupError({ HTTP_TIMEOUT: "soon", HTTP_MAX_HEADERS: "0" })
      expect(message).toContain("HTTP_TIMEOUT")
      expect(message).toContain("HTTP_MAX_HEADERS")
    }))
})
