/**
 * Test support for the middleware pages: a real server on a free port, real requests.
 */
import type { HttpApp } from "@effect/platform"
import { Server } from "@strata/http"
import { Effect } from "effect"
import * as Http from "node:http"

/** Serves an app on a free loopback port for the current scope; returns its base URL. */
export const serve = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function*() {
    const server = yield* Server.make({ port: 0, host: "127.0.0.1" })
    yield* server.serve(app)
    if (server.address._tag !== "TcpAddress") return yield* Effect.dieMessage("expected a TCP address")
    return `http://127.0.0.1:${server.address.port}`
  }).pipe(Effect.orDie)

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/**
 * One request with `node:http`: the path is sent as written (fetch would resolve `..`) and
 * the body is not decompressed.
 */
export const send = (
  base: string,
  path: string,
  options: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string | Buffer } = {}
) =>
  Effect.async<Reply & { readonly raw: Buffer }>((resume) => {
    const target = new URL(base)
    const request = Http.request(
      { host: target.hostname, port: target.port, method: options.method ?? "GET", path, headers: options.headers },
      (response) => {
        const chunks: Array<Buffer> = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on("end", () => {
          const headers: Record<string, string | undefined> = {}
          for (const [name, value] of Object.entries(response.headers)) {
            headers[name] = Array.isArray(value) ? value.join(", ") : value
          }
          const raw = Buffer.concat(chunks)
          resume(Effect.succeed({ status: response.statusCode ?? 0, headers, body: raw.toString("utf8"), raw }))
        })
      }
    )
    request.on("error", (error) => resume(Effect.die(error)))
    request.end(options.body)
  })
