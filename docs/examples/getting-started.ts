/**
 * Getting started: a service, its layer, the runtime, and a test with mock layers.
 * Compiled by `npm run typecheck`; quoted in docs/getting-started.md.
 */
import { Errors, Lifecycle, Logging, Strata } from "@strata/core"
import { Config, Context, Effect, Layer, Option, Ref } from "effect"

// 1. A service is a Context.Tag with an interface.
export class Greetings extends Context.Tag("app/Greetings")<Greetings, {
  readonly greet: (name: string) => Effect.Effect<string, Errors.ValidationFailed>
  readonly count: Effect.Effect<number>
}>() {}

// 2. A layer builds it. Config comes from env (GREETINGS_PREFIX) or strata.yaml (greetings.prefix).
export const GreetingsLive: Layer.Layer<Greetings, never, never> = Layer.effect(
  Greetings,
  Effect.gen(function*() {
    const prefix = yield* Config.string("prefix").pipe(
      Config.nested("greetings"),
      Config.withDefault("Hello"),
      Effect.orDie
    )
    const counter = yield* Ref.make(0)
    return {
      greet: (name) =>
        name.trim() === ""
          ? Effect.fail(Errors.validationError("name", "Name is required", "required"))
          : Ref.update(counter, (n) => n + 1).pipe(
            Effect.as(`${prefix}, ${name}!`),
            Logging.timed("greet")
          ),
      count: Ref.get(counter)
    }
  })
)

// 3. The application: a managed service (its start and stop are logged) using Greetings.
export const App = Lifecycle.service(
  "greeter",
  Layer.effectDiscard(
    Effect.gen(function*() {
      const greetings = yield* Greetings
      yield* Effect.log(yield* greetings.greet("Strata"))
    })
  )
).pipe(Layer.provide(GreetingsLive))

// 4. main.ts: `Strata.runMain(App)` provides the default layers (config, logging, health,
//    lifecycle, error reporter) and stops everything in reverse order on Ctrl-C.
export const main = (): void => Strata.runMain(App)

// 5. A mock layer for tests: same interface, no config, fixed behaviour.
export const GreetingsTest: Layer.Layer<Greetings> = Layer.succeed(Greetings, {
  greet: (name) => Effect.succeed(`Hi ${name}`),
  count: Effect.succeed(0)
})

export const firstGreeting: Effect.Effect<Option.Option<string>, never, Greetings> = Effect.flatMap(
  Greetings,
  (greetings) => Effect.option(greetings.greet("Ada"))
)
