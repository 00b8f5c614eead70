/**
 * Configuration for tests from a plain object, with the semantics of the production YAML
 * source (`ConfigSource`): nested keys (`{ log: { level } }` answers
 * `Config.string("level").pipe(Config.nested("log"))`), camelCase or snake_case keys,
 * lists, `${VAR}` interpolation, env-style overrides — and the same `ConfigurationError`
 * explanations. Nothing is read from `process.env` or the disk, so tests stay hermetic.
 *
 * @since 0.1.0
 */
import { ConfigSource } from "@strata/core"
import type * as ConfigProvider from "effect/ConfigProvider"
import * as Layer from "effect/Layer"

/**
 * Options: `env` holds flat env-style variables (`{ LOG_LEVEL: "debug" }`) that win over
 * `values` and feed `${VAR}` references, exactly as the process environment does in
 * production.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * The nested values a test configures: what the YAML file would hold, as an object.
 *
 * @since 0.1.0
 * @category models
 */
export type Values = { readonly [key: string]: ConfigSource.Value }

/**
 * A `ConfigProvider` from a plain nested object (and optional env-style variables).
 *
 * @example
 * ```ts
 * import { TestConfig } from "@strata/testing"
 * import { Config, Effect } from "effect"
 *
 * const provider = TestConfig.provider({ log: { level: "debug" }, database: { url: "postgres://test" } })
 * const level = Effect.withConfigProvider(Config.string("level").pipe(Config.nested("log")), provider)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const provider = (values: Values, options: Options = {}): ConfigProvider.ConfigProvider =>
  ConfigSource.fromObject(values, { env: options.env ?? {}, source: "TestConfig" })

/**
 * Installs `provider(values, options)` for the layers and effects it is provided to.
 *
 * @example
 * ```ts
 * import { TestConfig } from "@strata/testing"
 * import { describe, expect, it } from "@effect/vitest"
 * import { Config, Effect } from "effect"
 *
 * describe("greeting", () => {
 *   it.effect("reads app.greeting", () =>
 *     Effect.gen(function*() {
 *       const greeting = yield* Config.string("greeting").pipe(Config.nested("app"))
 *       expect(greeting).toBe("hi")
 *     }).pipe(Effect.provide(TestConfig.layer({ app: { greeting: "hi" } }))))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (values: Values, options?: Options): Layer.Layer<never> =>
  Layer.setConfigProvider(provider(values, options))

/**
 * Only env-style variables, for tests that mimic a deployment's environment.
 *
 * @example
 * ```ts
 * import { TestConfig } from "@strata/testing"
 *
 * const TestEnv = TestConfig.layerEnv({ LOG_LEVEL: "debug", DATABASE_POOL_SIZE: "2" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEnv = (env: Readonly<Record<string, string | undefined>>): Layer.Layer<never> =>
  layer({}, { env })
