/**
 * The error of a migration run. Re-exported by `Migrations`.
 *
 * @internal
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/**
 * Migrations could not run. `reason` says why:
 *
 * - `failed`: a migration failed (`migrationId`, `migrationName`, `cause`); the whole run was
 *   rolled back, nothing of it is recorded.
 * - `import-error`: a migration could not be loaded (a bad key or file, a module without a
 *   default Effect).
 * - `duplicates`: two migrations share an id.
 * - `out-of-order`: a migration was never applied but a later one already is.
 * - `database`: the database failed outside any migration (connection, lock, table).
 * - `bad-state` / `locked`: reported by `@effect/sql`'s Migrator (or a bad table name).
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 *
 * const error = new Migrations.MigrationError({
 *   reason: "failed",
 *   migrationId: 2,
 *   migrationName: "add_email",
 *   message: "Migration 2_add_email failed: column \"email\" already exists"
 * })
 * error.code // "MIGRATION_FAILED"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MigrationError extends Schema.TaggedError<MigrationError>()("MigrationError", {
  reason: Schema.Literal("failed", "import-error", "duplicates", "out-of-order", "database", "bad-state", "locked"),
  migrationId: Schema.optional(Schema.Number),
  migrationName: Schema.optional(Schema.String),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect),
  details: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}, HttpApiSchema.annotations({ status: 500 })) {
  /** @since 0.1.0 */
  get code(): "MIGRATION_FAILED" {
    return "MIGRATION_FAILED"
  }
  /** @since 0.1.0 */
  get status(): 500 {
    return 500
  }
}
