/**
 * Migration loaders: a record of effects or SQL strings, and a directory of `.sql` files and
 * modules. Both produce `@effect/sql` `Migrator` loaders, so its own loaders work as well.
 *
 * @internal
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { pathToFileURL } from "node:url"

/** @internal */
export type Source = Effect.Effect<unknown, unknown, SqlClient.SqlClient> | string

const keyPattern = /^(\d+)_(.+)$/
const filePattern = /^(\d+)_(.+)\.(sql|js|mjs|cjs|ts|mts|cts)$/
const declarationPattern = /\.d\.[mc]?ts$/

const messageOf = (cause: unknown): string => cause instanceof Error ? cause.message : String(cause)

/** Runs a SQL script as it is: several statements are fine (simple query protocol). @internal */
export const sqlScript = (text: string): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  text.trim() === "" ? Effect.void : Effect.asVoid(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(text)))

const byId = (a: Migrator.ResolvedMigration, b: Migrator.ResolvedMigration): number => a[0] - b[0]

/** @internal */
export const fromRecord = (migrations: Readonly<Record<string, Source>>): Migrator.Loader =>
  Effect.suspend(() => {
    const resolved: Array<Migrator.ResolvedMigration> = []
    for (const key of Object.keys(migrations)) {
      const match = keyPattern.exec(key)
      if (match === null) {
        // Effect's `fromRecord` drops such keys silently; a migration that never runs is worse.
        return Effect.fail(
          new Migrator.MigrationError({
            reason: "import-error",
            message: `Migration key "${key}" must look like "0001_create_users"`
          })
        )
      }
      const source = migrations[key]!
      const effect = typeof source === "string" ? sqlScript(source) : source
      resolved.push([Number(match[1]), match[2]!, Effect.succeed(effect)])
    }
    return Effect.succeed(resolved.sort(byId))
  })

const importError = (file: string) => (cause: unknown): Migrator.MigrationError =>
  new Migrator.MigrationError({ reason: "import-error", message: `Could not load ${file}: ${messageOf(cause)}`, cause })

const loadFile = (file: string, extension: string): Effect.Effect<unknown, Migrator.MigrationError> =>
  extension === "sql"
    ? Effect.map(
      Effect.tryPromise({ try: () => Fs.readFile(file, "utf8"), catch: importError(file) }),
      sqlScript
    )
    : Effect.tryPromise({
      try: () => import(/* @vite-ignore */ pathToFileURL(file).href) as Promise<unknown>,
      catch: importError(file)
    })

/** @internal */
export const fromDirectory = (directory: string): Migrator.Loader =>
  Effect.map(
    Effect.tryPromise({
      try: () => Fs.readdir(directory),
      catch: (cause) =>
        new Migrator.MigrationError({
          reason: "import-error",
          message: `Could not read the migrations directory ${directory}: ${messageOf(cause)}`,
          cause
        })
    }),
    (files) => {
      const resolved: Array<Migrator.ResolvedMigration> = []
      for (const file of files.slice().sort()) {
        const match = filePattern.exec(file)
        if (match === null || declarationPattern.test(file)) continue
        resolved.push([Number(match[1]), match[2]!, loadFile(Path.join(directory, file), match[3]!)])
      }
      return resolved.sort(byId)
    }
  )
