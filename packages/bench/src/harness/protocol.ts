/**
 * The messages between the harness and its child processes (over the `fork` IPC channel).
 *
 * A child announces itself once with `ready` (a server adds its port; a one-shot child such
 * as a boot run puts its measurements there), then answers each `run` with `result` or
 * `failed`.
 */

/** Measurements by name (`opsPerSec`, `rps`, `p99Ms`, `bootMs`, ...). */
export type Figures = Readonly<Record<string, number>>

/** Child → harness, once. */
export interface Ready {
  readonly type: "ready"
  readonly port?: number | undefined
  readonly figures?: Figures | undefined
}

/** Harness → child: run `op` for about `windowMs` and report. */
export interface Run {
  readonly type: "run"
  readonly id: number
  readonly op: string
  readonly windowMs: number
}

/** Child → harness: the answer to a `run`. */
export interface Result {
  readonly type: "result"
  readonly id: number
  readonly figures: Figures
}

/** Child → harness: a `run` (or the start-up) failed. */
export interface Failed {
  readonly type: "failed"
  readonly id?: number | undefined
  readonly message: string
}

/** Anything a child sends. */
export type FromChild = Ready | Result | Failed

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** Narrows an IPC message to what a child may send. */
export const isFromChild = (value: unknown): value is FromChild =>
  isRecord(value) && (value.type === "ready" || value.type === "result" || value.type === "failed")

/** Narrows an IPC message to a `run`. */
export const isRun = (value: unknown): value is Run =>
  isRecord(value) && value.type === "run" && typeof value.id === "number" && typeof value.op === "string" &&
  typeof value.windowMs === "number"
