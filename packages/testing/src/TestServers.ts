/**
 * Real Redis and PostgreSQL servers for tests.
 *
 * The repository's vitest global setup starts one shared `redis-server` and one PostgreSQL
 * cluster per test run, on free loopback ports, and stops them afterwards. This module reads
 * their URLs in tests (`redisUrl`, `postgresUrl`, `describeWithRedis`, ...), gives each test
 * file its own database (`freshDatabase`), and starts dedicated servers that a test may stop
 * and start again (`redisServer`, `postgresServer`) to prove reconnects.
 *
 * Where the binaries are missing the suites are skipped with the reason (the run prints a
 * banner); with `STRATA_REQUIRE_SERVICES=1` the run fails instead.
 *
 * @since 0.1.0
 */
import { inject } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Os from "node:os"
import {
  type Availability as InternalAvailability,
  availabilityOf,
  requireServicesFromEnv
} from "./internal/serversContext.js"
import { acquireServer, controlOf, createDatabaseIn, describeSuite } from "./internal/serversEffect.js"
import { startPostgres } from "./internal/serversPostgres.js"
import { startRedis } from "./internal/serversRedis.js"

/**
 * A test server failed to start, stop or answer, or is not available in this run.
 * The message ends with the tail of the server's log when there is one.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const program = TestServers.url("redis").pipe(
 *   Effect.catchTag("TestServerError", (error) => Effect.succeed(`no ${error.server}: ${error.message}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TestServerError extends Schema.TaggedError<TestServerError>()("TestServerError", {
  server: Schema.Literal("redis", "postgres"),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * The servers a test run provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Service = "redis" | "postgres"

/**
 * A shared server is available (with its URL) or not (with the reason).
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 *
 * const redis: TestServers.Availability = TestServers.availability("redis")
 * const text = redis.available ? redis.url : `skipped: ${redis.reason}`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Availability = InternalAvailability

const injected = <K extends Parameters<typeof inject>[0]>(key: K): ReturnType<typeof inject<K>> | undefined => {
  try {
    return inject(key)
  } catch {
    // Outside a vitest worker there is nothing to inject.
    return undefined
  }
}

/**
 * Whether the shared server of this test run is up, read from the global setup.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 *
 * const postgres = TestServers.availability("postgres")
 * if (!postgres.available) console.warn(postgres.reason)
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const availability = (service: Service): Availability =>
  service === "redis"
    ? availabilityOf("redis", injected("strata.redisUrl"), injected("strata.redisUnavailable"))
    : availabilityOf("postgres", injected("strata.postgresUrl"), injected("strata.postgresUnavailable"))

/**
 * The shared Redis URL (`redis://127.0.0.1:<port>`), if the run has one.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Option } from "effect"
 *
 * const url = Option.getOrElse(TestServers.redisUrl(), () => "redis://127.0.0.1:6379")
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const redisUrl = (): Option.Option<string> => urlOption(availability("redis"))

/**
 * The shared PostgreSQL URL (`postgres://postgres@127.0.0.1:<port>/postgres`, trust auth), if
 * the run has one. Prefer `freshDatabase` for a database of your own.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Option } from "effect"
 *
 * const hasPostgres = Option.isSome(TestServers.postgresUrl())
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const postgresUrl = (): Option.Option<string> => urlOption(availability("postgres"))

const urlOption = (available: Availability): Option.Option<string> =>
  available.available ? Option.some(available.url) : Option.none()

/**
 * True under `STRATA_REQUIRE_SERVICES=1`: missing servers fail suites instead of skipping them.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 *
 * const strict = TestServers.requireServices()
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const requireServices = (): boolean => injected("strata.requireServices") ?? requireServicesFromEnv(process.env)

/**
 * The shared server's URL, or a `TestServerError` with the reason it is unavailable.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const url = yield* TestServers.url("redis")
 *   yield* Effect.log(`using ${url}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const url = (service: Service): Effect.Effect<string, TestServerError> =>
  Effect.suspend(() => {
    const available = availability(service)
    return available.available
      ? Effect.succeed(available.url)
      : Effect.fail(new TestServerError({ server: service, message: available.reason }))
  })

const describeWith = (service: Service) => (name: string, suite: (url: string) => void): void =>
  describeSuite(service, availability(service), requireServices(), name, suite)

/**
 * A `describe` that runs when the shared Redis is up and receives its URL; otherwise the
 * suite is skipped with the reason, or fails under `STRATA_REQUIRE_SERVICES=1`.
 *
 * @example
 * ```ts
 * import { expect, it } from "@effect/vitest"
 * import { TestServers } from "@strata/testing"
 *
 * TestServers.describeWithRedis("cache on Redis", (url) => {
 *   it("gets a URL", () => expect(url).toMatch(/^redis:\/\//))
 * })
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const describeWithRedis: (name: string, suite: (url: string) => void) => void = describeWith("redis")

/**
 * A `describe` that runs when the shared PostgreSQL is up and receives its URL; otherwise the
 * suite is skipped with the reason, or fails under `STRATA_REQUIRE_SERVICES=1`.
 *
 * @example
 * ```ts
 * import { expect, it } from "@effect/vitest"
 * import { TestServers } from "@strata/testing"
 *
 * TestServers.describeWithPostgres("repository on Postgres", (url) => {
 *   it("gets a URL", () => expect(url).toMatch(/^postgres:\/\//))
 * })
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const describeWithPostgres: (name: string, suite: (url: string) => void) => void = describeWith("postgres")

const failWith = (server: Service) => (cause: unknown): TestServerError =>
  new TestServerError({ server, message: cause instanceof Error ? cause.message : String(cause), cause })

/**
 * Creates a database of its own in the shared PostgreSQL (`strata_<prefix>_<random>`) and
 * returns its URL; the database is dropped when the scope closes. One per test file keeps
 * files independent while they run in parallel.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const url = yield* TestServers.freshDatabase({ prefix: "users" })
 *   yield* Effect.log(`migrating ${url}`)
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const freshDatabase = (
  options?: { readonly prefix?: string | undefined }
): Effect.Effect<string, TestServerError, Scope.Scope> =>
  Effect.flatMap(url("postgres"), (shared) => createDatabaseIn(shared, options?.prefix ?? "test", failWith("postgres")))

/**
 * What a dedicated test server can do: its address, and stopping and starting it again on
 * the same port and data directory (clients of the old process see the outage).
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerControl {
  readonly host: string
  readonly port: number
  readonly url: string
  /** The server's working directory (Redis `dir`; PostgreSQL keeps its cluster in `dir/data`). */
  readonly dir: string
  /** Starts it again on the same port and directory and waits until it answers; no-op when running. */
  readonly start: Effect.Effect<void, TestServerError>
  /** Graceful shutdown; no-op when stopped. */
  readonly stop: Effect.Effect<void, TestServerError>
  /** Crash-like shutdown (Redis: SIGKILL, nothing saved; PostgreSQL: immediate shutdown, recovery on start). */
  readonly kill: Effect.Effect<void, TestServerError>
  readonly isRunning: Effect.Effect<boolean>
  /** The last lines the server printed since its latest start. */
  readonly logTail: Effect.Effect<string>
}

/**
 * A dedicated `redis-server` (see `redisServer`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RedisServer extends ServerControl {}

/**
 * A dedicated PostgreSQL cluster (see `postgresServer`). `url` points at the `postgres`
 * database as the `postgres` superuser, with trust authentication.
 *
 * @since 0.1.0
 * @category models
 */
export interface PostgresServer extends ServerControl {
  /** The URL of another database on this server. */
  readonly databaseUrl: (name: string) => string
  /** `CREATE DATABASE name`, returning its URL. */
  readonly createDatabase: (name: string) => Effect.Effect<string, TestServerError>
  /** Runs SQL (simple protocol) and returns the rows, every column as text. */
  readonly query: (
    sql: string,
    database?: string
  ) => Effect.Effect<ReadonlyArray<ReadonlyArray<string | null>>, TestServerError>
}

/**
 * Options of a dedicated server.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerOptions {
  /** A fixed port; default: a free loopback port. */
  readonly port?: number | undefined
  /** A directory to keep (and reuse: an existing cluster or RDB file is loaded); default: a temp dir. */
  readonly dir?: string | undefined
  /** How long a start may take; default: 15 seconds (Redis), 30 seconds (PostgreSQL). Real time. */
  readonly startTimeout?: Duration.DurationInput | undefined
}

/**
 * Options of a dedicated Redis: `persist` saves an RDB snapshot on `stop` and loads it on
 * `start` (default: no persistence, a restart comes back empty).
 *
 * @since 0.1.0
 * @category models
 */
export interface RedisServerOptions extends ServerOptions {
  readonly persist?: boolean | undefined
}

const parentDir = (): string => {
  const dir = injected("strata.serversDir")
  return typeof dir === "string" && Fs.existsSync(dir) ? dir : Os.tmpdir()
}

const timeoutMs = (options: ServerOptions | undefined): number | undefined =>
  options?.startTimeout === undefined ? undefined : Duration.toMillis(options.startTimeout)

/**
 * Starts a dedicated `redis-server` for one test (or file) on a free loopback port, stopped
 * and removed when the scope closes. Use it to stop and restart Redis mid-test; suites
 * using it belong inside `describeWithRedis`.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const outage = Effect.scoped(Effect.gen(function*() {
 *   const redis = yield* TestServers.redisServer({ persist: true })
 *   // ... connect a client to redis.url ...
 *   yield* redis.stop   // clients now fail
 *   yield* redis.start  // same port and data: clients reconnect
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const redisServer = (options?: RedisServerOptions): Effect.Effect<RedisServer, TestServerError, Scope.Scope> =>
  acquireServer(failWith("redis"), () =>
    startRedis({
      port: options?.port,
      dir: options?.dir,
      persist: options?.persist,
      parentDir: parentDir(),
      startTimeoutMs: timeoutMs(options)
    })).pipe(Effect.map((handle) => controlOf(handle, failWith("redis"))))

/**
 * Starts a dedicated PostgreSQL cluster (`initdb` in a temp dir, durability off for speed)
 * on a free loopback port, stopped and removed when the scope closes. Use it to stop and
 * restart PostgreSQL mid-test; suites using it belong inside `describeWithPostgres`.
 *
 * @example
 * ```ts
 * import { TestServers } from "@strata/testing"
 * import { Effect } from "effect"
 *
 * const outage = Effect.scoped(Effect.gen(function*() {
 *   const postgres = yield* TestServers.postgresServer()
 *   const url = yield* postgres.createDatabase("orders")
 *   yield* postgres.stop
 *   yield* postgres.start
 *   return url
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const postgresServer = (options?: ServerOptions): Effect.Effect<PostgresServer, TestServerError, Scope.Scope> =>
  acquireServer(failWith("postgres"), () =>
    startPostgres({
      port: options?.port,
      dir: options?.dir,
      parentDir: parentDir(),
      startTimeoutMs: timeoutMs(options)
    })).pipe(Effect.map((handle) => ({
      ...controlOf(handle, failWith("postgres")),
      databaseUrl: (name: string) => handle.databaseUrl(name),
      createDatabase: (name: string) =>
        Effect.tryPromise({ try: () => handle.createDatabase(name), catch: failWith("postgres") }),
      query: (sql: string, database?: string) =>
        Effect.tryPromise({ try: () => handle.query(sql, database), catch: failWith("postgres") })
    })))
