/**
 * A request `Scope` that costs nothing until used: most requests never add a finalizer, so
 * the real scope is only made on the first `addFinalizer` / `fork`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import type * as Exit from "effect/Exit"
import { pipeArguments } from "effect/Pipeable"
import * as Scope from "effect/Scope"

// The operations `effect/Scope` calls on a scope (`Scope.addFinalizer`, `Scope.fork`,
// `Scope.close` dispatch to these methods).
interface ScopeOps {
  readonly fork: (strategy: ExecutionStrategy.ExecutionStrategy) => Effect.Effect<Scope.CloseableScope>
  readonly addFinalizer: (finalizer: Scope.Scope.Finalizer) => Effect.Effect<void>
  readonly close: (exit: Exit.Exit<unknown, unknown>) => Effect.Effect<void>
}

const ops = (scope: Scope.CloseableScope): ScopeOps => scope as unknown as ScopeOps

/** @internal */
export class RequestScope implements Scope.CloseableScope {
  declare readonly [Scope.ScopeTypeId]: Scope.ScopeTypeId
  declare readonly [Scope.CloseableScopeTypeId]: Scope.CloseableScopeTypeId
  declare readonly strategy: ExecutionStrategy.ExecutionStrategy
  real: Scope.CloseableScope | undefined = undefined
  private closedWith: Exit.Exit<unknown, unknown> | undefined = undefined

  private get ensure(): Effect.Effect<Scope.CloseableScope> {
    return Effect.suspend(() => {
      if (this.real !== undefined) return Effect.succeed(this.real)
      return Effect.flatMap(Scope.make(), (scope) => {
        this.real = scope
        // Used after the request ended: finalizers run at once, as on a closed scope.
        return this.closedWith === undefined
          ? Effect.succeed(scope)
          : Effect.as(Scope.close(scope, this.closedWith), scope)
      })
    })
  }

  fork(strategy: ExecutionStrategy.ExecutionStrategy): Effect.Effect<Scope.CloseableScope> {
    return Effect.flatMap(this.ensure, (scope) => ops(scope).fork(strategy))
  }

  addFinalizer(finalizer: Scope.Scope.Finalizer): Effect.Effect<void> {
    return Effect.flatMap(this.ensure, (scope) => ops(scope).addFinalizer(finalizer))
  }

  close(exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.closedWith !== undefined) return Effect.void
      this.closedWith = exit
      return this.real === undefined ? Effect.void : Scope.close(this.real, exit)
    })
  }

  pipe() {
    return pipeArguments(this, arguments)
  }
}

Object.defineProperty(RequestScope.prototype, Scope.ScopeTypeId, { value: Scope.ScopeTypeId })
Object.defineProperty(RequestScope.prototype, Scope.CloseableScopeTypeId, { value: Scope.CloseableScopeTypeId })
Object.defineProperty(RequestScope.prototype, "strategy", { value: ExecutionStrategy.sequential })
