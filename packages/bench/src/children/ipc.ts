/**
 * The child side of the harness protocol (see `harness/protocol.ts`).
 */
import { type Figures, isRun } from "../harness/protocol.js"

const send = (message: object): void => {
  process.send?.(message)
}

/** Tells the harness this child is up (with its port, or its one-shot measurements). */
export const announce = (ready: { readonly port?: number; readonly figures?: Figures }): void =>
  send({ type: "ready", ...ready })

/** Reports a start-up failure and exits. */
export const failStartup = (error: unknown): never => {
  send({ type: "failed", message: error instanceof Error ? error.stack ?? error.message : String(error) })
  process.exitCode = 1
  // let the message reach the parent before the process goes
  setTimeout(() => process.exit(1), 100)
  return undefined as never
}

/** Answers `run` requests with `handler` until the harness goes away. */
export const serveRuns = (handler: (op: string, windowMs: number) => Promise<Figures>): void => {
  process.on("message", (message: unknown) => {
    if (!isRun(message)) return
    handler(message.op, message.windowMs).then(
      (figures) => send({ type: "result", id: message.id, figures }),
      (error: unknown) =>
        send({
          type: "failed",
          id: message.id,
          message: error instanceof Error ? error.stack ?? error.message : String(error)
        })
    )
  })
}

/** A child never outlives the harness: when the IPC channel closes, it exits. */
export const exitWithParent = (): void => {
  process.on("disconnect", () => process.exit(0))
}
