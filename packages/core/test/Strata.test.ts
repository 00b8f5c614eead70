import { describe, expect, it } from "@effect/vitest"
import { Config, Context, Deferred, Effect, Exit, Fiber, Layer, Ref, Scope } from "effect"
import { ConfigSource, ErrorReporter, Health, Lifecycle, Logging, Strata } from "@strata/core"

// Quiet defaults for in-process runs: config from a fixed env, logs dropped.
const defaultsWith = (env: Record<string, string>) =>
  Layer.mergeAll(Health.layer, Lifecycle.layer, ErrorReporter.layerLog).pipe(
    Layer.provideMerge(Logging.layerConfig),
    Layer.provideMerge(ConfigSource.layer({ env: { LOG_LEVEL: "none", ...env }, file: false }))
  )

describe("Strata.launch", () => {
  it.live("runs the app until interrupted, flips readiness first, then releases in reverse order", () =>
    Effect.gen(function*() {
      const events = yield* Ref.make<ReadonlyArray<string>>([])
      const started = yield* Deferred.make<Health.Health["Type"]>()
      const record = (event: string) => Ref.update(events, (all) => [...all, event])
      const resource = (name: string) =>
        Lifecycle.service(name, Layer.scopedDiscard(Effect.acquireRelease(record(`start ${name}`), () =>
          Effect.flatMap(Health.isShuttingDown, (down) => record(`stop ${name} (shutting down: ${down})`)))))
      const app = Layer.effectDiscard(Effect.flatMap(Health.Health, (h) => Deferred.succeed(started, h))).pipe(
        Layer.provide(resource("b")),
        Layer.provide(resource("a"))
      )
      const fiber = yield* Effect.fork(Strata.launch(app, { defaults: defaultsWith({}) }))
      const health = yield* Deferred.await(started)
      expect((yield* health.report("readiness")).status).toBe("healthy")
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(events)).toEqual([
        "start a",
        "start b",
        "stop b (shutting down: true)",
        "stop a (shutting down: true)"
      ])
      expect((yield* health.report("readiness")).status).toBe("unhealthy")
    }))

  it.live("fails start-up with one message naming every bad config key with its source", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const needsConfig = (name: string, config: Config.Config<unknown>) =>
        Lifecycle.service(name, Layer.effectDiscard(config))
      const app = Layer.mergeAll(
        needsConfig("db", Config.string("url").pipe(Config.nested("database"))),
        needsConfig("server", Config.integer("port").pipe(Config.nested("server")))
      )
      const exit = yield* Effect.exit(
        Strata.launch(app, {
          defaults: defaultsWith({ SERVER_PORT: "eighty" }),
          writeError: (text) => written.push(text)
        })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(written).toHaveLength(1)
      expect(written[0]).toContain("Start-up failed. Invalid configuration:")
      expect(written[0]).toMatch(/DATABASE_URL \(missing\)/)
      expect(written[0]).toMatch(/SERVER_PORT \(env\)/)
    }))

  it.live("checkConfig under the app fails the start before any layer of the app is built", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const built: Array<string> = []
      const slow = Lifecycle.service("database", Layer.effectDiscard(Effect.sync(() => built.push("database"))))
      const server = Layer.effectDiscard(Config.port("port").pipe(Config.nested("server")))
      const app = server.pipe(
        Layer.provide(slow),
        Layer.provide(Strata.checkConfig(
          Config.port("port").pipe(Config.nested("server")),
          Config.integer("poolSize").pipe(Config.nested("database"))
        ))
      )
      const exit = yield* Effect.exit(
        Strata.launch(app, {
          defaults: defaultsWith({ SERVER_PORT: "eighty", DATABASE_POOL_SIZE: "lots" }),
          writeError: (text) => written.push(text)
        })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(built).toEqual([])
      expect(written).toHaveLength(1)
      expect(written[0]).toMatch(/SERVER_PORT \(env\)/)
      expect(written[0]).toMatch(/DATABASE_POOL_SIZE \(env\)/)
    }))

  it.live("writes the pretty cause for a start-up failure that is not about config", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const exit = yield* Effect.exit(
        Strata.launch(Layer.effectDiscard(Effect.fail(new Error("port 3000 in use"))), {
          defaults: defaultsWith({}),
          writeError: (text) => written.push(text)
        })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(written[0]).toContain("Start-up failed.")
      expect(written[0]).toContain("port 3000 in use")
    }))
})

describe("Strata.start", () => {
  it.effect("builds the app over the defaults, returns its context, and stops it in reverse order with the scope", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const record = (event: string) => Effect.sync(() => void events.push(event))
      class Greeting extends Context.Tag("test/Greeting")<Greeting, string>() {}
      const base = Lifecycle.service(
        "base",
        Layer.scoped(
          Greeting,
          Effect.acquireRelease(Effect.as(record("start base"), "hello"), () => record("stop base"))
        )
      )
      const app = Lifecycle.service(
        "app",
        Layer.scopedDiscard(Effect.acquireRelease(Effect.flatMap(Greeting, (g) => record(`start app (${g})`)), () =>
          record("stop app")))
      ).pipe(Layer.provideMerge(base))
      const scope = yield* Scope.make()
      const context = yield* Strata.start(app, { defaults: defaultsWith({}) }).pipe(Scope.extend(scope))
      expect(Context.get(context, Greeting)).toBe("hello")
      const services = yield* Context.get(context, Lifecycle.Lifecycle).services
      expect(services.map((s) => [s.name, s.state])).toEqual([["base", "running"], ["app", "running"]])
      yield* Scope.close(scope, Exit.void)
      expect(events).toEqual(["start base", "start app (hello)", "stop app", "stop base"])
    }))
})
