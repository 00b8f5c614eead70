/**
 * The schema of the users table, as numbered migrations. They run at start-up (unless
 * `DATABASE_MIGRATE=false`), exactly once across replicas; add a change as the next number.
 *
 * @since 0.1.0
 */
import { Migrations } from "@strata/sql"

/**
 * The migrations of the demo.
 *
 * @example
 * ```ts
 * import { Migrations } from "@strata/sql"
 * import { migrations } from "./UserMigrations.js"
 *
 * const MigrationsLive = Migrations.layerConfig(migrations)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.Loader = Migrations.fromRecord({
  "0001_create_users": `
    CREATE TABLE users (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username text NOT NULL CONSTRAINT users_username_key UNIQUE,
      email text NOT NULL,
      full_name text,
      active boolean NOT NULL DEFAULT true,
      tags jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- e-mail addresses are unique whatever their case
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));
    CREATE INDEX users_created_at_idx ON users (created_at, id);
    CREATE INDEX users_tags_idx ON users USING gin (tags);`
})
