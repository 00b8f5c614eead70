/**
 * The effect one request fiber runs: the app (optionally under the serve middleware), its
 * failures turned into problem responses, pre-response handlers, and the write.
 *
 * @internal
 */
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as Http from "node:http"
import * as Problem from "../Problem.js"
import * as serverRespond from "./serverRespond.js"

/**
 * The `node:http` response of the current request (a middleware may replace the
 * `HttpServerRequest` by another implementation; the socket stays the same).
 *
 * @internal
 */
export class NodeResponse extends Context.Tag("@strata/http/internal/NodeResponse")<
  NodeResponse,
  Http.ServerResponse
>() {}

/** The fiber whose run loop is running now, if any. */
const currentFiber = (): Fiber.RuntimeFiber<unknown, unknown> | undefined => {
  const current = Fiber.getCurrentFiber()
  return current._tag === "Some" ? current.value : undefined
}

type Respond = (
  response: HttpServerResponse.HttpServerResponse
) => Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerError.ResponseError>

/** @internal */
export const program = (
  app: HttpApp.Default<unknown>,
  middleware: HttpMiddleware.HttpMiddleware | undefined,
  state: { readonly draining: boolean }
): Effect.Effect<unknown, unknown> => {
  const write = (
    request: HttpServerRequest.HttpServerRequest,
    res: Http.ServerResponse,
    response: HttpServerResponse.HttpServerResponse
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerError.ResponseError> => {
    if (res.headersSent) return Effect.succeed(response)
    if (state.draining) res.setHeader("connection", "close")
    const rest = serverRespond.write(request, res, response)
    return rest === undefined ? Effect.succeed(response) : Effect.as(rest, response)
  }

  // Called by the run loop as the continuation of the app, with the request fiber current:
  // a complete body is written right here, without a further effect (a `withFiberRuntime`
  // and a `succeed`: two fiber steps per request). A throw in the write ends the fiber with
  // a defect, as it would inside an effect.
  const respond: Respond = (response) => {
    const fiber = currentFiber()
    if (fiber === undefined) return Effect.withFiberRuntime((fiber) => respondIn(fiber, response))
    return respondIn(fiber, response)
  }

  const respondIn = (
    fiber: Fiber.RuntimeFiber<unknown, unknown>,
    response: HttpServerResponse.HttpServerResponse
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerError.ResponseError> => {
    const context = fiber.currentContext
    const request = Context.unsafeGet(context, HttpServerRequest.HttpServerRequest)
    const res = Context.unsafeGet(context, NodeResponse)
    const handler = fiber.getFiberRef(HttpApp.currentPreResponseHandlers)
    if (handler._tag === "None") return write(request, res, response)
    return Effect.flatMap(handler.value(request, response), (response) => write(request, res, response))
  }

  const recover = (cause: Cause.Cause<unknown>) => Effect.flatMap(Problem.respond(cause), respond)

  const handled = Effect.matchCauseEffect(app, { onSuccess: respond, onFailure: recover })
  // The request, its scope and its node response are in the context each fiber starts with.
  if (middleware === undefined) return handled as Effect.Effect<unknown, unknown>
  return Effect.matchCauseEffect(middleware(handled), { onSuccess: respond, onFailure: recover }) as Effect.Effect<
    unknown,
    unknown
  >
}
