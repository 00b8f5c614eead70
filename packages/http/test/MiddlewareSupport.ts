import * as Http from "node:http"
import type { HttpApp, HttpServer } from "@effect/platform"
import { Server } from "@strata/http"
import { Effect, type Exit, Metric, Schedule, Tracer } from "effect"

/** Serves an app on a free local port for the test's scope; returns its base URL. */
export const serve = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function*() {
    const server: HttpServer.HttpServer = yield* Server.make({ port: 0, host: "127.0.0.1" })
    yield* server.serve(app)
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("expected a TCP address")
    return `http://127.0.0.1:${address.port}`
  }).pipe(Effect.orDie)

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: string
}

/** A real HTTP request. */
export const request = (url: string, init?: RequestInit) =>
  Effect.promise(async (): Promise<Reply> => {
    const response = await fetch(url, init)
    return { status: response.status, headers: response.headers, body: await response.text() }
  })

/** A raw HTTP request: the path is sent as is (fetch would normalise `..`). */
export const rawRequest = (
  url: string,
  options: { readonly method?: string; readonly path: string; readonly headers?: Record<string, string | number> },
  body?: string
) =>
  Effect.async<Reply>((resume) => {
    const target = new URL(url)
    const req = Http.request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers ?? {}
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () => {
          const headers = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string") headers.set(name, value)
          }
          resume(Effect.succeed({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") }))
        })
      }
    )
    req.on("error", (error) => resume(Effect.die(error)))
    req.end(body)
  })

/** The `http_requests_total` count of one route and status. */
export const requestCount = (route: string, status: string): number => {
  let total = 0
  for (const pair of Metric.unsafeSnapshot()) {
    if (pair.metricKey.name !== "http_requests_total") continue
    const tags = Object.fromEntries(pair.metricKey.tags.map((tag) => [tag.key, tag.value]))
    if (tags["route"] === route && tags["status"] === status) {
      total += (pair.metricState as unknown as { count: number }).count
    }
  }
  return total
}

/** Resolves once `check` gives a value, polling real time (bounded: dies instead of hanging). */
export const eventually = <A, R>(check: Effect.Effect<A | undefined, never, R>): Effect.Effect<A, never, R> =>
  Effect.flatMap(check, (value) => value !== undefined ? Effect.succeed(value) : Effect.fail("not yet")).pipe(
    Effect.retry(Schedule.intersect(Schedule.spaced("25 millis"), Schedule.recurs(200))),
    Effect.orElse(() => Effect.dieMessage("condition not reached"))
  )

/** The fiber's tracer, recording the events and the end of every span it makes. */
export const recordingTracer = Effect.map(Effect.tracer, (native) => {
  const events: Array<string> = []
  const ended: Array<Exit.Exit<unknown, unknown>> = []
  const tracer = Tracer.make({
    context: native.context,
    span: (...args) => {
      const span = native.span(...args)
      const event = span.event.bind(span)
      const end = span.end.bind(span)
      span.event = (name, startTime, attributes) => {
        events.push(name)
        event(name, startTime, attributes)
      }
      span.end = (endTime, exit) => {
        ended.push(exit)
        end(endTime, exit)
      }
      return span
    }
  })
  return { tracer, events, ended }
})
