/**
 * The configuration of a named client: `<name>.baseUrl`, `<name>.timeout`, `<name>.retries`
 * (env `<NAME>_BASE_URL`, `<NAME>_TIMEOUT`, `<NAME>_RETRIES`).
 *
 * @internal
 */
import * as ConfigValues from "@strata/core/ConfigValues"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import type { ConfigOptions } from "./apiClientModels.js"

// Durations follow the one Strata rule (`ConfigValues`): a bare number is milliseconds
// (before 0.1.0 it was seconds here).
const timeout: Config.Config<Duration.Duration> = ConfigValues.duration("timeout")

const baseUrl: Config.Config<string> = Config.string("baseUrl").pipe(
  Config.validate({
    message: "Expected an absolute http(s) URL",
    validation: (text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)
  })
)

const retries: Config.Config<number> = Config.integer("retries").pipe(
  Config.validate({ message: "Expected a number of retries, 0 or more", validation: (n) => n >= 0 })
)

/** @internal */
export const config = (name: string): Config.Config<ConfigOptions> =>
  Config.all({
    baseUrl,
    timeout: Config.withDefault(timeout, Duration.seconds(10)),
    retries: Config.withDefault(retries, 2)
  }).pipe(Config.nested(name))
