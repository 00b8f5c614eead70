/**
 * What a micro-benchmark worker runs: named operations, each timed over a window.
 */
import type { Figures } from "../../harness/protocol.js"

/** One side of a micro comparison, living in its own worker process. */
export interface Subject {
  readonly run: (op: string, windowMs: number) => Promise<Figures>
  readonly close: () => Promise<void>
}
