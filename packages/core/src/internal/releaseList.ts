/**
 * The releases a built layer holds for its children, as a plain array: what a child `Scope`
 * does for Effect's builder (last added, first released; or all at once for the branches
 * of a merge) without an effect to create it or to add to it.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

/** @internal */
export type Release = (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<void>

/** @internal */
export class ReleaseList {
  private releases: Array<Release> = []
  private closed: Exit.Exit<unknown, unknown> | undefined = undefined

  constructor(readonly parallel: boolean) {}

  /** Adds a release; `undefined` unless the list was closed already (then the release runs now). */
  add(release: Release): Effect.Effect<void> | undefined {
    if (this.closed !== undefined) return release(this.closed)
    this.releases.push(release)
    return undefined
  }

  /** Runs every release once (in reverse order, or concurrently), all of them even if one dies. */
  close(exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.closed !== undefined) return Effect.void
      this.closed = exit
      const releases = this.releases
      this.releases = []
      if (releases.length === 0) return Effect.void
      if (releases.length === 1) return releases[0](exit)
      if (!this.parallel) releases.reverse()
      return Effect.flatMap(
        this.parallel
          // A fiber per release (as a parallel `Scope` does), without `Effect.all`'s coordinating fiber.
          ? Effect.flatMap(
            Effect.forEach(releases, (release) => Effect.fork(Effect.exit(release(exit)))),
            (fibers) => Effect.forEach(fibers, Fiber.join)
          )
          : Effect.forEach(releases, (release) => Effect.exit(release(exit))),
        (exits) => {
          let cause: Cause.Cause<never> | undefined = undefined
          for (const released of exits) {
            if (Exit.isSuccess(released)) continue
            cause = cause === undefined
              ? released.cause
              : this.parallel
              ? Cause.parallel(cause, released.cause)
              : Cause.sequential(cause, released.cause)
          }
          return cause === undefined ? Effect.void : Effect.failCause(cause)
        }
      )
    })
  }
}
