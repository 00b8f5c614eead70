/**
 * The Strata demo: a users service. `npm start` runs this file.
 *
 * Read it top to bottom: every layer is something the application needs, and the graph at
 * the end is the whole application. Each layer is built after the ones below it and
 * released before them, so shutdown (Ctrl-C, SIGTERM) runs in reverse start order.
 *
 * With no configuration it runs on embedded defaults: PGlite (Postgres in WebAssembly, in
 * memory) and an in-process cache. `DATABASE_URL` switches to a Postgres server,
 * `REDIS_URL` to a Redis cache; `PORT` (default 3000), `LOG_FORMAT=json`, `LOG_LEVEL=debug`
 * and the rest are in the docs (docs/demo.md). No code changes between the two.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServer from "@effect/platform/HttpServer"
import { Cache } from "@strata/cache"
import { Lifecycle, Strata } from "@strata/core"
import { Endpoints, Http, Server } from "@strata/http"
import { RedisClient } from "@strata/redis"
import { Database, Migrations, Pagination } from "@strata/sql"
import { Metrics, Tracing } from "@strata/telemetry"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SampleUsers from "./SampleUsers.js"
import { migrations } from "./UserMigrations.js"
import * as UserRepository from "./UserRepository.js"
import { UsersApi } from "./UsersApi.js"
import * as UsersHttp from "./UsersHttp.js"
import * as UserService from "./UserService.js"

// The HTTP server (managed service "http"): the users API behind Strata's middleware stack
// (request ids, tracing, metrics, security headers, timeout, CORS, compression, problem+json
// errors), plus /health/live, /health/ready, /metrics, /openapi.json and /docs.
// Listens on HTTP_PORT or PORT (3000); drains for up to HTTP_SHUTDOWN_TIMEOUT (10 s) on stop.
const HttpLive = Server.layerApiDefaults.pipe(
  Layer.provide(Endpoints.layer()),
  Layer.provide(HttpApiBuilder.api(UsersApi).pipe(Layer.provide(UsersHttp.layer)))
)

// The users service (managed service "users"): SQL repository, read-through cache, metrics.
const UsersLive = Lifecycle.service("users", UserService.layer.pipe(Layer.provide(UserRepository.layer)))

// The schema (migrations; DATABASE_MIGRATE=false skips them), then a few sample users
// (DEMO_SAMPLE_USERS=false skips them). Both run once, at start-up.
const DataLive = SampleUsers.layerConfig.pipe(Layer.provide(Migrations.layerConfig(migrations)))

// The cache (managed service "cache"): in memory, or Redis when REDIS_URL is set (then the
// managed service "redis" is the connection). CACHE_BACKEND picks one explicitly.
const RedisLive = Lifecycle.service("redis", RedisClient.layerConfig)
const CacheLive = Lifecycle.service("cache", Cache.layerConfigWithRedis(RedisLive))

// The database (managed service "database"): Postgres when DATABASE_URL is set, else PGlite
// (in memory; DATABASE_DATA_DIR keeps it on disk). Readiness check "database".
const DatabaseLive = Lifecycle.service("database", Database.layerConfig)

// Says where everything is, once everything is up.
const Announce = Layer.effectDiscard(
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const database = yield* Database.Database
    const cache = yield* Cache.Cache
    const url = baseUrl(server.address)
    yield* Effect.logInfo(
      [
        `Users API ready on ${url}/users (database: ${database.backend}, cache: ${cache.backend}); Ctrl-C stops it`,
        `  API docs  ${url}/docs  (OpenAPI document: ${url}/openapi.json)`,
        `  metrics   ${url}/metrics`,
        `  health    ${url}/health/live  ${url}/health/ready`
      ].join("\n")
    ).pipe(Effect.annotateLogs({ url, database: database.backend, cache: cache.backend }))
  })
)

const baseUrl = (address: HttpServer.Address): string => {
  if (address._tag === "UnixAddress") return `http://unix:${address.path}`
  const host = ["0.0.0.0", "::", ""].includes(address.hostname) ? "localhost" : address.hostname
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`
}

// The application. Strata.runMain adds the defaults underneath (config from env and
// strata.yaml, logging, health, lifecycle, error reporter), logs the service summary, and
// on SIGTERM/SIGINT turns readiness off, stops everything in reverse order and exits 0.
const Main = Announce.pipe(
  Layer.provide(HttpLive),
  Layer.provide(UsersLive),
  Layer.provide(DataLive),
  Layer.provideMerge(CacheLive),
  Layer.provideMerge(Pagination.layerConfig), // signs list cursors: PAGINATION_CURSOR_SECRET
  Layer.provideMerge(DatabaseLive),
  Layer.provideMerge(Metrics.layerConfig), //    METRICS_DEFAULT_LABELS, METRICS_NAMESPACE, …
  Layer.provideMerge(Tracing.layerConfig), //    spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
  // Built first: every setting read up front, so a bad PORT fails at once (with every other
  // bad key), not after the database started.
  Layer.provide(Strata.checkConfig(Server.config, Http.config, Cache.config, Database.config))
)

Strata.runMain(Main)
