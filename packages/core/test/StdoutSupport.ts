import { Effect } from "effect"
import { vi } from "vitest"

/** Runs `body` with `process.stdout.write` captured into `written` (restored afterwards). */
export const capturingStdout = <A, E, R>(
  body: (written: Array<string>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const written: Array<string> = []
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    return Effect.ensuring(body(written), Effect.sync(() => write.mockRestore()))
  })
