/**
 * Runs a Strata HTTP app the way an application does (`Strata.runMain` over
 * `Server.layer`) and announces its port to the harness.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import { Strata } from "@strata/core"
import { Server } from "@strata/http"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { announce } from "../ipc.js"
import { host } from "./shared.js"

/** Serves `app` until SIGTERM. */
export const serveStrata = <E>(app: HttpApp.Default<E, never>): void => {
  const Announce = Layer.effectDiscard(
    HttpServer.addressWith((address) =>
      Effect.sync(() => announce({ port: address._tag === "TcpAddress" ? address.port : 0 }))
    )
  )
  Strata.runMain(Announce.pipe(Layer.provide(Server.layer(app, { host, port: 0 }))))
}
