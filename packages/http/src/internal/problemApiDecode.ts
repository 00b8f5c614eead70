/**
 * Request decode failures of an `HttpApi` with every field problem, in the words of
 * `@strata/core` Validation.
 *
 * `HttpApiBuilder` decodes an endpoint's path, payload, headers and query with
 * `Schema.decodeUnknown(schema)`, which stops at the first problem, and turns the
 * `ParseError` into an `HttpApiDecodeError` that keeps only `ArrayFormatter` issues (no
 * schema, so no meaningful `type`). It has no hook for either: no parse options, and the
 * endpoint schemas are fixed when `HttpApiBuilder.group` builds its routes. So when a decode
 * error comes out of the API, the request is decoded again here — the same parts, in the
 * same order, from the same inputs — with `errors: "all"`. That decode is used when it
 * explains the platform's error (each of its issues is among the new ones); otherwise the
 * error came from somewhere else (a handler, a response that did not encode) and keeps the
 * platform's issues. Only failed requests pay for the second decode.
 *
 * @internal
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpApi from "@effect/platform/HttpApi"
import type * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpMethod from "@effect/platform/HttpMethod"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Multipart from "@effect/platform/Multipart"
import type * as Path from "@effect/platform/Path"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Errors from "@strata/core/Errors"
import * as Validation from "@strata/core/Validation"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import type * as Scope from "effect/Scope"

type Endpoint = HttpApiEndpoint.HttpApiEndpoint.AnyWithProps

type Params = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

type Decode = (input: unknown) => Effect.Effect<unknown, ParseResult.ParseError>

// Endpoint schemas are typed `any` by the platform; what they need runs in the request's
// context, as the platform's own decode does.
const decodeAll = (schema: Schema.Schema.Any): Decode =>
  Schema.decodeUnknown(schema, { errors: "all" }) as Decode

// The query string as the platform hands it to a schema: a key whose schema takes one string
// keeps its single value; any other key gets a list, even with one value (`?tag=a`).
const takesOneString = (ast: AST.AST, key?: PropertyKey): boolean => {
  switch (ast._tag) {
    case "StringKeyword":
    case "Literal":
    case "TemplateLiteral":
    case "Enums":
      return true
    case "TypeLiteral": {
      if (key === undefined) return false
      const property = ast.propertySignatures.find((p) => p.name === key)
      if (property !== undefined) return takesOneString(property.type)
      return ast.indexSignatures.some((index) =>
        Schema.is(Schema.make(index.parameter))(key) && takesOneString(index.type)
      )
    }
    case "Union":
      return ast.types.some((member) => takesOneString(member, key))
    case "Suspend":
      return takesOneString(ast.f(), key)
    case "Refinement":
    case "Transformation":
      return takesOneString(ast.from, key)
    default:
      return false
  }
}

const queryInput = (params: Params, ast: AST.AST): Record<string, string | ReadonlyArray<string>> => {
  const out: Record<string, string | ReadonlyArray<string>> = {}
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    out[key] = typeof value !== "string" || takesOneString(ast, key) ? value : [value]
  }
  return out
}

type Needs = HttpServerRequest.HttpServerRequest | Scope.Scope | FileSystem.FileSystem | Path.Path

const bodyInput = (
  request: HttpServerRequest.HttpServerRequest,
  query: Params,
  limits: Multipart.withLimits.Options | undefined
): Effect.Effect<unknown, unknown, Needs> => {
  if (!HttpMethod.hasBody(request.method)) return Effect.succeed(query)
  const header = request.headers["content-type"]
  const contentType = header ? header.toLowerCase().trim() : "application/json"
  if (contentType.includes("application/json")) return request.json
  if (contentType.includes("multipart/form-data")) {
    return limits === undefined ? request.multipart : Multipart.withLimits(request.multipart, limits)
  }
  if (contentType.includes("x-www-form-urlencoded")) return Effect.map(request.urlParamsBody, UrlParams.toRecord)
  if (contentType.startsWith("text/")) return request.text
  return Effect.map(request.arrayBuffer, (buffer) => new Uint8Array(buffer))
}

// Fails with the first part that does not decode, as the platform's route does.
const decodeRequest = (endpoint: Endpoint) => {
  const path = Option.map(endpoint.pathSchema, decodeAll)
  const payloadAst = Option.getOrUndefined(Option.map(endpoint.payloadSchema, (schema) => schema.ast))
  const streamed = payloadAst !== undefined && HttpApiSchema.getMultipartStream(payloadAst) !== undefined
  const payload = streamed ? Option.none() : Option.map(endpoint.payloadSchema, decodeAll)
  const limits = payloadAst === undefined ? undefined : HttpApiSchema.getMultipart(payloadAst)
  const headers = Option.map(endpoint.headersSchema, decodeAll)
  const query = Option.map(endpoint.urlParamsSchema, (schema) => ({ schema, decode: decodeAll(schema) }))
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const route = yield* HttpRouter.RouteContext
    const params = yield* HttpServerRequest.ParsedSearchParams
    if (Option.isSome(path)) yield* path.value(route.params)
    if (Option.isSome(payload)) yield* Effect.flatMap(bodyInput(request, params, limits), payload.value)
    if (Option.isSome(headers)) yield* headers.value(request.headers)
    if (Option.isSome(query)) yield* query.value.decode(queryInput(params, query.value.schema.ast))
    return HttpServerResponse.empty()
  })
}

const issueKey = (issue: ParseResult.ArrayFormatterIssue): string =>
  JSON.stringify([issue._tag, issue.path.map(String), issue.message])

const explains = (
  issue: ParseResult.ParseIssue,
  error: HttpApiError.HttpApiDecodeError
): Effect.Effect<boolean> =>
  Effect.match(ParseResult.ArrayFormatter.formatIssue(issue), {
    onFailure: () => false,
    onSuccess: (all) => {
      const keys = new Set(all.map(issueKey))
      return error.issues.every((platform) => keys.has(issueKey(platform)))
    }
  })

/**
 * For an `HttpApiDecodeError` of the current request: the `ValidationFailed` that lists
 * every problem of the request part that failed, or `None` when decoding the request again
 * does not explain the error.
 *
 * @internal
 */
export type Redecode = (
  error: HttpApiError.HttpApiDecodeError
) => Effect.Effect<Option.Option<Errors.ValidationFailed>, never, HttpServerRequest.HttpServerRequest | Scope.Scope>

/** @internal */
export const make = (
  api: HttpApi.HttpApi<string, HttpApiGroup.HttpApiGroup.AnyWithProps>
): Effect.Effect<Redecode, never, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const routes = Object.values(api.groups).flatMap((group) =>
      Object.values(group.endpoints).map((endpoint) =>
        HttpRouter.makeRoute(endpoint.method, endpoint.path, decodeRequest(endpoint))
      )
    )
    const app = yield* HttpRouter.toHttpApp(HttpRouter.fromIterable(routes))
    const services = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    return (error) =>
      Effect.flatMap(Effect.exit(Effect.provide(app, services)), (exit) => {
        const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
        if (Option.isNone(failure) || !ParseResult.isParseError(failure.value)) return Effect.succeedNone
        const issue = failure.value.issue
        return Effect.map(explains(issue, error), (explained) =>
          explained
            ? Option.some(new Errors.ValidationFailed({ errors: Validation.fieldErrors(issue) }))
            : Option.none())
      })
  })
