/**
 * `HttpServer.HttpServer` on `node:http`, built for a lean request path and a bounded
 * shutdown.
 *
 * Per request: one request object, one context, one fiber started synchronously (outside
 * effect's global fiber scope, see `serverFiber`). A request that completes synchronously
 * (the common case: a sync handler and a complete body) costs nothing more; one that
 * suspends is tracked in the in-flight set, gets an observer and a client-abort listener.
 *
 * Shutdown (the server scope's finalizer): stop accepting, close idle keep-alive sockets,
 * answer everything still in flight with `Connection: close`, wait for in-flight requests
 * up to the deadline, then interrupt what is left, answer it 503 where possible and close
 * every socket.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import type * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import * as Http from "node:http"
import * as ClientIp from "../ClientIp.js"
import * as problem from "./problemMap.js"
import * as serverFiber from "./serverFiber.js"
import * as handle from "./serverHandle.js"
import * as serverRequest from "./serverRequest.js"
import * as serverRouter from "./serverRouter.js"
import { RequestServices, shared } from "./serverContext.js"
import { RequestScope } from "./serverScope.js"

/** Resolved settings of one server. @internal */
export interface Settings {
  readonly host: string
  readonly port: number
  readonly bodyLimit: number
  readonly mediaTypes: ReadonlyArray<string>
  readonly shutdownTimeout: Duration.Duration
  readonly requestTimeout: Duration.Duration
  readonly headersTimeout: Duration.Duration
  readonly keepAliveTimeout: Duration.Duration
  readonly clientIp: ClientIp.Resolver
}

const serverAbortFiberId = FiberId.runtime(-503, 0)

/** Shared between the handler and the shutdown. */
interface State {
  draining: boolean
  readonly inflight: Map<Fiber.RuntimeFiber<unknown, unknown>, Http.IncomingMessage>
  closed: boolean
  readonly listeners: Set<() => void>
}

const notify = (state: State): void => {
  for (const listener of state.listeners) listener()
}

/**
 * Resumes once `done()` holds; re-checked whenever the state changes. Interruptible even
 * inside a finalizer, so that a timeout around it can fire.
 */
const until = (state: State, done: () => boolean): Effect.Effect<void> =>
  Effect.interruptible(Effect.async<void>((resume) => {
    if (done()) return resume(Effect.void)
    const listener = () => {
      if (done()) {
        state.listeners.delete(listener)
        resume(Effect.void)
      }
    }
    state.listeners.add(listener)
    return Effect.sync(() => state.listeners.delete(listener))
  }))

const describe = (source: Http.IncomingMessage): string => {
  const url = source.url ?? ""
  const query = url.indexOf("?")
  return `${source.method} ${query === -1 ? url : url.slice(0, query)}`
}

const millis = (duration: Duration.Duration): number => {
  const ms = Duration.toMillis(duration)
  return Number.isFinite(ms) ? Math.round(ms) : 0
}

/** The last resort when a request fiber ended without a response (interrupted, broken). */
const writeFallback = (res: Http.ServerResponse, exit: Exit.Exit<unknown, unknown>): void => {
  if (res.headersSent || res.destroyed) return
  const rendered = Exit.isInterrupted(exit)
    ? problem.unavailable("The server is shutting down")
    : problem.internalError()
  res.writeHead(rendered.status, { "content-type": problem.contentType, connection: "close" })
  res.end(JSON.stringify(rendered.body))
}

const shutdown = (server: Http.Server, state: State, settings: Settings): Effect.Effect<void> =>
  Effect.gen(function*() {
    state.draining = true
    server.close(() => {
      state.closed = true
      notify(state)
    })
    server.closeIdleConnections()
    // Sockets that finish their last response after this point would otherwise linger
    // until the keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100).unref()
    if (state.inflight.size > 0) {
      yield* Effect.logInfo(`HTTP server draining ${state.inflight.size} in-flight request(s)`)
    }
    const drained = yield* until(state, () => state.inflight.size === 0 && state.closed).pipe(
      Effect.timeoutTo({ duration: settings.shutdownTimeout, onSuccess: () => true, onTimeout: () => false })
    )
    if (!drained) {
      const cut = Array.from(state.inflight.entries())
      yield* Effect.logWarning(
        `HTTP shutdown deadline of ${Duration.format(settings.shutdownTimeout)} reached: interrupting ${cut.length} ` +
          `in-flight request(s)${cut.length > 0 ? `: ${cut.map(([, source]) => describe(source)).join(", ")}` : ""}`
      )
      for (const [fiber] of cut) fiber.unsafeInterruptAsFork(serverAbortFiberId)
      // Give the interrupted requests a moment to answer 503 before their sockets go.
      yield* until(state, () => state.inflight.size === 0).pipe(Effect.timeoutOption(Duration.millis(500)))
      server.closeAllConnections()
    }
    clearInterval(sweep)
    yield* until(state, () => state.closed).pipe(Effect.timeoutOption(Duration.seconds(1)))
  })

/**
 * The server: listens, and shuts down gracefully when the scope closes.
 *
 * @internal
 */
export const make = (
  settings: Settings
): Effect.Effect<HttpServer.HttpServer, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const server = Http.createServer({
      requestTimeout: millis(settings.requestTimeout),
      headersTimeout: millis(settings.headersTimeout),
      keepAliveTimeout: millis(settings.keepAliveTimeout),
      connectionsCheckingInterval: Math.max(
        250,
        Math.min(30_000, Math.floor(Math.min(millis(settings.headersTimeout), millis(settings.requestTimeout)) / 4))
      )
    })
    const state: State = { draining: false, inflight: new Map(), closed: false, listeners: new Set() }
    const requestSettings: serverRequest.Settings = { mediaTypes: settings.mediaTypes }

    yield* Effect.async<void, HttpServerError.ServeError>((resume) => {
      const onError = (cause: Error) => resume(Effect.fail(new HttpServerError.ServeError({ cause })))
      server.once("error", onError)
      server.listen(settings.port, settings.host, () => {
        server.off("error", onError)
        resume(Effect.void)
      })
    })

    // Errors after start-up (accept failures such as EMFILE) are logged, not thrown.
    const runFork = Runtime.runFork(yield* Effect.runtime<never>())
    server.on("error", (cause) => runFork(Effect.logError("HTTP server error", cause)))

    const stop = yield* Effect.cached(shutdown(server, state, settings))
    yield* Effect.addFinalizer(() => stop)

    const address = server.address()
    const hostname = typeof address === "object" && address !== null ? address.address : settings.host
    const port = typeof address === "object" && address !== null ? address.port : settings.port

    const serve = (app: HttpApp.Default<unknown>, middleware?: HttpMiddleware.HttpMiddleware) =>
      Effect.gen(function*() {
        const runtime = yield* Effect.runtime<never>()
        const base = new Map(runtime.context.unsafeMap)
        base.set(
          HttpIncomingMessage.MaxBodySize.key,
          Number.isFinite(settings.bodyLimit) ? Option.some(FileSystem.Size(settings.bodyLimit)) : Option.none()
        )
        base.set(ClientIp.ClientIpResolver.key, settings.clientIp)
        const program = handle.program(serverRouter.optimize(app), middleware, state)
        const services = shared(
          base,
          HttpServerRequest.HttpServerRequest.key,
          Scope.Scope.key,
          handle.NodeResponse.key,
          [Tracer.ParentSpan.key, ...serverRouter.slotKeys]
        )
        const logCause = Runtime.runFork(runtime)
        // Effect's per-fiber metrics (5 metric updates per fiber) are not worth a request's time.
        const runtimeFlags = RuntimeFlags.disable(runtime.runtimeFlags, RuntimeFlags.RuntimeMetrics)
        const start = yield* serverFiber.make(runtime, runtimeFlags)

        const onExit = (res: Http.ServerResponse, scope: RequestScope, exit: Exit.Exit<unknown, unknown>): void => {
          writeFallback(res, exit)
          if (scope.real !== undefined) logCause(scope.close(exit))
          if (Exit.isFailure(exit) && !Exit.isInterrupted(exit)) {
            logCause(Effect.logError("HTTP response could not be written", exit.cause))
          }
        }

        const handler = (req: Http.IncomingMessage, res: Http.ServerResponse): void => {
          const request = serverRequest.make(req, res, requestSettings)
          const scope = new RequestScope()
          const context = Context.unsafeMake<never>(new RequestServices(services, request, scope, res))
          const fiber = start(context, program)
          const done = fiber.unsafePoll()
          if (done !== null) return onExit(res, scope, done)
          state.inflight.set(fiber, req)
          fiber.addObserver((exit) => {
            state.inflight.delete(fiber)
            onExit(res, scope, exit)
            if (state.draining) notify(state)
          })
          res.on("close", () => {
            if (!res.writableEnded) fiber.unsafeInterruptAsFork(HttpServerError.clientAbortFiberId)
          })
        }

        server.on("request", handler)
        yield* Effect.addFinalizer(() =>
          // Requests on open keep-alive connections keep coming while the server drains.
          Effect.zipRight(stop, Effect.sync(() => server.off("request", handler)))
        )
      })

    const shown = hostname.includes(":") ? `[${hostname}]` : hostname
    yield* Effect.logInfo(`HTTP server listening on http://${shown}:${port}`)
    return HttpServer.make({
      address: { _tag: "TcpAddress", hostname: hostname === "::" ? "0.0.0.0" : hostname, port },
      serve
    })
  })
