/**
 * The Strata demo application: what `npm start` runs.
 *
 * Until the HTTP stack and the users service land, it is a minimal runtime: two managed
 * services on top of Strata's default layers (config, logging, health, lifecycle, error
 * reporter). It logs the service summary, serves nothing, and on Ctrl-C / SIGTERM stops
 * the services in reverse order and exits 0. Read it top to bottom: the layer graph is the
 * list of what the application needs.
 */
import { Health, Lifecycle, Strata } from "@strata/core"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"

/** An in-memory greeting store: a stand-in for a real resource such as a database. */
class Greetings extends Context.Tag("demo/Greetings")<Greetings, {
  readonly next: Effect.Effect<string>
}>() {}

const GreetingsLive = Lifecycle.service(
  "greetings",
  Layer.scoped(
    Greetings,
    Effect.gen(function*() {
      const count = yield* Ref.make(0)
      yield* Effect.addFinalizer(() => Effect.logDebug("greetings store closed"))
      return { next: Ref.updateAndGet(count, (n) => n + 1).pipe(Effect.map((n) => `hello #${n}`)) }
    })
  )
)

/** A background worker that depends on the store: stopped before it, on shutdown. */
const HeartbeatLive = Lifecycle.service(
  "heartbeat",
  Layer.scopedDiscard(
    Effect.gen(function*() {
      const every = yield* Config.duration("interval").pipe(
        Config.nested("heartbeat"),
        Config.withDefault(Duration.seconds(30))
      )
      const greetings = yield* Greetings
      yield* greetings.next.pipe(
        Effect.flatMap((greeting) => Effect.logDebug(`heartbeat: ${greeting}`)),
        Effect.repeat(Schedule.spaced(every)),
        Effect.forkScoped
      )
      yield* Health.register({ name: "heartbeat", kind: "liveness", check: Effect.void })
    })
  )
)

const Ready = Layer.effectDiscard(
  Effect.logInfo("Strata demo is running (no HTTP endpoints yet). Press Ctrl-C to stop.")
)

// Strata.runMain provides Strata.layerDefaults (config, logging, health, lifecycle, error
// reporter) under this graph.
const Main = Ready.pipe(
  Layer.provide(HeartbeatLive),
  Layer.provide(GreetingsLive)
)

Strata.runMain(Main)
