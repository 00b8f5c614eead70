/**
 * One memoized layer of Strata's builder (`layerBuild.ts`): its build's outcome, the
 * requests waiting for it, what it holds and who still uses it, and what its build changed
 * in the fiber's refs (replayed on every other request).
 *
 * @internal
 */
import type * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as FiberRefs from "effect/FiberRefs"
import * as FiberRefsPatch from "effect/FiberRefsPatch"
import * as Scope from "effect/Scope"
import { ReleaseList } from "./releaseList.js"

type Resume = (effect: Effect.Effect<void>) => void

/** @internal */
export type Outcome =
  | { readonly _tag: "Building"; readonly waiters: Array<Resume> }
  | { readonly _tag: "Built"; readonly context: Context.Context<unknown> }
  | { readonly _tag: "Failed"; readonly cause: Cause.Cause<unknown> }

/** @internal */
export interface Memo {
  outcome: Outcome
  /** What the build acquired (a real scope for `Layer.scoped`); released with the last user. */
  holds: Scope.CloseableScope | ReleaseList | undefined
  users: number
  /** The builder's fiber refs before and after the build, until a request needs the patch. */
  before: FiberRefs.FiberRefs | undefined
  after: FiberRefs.FiberRefs | undefined
  patch: FiberRefsPatch.FiberRefsPatch | undefined
}

/** @internal */
export const make = (before: FiberRefs.FiberRefs): Memo => ({
  outcome: { _tag: "Building", waiters: [] },
  holds: undefined,
  users: 0,
  before,
  after: undefined,
  patch: undefined
})

const settle = (memo: Memo, outcome: Outcome): void => {
  const previous = memo.outcome
  memo.outcome = outcome
  if (previous._tag === "Building") for (const resume of previous.waiters) resume(Effect.void)
}

/** Built by its first requester, who holds it; the waiting requests resume. @internal */
export const succeed = (memo: Memo, context: Context.Context<unknown>, after: FiberRefs.FiberRefs): void => {
  memo.after = after
  memo.users = 1
  settle(memo, { _tag: "Built", context })
}

/** Failed: what it acquired is released at once; the waiting requests resume and fail too. @internal */
export const fail = (memo: Memo, cause: Cause.Cause<unknown>): Effect.Effect<void> => {
  memo.before = undefined
  settle(memo, { _tag: "Failed", cause })
  return close(memo.holds, Exit.failCause(cause))
}

/** Waits until the memo is built or failed; interrupting the wait only removes the waiter. @internal */
export const wait = (waiters: Array<Resume>): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    waiters.push(resume)
    return Effect.sync(() => {
      const index = waiters.indexOf(resume)
      if (index >= 0) waiters.splice(index, 1)
    })
  })

const close = (holds: Memo["holds"], exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
  holds === undefined ? Effect.void : holds instanceof ReleaseList ? holds.close(exit) : Scope.close(holds, exit)

/** One user lets go; the last one releases what the memo holds. @internal */
export const release = (memo: Memo, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
  Effect.suspend(() => (--memo.users === 0 ? close(memo.holds, exit) : Effect.void))

/**
 * What the build changed in its fiber's refs (a logger, a config provider), diffed once,
 * when first needed.
 *
 * @internal
 */
export const patchOf = (memo: Memo): FiberRefsPatch.FiberRefsPatch => {
  if (memo.patch === undefined) {
    memo.patch = memo.before !== undefined && memo.after !== undefined
      ? FiberRefsPatch.diff(memo.before, memo.after)
      : FiberRefsPatch.empty
    memo.before = undefined
    memo.after = undefined
  }
  return memo.patch
}
