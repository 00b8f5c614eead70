import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { AppLive, migrate, Users } from "../../../docs/examples/migrations.js"

describe("docs/examples/migrations.ts", () => {
  it.effect("AppLive migrates before Users starts; migrating again applies nothing", () =>
    Effect.gen(function*() {
      const users = yield* Users
      expect(yield* users.count).toBe(1) // the admin of 0002_seed_admin
      const again = yield* migrate
      expect(again).toEqual([])
    }).pipe(Effect.provide(Layer.fresh(AppLive)), Logger.withMinimumLogLevel(LogLevel.None)), { timeout: 60_000 })
})
