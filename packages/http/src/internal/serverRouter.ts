/**
 * A leaner way to run an `@effect/platform` `HttpRouter`, used by the Strata server and the
 * default stack. The same matching (find-my-way-ts with the router's `currentRouterConfig`,
 * the `HEAD` → `GET` fallback, `RouteNotFound`), the same context for handlers
 * (`RouteContext`, `ParsedSearchParams`, the `http.route` span attribute) and the same
 * interruptibility.
 *
 * The platform's router, per request, copies the request's whole context, provides it with
 * `Effect.locally` (two changes of the fiber's refs, each a copy) and builds the handler's
 * effect anew. On the Strata server the route entries go into the request's services in
 * place (see `RequestServices`) and each route's effect is built once. Anywhere else (another
 * server, a context that was written to) the context is copied and provided as the platform
 * does. Routers with mounts and prefixed routes are left to the platform's router.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerRespondable from "@effect/platform/HttpServerRespondable"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Predicate from "effect/Predicate"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as Tracer from "effect/Tracer"
import * as FindMyWay from "find-my-way-ts"
import { RequestServices } from "./serverContext.js"

type Router<E, R> = HttpRouter.HttpRouter<E, R>

/** A route and the effect it runs (made once), as it is and made interruptible. */
interface Entry {
  readonly route: HttpRouter.Route<unknown, unknown>
  readonly response: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, unknown>
  readonly run: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, unknown>
}

class RouteContextImpl implements HttpRouter.RouteContext {
  readonly [HttpRouter.RouteContextTypeId]: HttpRouter.RouteContextTypeId = HttpRouter.RouteContextTypeId
  constructor(
    readonly route: HttpRouter.Route<unknown, unknown>,
    readonly params: Readonly<Record<string, string | undefined>>
  ) {}
}

/** The keys the router sets; the server gives them slots in the request's services. @internal */
export const slotKeys: ReadonlyArray<string> = [HttpRouter.RouteContext.key, HttpServerRequest.ParsedSearchParams.key]

const routeKey = HttpRouter.RouteContext.key
const searchParamsKey = HttpServerRequest.ParsedSearchParams.key

/** Whether `app` is an `HttpRouter` this module can run. */
const isPlainRouter = (app: unknown): app is Router<unknown, unknown> =>
  Predicate.hasProperty(app, HttpRouter.TypeId) &&
  Chunk.isEmpty((app as Router<unknown, unknown>).mounts) &&
  Chunk.every((app as Router<unknown, unknown>).routes, (route) => route.prefix._tag === "None")

type Handle = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  interruptible: boolean
) => Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, unknown>

const build = (router: Router<unknown, unknown>, config: Partial<FindMyWay.RouterConfig>): Handle => {
  const matcher = FindMyWay.make<Entry>(config)
  Chunk.forEach(router.routes, (route) => {
    const response = Effect.flatMap(route.handler, HttpServerRespondable.toResponse)
    const entry: Entry = { route, response, run: route.uninterruptible ? response : Effect.interruptible(response) }
    if (route.method === "*") matcher.all(route.path, entry)
    else matcher.on(route.method, route.path, entry)
  })
  return (fiber, interruptible) => {
    const services = fiber.currentContext.unsafeMap
    const request = services.get(HttpServerRequest.HttpServerRequest.key) as HttpServerRequest.HttpServerRequest
    let found = matcher.find(request.method, request.url)
    if (found === undefined && request.method === "HEAD") found = matcher.find("GET", request.url)
    if (found === undefined) return Effect.fail(new HttpServerError.RouteNotFound({ request }))
    const entry = found.handler
    // Already interruptible (inside `Http.defaults`, only the app is): making the route
    // interruptible again would change nothing but cost two fiber steps.
    const run = interruptible ? entry.response : entry.run
    const span = services.get(Tracer.ParentSpan.key) as Tracer.AnySpan | undefined
    if (span !== undefined && span._tag === "Span") span.attribute("http.route", entry.route.path)
    const routeContext = new RouteContextImpl(entry.route, found.params)
    if (services instanceof RequestServices && services.canReplace(routeKey) && services.canReplace(searchParamsKey)) {
      // Left in place after the handler: fibers it forked may still read them.
      services.replace(routeKey, routeContext)
      services.replace(searchParamsKey, found.searchParams)
      return run
    }
    const context = new Map(services)
    context.set(searchParamsKey, found.searchParams)
    context.set(routeKey, routeContext)
    return Effect.locally(run, FiberRef.currentContext, Context.unsafeMake(context))
  }
}

/**
 * `app` itself, or, when it is an `HttpRouter` without mounts or prefixed routes, the same
 * router run this module's way. Its matcher is built on the first request, as the platform
 * does, with that fiber's router config.
 *
 * @internal
 */
export const optimize = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => {
  if (!isPlainRouter(app)) return app
  const router: Router<unknown, unknown> = app
  let handle: Handle | undefined
  const optimized: HttpApp.Default<unknown, unknown> = Effect.withFiberRuntime((fiber, status) => {
    handle ??= build(router, fiber.getFiberRef(HttpRouter.currentRouterConfig))
    return handle(fiber, RuntimeFlags.interruption(status.runtimeFlags))
  })
  return optimized as HttpApp.Default<E, R>
}
