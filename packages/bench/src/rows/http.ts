/**
 * Rows 1–3: HTTP throughput and latency under load, server and load generator in separate
 * processes on separate cores. Before measuring, each server is checked: the hello JSON,
 * and for the full stacks the security headers, CORS, the request id (made, and echoed)
 * and a problem+json 404.
 */
import { type Child, start } from "../harness/child.js"
import type { Comparison, Contender, Figure, Reference, Session, Target, Windows } from "../harness/compare.js"
import type { LoadGenerator } from "../harness/load.js"
import { hello, origin } from "../children/http/shared.js"

const connections = 64

const figures: ReadonlyArray<Figure> = [
  { key: "rps", label: "req/s", unit: "req/s", better: "higher" },
  { key: "p99Ms", label: "p99 ms", unit: "ms", better: "lower" }
]

const windows: { readonly full: Windows; readonly smoke: Windows } = {
  full: { rounds: 5, windowMs: 4_000, warmupMs: 3_000 },
  smoke: { rounds: 1, windowMs: 1_000, warmupMs: 0 }
}

const fail = (server: string, message: string): never => {
  throw new Error(`${server}: ${message}`)
}

const get = async (port: number, path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { origin, ...headers } })
  return { response, body: await response.text() }
}

/** `GET /` answers the hello JSON. */
export const checkHello = async (server: string, port: number): Promise<void> => {
  const { body, response } = await get(port, "/")
  if (response.status !== 200) fail(server, `GET / answered ${response.status}: ${body}`)
  if (!(response.headers.get("content-type") ?? "").startsWith("application/json")) {
    fail(server, `GET / content-type is ${response.headers.get("content-type")}`)
  }
  if (body !== JSON.stringify(hello)) fail(server, `GET / answered ${body}`)
}

const securityHeaders = ["content-security-policy", "strict-transport-security", "x-frame-options"]

/** The full stack did its job on a request and on an error. */
export const checkStack = async (server: string, port: number): Promise<void> => {
  await checkHello(server, port)
  const { response } = await get(port, "/")
  const id = response.headers.get("x-request-id")
  if (id === null || id.length < 8) fail(server, "no x-request-id on the response")
  if (response.headers.get("x-content-type-options") !== "nosniff") fail(server, "no x-content-type-options: nosniff")
  for (const header of securityHeaders) if (!response.headers.has(header)) fail(server, `no ${header} header`)
  if (response.headers.get("access-control-allow-origin") !== origin) fail(server, "CORS did not allow the origin")
  const echoed = await get(port, "/", { "x-request-id": "bench-check-42" })
  if (echoed.response.headers.get("x-request-id") !== "bench-check-42") fail(server, "the request id is not echoed")
  const missing = await get(port, "/missing")
  if (missing.response.status !== 404) fail(server, `GET /missing answered ${missing.response.status}`)
  if (!(missing.response.headers.get("content-type") ?? "").startsWith("application/problem+json")) {
    fail(server, `the 404 is not problem+json: ${missing.response.headers.get("content-type")}`)
  }
  if (!missing.response.headers.has("x-request-id")) fail(server, "no x-request-id on the 404")
}

interface ServerSpec {
  readonly label: string
  readonly name: string
  readonly check: (server: string, port: number) => Promise<void>
}

const contender = (load: LoadGenerator, spec: ServerSpec, child: Child): Contender => ({
  label: spec.label,
  measure: async (windowMs) => {
    const figures = await load.run({
      url: `http://127.0.0.1:${child.ready.port}/`,
      seconds: windowMs / 1000,
      connections,
      headers: { origin }
    })
    if ((figures.non2xx ?? 0) > 0 || (figures.errors ?? 0) > 0) {
      throw new Error(
        `${spec.label}: ${figures.non2xx} non-2xx responses, ${figures.errors} connect/write errors under load`
      )
    }
    return figures
  }
})

const strataEnv = { LOG_FORMAT: "json", LOG_LEVEL: "info" }

const openPair = async (
  load: LoadGenerator,
  subject: ServerSpec,
  reference: ServerSpec,
  targets: ReadonlyArray<Target>
): Promise<Session> => {
  const children: Array<Child> = []
  const close = async () => {
    await Promise.all(children.map((child) => child.stop()))
  }
  try {
    // Started together (start-up is not measured), then checked.
    const started = await Promise.allSettled(
      [subject, reference].map((spec) => start("httpServer", { args: [spec.name], env: strataEnv }))
    )
    for (const result of started) if (result.status === "fulfilled") children.push(result.value)
    for (const result of started) if (result.status === "rejected") throw result.reason
    await subject.check(subject.label, children[0]!.ready.port ?? 0)
    await reference.check(reference.label, children[1]!.ready.port ?? 0)
    const references: ReadonlyArray<Reference> = [{ ...contender(load, reference, children[1]!), targets }]
    return { subject: contender(load, subject, children[0]!), references, close }
  } catch (error) {
    await close()
    throw error
  }
}

const row = (
  load: LoadGenerator,
  id: string,
  title: string,
  subject: ServerSpec,
  reference: ServerSpec,
  targets: ReadonlyArray<Target>
): Comparison => ({ id, title, figures, windows, open: () => openPair(load, subject, reference, targets) })

/** Rows 1, 2 and 3. */
export const rows = (load: LoadGenerator): ReadonlyArray<Comparison> => [
  row(
    load,
    "1",
    "HTTP hello JSON: Strata `Server.layer` + `HttpRouter`, no middleware",
    { label: "Strata", name: "strata-hello", check: checkHello },
    { label: "node:http", name: "node-http", check: checkHello },
    [{ figure: "rps", ratio: 0.5 }]
  ),
  row(
    load,
    "2",
    "HTTP full default stack (`Http.defaults`), JSON access log on",
    { label: "Strata", name: "strata-stack-log", check: checkStack },
    { label: "Fastify+pino", name: "fastify-stack-log", check: checkStack },
    [{ figure: "rps", ratio: 1 }, { figure: "p99Ms", ratio: 1 }]
  ),
  row(
    load,
    "3",
    "HTTP full default stack, access log off",
    { label: "Strata", name: "strata-stack", check: checkStack },
    { label: "Fastify", name: "fastify-stack", check: checkStack },
    [{ figure: "rps", ratio: 1 }]
  )
]
