import { describe, expect, it } from "@effect/vitest"
import { Http } from "@strata/http"
import { ConfigProvider, Duration, Effect, Exit } from "effect"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(
    ConfigProvider.constantCase(ConfigProvider.fromMap(new Map(Object.entries(env)), { pathDelim: "_" }))
  )

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
    }))

  it.effect("rejects a bad timeout", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Http.config.pipe(withEnv({ HTTP_TIMEOUT: "soon" })))
      expect(Exit.isFailure(exit)).toBe(true)
    }))
})
