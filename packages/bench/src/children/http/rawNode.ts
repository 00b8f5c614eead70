/**
 * Row 1, reference: a bare `node:http` server.
 */
import * as Http from "node:http"
import { announce } from "../ipc.js"
import { hello, host } from "./shared.js"

/** @internal */
export const serve = (): void => {
  const server = Http.createServer((request, response) => {
    if (request.method === "GET" && request.url === "/") {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify(hello))
    } else {
      response.writeHead(404, { "content-type": "application/json" })
      response.end(JSON.stringify({ error: "not found" }))
    }
  })
  server.listen(0, host, () => {
    const address = server.address()
    announce({ port: typeof address === "object" && address !== null ? address.port : 0 })
  })
  process.once("SIGTERM", () => {
    server.close()
    server.closeAllConnections()
  })
}
