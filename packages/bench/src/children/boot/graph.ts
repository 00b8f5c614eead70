/**
 * The application graphs of row 4: `n` services, each depending on others.
 *
 * - `chain`: service i depends on service i−1 (a 1,000-deep dependency chain);
 * - `tree`: service i depends on services 2i+1 and 2i+2 (a balanced binary tree, depth ~10).
 */

/** The two graph shapes. */
export type Shape = "chain" | "tree"

/** Narrows a command-line argument. */
export const isShape = (value: string): value is Shape => value === "chain" || value === "tree"

/** The services `i` depends on. */
export const dependenciesOf = (shape: Shape, i: number, n: number): ReadonlyArray<number> =>
  shape === "chain" ? (i > 0 ? [i - 1] : []) : [2 * i + 1, 2 * i + 2].filter((j) => j < n)

/** The service that (transitively) depends on all others. */
export const rootOf = (shape: Shape, n: number): number => (shape === "chain" ? n - 1 : 0)

/** Indices in an order where every service comes after its dependencies. */
export const startOrder = (shape: Shape, n: number): ReadonlyArray<number> =>
  shape === "chain" ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: n }, (_, i) => n - 1 - i)

/**
 * A service of the DI-container peers: created with its dependencies, started after
 * creation (`onModuleInit` in NestJS, explicitly for awilix and inversify), stopped on
 * shutdown — the work Strata's `Lifecycle` does around a layer.
 */
export class Service {
  running = false
  constructor(readonly id: number, readonly dependencies: ReadonlyArray<Service>) {}
  start(): void {
    this.running = true
  }
  stop(): void {
    this.running = false
  }
}

/** What a boot run reports. */
export interface BootResult {
  /** From before the graph is declared to every service started. */
  readonly bootMs: number
  /** Shutdown, every service stopped. */
  readonly stopMs: number
  /** Services that reported started (must be `n`). */
  readonly started: number
}

/**
 * The end of a container peer's run: `started` (its clock's start) to now is the boot; then
 * counts the running services and times `stop`.
 */
export const finish = async (
  started: number,
  n: number,
  isRunning: (i: number) => boolean,
  stop: () => Promise<void>
): Promise<BootResult> => {
  const bootMs = performance.now() - started
  let running = 0
  for (let i = 0; i < n; i++) if (isRunning(i)) running++
  const stopping = performance.now()
  await stop()
  return { bootMs, stopMs: performance.now() - stopping, started: running }
}
