/**
 * Rows 2 and 3, reference: Fastify 5 with the plugins a Fastify user would add for the same
 * job: request id (generated, or the incoming one, echoed), @fastify/helmet,
 * @fastify/cors, an error handler answering problem+json, prom-client metrics in hooks
 * (the same three metrics as Strata's: requests counter, duration histogram, in-progress
 * gauge), a request timeout, and — for row 2 — pino writing to /dev/null.
 */
import fastifyCors from "@fastify/cors"
import fastifyHelmet from "@fastify/helmet"
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from "fastify"
import { randomUUID } from "node:crypto"
import { pino } from "pino"
import * as Prom from "prom-client"
import { announce } from "../ipc.js"
import { hello, host, origin } from "./shared.js"

const requestIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:@=+/-]{0,127}$/

const problem = (reply: FastifyReply, request: FastifyRequest, status: number, title: string) =>
  reply.status(status).type("application/problem+json").send({
    type: "about:blank",
    title,
    status,
    requestId: request.id
  })

/** @internal */
export const serve = async (options: { readonly log: boolean }): Promise<void> => {
  const app = Fastify({
    ...(options.log
      ? { loggerInstance: pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: true })) }
      : { logger: false }),
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"]
      return typeof incoming === "string" && requestIdPattern.test(incoming) ? incoming : randomUUID()
    },
    requestTimeout: 30_000
  })

  const labelNames = ["method", "route", "status"] as const
  const requests = new Prom.Counter({ name: "http_requests_total", help: "HTTP requests", labelNames })
  const duration = new Prom.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
  })
  const inProgress = new Prom.Gauge({ name: "http_requests_in_progress", help: "In progress", labelNames: ["method"] })
  const started = new WeakMap<FastifyRequest, number>()

  app.addHook("onRequest", (request, reply, done) => {
    started.set(request, performance.now())
    inProgress.inc({ method: request.method })
    reply.header("x-request-id", request.id)
    done()
  })
  app.addHook("onResponse", (request, reply, done) => {
    inProgress.dec({ method: request.method })
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status: reply.statusCode
    }
    requests.inc(labels)
    duration.observe(labels, (performance.now() - (started.get(request) ?? performance.now())) / 1000)
    done()
  })

  await app.register(fastifyHelmet)
  await app.register(fastifyCors, { origin: [origin], maxAge: 600, exposedHeaders: ["x-request-id"] })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500
    return problem(reply, request, status, status >= 500 ? "Internal Server Error" : error.message)
  })
  app.setNotFoundHandler((request, reply) => problem(reply, request, 404, "Not Found"))

  app.get("/", async () => hello)

  await app.listen({ host, port: 0 })
  const address = app.server.address()
  announce({ port: typeof address === "object" && address !== null ? address.port : 0 })
  process.once("SIGTERM", () => {
    app.close().finally(() => process.exit(0))
  })
}
