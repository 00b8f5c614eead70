/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temp dir (as the `postgres` OS
 * user when running as root), `postgres` on a loopback port with durability turned off for
 * speed, trust authentication. It can be stopped and started again on the same port and
 * data directory.
 *
 * @internal
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { locatePostgres, type PostgresBinaries, postgresRunAs, type RunAs } from "./serversBinaries.js"
import { type PgRow, pgQuery, quoteIdent } from "./serversPgWire.js"
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
export interface PostgresOptions {
  /** Fixed port; default: a free one (retried if another process takes it first). */
  readonly port?: number | undefined
  /** Cluster directory (kept afterwards; an existing cluster in `dir/data` is reused); default: a temp dir. */
  readonly dir?: string | undefined
  readonly binaries?: PostgresBinaries | undefined
  readonly runAs?: RunAs
  /** Where the temp dir goes; default: the OS temp dir. */
  readonly parentDir?: string | undefined
  readonly startTimeoutMs?: number | undefined
}

/** A running (or stopped) test PostgreSQL. */
export interface PostgresHandle {
  readonly host: string
  readonly port: number
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string
  readonly dir: string
  readonly running: boolean
  /** The URL of another database on this server. */
  databaseUrl(name: string): string
  /** Runs SQL as `postgres` (default database: `postgres`) and returns the rows as text. */
  query(sql: string, database?: string): Promise<Array<PgRow>>
  /** `CREATE DATABASE name`; returns its URL. */
  createDatabase(name: string): Promise<string>
  /** Starts again on the same port and data dir; waits until it accepts queries. No-op when running. */
  start(): Promise<void>
  /** Fast shutdown (SIGINT: clients are disconnected, a checkpoint is written). */
  stop(): Promise<void>
  /** Immediate shutdown (SIGQUIT: like a crash; the next start runs recovery). */
  kill(): Promise<void>
  /** Stops and removes the temp dir. */
  dispose(): Promise<void>
  logTail(lines?: number): string
}

const SETTINGS: ReadonlyArray<string> = [
  "listen_addresses=" + HOST,
  "fsync=off",
  "synchronous_commit=off",
  "full_page_writes=off",
  "max_connections=100",
  "lc_messages=C"
]

const childEnv = (dir: string): NodeJS.ProcessEnv => ({ ...process.env, HOME: dir, LC_ALL: "C", LANG: "C" })

const runAsOptions = (runAs: RunAs): { uid?: number; gid?: number } =>
  runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }

const initdb = (binaries: PostgresBinaries, dataDir: string, dir: string, runAs: RunAs): Promise<void> =>
  new Promise((resolve, reject) => {
    const args = ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]
    ChildProcess.execFile(
      binaries.initdb,
      args,
      { cwd: dir, env: childEnv(dir), ...runAsOptions(runAs), maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error === null
          ? resolve()
          : reject(new ServerError("postgres", `initdb failed: ${error.message.split("\n")[0]}`, `${stdout}${stderr}`))
    )
  })

/** Creates (or reuses) a cluster, starts it and waits until it accepts queries. */
export const startPostgres = async (options: PostgresOptions = {}): Promise<PostgresHandle> => {
  const binaries = options.binaries ?? locatedBinaries()
  const runAs = "runAs" in options ? options.runAs : locatedRunAs()
  const timeoutMs = options.startTimeoutMs ?? 30_000
  const ownsDir = options.dir === undefined
  const dir = options.dir ?? makeTempDir(options.parentDir ?? Os.tmpdir(), "postgres-")
  const dataDir = Path.join(dir, "data")
  try {
    Fs.mkdirSync(dir, { recursive: true })
    if (runAs !== undefined) Fs.chownSync(dir, runAs.uid, runAs.gid)
    if (!Fs.existsSync(Path.join(dataDir, "PG_VERSION"))) await initdb(binaries, dataDir, dir, runAs)
  } catch (error) {
    if (ownsDir) removeDir(dir)
    throw error instanceof ServerError ? error : new ServerError("postgres", `cannot prepare ${dir}: ${error}`)
  }

  const attempt = async (port: number): Promise<ServerProcess> => {
    const candidate = new ServerProcess({
      server: "postgres",
      command: binaries.postgres,
      args: ["-D", dataDir, "-p", String(port), "-k", dir, ...SETTINGS.flatMap((setting) => ["-c", setting])],
      cwd: dir,
      env: childEnv(dir),
      uid: runAs?.uid,
      gid: runAs?.gid,
      pidFile: Path.join(dir, "server.pid"),
      stopSignal: "SIGINT",
      killSignal: "SIGQUIT"
    })
    await startAndWait(candidate, port, timeoutMs)
    return candidate
  }

  const { port, server } = await startOnFreePort(options.port, attempt, () => {
    if (ownsDir) removeDir(dir)
  })
  const databaseUrl = (name: string) => `postgres://postgres@${HOST}:${port}/${encodeURIComponent(name)}`
  const query = (sql: string, database = "postgres") =>
    pgQuery({ host: HOST, port, user: "postgres", database }, sql)
  return {
    host: HOST,
    port,
    url: databaseUrl("postgres"),
    dir,
    get running() {
      return server.running
    },
    databaseUrl,
    query,
    createDatabase: async (name) => {
      await query(`CREATE DATABASE ${quoteIdent(name)}`)
      return databaseUrl(name)
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

const ready = (port: number) => (): Promise<boolean> =>
  pgQuery({ host: HOST, port, user: "postgres", database: "postgres" }, "SELECT 1", 2_000).then(
    () => true,
    () => false
  )

const startAndWait = async (server: ServerProcess, port: number, timeoutMs: number): Promise<void> => {
  server.spawn()
  try {
    await waitUntilReady(server, ready(port), timeoutMs)
  } catch (error) {
    await server.kill()
    throw error
  }
}

const locatedBinaries = (): PostgresBinaries => {
  const binaries = locatePostgres()
  if (!binaries.found) throw new ServerError("postgres", binaries.reason)
  return binaries.value
}

const locatedRunAs = (): RunAs => {
  const runAs = postgresRunAs()
  if (!runAs.found) throw new ServerError("postgres", runAs.reason)
  return runAs.value
}
