/**
 * `Database.layerPglite`: the PGlite client with metrics, the `Database` service and the
 * health check.
 *
 * @internal
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as Client from "@effect/sql/SqlClient"
import type * as Errors from "@strata/core/Errors"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PgliteClient from "../PgliteClient.js"
import { instrument } from "./dbMetrics.js"
import { Database, type HealthOptions, makeService, registerHealth, startupError } from "./dbService.js"
import * as pglite from "./pgliteClient.js"

/** @internal */
export interface PgliteOptions extends PgliteClient.PgliteClientConfig {
  readonly health?: HealthOptions | undefined
}

/** @internal */
export const layerPglite = (
  options: PgliteOptions = {}
): Layer.Layer<Client.SqlClient | PgliteClient.PgliteClient | Database, Errors.DatabaseError> =>
  Layer.scopedContext(Effect.gen(function*() {
    const { health, ...config } = options
    const made = yield* Effect.mapError(pglite.make(config, instrument), startupError)
    const client = pglite.toClient(made, config)
    const service = makeService("pglite", client, Effect.succeed(Option.none()), health?.timeout ?? "2 seconds")
    yield* registerHealth(service, health)
    return Context.make(PgliteClient.PgliteClient, client).pipe(
      Context.add(Client.SqlClient, client),
      Context.add(Database, service)
    )
  })).pipe(Layer.provide(Reactivity.layer))
