import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { Errors } from "@strata/core"
import { LogCapture, TestStrata } from "@strata/testing"
import { App, firstGreeting, Greetings, GreetingsLive, GreetingsTest } from "./getting-started.js"

describe("getting started", () => {
  it.effect("the real layer greets, counts, and rejects a blank name with a typed error", () =>
    Effect.gen(function*() {
      const greetings = yield* Greetings
      expect(yield* greetings.greet("Ada")).toBe("Bonjour, Ada!")
      const error = yield* Effect.flip(greetings.greet("  "))
      expect(error).toBeInstanceOf(Errors.ValidationFailed)
      expect(error.errors[0]?.path).toBe("name")
      expect(yield* greetings.count).toBe(1)
    }).pipe(Effect.provide(GreetingsLive), Effect.provide(TestStrata.layer({ greetings: { prefix: "Bonjour" } }))))

  it.effect("a test swaps the service for a mock layer", () =>
    Effect.gen(function*() {
      expect(yield* firstGreeting).toEqual(Option.some("Hi Ada"))
    }).pipe(Effect.provide(GreetingsTest)))

  it.effect("the app starts as a managed service and logs its greeting", () =>
    Effect.gen(function*() {
      yield* Layer.build(App)
      const messages = yield* LogCapture.messages
      expect(messages).toContain("Hello, Strata!")
      expect(messages).toContain("starting greeter")
    }).pipe(Effect.scoped, Effect.provide(TestStrata.layer())))
})
