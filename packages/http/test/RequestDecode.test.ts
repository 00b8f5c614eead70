/**
 * Request decode failures on the Strata server: every field problem at once, in the words of
 * `@strata/core` Validation (`{ path, message, type }` with meaningful types), with no
 * annotation on the schemas — for `HttpApi` endpoints (path, payload, headers, query) and
 * for `HttpRouter` apps using the platform's schema helpers.
 */
import {
  HttpApi,
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiError,
  HttpApiGroup,
  HttpApiSchema,
  HttpRouter,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Validators } from "@strata/core"
import { Problem, Server } from "@strata/http"
import { TestStrata } from "@strata/testing"
import { Effect, Layer, Schema } from "effect"

const Signup = Schema.Struct({
  username: Schema.String.pipe(Schema.minLength(3), Schema.pattern(/^[a-z]+$/)),
  email: Validators.Email,
  age: Schema.optional(Schema.Number.pipe(Schema.int())),
  tags: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.maxLength(5))), { exact: true })
})

const badSignup = { username: "No Spaces", email: "nope", age: "x", tags: ["ok", "too-long"], colour: "red" }

const signupErrors = [
  { path: "username", message: "Expected a string matching the pattern ^[a-z]+$", type: "pattern" },
  { path: "email", message: "Invalid email address", type: "email" },
  { path: "age", message: "Expected a number", type: "type" },
  { path: "tags.1", message: "Expected a string at most 5 character(s) long", type: "length" }
]

const Item = Schema.Struct({ id: Schema.NumberFromString.pipe(Schema.int()), slot: Schema.Literal("a", "b") })

const Query = Schema.Struct({
  page: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.positive()), { exact: true }),
  tag: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.minLength(2))), { exact: true }),
  sort: Schema.optionalWith(Schema.Literal("asc", "desc"), { exact: true })
})

const Form = Schema.Struct({ title: Schema.String.pipe(Schema.minLength(3)), count: Schema.NumberFromString })

const formErrors = [
  { path: "title", message: "Expected a string at least 3 character(s) long", type: "length" },
  { path: "count", message: "Unable to decode \"many\" into a number", type: "type" }
]

const Api = HttpApi.make("decode").add(
  HttpApiGroup.make("decode")
    .add(HttpApiEndpoint.post("signup", "/signup").setPayload(Signup).addSuccess(Schema.String))
    .add(
      HttpApiEndpoint.post("strict", "/strict")
        .setPayload(Signup.annotations({ parseOptions: { onExcessProperty: "error" } }))
        .addSuccess(Schema.String)
    )
    .add(
      HttpApiEndpoint.get("item", "/items/:id/:slot")
        .setPath(Item)
        .setUrlParams(Query)
        .setHeaders(Schema.Struct({ "x-tenant": Schema.String.pipe(Schema.minLength(3)) }))
        .addSuccess(Schema.String)
    )
    .add(HttpApiEndpoint.get("search", "/search").setPayload(Query).addSuccess(Schema.String))
    .add(
      HttpApiEndpoint.post("form", "/form")
        .setPayload(Form.pipe(HttpApiSchema.withEncoding({ kind: "UrlParams" })))
        .addSuccess(Schema.String)
    )
    .add(HttpApiEndpoint.post("upload", "/upload").setPayload(HttpApiSchema.Multipart(Form)).addSuccess(Schema.String))
    .add(HttpApiEndpoint.post("own", "/own").setPayload(Form).addSuccess(Schema.String))
)

const DecodeLive = HttpApiBuilder.group(Api, "decode", (handlers) =>
  handlers
    .handle("signup", () => Effect.succeed("ok"))
    .handle("strict", () => Effect.succeed("ok"))
    .handle("item", () => Effect.succeed("ok"))
    .handle("search", () => Effect.succeed("ok"))
    .handle("form", () => Effect.succeed("ok"))
    .handle("upload", () => Effect.succeed("ok"))
    // A raw handler: the platform does not decode its payload, and this decode error is the
    // handler's own, which a second decode of the payload must not replace.
    .handleRaw("own", () =>
      Effect.fail(
        new HttpApiError.HttpApiDecodeError({
          issues: [{ _tag: "Type", path: ["sku"], message: "Expected a known SKU" }],
          message: "Expected a known SKU"
        })
      )))

const ApiLive = Server.layerApi({ port: 0, host: "127.0.0.1" }).pipe(
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(DecodeLive))),
  Layer.provideMerge(TestStrata.layer())
)

const router = HttpRouter.empty.pipe(
  HttpRouter.post("/signup", Effect.as(HttpServerRequest.schemaBodyJson(Signup), HttpServerResponse.text("ok"))),
  HttpRouter.get(
    "/items/:id/:slot",
    Effect.gen(function*() {
      yield* HttpRouter.schemaPathParams(Item)
      yield* HttpServerRequest.schemaSearchParams(Query)
      return HttpServerResponse.text("ok")
    })
  )
)

const RouterLive = Server.layer(router, { port: 0, host: "127.0.0.1" }).pipe(Layer.provideMerge(TestStrata.layer()))

interface Reply {
  readonly status: number
  readonly body: { readonly errors?: ReadonlyArray<unknown> } & Record<string, unknown>
}

const send = (path: string, init?: RequestInit) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.promise(async (): Promise<Reply> => {
      const { port } = server.address as HttpServer.TcpAddress
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
      const text = await response.text()
      return { status: response.status, body: text === "" || text === "ok" ? {} : JSON.parse(text) }
    }))

const postJson = (path: string, body: unknown) =>
  send(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } })

/** The field errors of a 422 problem, after checking it is one. */
const fieldErrors = (reply: Reply) => {
  expect(reply.status).toBe(422)
  expect(reply.body).toMatchObject({ code: "VALIDATION_FAILED", status: 422 })
  Schema.decodeUnknownSync(Problem.schema)(reply.body, { onExcessProperty: "error" })
  return reply.body.errors
}

describe("request decode failures", () => {
  it.layer(ApiLive)("of an HttpApi app", (it) => {
    it.effect("a payload lists every field problem with core Validation's types and messages", () =>
      Effect.gen(function*() {
        expect(fieldErrors(yield* postJson("/signup", badSignup))).toEqual(signupErrors)
        expect(fieldErrors(yield* postJson("/signup", { email: "a@b.co" }))).toEqual([
          { path: "username", message: "Required", type: "required" }
        ])
        expect((yield* postJson("/signup", { username: "ada", email: "ada@example.com" })).status).toBe(200)
      }))

    it.effect("unknown keys, where the schema refuses them, are one more field error", () =>
      Effect.gen(function*() {
        expect(fieldErrors(yield* postJson("/strict", badSignup))).toEqual([
          { path: "colour", message: "Unexpected field", type: "unexpected" },
          ...signupErrors
        ])
      }))

    it.effect("path, headers and query: every problem of the part that fails first", () =>
      Effect.gen(function*() {
        const tenant = { headers: { "x-tenant": "acme" } }
        expect(fieldErrors(yield* send("/items/1.5/c", tenant))).toEqual([
          { path: "id", message: "Expected an integer", type: "integer" },
          { path: "slot", message: "Must be one of: a, b", type: "enum" }
        ])
        expect(fieldErrors(yield* send("/items/1/a", { headers: { "x-tenant": "x" } }))).toEqual([
          { path: "x-tenant", message: "Expected a string at least 3 character(s) long", type: "length" }
        ])
        // One `tag` is still a list, as the platform reads the query.
        expect(fieldErrors(yield* send("/items/1/a?page=0&tag=x&sort=up", tenant))).toEqual([
          { path: "page", message: "Expected a positive number", type: "range" },
          { path: "tag.0", message: "Expected a string at least 2 character(s) long", type: "length" },
          { path: "sort", message: "Must be one of: asc, desc", type: "enum" }
        ])
        expect((yield* send("/items/1/a?page=2&tag=xy&tag=zz", tenant)).status).toBe(200)
      }))

    it.effect("a GET payload comes from the query string", () =>
      Effect.gen(function*() {
        expect(fieldErrors(yield* send("/search?page=x&tag=y&tag=zz"))).toEqual([
          { path: "page", message: "Unable to decode \"x\" into a number", type: "type" },
          { path: "tag.0", message: "Expected a string at least 2 character(s) long", type: "length" }
        ])
      }))

    it.effect("form and multipart bodies", () =>
      Effect.gen(function*() {
        const form = new URLSearchParams({ title: "ab", count: "many" })
        expect(fieldErrors(yield* send("/form", { method: "POST", body: form }))).toEqual(formErrors)
        const multipart = new FormData()
        multipart.set("title", "ab")
        multipart.set("count", "many")
        expect(fieldErrors(yield* send("/upload", { method: "POST", body: multipart }))).toEqual(formErrors)
      }))

    it.effect("a decode error the handler raised keeps its own issues", () =>
      Effect.gen(function*() {
        const reply = yield* postJson("/own", { title: "ab", count: "many" })
        expect(fieldErrors(reply)).toEqual([{ path: "sku", message: "Expected a known SKU", type: "type" }])
      }))
  })

  it.layer(RouterLive)("of an HttpRouter app using the platform's schema helpers", (it) => {
    it.effect("schemaBodyJson without options lists every problem", () =>
      Effect.gen(function*() {
        expect(fieldErrors(yield* postJson("/signup", badSignup))).toEqual(signupErrors)
      }))

    it.effect("schemaPathParams and schemaSearchParams too", () =>
      Effect.gen(function*() {
        expect(fieldErrors(yield* send("/items/x/c"))).toEqual([
          { path: "id", message: "Unable to decode \"x\" into a number", type: "type" },
          { path: "slot", message: "Must be one of: a, b", type: "enum" }
        ])
        expect(fieldErrors(yield* send("/items/1/a?page=-1&sort=up"))).toEqual([
          { path: "page", message: "Expected a positive number", type: "range" },
          { path: "sort", message: "Must be one of: asc, desc", type: "enum" }
        ])
      }))
  })
})
