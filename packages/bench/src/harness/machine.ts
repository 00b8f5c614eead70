/**
 * Where a run happened and with what: machine, OS, Node and the versions of every package
 * measured (read from the installed `package.json` files).
 */
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Os from "node:os"
import * as Path from "node:path"

const require = createRequire(import.meta.url)

/** The installed version of a package (walks up from its resolved entry to its package.json). */
export const versionOf = (name: string): string => {
  let entry: string
  try {
    entry = require.resolve(name)
  } catch {
    return "not installed"
  }
  for (let dir = Path.dirname(entry); dir !== Path.dirname(dir); dir = Path.dirname(dir)) {
    const manifest = Path.join(dir, "package.json")
    if (!Fs.existsSync(manifest)) continue
    const json = JSON.parse(Fs.readFileSync(manifest, "utf8")) as { readonly name?: string; readonly version?: string }
    if (json.name === name) return json.version ?? "unknown"
  }
  return "unknown"
}

const osName = (): string => {
  try {
    const release = Fs.readFileSync("/etc/os-release", "utf8")
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1]
    if (pretty !== undefined) return `${pretty} (${Os.type()} ${Os.release()})`
  } catch {
    // not Linux, or no os-release
  }
  return `${Os.type()} ${Os.release()}`
}

/** The packages whose versions RESULTS.md lists. */
export const measuredPackages: ReadonlyArray<string> = [
  "effect",
  "@effect/platform",
  "@effect/platform-node",
  "@strata/core",
  "@strata/http",
  "@strata/cache",
  "@strata/redis",
  "@strata/telemetry",
  "fastify",
  "@fastify/helmet",
  "@fastify/cors",
  "pino",
  "prom-client",
  "@nestjs/core",
  "@nestjs/common",
  "awilix",
  "inversify",
  "lru-cache",
  "ioredis"
]

/** The commit measured (`abc1234`, `+ local changes` when the work tree differs), if in git. */
export const describeCommit = (cwd: string): string => {
  try {
    const git = (...args: Array<string>) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: "pipe" }).trim()
    const commit = git("rev-parse", "--short", "HEAD")
    const dirty = git("status", "--porcelain", "--untracked-files=no") !== ""
    return `${commit} (${git("rev-parse", "--abbrev-ref", "HEAD")})${dirty ? " + local changes" : ""}`
  } catch {
    return "unknown (not a git checkout)"
  }
}

/** The environment of a run as markdown bullet lines. */
export const describeMachine = (): ReadonlyArray<string> => {
  const cpus = Os.cpus()
  const model = cpus[0]?.model.trim() ?? "unknown CPU"
  return [
    `CPU: ${model}, ${Os.availableParallelism()} cores available (${cpus.length} online)`,
    `Memory: ${Math.round(Os.totalmem() / 2 ** 30)} GiB`,
    `OS: ${osName()}`,
    `Node: ${process.version}`,
    `Load average at the start: ${Os.loadavg().map((n) => n.toFixed(2)).join(", ")}`
  ]
}

/** `name version` for every measured package. */
export const describeVersions = (): string =>
  measuredPackages.map((name) => `\`${name}\` ${versionOf(name)}`).join(", ")
