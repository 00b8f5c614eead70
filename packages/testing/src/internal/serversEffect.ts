/**
 * The Effect and vitest side of `TestServers`: suites that run, skip or fail depending on
 * the shared servers, scoped dedicated servers, and per-file databases.
 *
 * @internal
 */
import { describe, test } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { ServerControl, Service, TestServerError } from "../TestServers.js"
import { type Availability, LABEL, suiteMode } from "./serversContext.js"
import { pgQuery, quoteIdent, targetFromUrl } from "./serversPgWire.js"
import type { PostgresHandle } from "./serversPostgres.js"
import type { RedisHandle } from "./serversRedis.js"

type Fail = (cause: unknown) => TestServerError

/** `describe(name, suite(url))`, a skipped suite naming the reason, or a failing one. */
export const describeSuite = (
  service: Service,
  available: Availability,
  requireServices: boolean,
  name: string,
  suite: (url: string) => void
): void => {
  if (available.available) {
    describe(name, () => suite(available.url))
    return
  }
  if (suiteMode(available, requireServices) === "fail") {
    describe(name, () => {
      test(`requires ${LABEL[service]} (STRATA_REQUIRE_SERVICES=1)`, () => {
        throw new Error(`${LABEL[service]} is required but unavailable: ${available.reason}`)
      })
    })
  } else {
    describe.skip(name, () => {
      test(`needs ${LABEL[service]}: ${available.reason.split("\n")[0]}`, () => {})
    })
  }
}

/** The Effect view of a server handle. */
export const controlOf = (handle: RedisHandle | PostgresHandle, fail: Fail): ServerControl => {
  const call = (f: () => Promise<void>) => Effect.tryPromise({ try: f, catch: fail })
  return {
    host: handle.host,
    port: handle.port,
    url: handle.url,
    dir: handle.dir,
    start: call(() => handle.start()),
    stop: call(() => handle.stop()),
    kill: call(() => handle.kill()),
    isRunning: Effect.sync(() => handle.running),
    logTail: Effect.sync(() => handle.logTail())
  }
}

/** Starts a server for the scope; disposing never fails the scope. */
export const acquireServer = <H extends RedisHandle | PostgresHandle>(
  fail: Fail,
  start: () => Promise<H>
): Effect.Effect<H, TestServerError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({ try: start, catch: fail }),
    (handle) => Effect.promise(() => handle.dispose().catch(() => undefined))
  )

/** `CREATE DATABASE strata_<prefix>_<random>` on the server of `serverUrl`, dropped with the scope. */
export const createDatabaseIn = (
  serverUrl: string,
  prefix: string,
  fail: Fail
): Effect.Effect<string, TestServerError, Scope.Scope> => {
  const target = targetFromUrl(serverUrl)
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 40)
  const name = `strata_${safePrefix}_${Math.random().toString(36).slice(2, 10)}`
  const run = (sql: string) => Effect.tryPromise({ try: () => pgQuery(target, sql), catch: fail })
  const databaseUrl = new URL(serverUrl)
  databaseUrl.pathname = `/${name}`
  return Effect.acquireRelease(
    run(`CREATE DATABASE ${quoteIdent(name)}`),
    () => Effect.ignore(run(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`))
  ).pipe(Effect.as(databaseUrl.toString()))
}
