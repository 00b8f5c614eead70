/**
 * A few sample users, so a fresh start has something to list. Inserted at start-up with
 * `ON CONFLICT DO NOTHING`: running it again (a restart on Postgres, two replicas at once)
 * adds nothing twice. `DEMO_SAMPLE_USERS=false` turns it off.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Errors } from "@strata/core"
import { Database } from "@strata/sql"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { NewUser } from "./User.js"

/**
 * The sample users.
 *
 * @example
 * ```ts
 * import { samples } from "./SampleUsers.js"
 *
 * samples.map((user) => user.username) // ["ada", "grace", "alan", "margaret", "charles"]
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const samples: ReadonlyArray<NewUser> = [
  { username: "ada", email: "ada@example.com", fullName: "Ada Lovelace", tags: ["admin", "math"] },
  { username: "grace", email: "grace@example.com", fullName: "Grace Hopper", tags: ["admin", "compilers"] },
  { username: "alan", email: "alan@example.com", fullName: "Alan Turing", tags: ["math"] },
  { username: "margaret", email: "margaret@example.com", fullName: "Margaret Hamilton", tags: ["space"] },
  { username: "charles", email: "charles@example.com", fullName: "Charles Babbage", active: false, tags: ["math"] }
]

/**
 * Inserts the samples that are missing; returns how many it inserted.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { insertSamples } from "./SampleUsers.js"
 *
 * const inserted = insertSamples // Effect<number, DatabaseError, SqlClient>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const insertSamples: Effect.Effect<number, Errors.DatabaseError, SqlClient.SqlClient> = Effect.gen(
  function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = samples.map((user) => ({
      username: user.username,
      email: user.email,
      full_name: user.fullName ?? null,
      active: user.active ?? true,
      tags: JSON.stringify(user.tags ?? [])
    }))
    const inserted = yield* sql`INSERT INTO users ${sql.insert(rows)} ON CONFLICT DO NOTHING RETURNING id`
    return inserted.length
  }
).pipe(
  Database.mapErrors({ resource: "User" }),
  // Nothing else can fail: ON CONFLICT absorbs the unique violations, the rows are valid.
  Effect.catchTags({ AlreadyExists: Effect.die, InvalidState: Effect.die, ValidationFailed: Effect.die })
)

/**
 * Inserts the samples at start-up unless `DEMO_SAMPLE_USERS=false` (YAML `demo.sampleUsers`),
 * and logs what it did.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { layerConfig } from "./SampleUsers.js"
 *
 * // provide it after the migrations, before the service
 * const SeedLive: Layer.Layer<never, unknown, unknown> = layerConfig
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<
  never,
  Errors.DatabaseError | ConfigError.ConfigError,
  SqlClient.SqlClient
> = Layer.effectDiscard(
  Effect.gen(function*() {
    const enabled = yield* Config.boolean("sampleUsers").pipe(Config.nested("demo"), Config.withDefault(true))
    if (!enabled) return yield* Effect.logInfo("Sample users skipped (DEMO_SAMPLE_USERS=false)")
    const inserted = yield* insertSamples
    yield* Effect.logInfo(`Sample users: ${inserted} inserted, ${samples.length - inserted} already present`)
  })
)
