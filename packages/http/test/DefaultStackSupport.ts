/**
 * Support for the default-stack suites: the configuration they share, raw requests, and
 * what every problem response of the stack must carry.
 */
import { HttpServer } from "@effect/platform"
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeHttp from "node:http"

export const config = {
  http: {
    host: "127.0.0.1",
    port: 0,
    timeout: "300ms",
    bodyLimit: "16kb",
    mediaTypes: "application/json,text/*",
    corsOrigins: "https://app.example.com",
    maxUrlLength: "1024"
  }
}

export interface Reply {
  readonly status: number
  readonly headers: NodeHttp.IncomingHttpHeaders
  readonly body: Buffer
  readonly json: () => Record<string, unknown>
}

/** A raw request: the path goes out as written, the body as given (chunked when asked). */
export const send = (
  path: string,
  options: {
    readonly method?: string
    readonly headers?: NodeHttp.OutgoingHttpHeaders
    readonly body?: string
    readonly chunked?: boolean
  } = {}
) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.async<Reply>((resume) => {
      const { port } = server.address as HttpServer.TcpAddress
      const request = NodeHttp.request(
        { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers ?? {} },
        (response) => {
          const chunks: Array<Buffer> = []
          response.on("data", (chunk: Buffer) => chunks.push(chunk))
          response.on("end", () => {
            const body = Buffer.concat(chunks)
            resume(Effect.succeed({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body,
              json: () => JSON.parse(body.toString("utf8"))
            }))
          })
        }
      )
      // The server may answer (413) and close before it read everything we send.
      request.on("error", (error) => resume(Effect.die(error)))
      if (options.chunked === true && options.body !== undefined) {
        for (let i = 0; i < options.body.length; i += 1024) request.write(options.body.slice(i, i + 1024))
        request.end()
      } else request.end(options.body)
    }))

export const json = (body: string, headers: NodeHttp.OutgoingHttpHeaders = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body
})

/** What every problem response of the stack carries. */
export const expectProblem = (reply: Reply, status: number, code: string) => {
  expect(reply.status, code).toBe(status)
  expect(reply.headers["content-type"], code).toBe("application/problem+json")
  const body = reply.json()
  expect(body, code).toMatchObject({ type: "about:blank", status, code })
  expect(body["requestId"], code).toBe(reply.headers["x-request-id"])
  expect(reply.headers["x-content-type-options"], code).toBe("nosniff")
  expect(reply.headers["strict-transport-security"], code).toBe("max-age=63072000; includeSubDomains")
  expect(reply.headers["content-security-policy"], code).toContain("frame-ancestors 'none'")
  expect(reply.headers["x-frame-options"], code).toBe("DENY")
  expect(reply.headers["cache-control"], code).toBe("no-store")
  return body
}
