/**
 * The demo exactly as `npm start` runs it, on the embedded defaults (PGlite, memory cache):
 * built JavaScript in a child Node process, driven over HTTP, stopped with Ctrl-C (SIGINT).
 */
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { build, root, runToExit, serviceOrder, start } from "./support/demoProcess.js"
import { checkMetrics, checkReady, exerciseUsersApi, request } from "./support/usersScenario.js"

describe("npm start (packages/demo) on embedded defaults", () => {
  // CI builds first; a local `npm test` on a fresh clone builds here.
  beforeAll(build, 180_000)

  it("serves the users API on PGlite and a memory cache; Ctrl-C stops it in reverse order, exit 0", async () => {
    const demo = await start({})
    expect(demo.ready).toMatchObject({ database: "pglite", cache: "memory" })
    expect(demo.ready.message).toContain(`${demo.ready["url"]}/docs`)
    const lines = demo.logs().map((line) => line.message)
    expect(lines).toContain("Applied migration 1_create_users")
    expect(lines).toContain("Sample users: 5 inserted, 0 already present")

    // The sample users are there, then the whole API.
    const samples = await request(`${demo.url}/users?sort=username&pageSize=100`)
    expect(samples.body.items.map((user: { username: string }) => user.username)).toEqual(
      ["ada", "alan", "charles", "grace", "margaret"]
    )
    await exerciseUsersApi(demo.url)
    await checkMetrics(demo.url, "memory")
    await checkReady(demo.url, ["database"])
    const openApi = await request(`${demo.url}/openapi.json`)
    expect(Object.keys(openApi.body.paths).sort()).toEqual(["/users", "/users/{id}"])
    expect((await request(`${demo.url}/docs`)).contentType).toContain("text/html")

    const exit = await demo.stop("SIGINT")
    expect(exit.code).toBe(0)
    expect(exit.stderr).toBe("")
    const started = serviceOrder(exit.logs, "started")
    expect(started).toEqual(["database", "cache", "users", "http"])
    expect(serviceOrder(exit.logs, "stopping")).toEqual([...started].reverse())
    expect(exit.logs.map((line) => line.message)).toContain("Shutting down")
  }, 240_000)

  it("fails start-up on bad config with one clear message and exit 1, before anything starts", async () => {
    const exit = await runToExit({ DATABASE_POOL_SIZE: "lots", PORT: "abc" })
    expect(exit.code).toBe(1)
    expect(exit.stderr).toContain("Start-up failed. Invalid configuration:")
    expect(exit.stderr).toContain("DATABASE_POOL_SIZE (env)")
    expect(exit.stderr).toContain("PORT (env)")
    expect(exit.stderr.match(/Start-up failed/g)).toHaveLength(1)
    // the settings are read up front (Strata.checkConfig): no service was started
    expect(exit.logs.filter((line) => String(line.message).startsWith("starting"))).toEqual([])
  }, 60_000)

  it("reports an uncaught exception, shuts down gracefully and exits 1", async () => {
    const exit = await runToExit({}, { script: path.join(root, "packages/demo/test/fixtures/crash.mjs") })
    expect(exit.code).toBe(1)
    const report = exit.logs.find((line) => line.message === "Unexpected defect")
    expect(report).toMatchObject({ level: "fatal", function: "process", errorReport: true })
    expect((report?.["cause"] as { message: string }).message).toBe("thrown from a timer")
    expect(exit.logs.map((line) => line.message)).toContain("crasher released")
  }, 60_000)
})
