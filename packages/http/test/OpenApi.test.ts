/**
 * The OpenAPI document of an HttpApi app says what the server really sends: fetched from a
 * real server, then compared with real error responses.
 */
import {
  HttpApi,
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiError,
  HttpApiGroup,
  HttpApiSchema,
  HttpServer
} from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Errors } from "@strata/core"
import { Endpoints, Problem, Server } from "@strata/http"
import { TestStrata } from "@strata/testing"
import { Effect, Layer, Schema } from "effect"
import { Product } from "./ShopApi.js"

/** An error the app defines itself: sent and documented with its own schema. */
class OutOfStock extends Schema.TaggedError<OutOfStock>()("OutOfStock", {
  sku: Schema.String
}, HttpApiSchema.annotations({ status: 409 })) {}

class Unexpected extends Schema.TaggedError<Unexpected>()("Unexpected", {}) {}

const Api = HttpApi.make("Shop").add(
  HttpApiGroup.make("products")
    .add(
      HttpApiEndpoint.post("create", "/products")
        .setPayload(Product)
        .addSuccess(Product, { status: 201 })
        .addError(OutOfStock)
        .addError(Errors.AlreadyExists)
    )
    .add(
      HttpApiEndpoint.get("get", "/products/:id")
        .setPath(Schema.Struct({ id: Schema.NumberFromString }))
        .addSuccess(Product)
        .addError(Errors.NotFound)
        .addError(HttpApiError.Gone)
    )
    .add(HttpApiEndpoint.get("list", "/products").addSuccess(Schema.Array(Product)))
    .add(HttpApiEndpoint.get("broken", "/broken").addSuccess(Schema.String))
)

const ProductsLive = HttpApiBuilder.group(Api, "products", (handlers) =>
  handlers
    .handle("create", ({ payload }) =>
      payload.name === "taken"
        ? Effect.fail(new Errors.AlreadyExists({ resource: "Product", identifier: payload.name, field: "name" }))
        : payload.name === "sold out"
        ? Effect.fail(new OutOfStock({ sku: "tea-1" }))
        : Effect.succeed(payload))
    .handle("get", ({ path }) =>
      path.id === 410 ? Effect.fail(new HttpApiError.Gone()) : Effect.fail(
        new Errors.NotFound({ resource: "Product", id: String(path.id) })
      ))
    .handle("list", () => Effect.succeed([]))
    // An undeclared failure: neither the mapping nor the API knows it.
    .handle("broken", () => Effect.die(new Unexpected())))

const ApiLive = Server.layerApi({ port: 0, host: "127.0.0.1" }).pipe(
  Layer.provide(Endpoints.layer()),
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(ProductsLive))),
  Layer.provideMerge(TestStrata.layer())
)

interface Reply {
  readonly status: number
  readonly contentType: string | null
  readonly body: unknown
}

const send = (path: string, init?: RequestInit) =>
  Effect.flatMap(HttpServer.HttpServer, (server) =>
    Effect.promise(async (): Promise<Reply> => {
      const { port } = server.address as HttpServer.TcpAddress
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
      const text = await response.text()
      return { status: response.status, contentType: response.headers.get("content-type"), body: JSON.parse(text) }
    }))

const post = (body: unknown) =>
  send("/products", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } })

/** The parts of JSON Schema and OpenAPI the tests read. */
interface JsonSchema {
  readonly $ref?: string
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly type?: string
  readonly required?: ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly additionalProperties?: unknown
  readonly items?: JsonSchema
}

interface Responses {
  readonly [status: string]: { readonly content: Readonly<Record<string, { readonly schema: JsonSchema }>> }
}

interface Document {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { readonly responses: Responses }>>>>
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema | undefined>> }
}

type Defs = Document["components"]["schemas"]

/** Checks a value against the subset of JSON Schema the document uses; returns the problems. */
const conforms = (value: unknown, schema: JsonSchema | undefined, defs: Defs, at = "$"): Array<string> => {
  if (schema === undefined) return [`${at}: no schema`]
  if (schema.$ref !== undefined) return conforms(value, defs[schema.$ref.split("/").pop()!], defs, at)
  if (schema.anyOf !== undefined) {
    return schema.anyOf.some((s) => conforms(value, s, defs, at).length === 0) ? [] : [`${at}: no anyOf matches`]
  }
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: not an object`]
      const record = value as Record<string, unknown>
      const problems = (schema.required ?? []).filter((k) => !(k in record)).map((k) => `${at}.${k}: missing`)
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key]
        if (property !== undefined) problems.push(...conforms(item, property, defs, `${at}.${key}`))
        else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not allowed`)
      }
      return problems
    }
    case "array":
      return Array.isArray(value)
        ? value.flatMap((item, i) => conforms(item, schema.items, defs, `${at}[${i}]`))
        : [`${at}: not an array`]
    case "string":
      return typeof value === "string" ? [] : [`${at}: not a string`]
    case "integer":
      return Number.isInteger(value) ? [] : [`${at}: not an integer`]
    case "number":
      return typeof value === "number" ? [] : [`${at}: not a number`]
    default:
      return []
  }
}

describe("the OpenAPI document of an HttpApi app", () => {
  it.layer(ApiLive)("served by the Strata server", (it) => {
    const spec = Effect.map(send("/openapi.json"), (reply) => reply.body as Document)

    it.effect("documents decode failures as 422 problem+json, not the platform's 400", () =>
      Effect.gen(function*() {
        const doc = yield* spec
        const get = doc.paths["/products/{id}"].get.responses
        expect(Object.keys(get)).toEqual(["200", "404", "410", "422", "default"])
        expect(Object.keys(get["422"].content)).toEqual(["application/problem+json"])
        expect(get["422"].content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" })
        expect(doc.components.schemas.HttpApiDecodeError).toBeUndefined()
        expect(JSON.stringify(doc)).not.toContain("HttpApiDecodeError")
        const problem = doc.components.schemas.Problem
        expect(problem?.required).toEqual(["type", "title", "status", "code"])
        expect(Object.keys(problem?.properties ?? {})).toEqual(
          ["type", "title", "status", "detail", "code", "errors", "details", "requestId"]
        )
        expect(doc.components.schemas.ProblemFieldError?.required).toEqual(["path", "message", "type"])
        // Nothing to decode: no 422.
        expect(Object.keys(doc.paths["/products"].get.responses)).toEqual(["200", "default"])
      }))

    it.effect("the real 422 matches the documented schema", () =>
      Effect.gen(function*() {
        const doc = yield* spec
        const documented = doc.paths["/products"].post.responses["422"].content["application/problem+json"].schema
        for (const reply of [yield* post({ name: "", price: -1 }), yield* send("/products/abc")]) {
          expect(reply.status).toBe(422)
          expect(reply.contentType).toBe("application/problem+json")
          expect(conforms(reply.body, documented, doc.components.schemas)).toEqual([])
          const field = { path: expect.any(String), message: expect.any(String), type: expect.any(String) }
          expect(reply.body).toMatchObject({ errors: expect.arrayContaining([field]) })
          // The same shape by the Schema the document is made from, excess keys refused.
          Schema.decodeUnknownSync(Problem.schema)(reply.body, { onExcessProperty: "error" })
        }
        // The checker can fail: the platform's old body does not match.
        expect(conforms({ _tag: "HttpApiDecodeError", issues: [], message: "x" }, documented, doc.components.schemas))
          .not.toEqual([])
      }))

    it.effect("catalogue errors and HttpApiError are documented and sent as problem+json", () =>
      Effect.gen(function*() {
        const doc = yield* spec
        const defs = doc.components.schemas
        const get = doc.paths["/products/{id}"].get.responses
        for (const [path, status] of [["/products/7", 404], ["/products/410", 410]] as const) {
          const reply = yield* send(path)
          expect(reply.status).toBe(status)
          expect(reply.contentType).toBe("application/problem+json")
          expect(Object.keys(get[status].content)).toEqual(["application/problem+json"])
          expect(conforms(reply.body, get[status].content["application/problem+json"].schema, defs)).toEqual([])
        }
        const taken = yield* post({ name: "taken", price: 1 })
        expect(taken.status).toBe(409)
        expect(taken.contentType).toBe("application/problem+json")
        expect(taken.body).toMatchObject({ code: "ALREADY_EXISTS" })
        // The catalogue classes' own schemas are gone from the components: nothing uses them.
        expect(defs.NotFound).toBeUndefined()
      }))

    it.effect("an error the app defines keeps its own schema, next to problem+json for the same status", () =>
      Effect.gen(function*() {
        const doc = yield* spec
        const conflict = doc.paths["/products"].post.responses["409"]
        expect(Object.keys(conflict.content).sort()).toEqual(["application/json", "application/problem+json"])
        const reply = yield* post({ name: "sold out", price: 1 })
        expect(reply.status).toBe(409)
        expect(reply.contentType).toBe("application/json")
        expect(reply.body).toEqual({ _tag: "OutOfStock", sku: "tea-1" })
        expect(conforms(reply.body, conflict.content["application/json"].schema, doc.components.schemas)).toEqual([])
      }))

    it.effect("body endpoints list 400, 413 and 415, and the server sends them as documented", () =>
      Effect.gen(function*() {
        const doc = yield* spec
        const responses = doc.paths["/products"].post.responses
        expect(Object.keys(responses)).toEqual(["201", "400", "409", "413", "415", "422", "default"])
        const malformed = yield* send("/products", {
          method: "POST",
          body: "{",
          headers: { "content-type": "application/json" }
        })
        const wrongType = yield* send("/products", {
          method: "POST",
          body: "x",
          headers: { "content-type": "text/plain" }
        })
        for (const [reply, status] of [[malformed, 400], [wrongType, 415]] as const) {
          expect(reply.status).toBe(status)
          const documented = responses[status].content["application/problem+json"].schema
          expect(conforms(reply.body, documented, doc.components.schemas)).toEqual([])
        }
      }))

    it.effect("an undeclared failure is a 500 problem, as the default response says", () =>
      Effect.gen(function*() {
        const reply = yield* send("/broken")
        expect(reply.status).toBe(500)
        expect(reply.body).toMatchObject({ code: "INTERNAL_ERROR" })
      }))
  })

  it("Endpoints.openApiDocument is what /openapi.json serves, and leaves the platform's document alone", () => {
    const doc = Endpoints.openApiDocument(Api)
    const responses = doc.paths["/products/{id}"]?.get?.responses ?? {}
    expect(Object.keys(responses)).toEqual(["200", "404", "410", "422", "default"])
    expect(Endpoints.openApiDocument(Api)).toEqual(doc)
  })
})
