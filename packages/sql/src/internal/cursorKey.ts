/**
 * The layers that provide the cursor signing key. Re-exported by `Pagination`.
 *
 * @internal
 */
import * as Errors from "@strata/core/Errors"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as codec from "./cursorCodec.js"

const keyError = (length: number): Errors.ConfigurationError =>
  new Errors.ConfigurationError({
    issues: [{
      key: "PAGINATION_CURSOR_SECRET",
      message: `must be at least ${codec.minimumKeyBytes} bytes (got ${length})`,
      source: "code"
    }]
  })

/**
 * The cursor signing key from a secret of at least 32 bytes (UTF-8). Every replica that
 * serves the same API needs the same secret.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Redacted } from "effect"
 *
 * const CursorKeyLive = Pagination.layer({ cursorSecret: Redacted.make("a-secret-of-at-least-32-bytes-long!!") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: { readonly cursorSecret: Redacted.Redacted<string> }
): Layer.Layer<codec.CursorKey, Errors.ConfigurationError> =>
  Layer.effect(
    codec.CursorKey,
    Effect.suspend(() => {
      const bytes = new Uint8Array(Buffer.from(Redacted.value(options.cursorSecret), "utf8"))
      return bytes.length < codec.minimumKeyBytes
        ? Effect.fail(keyError(bytes.length))
        : Effect.succeed(Redacted.make(bytes))
    })
  )

/**
 * The cursor secret from `PAGINATION_CURSOR_SECRET` (YAML `pagination.cursorSecret`), if set.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 * import { Effect, Option } from "effect"
 *
 * const program = Effect.map(Pagination.config, Option.isSome)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<Option.Option<Redacted.Redacted<string>>> = Config.redacted(
  "cursorSecret"
).pipe(
  Config.validate({
    message: `Must be at least ${codec.minimumKeyBytes} bytes`,
    validation: (secret) => Buffer.byteLength(Redacted.value(secret), "utf8") >= codec.minimumKeyBytes
  }),
  Config.option,
  Config.nested("pagination")
)

/**
 * The cursor key from {@link config}. Without `PAGINATION_CURSOR_SECRET` it makes a random
 * key for this process and logs a warning: fine in development, but cursors then break on
 * restart and between replicas. A secret shorter than 32 bytes fails the layer.
 *
 * @example
 * ```ts
 * import { Pagination } from "@strata/sql"
 *
 * const CursorKeyLive = Pagination.layerConfig // reads PAGINATION_CURSOR_SECRET
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<codec.CursorKey, ConfigError.ConfigError> = Layer.effect(
  codec.CursorKey,
  Effect.flatMap(config, (secret) =>
    Option.isSome(secret)
      ? Effect.succeed(Redacted.make(new Uint8Array(Buffer.from(Redacted.value(secret.value), "utf8"))))
      : Effect.as(
        Effect.logWarning(
          "PAGINATION_CURSOR_SECRET is not set: cursors are signed with a random per-process key " +
            "(they stop working on restart and across replicas)"
        ),
        codec.randomKey()
      ))
)
