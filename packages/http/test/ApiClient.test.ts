import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Errors, RequestContext } from "@strata/core"
import { ApiClient } from "@strata/http"
import { Metrics } from "@strata/telemetry"
import { LogCapture } from "@strata/testing"
import {
  Cause,
  Chunk,
  Effect,
  Exit,
  Fiber,
  Layer,
  Metric,
  MetricState,
  Option,
  Queue,
  Schema,
  TestClock,
  Tracer
} from "effect"
import type { Scope } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

// --- A local server that fails on purpose -------------------------------------------------

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** How the server answers its n-th request (1-based). Doing nothing leaves the request hanging. */
type Reply = (n: number, seen: Seen, res: Http.ServerResponse) => void

interface TestServer {
  readonly url: string
  readonly seen: Array<Seen>
  /** Resolves as each request arrives. */
  readonly arrivals: Queue.Queue<Seen>
}

const json = (res: Http.ServerResponse, status: number, body: unknown, headers: Http.OutgoingHttpHeaders = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const urlOf = (http: Http.Server): string => `http://127.0.0.1:${(http.address() as AddressInfo).port}`

const server = (reply: Reply): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const arrivals = yield* Queue.unbounded<Seen>()
    const seen: Array<Seen> = []
    const http = Http.createServer((req, res) => {
      let body = ""
      req.setEncoding("utf8")
      req.on("data", (chunk: string) => body += chunk)
      req.on("end", () => {
        const request: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body }
        seen.push(request)
        Queue.unsafeOffer(arrivals, request)
        reply(seen.length, request, res)
      })
    })
    const url = yield* Effect.acquireRelease(
      Effect.async<string>((resume) => {
        http.listen(0, "127.0.0.1", () => resume(Effect.succeed(urlOf(http))))
      }),
      () =>
        Effect.async<void>((resume) => {
          http.closeAllConnections()
          http.close(() => resume(Effect.void))
        })
    )
    return { url, seen, arrivals }
  })

/**
 * Runs `effect` in a fiber and advances the TestClock to each pending sleep no further than
 * `horizon` ahead (the backoff waits), recording each step; between checks it lets real I/O
 * run. Timeouts of attempts in flight lie beyond the horizon and are left alone.
 */
const drive = <A, E>(effect: Effect.Effect<A, E>, horizonMillis = 30_000) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    const waited: Array<number> = []
    while (true) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return { exit: done.value, waited }
      const now = yield* TestClock.currentTimeMillis
      const next = Chunk.toReadonlyArray(yield* TestClock.sleeps())
        .filter((t) => t > now && t - now <= horizonMillis)
        .sort((a, b) => a - b)[0]
      if (next === undefined) yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
      else {
        waited.push(next - now)
        yield* TestClock.adjust(next - now)
      }
    }
  })

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  return Option.getOrThrowWith(Cause.failureOption(exit.cause), () => new Error(Cause.pretty(exit.cause)))
}

const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${Cause.pretty(exit.cause)}`)
  return exit.value
}

// The undici dispatcher lives as long as the test's scope.
const client = (url: string, options: Partial<ApiClient.Options> = {}) =>
  Effect.flatMap(Layer.build(NodeHttpClient.layerUndici), (context) =>
    ApiClient.make({
      name: "upstream",
      baseUrl: url,
      timeout: "1 minute",
      retries: { baseDelay: "100 millis", jitter: false, maxAttempts: 3 },
      ...options
    }).pipe(Effect.provide(context)))

const User = Schema.Struct({ id: Schema.String, name: Schema.String })

// --- Tests ---------------------------------------------------------------------------------

describe("ApiClient retries", () => {
  it.scoped("retries 503 with exponential backoff, then decodes the body", () =>
    Effect.gen(function*() {
      const srv = yield* server((n, _, res) =>
        n <= 2 ? json(res, 503, { title: "busy" }) : json(res, 200, { id: "u1", name: "Ada" })
      )
      const api = yield* client(srv.url)
      const { exit, waited } = yield* drive(api.get("/users/u1", { schema: User }))
      expect(successOf(exit)).toStrictEqual({ id: "u1", name: "Ada" })
      expect(waited).toStrictEqual([100, 200])
      expect(srv.seen.map((s) => `${s.method} ${s.url}`)).toStrictEqual(Array(3).fill("GET /users/u1"))
    }))

  it.scoped("gives up after maxAttempts with a retryable ExternalServiceError", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 503, { title: "down" }))
      const api = yield* client(srv.url)
      const { exit, waited } = yield* drive(api.get("/x"))
      const error = failureOf(exit)
      expect(error).toBeInstanceOf(Errors.ExternalServiceError)
      expect(error).toMatchObject({ service: "upstream", upstreamStatus: 503, retryable: true })
      expect(waited).toStrictEqual([100, 200])
      expect(srv.seen).toHaveLength(3)
      const retries = (yield* LogCapture.entries).filter((entry) => entry.message.includes("retrying"))
      expect(retries.map((entry) => [entry.level, entry.annotations])).toStrictEqual([
        ["warn", { service: "upstream", attempt: 1, maxAttempts: 3, delay: "100ms", error: "http_503" }],
        ["warn", { service: "upstream", attempt: 2, maxAttempts: 3, delay: "200ms", error: "http_503" }]
      ])
    }).pipe(Effect.provide(LogCapture.layer)))

  it.scoped("waits for Retry-After seconds on 429 when it is longer than the backoff", () =>
    Effect.gen(function*() {
      const srv = yield* server((n, _, res) =>
        n === 1 ? json(res, 429, {}, { "retry-after": "2" }) : json(res, 200, {})
      )
      const api = yield* client(srv.url)
      const { exit, waited } = yield* drive(api.get("/limited"))
      expect(successOf(exit)).toMatchObject({ status: 200 })
      expect(waited).toStrictEqual([2000])
      expect(srv.seen).toHaveLength(2)
    }))

  it.scoped("reads Retry-After as an HTTP date on 503, and keeps the backoff when it is longer", () =>
    Effect.gen(function*() {
      const now = yield* TestClock.currentTimeMillis
      const at = new Date(now + 3000).toUTCString()
      const srv = yield* server((n, _, res) =>
        n === 1
          ? json(res, 503, {}, { "retry-after": at })
          : n === 2
          ? json(res, 503, {}, { "retry-after": "0" })
          : json(res, 200, {})
      )
      const api = yield* client(srv.url, { retries: { baseDelay: "500 millis", jitter: false, maxAttempts: 3 } })
      const { exit, waited } = yield* drive(api.get("/dated"))
      expect(successOf(exit)).toMatchObject({ status: 200 })
      expect(waited).toStrictEqual([3000, 1000])
    }))

  it.scoped("does not retry when Retry-After is beyond maxRetryAfter, and reports the wait", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 429, {}, { "retry-after": "120" }))
      const api = yield* client(srv.url)
      const { exit, waited } = yield* drive(api.get("/slow-down"))
      expect(failureOf(exit)).toMatchObject({
        _tag: "ExternalServiceError",
        upstreamStatus: 429,
        details: { retryAfterMillis: 120_000 }
      })
      expect(waited).toStrictEqual([])
      expect(srv.seen).toHaveLength(1)
    }))

  it.scoped("retries POST only with retry: true or an idempotency key; retry: false stops a GET", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 503, {}))
      const api = yield* client(srv.url, { retries: { baseDelay: "100 millis", jitter: false, maxAttempts: 2 } })
      const plain = yield* drive(api.post("/charges", { body: { amount: 1 } }))
      expect(failureOf(plain.exit)).toMatchObject({ upstreamStatus: 503 })
      expect(srv.seen).toHaveLength(1)
      expect(JSON.parse(srv.seen[0]!.body)).toStrictEqual({ amount: 1 })
      yield* drive(api.post("/charges", { body: { amount: 2 }, idempotencyKey: "charge-2" }))
      expect(srv.seen).toHaveLength(3)
      expect(srv.seen.slice(1).map((s) => s.headers["idempotency-key"])).toStrictEqual(["charge-2", "charge-2"])
      yield* drive(api.patch("/charges/2", { body: {}, retry: true }))
      expect(srv.seen).toHaveLength(5)
      yield* drive(api.get("/charges", { retry: false }))
      expect(srv.seen).toHaveLength(6)
    }))

  it.scoped("retries a reset connection on GET as a NetworkError, but not on POST", () =>
    Effect.gen(function*() {
      const srv = yield* server((n, seen, res) => {
        if (n === 1 || seen.method === "POST") res.socket?.destroy()
        else json(res, 200, { ok: true })
      })
      const api = yield* client(srv.url)
      const get = yield* drive(api.get("/flaky"))
      expect(successOf(get.exit)).toMatchObject({ status: 200, body: { ok: true } })
      expect(get.waited).toStrictEqual([100])
      const post = yield* drive(api.post("/flaky", { body: {} }))
      const error = failureOf(post.exit)
      expect(error).toBeInstanceOf(Errors.NetworkError)
      expect(error).toMatchObject({ target: "upstream", retryable: true, details: { reason: "transport" } })
      expect(srv.seen).toHaveLength(3)
    }))

  it.scoped("fails a connection refused with a NetworkError", () =>
    Effect.gen(function*() {
      // a port that was free a moment ago
      const port = yield* Effect.async<number>((resume) => {
        const probe = Http.createServer().listen(0, "127.0.0.1", () => {
          const free = (probe.address() as AddressInfo).port
          probe.close(() => resume(Effect.succeed(free)))
        })
      })
      const api = yield* client(`http://127.0.0.1:${port}`, { retries: false })
      const { exit } = yield* drive(api.get("/"))
      expect(failureOf(exit)).toMatchObject({ _tag: "NetworkError", retryable: true, details: { reason: "transport" } })
    }))
})

describe("ApiClient timeouts", () => {
  it.scoped("times out a hanging attempt with a retryable NetworkError", () =>
    Effect.gen(function*() {
      const srv = yield* server(() => {})
      const api = yield* client(srv.url, { timeout: "2 seconds", retries: false })
      const fiber = yield* Effect.fork(api.get("/hang"))
      yield* Queue.take(srv.arrivals)
      yield* TestClock.adjust("2 seconds")
      const error = failureOf(yield* Fiber.await(fiber))
      expect(error).toBeInstanceOf(Errors.NetworkError)
      expect(error).toMatchObject({ retryable: true, details: { reason: "timeout", timeoutMillis: 2000 } })
    }))

  it.scoped("retries after a timeout (the per-call timeout overrides the client's)", () =>
    Effect.gen(function*() {
      const srv = yield* server((n, _, res) => n === 1 ? undefined : json(res, 200, { late: false }))
      const api = yield* client(srv.url)
      const fiber = yield* Effect.fork(api.get("/hang-once", { timeout: "5 seconds" }))
      yield* Queue.take(srv.arrivals)
      yield* TestClock.adjust("5 seconds")
      const { exit, waited } = yield* drive(Fiber.join(fiber), 1000)
      expect(successOf(exit)).toMatchObject({ body: { late: false } })
      expect(waited).toStrictEqual([100])
      expect(srv.seen).toHaveLength(2)
    }))
})

describe("ApiClient errors and bodies", () => {
  it.scoped("maps a 404 problem to a non-retryable ExternalServiceError with the problem in details", () =>
    Effect.gen(function*() {
      const problem = { type: "about:blank", title: "User not found", status: 404, detail: "no user u9" }
      const srv = yield* server((_, __, res) => json(res, 404, problem, { "content-type": "application/problem+json" }))
      const api = yield* client(srv.url)
      const { exit } = yield* drive(api.get("/users/u9?token=secret", { schema: User }))
      const error = failureOf(exit)
      expect(error).toMatchObject({
        _tag: "ExternalServiceError",
        service: "upstream",
        upstreamStatus: 404,
        retryable: false,
        details: { method: "GET", url: `${srv.url}/users/u9`, problem }
      })
      expect(error.message).toContain("User not found")
      expect(srv.seen).toHaveLength(1)
    }))

  it.scoped("fails a body that does not match the schema, without retrying", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 200, { id: 1 }))
      const api = yield* client(srv.url)
      const { exit } = yield* drive(api.get("/users/u1", { schema: User }))
      expect(failureOf(exit)).toMatchObject({
        _tag: "ExternalServiceError",
        upstreamStatus: 200,
        retryable: false,
        details: { reason: "decode" }
      })
      expect(srv.seen).toHaveLength(1)
    }))

  it.scoped("returns text and JSON responses, sends query, JSON body and headers in order of precedence", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, seen, res) => {
        if (seen.url.startsWith("/v1/text")) {
          res.writeHead(200, { "content-type": "text/plain" })
          res.end("pong")
        } else json(res, 201, { created: true })
      })
      const api = yield* client(`${srv.url}/v1/`, { headers: { "x-client": "a", "x-both": "client" } })
      const text = yield* api.get("text", { query: { q: "a b", n: 2 } })
      expect(text).toMatchObject({ status: 200, body: "pong" })
      const created = yield* api.put("/items/1", { body: { name: "x" }, headers: { "x-both": "call" } })
      expect(created).toMatchObject({ status: 201, body: { created: true } })
      expect(srv.seen[0]!.url).toBe("/v1/text?q=a+b&n=2")
      expect(srv.seen[1]).toMatchObject({ method: "PUT", url: "/v1/items/1", body: "{\"name\":\"x\"}" })
      expect(srv.seen[1]!.headers).toMatchObject({
        "x-client": "a",
        "x-both": "call",
        "content-type": "application/json"
      })
    }))
})

describe("ApiClient context, tracing and metrics", () => {
  it.scoped("forwards X-Request-ID from the request context, and the caller's own header wins", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 200, {}))
      const api = yield* client(srv.url)
      yield* api.get("/a").pipe(RequestContext.withRequestContext({ requestId: "req-123" }))
      yield* api.get("/b", { headers: { "X-Request-ID": "mine" } }).pipe(
        RequestContext.withRequestContext({ requestId: "req-456" })
      )
      yield* api.get("/c")
      expect(srv.seen.map((s) => s.headers["x-request-id"])).toStrictEqual(["req-123", "mine", undefined])
    }))

  it.scoped("wraps each call in a '<name> <METHOD>' span and propagates the trace context", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 200, {}))
      const spans: Array<Tracer.Span> = []
      const native = yield* Effect.tracer
      const recording = Tracer.make({
        span: (...args) => {
          const span = native.span(...args)
          spans.push(span)
          return span
        },
        context: (f, fiber) => native.context(f, fiber)
      })
      const api = yield* client(srv.url, { name: "payments" })
      const traceId = yield* api.get("/trace").pipe(
        Effect.zipRight(Effect.map(Effect.currentSpan, (span) => span.traceId)),
        Effect.withSpan("handler"),
        Effect.withTracer(recording)
      )
      const call = spans.find((span) => span.name === "payments GET")
      expect(call).toBeDefined()
      expect(call!.traceId).toBe(traceId)
      expect(call!.attributes.get("http.request.resend_count")).toBe(0)
      expect(call!.attributes.get("http.response.status_code")).toBe(200)
      expect(srv.seen[0]!.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))
    }))

  it.scoped("records service_call metrics per call, with the error kind", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, seen, res) => seen.url === "/ok" ? json(res, 200, {}) : json(res, 404, {}))
      const api = yield* client(srv.url, { name: "metrics-test" })
      yield* api.get("/ok")
      yield* api.get("/ok", { action: "fetch" })
      yield* Effect.either(api.get("/missing", { action: "fetch" }))
      expect(yield* counter("service_calls_total", { component: "metrics-test", action: "GET" })).toBe(1)
      expect(yield* counter("service_calls_total", { component: "metrics-test", action: "fetch" })).toBe(2)
      expect(yield* counter("service_call_errors_total", { component: "metrics-test", error: "http_404" })).toBe(1)
      expect(yield* histogramCount("service_call_duration_seconds", { component: "metrics-test" })).toBe(3)
    }))

  it.scoped("records nothing when the Metrics service is disabled", () =>
    Effect.gen(function*() {
      const srv = yield* server((_, __, res) => json(res, 200, {}))
      const api = yield* client(srv.url, { name: "metrics-off" }).pipe(
        Effect.provide(Metrics.layer({ enabled: false }))
      )
      yield* api.get("/ok")
      expect(yield* counter("service_calls_total", { component: "metrics-off" })).toBe(0)
    }))
})

const seriesOf = (name: string, tags: Record<string, string>) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs.filter((pair) =>
      pair.metricKey.name === name &&
      Object.entries(tags).every(([key, value]) => pair.metricKey.tags.some((t) => t.key === key && t.value === value))
    ))

const counter = (name: string, tags: Record<string, string>) =>
  Effect.map(seriesOf(name, tags), (pairs) =>
    pairs.reduce(
      (sum, pair) => sum + (MetricState.isCounterState(pair.metricState) ? Number(pair.metricState.count) : 0),
      0
    ))

const histogramCount = (name: string, tags: Record<string, string>) =>
  Effect.map(seriesOf(name, tags), (pairs) =>
    pairs.reduce((sum, pair) => sum + (MetricState.isHistogramState(pair.metricState) ? pair.metricState.count : 0), 0))
