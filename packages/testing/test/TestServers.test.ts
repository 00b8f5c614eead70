import { describe, expect, it } from "@effect/vitest"
import { TestServers } from "@strata/testing"
import { Cause, Effect, Exit, Option, Schedule } from "effect"
import { Redis } from "ioredis"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import pg from "pg"
import { locatePostgres, locateRedis } from "../src/internal/serversBinaries.js"
import { availabilityOf, suiteMode, wantedServers } from "../src/internal/serversContext.js"
import { freePort, sweepOrphans } from "../src/internal/serversProcess.js"
import { type Provide, setupServers } from "../src/internal/serversSetup.js"

// --- helpers -------------------------------------------------------------------------

const redisClient = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new Redis(url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 20
      })
      client.on("error", () => {}) // refused reconnects while the server is down
      await client.connect()
      return client
    }),
    (client) => Effect.sync(() => client.disconnect())
  )

const pgClient = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: url })
      client.on("error", () => {}) // the server going away under an idle client
      await client.connect()
      return client
    }),
    (client) => Effect.promise(() => client.end().catch(() => undefined))
  )

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = Net.connect({ host: "127.0.0.1", port })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

// Real time, bounded: retry every 20 ms for at most 5 s.
const eventually = <A, E>(effect: Effect.Effect<A, E>) =>
  effect.pipe(Effect.retry(Schedule.spaced("20 millis")), Effect.timeout("5 seconds"))

const occupyPort = Effect.acquireRelease(
  Effect.async<{ readonly port: number; readonly server: Net.Server }>((resume) => {
    // Hang up on whoever connects (the readiness probe), so that close() completes.
    const server = Net.createServer((socket) => socket.destroy())
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      resume(Effect.succeed({ port: typeof address === "object" && address !== null ? address.port : 0, server }))
    })
  }),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

const failureOf = <A>(exit: Exit.Exit<A, TestServers.TestServerError>): TestServers.TestServerError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

// --- pure parts ----------------------------------------------------------------------

describe("TestServers availability", () => {
  it("is available with a URL, unavailable with the reason, and explains a missing global setup", () => {
    const up = availabilityOf("redis", "redis://127.0.0.1:1", null)
    expect(up).toEqual({ available: true, url: "redis://127.0.0.1:1" })
    expect(availabilityOf("redis", null, "redis-server not found")).toEqual({
      available: false,
      reason: "redis-server not found"
    })
    const none = availabilityOf("postgres", undefined, undefined)
    expect(none.available).toBe(false)
    expect(!none.available && none.reason).toMatch(/PostgreSQL.*global setup/)
  })

  it("runs, skips or (under STRATA_REQUIRE_SERVICES=1) fails a suite", () => {
    const up = availabilityOf("redis", "redis://127.0.0.1:1", null)
    const down = availabilityOf("redis", null, "missing")
    expect(suiteMode(up, true)).toBe("run")
    expect(suiteMode(down, false)).toBe("skip")
    expect(suiteMode(down, true)).toBe("fail")
  })

  it("reads STRATA_TEST_SERVERS", () => {
    expect([...wantedServers({})]).toEqual(["redis", "postgres"])
    expect([...wantedServers({ STRATA_TEST_SERVERS: "none" })]).toEqual([])
    expect([...wantedServers({ STRATA_TEST_SERVERS: " Postgres " })]).toEqual(["postgres"])
  })

  it("reports overridden binaries that do not exist", () => {
    const redis = locateRedis({ STRATA_REDIS_SERVER: "/nonexistent/redis-server" })
    expect(redis.found).toBe(false)
    expect(!redis.found && redis.reason).toMatch(/^redis-server not found: STRATA_REDIS_SERVER=/)
    const postgres = locatePostgres({ STRATA_POSTGRES_BIN: Os.tmpdir() })
    expect(postgres.found).toBe(false)
    expect(!postgres.found && postgres.reason).toMatch(/no executable initdb and postgres/)
  })

  it.effect("fails the Effect accessor when the setup provided nothing for a server", () =>
    Effect.gen(function*() {
      // This file runs under the real global setup, so compare with what it provided.
      const redis = TestServers.availability("redis")
      const exit = yield* Effect.exit(TestServers.url("redis"))
      if (redis.available) {
        expect(exit).toEqual(Exit.succeed(redis.url))
        expect(TestServers.redisUrl()).toEqual(Option.some(redis.url))
      } else {
        expect(failureOf(exit).message).toBe(redis.reason)
        expect(TestServers.redisUrl()).toEqual(Option.none())
      }
    }))
})

// --- the global setup ----------------------------------------------------------------

describe("global setup", () => {
  const missingEnv = {
    PATH: process.env.PATH,
    STRATA_REDIS_SERVER: "/nonexistent/redis-server",
    STRATA_POSTGRES_BIN: "/nonexistent"
  }
  const run = (env: NodeJS.ProcessEnv) => {
    const provided = new Map<string, unknown>()
    const provide: Provide = (key, value) => void provided.set(key, value)
    const output: Array<string> = []
    const tempDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "strata-setup-test-"))
    const teardown = setupServers({ provide, env, write: (text) => void output.push(text), tempDir })
    return { provided, output, tempDir, teardown }
  }

  it("provides null URLs with reasons and prints a loud banner when binaries are missing", async () => {
    const { output, provided, tempDir, teardown } = run(missingEnv)
    const stop = await teardown
    expect(provided.get("strata.redisUrl")).toBeNull()
    expect(provided.get("strata.postgresUrl")).toBeNull()
    expect(provided.get("strata.redisUnavailable")).toMatch(/STRATA_REDIS_SERVER=\/nonexistent/)
    expect(provided.get("strata.requireServices")).toBe(false)
    const text = output.join("")
    expect(text).toContain("!!! redis-server not found")
    expect(text).toContain("Redis suites will be SKIPPED")
    expect(text).toContain("PostgreSQL suites will be SKIPPED")
    expect(text).toContain("set STRATA_REQUIRE_SERVICES=1 to fail")
    expect(Fs.readdirSync(tempDir)).toHaveLength(1)
    await stop()
    expect(Fs.readdirSync(tempDir)).toEqual([])
    Fs.rmSync(tempDir, { recursive: true })
  })

  it("fails the run under STRATA_REQUIRE_SERVICES=1 and cleans up", async () => {
    const { output, tempDir, teardown } = run({ ...missingEnv, STRATA_REQUIRE_SERVICES: "1" })
    await expect(teardown).rejects.toThrow(/STRATA_REQUIRE_SERVICES=1 but test servers are unavailable[\s\S]*- Redis/)
    expect(output.join("")).toContain("the test run FAILS")
    expect(Fs.readdirSync(tempDir)).toEqual([])
    Fs.rmSync(tempDir, { recursive: true })
  })

  it("starts nothing with STRATA_TEST_SERVERS=none", async () => {
    const { provided, tempDir, teardown } = run({ PATH: process.env.PATH, STRATA_TEST_SERVERS: "none" })
    const stop = await teardown
    expect(provided.get("strata.redisUnavailable")).toBe("Redis is disabled by STRATA_TEST_SERVERS=none")
    expect(provided.get("strata.postgresUnavailable")).toBe("PostgreSQL is disabled by STRATA_TEST_SERVERS=none")
    await stop()
    Fs.rmSync(tempDir, { recursive: true })
  })
})

// --- the shared servers --------------------------------------------------------------

TestServers.describeWithRedis("shared Redis", (url) => {
  it.scopedLive("answers PING, SET and GET", () =>
    Effect.gen(function*() {
      expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
      const client = yield* redisClient(url)
      expect(yield* Effect.promise(() => client.ping())).toBe("PONG")
      const key = `smoke:${Math.random()}`
      yield* Effect.promise(() => client.set(key, "value"))
      expect(yield* Effect.promise(() => client.get(key))).toBe("value")
    }))
})

TestServers.describeWithPostgres("shared PostgreSQL", (url) => {
  it.scopedLive("runs SELECT 1, CREATE TABLE, INSERT and SELECT in a fresh database", () =>
    Effect.gen(function*() {
      expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/)
      const databaseUrl = yield* TestServers.freshDatabase({ prefix: "smoke" })
      expect(databaseUrl).toMatch(/\/strata_smoke_[a-z0-9]+$/)
      const client = yield* pgClient(databaseUrl)
      const one = yield* Effect.promise(() => client.query("SELECT 1 AS one"))
      expect(one.rows).toEqual([{ one: 1 }])
      yield* Effect.promise(() => client.query("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)"))
      yield* Effect.promise(() => client.query("INSERT INTO items (name) VALUES ($1), ($2)", ["a", "b"]))
      const rows = yield* Effect.promise(() => client.query("SELECT name FROM items ORDER BY id"))
      expect(rows.rows).toEqual([{ name: "a" }, { name: "b" }])
    }))

  it.scopedLive("drops the fresh database when its scope closes", () =>
    Effect.gen(function*() {
      const databaseUrl = yield* Effect.scoped(TestServers.freshDatabase())
      const name = new URL(databaseUrl).pathname.slice(1)
      const client = yield* pgClient(url)
      const found = yield* Effect.promise(() => client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]))
      expect(found.rowCount).toBe(0)
    }))
})

// --- dedicated servers that stop and restart -----------------------------------------

TestServers.describeWithRedis("dedicated Redis", () => {
  it.scopedLive("stops, refuses connections, starts again on the same port and reloads saved data", () =>
    Effect.gen(function*() {
      const redis = yield* TestServers.redisServer({ persist: true })
      const client = yield* redisClient(redis.url)
      yield* eventually(Effect.promise(() => client.set("kept", "1")))

      yield* redis.stop
      expect(yield* redis.isRunning).toBe(false)
      expect(yield* Effect.promise(() => canConnect(redis.port))).toBe(false)
      const down = yield* Effect.exit(Effect.tryPromise(() => client.get("kept")))
      expect(Exit.isFailure(down)).toBe(true)

      yield* redis.start
      expect(yield* Effect.promise(() => canConnect(redis.port))).toBe(true)
      expect(yield* eventually(Effect.tryPromise(() => client.get("kept")))).toBe("1")

      // kill: nothing saved since the last snapshot survives
      yield* Effect.promise(() => client.set("lost", "1"))
      yield* redis.kill
      yield* redis.start
      expect(yield* eventually(Effect.tryPromise(() => client.get("lost")))).toBeNull()
      expect(yield* Effect.promise(() => client.get("kept"))).toBe("1")
    }))

  it.scopedLive("comes back empty without persist; start/stop are idempotent; the temp dir goes with the scope", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.scoped(Effect.gen(function*() {
        const redis = yield* TestServers.redisServer()
        const client = yield* redisClient(redis.url)
        yield* eventually(Effect.tryPromise(() => client.set("key", "1")))
        yield* redis.start
        yield* redis.stop
        yield* redis.stop
        yield* redis.start
        expect(yield* redis.isRunning).toBe(true)
        expect(yield* eventually(Effect.tryPromise(() => client.get("key")))).toBeNull()
        expect(yield* redis.logTail).toMatch(/Ready to accept connections/)
        return redis.dir
      }))
      expect(Fs.existsSync(dir)).toBe(false)
    }))

  it.scopedLive("fails with the server's log when the port is taken", () =>
    Effect.gen(function*() {
      const { port } = yield* occupyPort
      const error = failureOf(yield* Effect.exit(TestServers.redisServer({ port })))
      expect(error._tag).toBe("TestServerError")
      expect(error.server).toBe("redis")
      expect(error.message).toMatch(/exited during start-up[\s\S]*--- redis log[\s\S]*Address already in use/)
    }))

  it.live("sweeps servers left behind by a dead worker", () =>
    Effect.promise(async () => {
      const binary = locateRedis()
      if (!binary.found) throw new Error(binary.reason)
      const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "strata-sweep-test-"))
      const orphan = ChildProcess.spawn(binary.value, ["--port", String(await freePort()), "--save", ""], {
        stdio: "ignore"
      })
      Fs.mkdirSync(Path.join(root, "redis-x"))
      Fs.writeFileSync(Path.join(root, "redis-x", "server.pid"), `${orphan.pid} SIGTERM\n`)
      const exited = new Promise((resolve) => orphan.once("exit", (_code, signal) => resolve(signal)))
      await sweepOrphans(root)
      expect(await exited).toBe("SIGTERM")
      Fs.rmSync(root, { recursive: true })
    }))
})

TestServers.describeWithRedis("clean-up on interrupt", () => {
  const viteNode = new URL("../../../node_modules/vite-node/vite-node.mjs", import.meta.url).pathname
  const redisModule = new URL("../src/internal/serversRedis.ts", import.meta.url).pathname

  it.live("kills its servers and removes their dirs when the process gets SIGINT", () =>
    Effect.promise(async () => {
      const scratch = Fs.mkdtempSync(Path.join(Os.tmpdir(), "strata-sigint-test-"))
      const script = Path.join(scratch, "serve.ts")
      Fs.writeFileSync(
        script,
        `import { startRedis } from ${JSON.stringify(redisModule)}\n` +
          "const redis = await startRedis()\n" +
          "console.log(JSON.stringify({ port: redis.port, dir: redis.dir }))\n" +
          "setInterval(() => {}, 1000)\n"
      )
      const child = ChildProcess.spawn(process.execPath, [viteNode, script], { stdio: ["ignore", "pipe", "inherit"] })
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once("exit", (_code, signal) => resolve(signal))
      )
      const started = await new Promise<{ readonly port: number; readonly dir: string }>((resolve, reject) => {
        let output = ""
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          output += chunk
          const line = output.split("\n").find((text) => text.startsWith("{"))
          if (line !== undefined) resolve(JSON.parse(line))
        })
        void exited.then(() => reject(new Error(`the script exited early: ${output}`)))
      })
      expect(await canConnect(started.port)).toBe(true)
      expect(Fs.existsSync(started.dir)).toBe(true)

      child.kill("SIGINT")
      expect(await exited).toBe("SIGINT")
      const deadline = Date.now() + 5_000
      while ((await canConnect(started.port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(await canConnect(started.port)).toBe(false)
      expect(Fs.existsSync(started.dir)).toBe(false)
      Fs.rmSync(scratch, { recursive: true })
    }), 30_000)
})

TestServers.describeWithPostgres("dedicated PostgreSQL", () => {
  it.scopedLive("stops, refuses connections, starts again on the same port and data dir", () =>
    Effect.gen(function*() {
      const postgres = yield* TestServers.postgresServer()
      const databaseUrl = yield* postgres.createDatabase("orders")
      expect(databaseUrl).toBe(postgres.databaseUrl("orders"))
      const duplicate = failureOf(yield* Effect.exit(postgres.createDatabase("orders")))
      expect(duplicate.message).toMatch(/already exists \(SQLSTATE 42P04\)/)

      const before = yield* pgClient(databaseUrl)
      yield* Effect.promise(() => before.query("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)"))

      yield* postgres.stop
      expect(yield* Effect.promise(() => canConnect(postgres.port))).toBe(false)
      const broken = yield* Effect.exit(Effect.tryPromise(() => before.query("SELECT 1")))
      expect(Exit.isFailure(broken)).toBe(true)

      yield* postgres.start
      const after = yield* pgClient(databaseUrl)
      const rows = yield* Effect.promise(() => after.query("SELECT id FROM orders"))
      expect(rows.rows).toEqual([{ id: 1 }])

      yield* postgres.kill
      yield* postgres.start
      expect(yield* postgres.logTail).toMatch(/not properly shut down; automatic recovery in progress/)
      expect(yield* postgres.query("SELECT count(*) FROM orders", "orders")).toEqual([["1"]])
    }))

  it.scopedLive("fails with the server's log when the port is taken", () =>
    Effect.gen(function*() {
      const { port } = yield* occupyPort
      const error = failureOf(yield* Effect.exit(TestServers.postgresServer({ port })))
      expect(error.server).toBe("postgres")
      expect(error.message).toMatch(/exited during start-up[\s\S]*--- postgres log[\s\S]*Address already in use/)
    }))
})
