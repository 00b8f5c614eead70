/**
 * The same `npm start`, with `DATABASE_URL` and `REDIS_URL` set: the demo runs on a real
 * PostgreSQL and caches in a real Redis (started by the test run's global setup), with no
 * code change. Started twice on one database: migrations and sample users apply once.
 */
import { TestServers } from "@strata/testing"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { build, serviceOrder, start } from "./support/demoProcess.js"
import { checkMetrics, checkReady, exerciseUsersApi, request } from "./support/usersScenario.js"

TestServers.describeWithPostgres("npm start (packages/demo) on Postgres", () => {
  TestServers.describeWithRedis("and Redis", (redisUrl) => {
    const scope = Effect.runSync(Scope.make())
    let env: Record<string, string> = {}

    beforeAll(async () => {
      build()
      const databaseUrl = await Effect.runPromise(Scope.extend(TestServers.freshDatabase({ prefix: "demo" }), scope))
      const prefix = `demo-e2e-${Math.random().toString(36).slice(2, 10)}:`
      env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }
    }, 180_000)

    afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)), 60_000)

    it("serves the users API from Postgres with a Redis cache, and stops on SIGTERM in reverse order", async () => {
      const demo = await start(env)
      expect(demo.ready).toMatchObject({ database: "postgres", cache: "redis" })
      const messages = demo.logs().map((line) => line.message)
      expect(messages).toContain("Applied migration 1_create_users")
      expect(messages).toContain("Sample users: 5 inserted, 0 already present")

      const kept = await exerciseUsersApi(demo.url)
      await checkMetrics(demo.url, "redis")
      await checkReady(demo.url, ["database", "redis"])

      const exit = await demo.stop("SIGTERM")
      expect(exit.code).toBe(0)
      expect(exit.stderr).toBe("")
      const started = serviceOrder(exit.logs, "started")
      expect(started).toEqual(["database", "redis", "cache", "users", "http"])
      expect(serviceOrder(exit.logs, "stopping")).toEqual([...started].reverse())

      // A restart on the same database: nothing to migrate, no sample inserted twice, data kept.
      const again = await start(env)
      const restartMessages = again.logs().map((line) => line.message)
      expect(restartMessages).not.toContain("Applied migration 1_create_users")
      expect(restartMessages).toContain("Sample users: 0 inserted, 5 already present")
      const user = await request(`${again.url}/users/${kept}`)
      expect(user.status).toBe(200)
      expect(user.body).toMatchObject({ id: kept, active: false, fullName: null })
      const restarted = await again.stop("SIGTERM")
      expect(restarted.code).toBe(0)
      expect(restarted.stderr).toBe("")
    }, 240_000)
  })
})
