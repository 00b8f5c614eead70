/**
 * The timed loops of the micro workers: run a batch of operations again and again for a
 * window, read the clock once per batch (so it costs nothing per operation), and report
 * operations per second.
 */
import * as Effect from "effect/Effect"
import type { Figures } from "../../harness/protocol.js"
import { batchSize, keyCount } from "./data.js"

/** Plain calls: `batch` does `perBatch` operations. */
export const opsPerSecond = async (
  windowMs: number,
  perBatch: number,
  batch: () => void | Promise<void>
): Promise<Figures> => {
  const started = performance.now()
  const deadline = started + windowMs
  let ops = 0
  let now = started
  do {
    await batch()
    ops += perBatch
    now = performance.now()
  } while (now < deadline)
  return { opsPerSec: ops / ((now - started) / 1000) }
}

/**
 * From inside a running effect, as application code calls an Effect API: one `yield*` of
 * `op(i)` per operation, `i` cycling over the benchmark keys.
 */
export const effectOpsPerSecond = <E, R>(
  windowMs: number,
  op: (i: number) => Effect.Effect<unknown, E, R>
): Effect.Effect<Figures, E, R> =>
  Effect.gen(function*() {
    const started = performance.now()
    const deadline = started + windowMs
    let ops = 0
    let now = started
    do {
      for (let k = 0; k < batchSize; k++) yield* op((ops + k) % keyCount)
      ops += batchSize
      now = performance.now()
    } while (now < deadline)
    return { opsPerSec: ops / ((now - started) / 1000) }
  })
