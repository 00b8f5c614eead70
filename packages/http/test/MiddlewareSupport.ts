import * as Http from "node:http"
import type { HttpApp, HttpServer } from "@effect/platform"
import { Server } from "@strata/http"
import { Effect } from "effect"

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
