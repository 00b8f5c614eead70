/**
 * Finding the server binaries. Debian puts PostgreSQL in `/usr/lib/postgresql/<major>/bin`,
 * outside PATH, so that is searched first; `STRATA_REDIS_SERVER` (a file) and
 * `STRATA_POSTGRES_BIN` (a directory holding `initdb` and `postgres`) override the search.
 *
 * @internal
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"

/** Either what was found or a human reason why not. */
export type Located<A> =
  | { readonly found: true; readonly value: A }
  | { readonly found: false; readonly reason: string }

/** The PostgreSQL server programs. */
export interface PostgresBinaries {
  readonly binDir: string
  readonly initdb: string
  readonly postgres: string
}

/** The OS user to run PostgreSQL as (it refuses to run as root); `undefined`: the current user. */
export type RunAs = { readonly uid: number; readonly gid: number } | undefined

const found = <A>(value: A): Located<A> => ({ found: true, value })
const missing = <A>(reason: string): Located<A> => ({ found: false, reason })

const EXTRA_DIRS = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/opt/homebrew/bin"]

const isExecutable = (path: string): boolean => {
  try {
    Fs.accessSync(path, Fs.constants.X_OK)
    return Fs.statSync(path).isFile()
  } catch {
    return false
  }
}

const searchDirs = (env: NodeJS.ProcessEnv): Array<string> => {
  const fromPath = (env.PATH ?? "").split(Path.delimiter).filter((dir) => dir !== "")
  return [...new Set([...fromPath, ...EXTRA_DIRS])]
}

/** Finds `redis-server`. */
export const locateRedis = (env: NodeJS.ProcessEnv = process.env): Located<string> => {
  const override = env.STRATA_REDIS_SERVER
  if (override !== undefined && override !== "") {
    return isExecutable(override)
      ? found(override)
      : missing(`redis-server not found: STRATA_REDIS_SERVER=${override} is not an executable file`)
  }
  for (const dir of searchDirs(env)) {
    const candidate = Path.join(dir, "redis-server")
    if (isExecutable(candidate)) return found(candidate)
  }
  return missing("redis-server not found (searched PATH, /usr/bin, /usr/sbin, /usr/local/bin)")
}

const postgresIn = (binDir: string): PostgresBinaries | undefined => {
  const initdb = Path.join(binDir, "initdb")
  const postgres = Path.join(binDir, "postgres")
  return isExecutable(initdb) && isExecutable(postgres) ? { binDir, initdb, postgres } : undefined
}

const debianBinDirs = (): Array<string> => {
  try {
    return Fs.readdirSync("/usr/lib/postgresql")
      .filter((version) => /^\d+(\.\d+)?$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => Path.join("/usr/lib/postgresql", version, "bin"))
  } catch {
    return []
  }
}

/** Finds `initdb` and `postgres` (the newest Debian version first, then PATH). */
export const locatePostgres = (env: NodeJS.ProcessEnv = process.env): Located<PostgresBinaries> => {
  const override = env.STRATA_POSTGRES_BIN
  if (override !== undefined && override !== "") {
    const binaries = postgresIn(override)
    return binaries !== undefined
      ? found(binaries)
      : missing(`PostgreSQL not found: STRATA_POSTGRES_BIN=${override} has no executable initdb and postgres`)
  }
  for (const dir of [...debianBinDirs(), ...searchDirs(env)]) {
    const binaries = postgresIn(dir)
    if (binaries !== undefined) return found(binaries)
  }
  return missing("PostgreSQL not found: no initdb and postgres in /usr/lib/postgresql/*/bin or on PATH")
}

/** As root, the `postgres` OS user; otherwise the current user. */
export const postgresRunAs = (): Located<RunAs> => {
  if (process.getuid === undefined || process.getuid() !== 0) return found(undefined)
  try {
    const id = (flag: string) =>
      Number(ChildProcess.execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: "pipe" }).trim())
    return found({ uid: id("-u"), gid: id("-g") })
  } catch {
    return missing(
      "PostgreSQL refuses to run as root and there is no 'postgres' OS user (install the postgresql package)"
    )
  }
}
