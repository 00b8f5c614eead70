/**
 * A throwaway `redis-server` for row 6 on a free loopback port (no persistence), pinned to
 * the load core. `@strata/testing`'s `TestServers` needs a running vitest, so the harness
 * starts its own; it honours the same `STRATA_REDIS_SERVER` override.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"
import { cores, pinned } from "./cores.js"

/** A running server. */
export interface RedisServer {
  readonly url: string
  readonly stop: () => Promise<void>
}

const executable = (file: string): boolean => {
  try {
    Fs.accessSync(file, Fs.constants.X_OK)
    return Fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** The `redis-server` binary, or `undefined`. */
export const findRedisServer = (): string | undefined => {
  const override = process.env.STRATA_REDIS_SERVER
  if (override !== undefined && override !== "") return executable(override) ? override : undefined
  const dirs = [...(process.env.PATH ?? "").split(Path.delimiter), "/usr/bin", "/usr/sbin", "/usr/local/bin"]
  return dirs.filter((dir) => dir !== "").map((dir) => Path.join(dir, "redis-server")).find(executable)
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const ping = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = Net.connect({ host: "127.0.0.1", port })
    let answer = ""
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once("error", () => done(false))
    socket.once("connect", () => socket.write("PING\r\n"))
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      answer += chunk
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"))
    })
  })

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once("exit", () => resolve())
  })

/** Starts a server and waits (up to 15 s) until it answers `PING`. */
export const startRedis = async (binary: string): Promise<RedisServer> => {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const { args, command } = pinned(cores()?.load, binary, [
      "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
      "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning"
    ])
    const child = spawn(command, [...args], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline && child.exitCode === null && !(await ping(port))) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    if (child.exitCode === null && (await ping(port))) {
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          child.kill("SIGTERM")
          await exited(child)
        }
      }
    }
    child.kill("SIGKILL")
    await exited(child)
    // another process may have taken the port between the probe and the start
    if (attempt >= 3) throw new Error(`redis-server did not start on port ${port}: ${stderr.trim()}`)
  }
}
