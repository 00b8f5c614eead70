/**
 * Batched log output. With stdout on a file or a pipe every `process.stdout.write` is a
 * synchronous system call; a busy server logging a line per request spends more time in
 * those calls than in making the lines. Here lines are collected and written with one call
 * per event-loop turn (at once when a batch passes `maxBytes`), in order.
 *
 * Nothing is lost on a clean exit: pending lines are written when the buffer is closed
 * (the logger's layer released) and, synchronously, when the process exits (`exit` event:
 * `process.exit()`, the end of the event loop, an uncaught error). Only a kill that skips
 * the `exit` event (SIGKILL, a signal without handler) loses the current turn's lines.
 *
 * @internal
 */
import { globalValue } from "effect/GlobalValue"

/** @internal */
export interface LineBuffer {
  /** Queues one line (without its newline). */
  readonly write: (line: string) => void
  /** Writes what is pending now. */
  readonly flush: () => void
  /** Writes what is pending; later lines are written at once, unbatched. */
  readonly close: () => void
}

/** @internal */
export interface BufferOptions {
  /** Where batches go: one string of whole lines, each ending with a newline. */
  readonly sink: (chunk: string) => void
  /** A batch this long (in UTF-16 units) is written at once. Default 64 KiB. */
  readonly maxBytes?: number | undefined
}

// Buffers with lines pending, written by one `exit` listener for the whole process. A buffer
// is only here while it holds lines, so loggers that are dropped are not kept alive.
const pending = globalValue("@strata/core/Logging/pendingBuffers", () => {
  const buffers = new Set<() => void>()
  return { buffers, hooked: false }
})

/**
 * Writes every buffer's pending lines (what the process's `exit` listener runs).
 *
 * @internal
 */
export const flushAll = (): void => {
  for (const flush of Array.from(pending.buffers)) flush()
}

const hookExit = (): void => {
  if (pending.hooked) return
  pending.hooked = true
  process.on("exit", flushAll)
}

/** @internal */
export const make = (options: BufferOptions): LineBuffer => {
  const sink = options.sink
  const maxBytes = options.maxBytes ?? 64 * 1024
  let batch = ""
  let scheduled = false
  let closed = false

  const flush = (): void => {
    pending.buffers.delete(flush)
    if (batch === "") return
    const chunk = batch
    batch = ""
    sink(chunk)
  }
  const onTurn = (): void => {
    scheduled = false
    flush()
  }

  const write = (line: string): void => {
    if (closed) return sink(line + "\n")
    if (batch === "") {
      pending.buffers.add(flush)
      hookExit()
    }
    batch += line + "\n"
    if (batch.length >= maxBytes) return flush()
    if (!scheduled) {
      scheduled = true
      setImmediate(onTurn)
    }
  }

  const close = (): void => {
    closed = true
    flush()
  }

  return { write, flush, close }
}
