/**
 * The body of the vitest global setup: start the shared Redis and PostgreSQL (in
 * parallel), provide their URLs — or `null` and the reason — to every test project, print a
 * loud banner for what is missing, and fail the run under `STRATA_REQUIRE_SERVICES=1`.
 *
 * @internal
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import type { ProvidedContext } from "vitest"
import { locatePostgres, locateRedis, postgresRunAs } from "./serversBinaries.js"
import { LABEL, requireServicesFromEnv, type ServiceName, wantedServers } from "./serversContext.js"
import { startPostgres } from "./serversPostgres.js"
import { makeTempDir, removeDir, sweepOrphans } from "./serversProcess.js"
import { startRedis } from "./serversRedis.js"

/** `TestProject.provide`. */
export type Provide = <K extends keyof ProvidedContext & string>(key: K, value: ProvidedContext[K]) => void

/** @internal */
export interface SetupOptions {
  readonly provide: Provide
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Where banners go; default: stderr. */
  readonly write?: ((text: string) => void) | undefined
  /** Parent of the run's temp dir; default: the OS temp dir. */
  readonly tempDir?: string | undefined
}

type Started = { readonly url: string; readonly dispose: () => Promise<void> } | { readonly reason: string }

const INSTALL_HINT: Record<ServiceName, string> = {
  redis: "Install redis-server (apt-get install redis-server)",
  postgres: "Install PostgreSQL (apt-get install postgresql)"
}

const describeFailure = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Starts the shared servers; resolves to the teardown. */
export const setupServers = async (options: SetupOptions): Promise<() => Promise<void>> => {
  const env = options.env ?? process.env
  const write = options.write ?? ((text: string) => void process.stderr.write(text))
  const requireServices = requireServicesFromEnv(env)
  const wanted = wantedServers(env)
  const root = makeTempDir(options.tempDir ?? Os.tmpdir(), "strata-servers-")
  // Servers run as the `postgres` user when we are root; it must reach its dirs below root.
  Fs.chmodSync(root, 0o755)

  const start = async (service: ServiceName, run: () => Promise<Started>): Promise<Started> => {
    if (!wanted.has(service)) {
      return { reason: `${LABEL[service]} is disabled by STRATA_TEST_SERVERS=${env.STRATA_TEST_SERVERS ?? ""}` }
    }
    try {
      return await run()
    } catch (error) {
      return { reason: `${LABEL[service]} failed to start: ${describeFailure(error)}` }
    }
  }

  const [redis, postgres] = await Promise.all([
    start("redis", async () => {
      const binary = locateRedis(env)
      if (!binary.found) return { reason: binary.reason }
      return startRedis({ binary: binary.value, parentDir: root })
    }),
    start("postgres", async () => {
      const binaries = locatePostgres(env)
      if (!binaries.found) return { reason: binaries.reason }
      const runAs = postgresRunAs()
      if (!runAs.found) return { reason: runAs.reason }
      return startPostgres({ binaries: binaries.value, runAs: runAs.value, parentDir: root })
    })
  ])

  const urlOf = (started: Started) => ("url" in started ? started.url : null)
  const reasonOf = (started: Started) => ("reason" in started ? started.reason : null)
  options.provide("strata.redisUrl", urlOf(redis))
  options.provide("strata.redisUnavailable", reasonOf(redis))
  options.provide("strata.postgresUrl", urlOf(postgres))
  options.provide("strata.postgresUnavailable", reasonOf(postgres))
  options.provide("strata.requireServices", requireServices)
  options.provide("strata.serversDir", root)

  const teardown = async (): Promise<void> => {
    await Promise.all([redis, postgres].map((started) => ("dispose" in started ? started.dispose() : undefined)))
    await sweepOrphans(root)
    removeDir(root)
  }

  const missing: Array<[ServiceName, string]> = []
  if ("reason" in redis) missing.push(["redis", redis.reason])
  if ("reason" in postgres) missing.push(["postgres", postgres.reason])
  for (const [service, reason] of missing) write(banner(service, reason, requireServices))
  if (requireServices && missing.length > 0) {
    await teardown()
    throw new Error(
      "STRATA_REQUIRE_SERVICES=1 but test servers are unavailable:\n" +
        missing.map(([service, reason]) => `- ${LABEL[service]}: ${reason}`).join("\n")
    )
  }
  return teardown
}

/** The loud message for a missing server. */
export const banner = (service: ServiceName, reason: string, requireServices: boolean): string => {
  const outcome = requireServices
    ? `STRATA_REQUIRE_SERVICES=1, so the test run FAILS.`
    : `${LABEL[service]} suites will be SKIPPED. ${INSTALL_HINT[service]} or set STRATA_REQUIRE_SERVICES=1 to fail.`
  const rule = "!!! " + "=".repeat(76)
  const lines = [rule, ...reason.split("\n").map((line) => `!!! ${line}`), `!!! ${outcome}`, rule]
  const text = `\n${lines.join("\n")}\n\n`
  return process.stderr.isTTY ? `\x1b[1;31m${text}\x1b[0m` : text
}
