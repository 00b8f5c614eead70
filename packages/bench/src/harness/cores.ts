/**
 * Which core runs what. With `taskset` and at least two cores, the measured process
 * (server, worker, booting app) gets core 0 and the load generator (and redis-server) core 1,
 * so they do not steal each other's time slices.
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as Os from "node:os"

/** The cores, or `undefined` when pinning is not possible here. */
export interface Cores {
  readonly subject: number
  readonly load: number
}

let cached: Cores | undefined | null = null

/** The core layout, when `taskset` exists and the machine has two cores or more. */
export const cores = (): Cores | undefined => {
  if (cached !== null) return cached
  const hasTaskset = spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0
  cached = hasTaskset && Os.availableParallelism() >= 2 ? { subject: 0, load: 1 } : undefined
  return cached
}

/** Pins a running process (all its threads) to one core; no-op without `taskset`. */
export const pin = (pid: number, core: number | undefined): void => {
  if (core === undefined) return
  execFileSync("taskset", ["-a", "-p", "-c", String(core), String(pid)], { stdio: "ignore" })
}

/** `command args` prefixed with `taskset -c <core>` when pinning is possible. */
export const pinned = (
  core: number | undefined,
  command: string,
  args: ReadonlyArray<string>
): { readonly command: string; readonly args: ReadonlyArray<string> } =>
  core === undefined ? { command, args } : { command: "taskset", args: ["-c", String(core), command, ...args] }

/** How the processes were placed, for RESULTS.md. */
export const describeCores = (): string => {
  const layout = cores()
  return layout === undefined
    ? "not pinned (taskset missing or a single core)"
    : `measured process on core ${layout.subject}, load generator and redis-server on core ${layout.load} (taskset)`
}
