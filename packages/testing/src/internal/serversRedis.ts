/**
 * A `redis-server` on a loopback port for tests, that can be stopped and started again on
 * the same port and directory.
 *
 * @internal
 */
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { locateRedis } from "./serversBinaries.js"
import {
  HOST,
  startOnFreePort,
  makeTempDir,
  removeDir,
  ServerError,
  ServerProcess,
  waitUntilReady
} from "./serversProcess.js"

/** @internal */
export interface RedisOptions {
  /** Fixed port; default: a free one (retried if another process takes it first). */
  readonly port?: number | undefined
  /** Working directory (kept afterwards); default: a temp dir removed by `dispose`. */
  readonly dir?: string | undefined
  /** Save an RDB snapshot on `stop` and load it on `start`; default: no persistence. */
  readonly persist?: boolean | undefined
  /** Path of `redis-server`; default: searched. */
  readonly binary?: string | undefined
  /** Where the temp dir goes; default: the OS temp dir. */
  readonly parentDir?: string | undefined
  readonly startTimeoutMs?: number | undefined
}

/** A running (or stopped) test Redis. */
export interface RedisHandle {
  readonly host: string
  readonly port: number
  readonly url: string
  readonly dir: string
  readonly running: boolean
  /** Starts again on the same port and dir; waits until it answers PING. No-op when running. */
  start(): Promise<void>
  /** Graceful shutdown (SIGTERM: saves first when `persist`). No-op when stopped. */
  stop(): Promise<void>
  /** Abrupt death (SIGKILL): nothing is saved. */
  kill(): Promise<void>
  /** Stops and removes the temp dir. */
  dispose(): Promise<void>
  logTail(lines?: number): string
}

/** True when Redis answers `PING` with `+PONG` (not `-LOADING`). */
export const redisPing = (port: number, timeoutMs = 1_000): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = Net.connect({ host: HOST, port })
    let answer = ""
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once("error", () => done(false))
    socket.once("close", () => done(answer.startsWith("+PONG")))
    socket.once("connect", () => socket.write("PING\r\n"))
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      answer += chunk
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"))
    })
  })

const redisArgs = (port: number, dir: string, persist: boolean): Array<string> => [
  "--port", String(port),
  "--bind", HOST,
  "--dir", dir,
  "--save", persist ? "3600 1" : "",
  "--appendonly", "no",
  "--protected-mode", "no",
  "--daemonize", "no",
  "--logfile", "",
  "--loglevel", "notice"
]

/** Starts a Redis server and waits until it answers. */
export const startRedis = async (options: RedisOptions = {}): Promise<RedisHandle> => {
  const binary = options.binary ?? located()
  const timeoutMs = options.startTimeoutMs ?? 15_000
  const ownsDir = options.dir === undefined
  const dir = options.dir ?? makeTempDir(options.parentDir ?? Os.tmpdir(), "redis-")
  if (!ownsDir) Fs.mkdirSync(dir, { recursive: true })
  const persist = options.persist ?? false

  const attempt = async (port: number): Promise<ServerProcess> => {
    const candidate = new ServerProcess({
      server: "redis",
      command: binary,
      args: redisArgs(port, dir, persist),
      cwd: dir,
      pidFile: Path.join(dir, "server.pid"),
      stopSignal: "SIGTERM",
      killSignal: "SIGKILL"
    })
    await startAndWait(candidate, port, timeoutMs)
    return candidate
  }

  const { port, server } = await startOnFreePort(options.port, attempt, () => {
    if (ownsDir) removeDir(dir)
  })
  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    dir,
    get running() {
      return server.running
    },
    start: () => (server.running ? Promise.resolve() : startAndWait(server, port, timeoutMs)),
    stop: () => server.stop(),
    kill: () => server.kill(),
    dispose: async () => {
      await server.stop()
      if (ownsDir) removeDir(dir)
    },
    logTail: (lines) => server.tail(lines)
  }
}

const startAndWait = async (server: ServerProcess, port: number, timeoutMs: number): Promise<void> => {
  server.spawn()
  try {
    await waitUntilReady(server, () => redisPing(port), timeoutMs)
  } catch (error) {
    await server.kill()
    throw error
  }
}

const located = (): string => {
  const redis = locateRedis()
  if (!redis.found) throw new ServerError("redis", redis.reason)
  return redis.value
}
