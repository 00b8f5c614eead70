/**
 * What the global setup hands to the test workers through vitest's `provide` / `inject`,
 * and the pure decisions made from it (available or not, run / skip / fail a suite).
 *
 * @internal
 */

declare module "vitest" {
  // Values the Strata global setup provides (see ./serversSetup.ts).
  export interface ProvidedContext {
    "strata.redisUrl": string | null
    "strata.redisUnavailable": string | null
    "strata.postgresUrl": string | null
    "strata.postgresUnavailable": string | null
    "strata.requireServices": boolean
    "strata.serversDir": string
  }
}

/** The shared servers of a test run. */
export type ServiceName = "redis" | "postgres"

/** Display names. */
export const LABEL: Record<ServiceName, string> = { redis: "Redis", postgres: "PostgreSQL" }

/** A shared server is up (with its URL) or not (with the reason). */
export type Availability =
  | { readonly available: true; readonly url: string }
  | { readonly available: false; readonly reason: string }

/** Reads an availability out of the two provided values; `undefined`: the setup never ran. */
export const availabilityOf = (
  service: ServiceName,
  url: string | null | undefined,
  reason: string | null | undefined
): Availability => {
  if (typeof url === "string" && url !== "") return { available: true, url }
  if (typeof reason === "string" && reason !== "") return { available: false, reason }
  return {
    available: false,
    reason: `no ${LABEL[service]} URL was provided: the Strata global setup ` +
      "(packages/testing/src/internal/globalSetup.ts) did not run; run vitest with the root config"
  }
}

/** Run the suite, skip it (loudly, with the reason), or fail it (`STRATA_REQUIRE_SERVICES=1`). */
export type SuiteMode = "run" | "skip" | "fail"

/** @internal */
export const suiteMode = (availability: Availability, requireServices: boolean): SuiteMode =>
  availability.available ? "run" : requireServices ? "fail" : "skip"

/** `STRATA_REQUIRE_SERVICES=1` (or `true`). */
export const requireServicesFromEnv = (env: NodeJS.ProcessEnv): boolean =>
  env.STRATA_REQUIRE_SERVICES === "1" || env.STRATA_REQUIRE_SERVICES === "true"

/**
 * `STRATA_TEST_SERVERS`: which shared servers the global setup starts — `redis,postgres`
 * (the default), `redis`, `postgres` or `none` (fast unit-test runs).
 */
export const wantedServers = (env: NodeJS.ProcessEnv): ReadonlySet<ServiceName> => {
  const value = env.STRATA_TEST_SERVERS
  if (value === undefined || value.trim() === "") return new Set(["redis", "postgres"])
  const names = value.split(",").map((name) => name.trim().toLowerCase())
  return new Set(names.filter((name): name is ServiceName => name === "redis" || name === "postgres"))
}
