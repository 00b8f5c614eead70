/**
 * Graceful shutdown, as production sees it: the built service in a child Node process,
 * stopped with SIGTERM while requests are in flight (test/fixtures/shutdown-server.mjs).
 * Real processes and sockets, so real time: every wait is for an event, with generous
 * bounds only to fail instead of hanging.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as Http from "node:http"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const fixture = path.join(root, "packages/http/test/fixtures/shutdown-server.mjs")

interface Line {
  readonly level: string
  readonly message: string
}

interface Service {
  readonly child: ChildProcess
  readonly port: number
  readonly lines: () => ReadonlyArray<Line>
  readonly waitFor: (message: RegExp) => Promise<number>
  readonly exited: Promise<{ readonly code: number | null; readonly at: number }>
}

const start = (env: Record<string, string> = {}): Promise<Service> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture], {
      cwd: root,
      env: { ...process.env, LOG_FORMAT: "json", HTTP_HOST: "127.0.0.1", HTTP_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const lines: Array<Line> = []
    const waiters: Array<{ readonly message: RegExp; readonly resolve: (at: number) => void }> = []
    let stdout = ""
    let stderr = ""
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      let newline = stdout.indexOf("\n")
      while (newline !== -1) {
        const text = stdout.slice(0, newline)
        stdout = stdout.slice(newline + 1)
        newline = stdout.indexOf("\n")
        if (!text.startsWith("{")) continue
        const line = JSON.parse(text) as Line
        lines.push(line)
        for (const waiter of waiters.slice()) {
          if (waiter.message.test(line.message)) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve(Date.now())
          }
        }
        const listening = /^HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line.message)
        if (listening !== null) {
          resolve({
            child,
            port: Number(listening[1]),
            lines: () => lines,
            waitFor: (message) =>
              lines.some((l) => message.test(l.message))
                ? Promise.resolve(Date.now())
                : new Promise((resolveWait) => waiters.push({ message, resolve: resolveWait })),
            exited
          })
        }
      }
    })
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<{ code: number | null; at: number }>((resolveExit) =>
      child.on("exit", (code) => {
        clearTimeout(kill)
        if (stderr !== "") lines.push({ level: "stderr", message: stderr })
        resolveExit({ code, at: Date.now() })
        reject(new Error(`service exited before listening (${code}): ${stderr}`))
      })
    )
  })

interface Reply {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  readonly at: number
}

const get = (port: number, path: string, agent?: Http.Agent): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const request = Http.get({ host: "127.0.0.1", port, path, agent: agent ?? false }, (response) => {
      let body = ""
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => (body += chunk))
      response.on("end", () =>
        resolve({ status: response.statusCode!, headers: response.headers, body, at: Date.now() })
      )
      response.on("error", reject)
    })
    request.on("error", reject)
  })

/** Sources of the server whose built JavaScript is older than they are. */
const staleOutputs = (): Array<string> => {
  const src = path.join(root, "packages/http/src")
  const files = ["Server.ts", "Problem.ts", "ClientIp.ts", "Endpoints.ts"].concat(
    fs.readdirSync(path.join(src, "internal"))
      .filter((file) => /^(server|problem|clientIp|endpoints)/.test(file))
      .map((file) => `internal/${file}`)
  )
  return files.filter((file) => {
    const built = path.join(root, "packages/http/dist", file.replace(/\.ts$/, ".js"))
    return !fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(src, file)).mtimeMs
  })
}

const messages = (service: Service) => service.lines().map((line) => line.message)

describe("graceful shutdown (SIGTERM, child process)", () => {
  beforeAll(() => {
    // The fixture runs the built packages, like `npm start`; the build is incremental.
    try {
      const tsc = path.join(root, "node_modules/typescript/bin/tsc")
      execFileSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], { cwd: root, stdio: "inherit" })
    } catch (error) {
      // A type error elsewhere in the workspace still emits JavaScript; what matters here is
      // that the server's own output is current.
      if (staleOutputs().length > 0) throw error
    }
  }, 180_000)

  it("a slow request started before SIGTERM completes with 200, new connections are refused, exit 0", async () => {
    const service = await start({ HTTP_SHUTDOWN_TIMEOUT: "10s" })
    const slow = get(service.port, "/slow")
    await service.waitFor(/^slow request started$/)
    service.child.kill("SIGTERM")

    await service.waitFor(/^HTTP server draining 1 in-flight request\(s\)$/)
    await expect(get(service.port, "/fast")).rejects.toThrow(/ECONNREFUSED/)

    const reply = await slow
    expect(reply.status).toBe(200)
    expect(reply.body).toBe("slow done")
    expect(reply.headers.connection).toBe("close")

    const { code } = await service.exited
    expect(code).toBe(0)
    const order = messages(service).filter((m) =>
      /^(Shutting down|stopping http|http stopped in \d+ms|dependency released)$/.test(m)
    )
    expect(order.map((m) => m.replace(/\d+ms/, "Nms"))).toEqual([
      "Shutting down",
      "stopping http",
      "http stopped in Nms",
      "dependency released"
    ])
    expect(service.lines().filter((line) => line.level === "stderr")).toEqual([])
  }, 60_000)

  it("a hung request is cut at the deadline with a 503 and the process still exits 0", async () => {
    const service = await start({ HTTP_SHUTDOWN_TIMEOUT: "1s" })
    const hung = get(service.port, "/hang")
    await service.waitFor(/^hung request started$/)
    const signalled = Date.now()
    service.child.kill("SIGTERM")

    const reply = await hung
    expect(reply.status).toBe(503)
    expect(reply.headers["content-type"]).toBe("application/problem+json")
    expect(JSON.parse(reply.body)).toMatchObject({ status: 503, code: "UNAVAILABLE" })
    expect(reply.at - signalled).toBeGreaterThanOrEqual(950)

    const { code, at } = await service.exited
    expect(code).toBe(0)
    expect(at - signalled).toBeLessThan(8_000)
    expect(messages(service)).toContain(
      "HTTP shutdown deadline of 1s reached: interrupting 1 in-flight request(s): GET /hang"
    )
    expect(messages(service)).toContain("hung request interrupted")
    expect(messages(service).indexOf("dependency released")).toBeGreaterThan(
      messages(service).indexOf("hung request interrupted")
    )
  }, 60_000)

  it("an idle keep-alive client does not delay exit", async () => {
    // Keep-alive sockets stay open for 65 s by default and the drain deadline is 10 s.
    const service = await start()
    const agent = new Http.Agent({ keepAlive: true, maxSockets: 1 })
    const first = await get(service.port, "/fast", agent)
    expect(first.status).toBe(200)
    expect(first.headers.connection).toBe("keep-alive")
    const sockets = Object.values(agent.freeSockets).flat()
    expect(sockets).toHaveLength(1)
    const closed = new Promise<number>((resolve) => sockets[0]!.once("close", () => resolve(Date.now())))

    const signalled = Date.now()
    service.child.kill("SIGTERM")
    const { code, at } = await service.exited
    expect(code).toBe(0)
    expect(at - signalled).toBeLessThan(5_000)
    expect(await closed).toBeLessThanOrEqual(at + 1_000)
    agent.destroy()
  }, 60_000)
})
