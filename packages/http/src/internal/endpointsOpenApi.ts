/**
 * The OpenAPI document of an `HttpApi` as the Strata server answers it. `@effect/platform`
 * documents request decode failures as `400 HttpApiDecodeError` and every declared error
 * with its own schema as `application/json`; the Strata server sends decode failures as
 * `422` problems and every error its mapping knows (the `@strata/core` catalogue, the body
 * errors, `HttpApiError.*`) as `application/problem+json`. This rewrites the platform's
 * document to say so; errors an app defines itself keep their schema (the server encodes
 * them as declared).
 *
 * @internal
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpMethod from "@effect/platform/HttpMethod"
import * as OpenApi from "@effect/platform/OpenApi"
import * as OpenApiJsonSchema from "@effect/platform/OpenApiJsonSchema"
import * as Errors from "@strata/core/Errors"
import * as Context from "effect/Context"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { MalformedBody, PayloadTooLarge, UnsupportedMediaType } from "./problemErrors.js"
import { emptyErrors } from "./problemMap.js"
import { DocumentSchema } from "./problemSchema.js"

interface MediaType {
  schema: unknown
}

interface Response {
  description: string
  content?: Record<string, MediaType>
}

interface Operation {
  responses: Record<string, Response>
}

interface Document {
  paths: Record<string, Record<string, Operation | undefined> | undefined>
  components: { schemas: Record<string, unknown> }
}

const problemType = "application/problem+json"

// A class schema is a transformation to its declaration. Annotating it (`addError(E, { status })`,
// the platform's own status merging) copies the transformation but keeps the declaration.
const declarationOf = (ast: AST.AST): AST.AST => AST.isTransformation(ast) ? ast.to : ast

let known: { readonly decode: AST.AST; readonly problems: ReadonlySet<AST.AST> } | undefined
const knownErrors = () =>
  known ??= {
    decode: declarationOf(HttpApiError.HttpApiDecodeError.ast),
    problems: new Set(
      [...Errors.StrataError.members, PayloadTooLarge, UnsupportedMediaType, MalformedBody]
        .map((schema) => declarationOf(schema.ast))
        .concat(emptyErrors.map(([schema]) => declarationOf(schema.ast)))
    )
  }

const members = (ast: AST.AST): Array<AST.AST> => AST.isUnion(ast) ? ast.types.flatMap(members) : [ast]

const describe = (ast: AST.AST): string =>
  Option.getOrElse(
    Option.orElse(AST.getDescriptionAnnotation(ast), () => AST.getIdentifierAnnotation(declarationOf(ast))),
    () => "Error"
  )

const problemMedia = (ref: unknown): Record<string, MediaType> => ({ [problemType]: { schema: ref } })

/** Adds problem+json to a status: a new response, or one more media type of a declared one. */
const addProblem = (operation: Operation, status: number | "default", description: string, ref: unknown) => {
  const response = operation.responses[status]
  if (response === undefined) operation.responses[status] = { description, content: problemMedia(ref) }
  else response.content = { ...response.content, ...problemMedia(ref) }
}

const rewriteErrors = (
  operation: Operation,
  errors: ReadonlyMap<number, { readonly ast: Option.Option<AST.AST> }>,
  defs: Record<string, unknown>,
  ref: unknown,
  replaced: Set<string>
) => {
  const { decode, problems } = knownErrors()
  for (const [status, { ast }] of errors) {
    const response = operation.responses[status]
    if (response === undefined || Option.isNone(ast)) continue
    const all = members(ast.value)
    const isDecode = (m: AST.AST) => declarationOf(m) === decode
    const isProblem = (m: AST.AST) => problems.has(declarationOf(m))
    if (!all.some((m) => isDecode(m) || isProblem(m))) continue
    const own = all.filter((m) => !isDecode(m) && !isProblem(m))
    const declared = all.filter((m) => !isDecode(m))
    if (declared.length === 0) {
      for (const name of refsOf(response.content)) replaced.add(name)
      delete operation.responses[status]
      continue
    }
    for (const name of refsOf(response.content)) replaced.add(name)
    const content: Record<string, MediaType> = {}
    const withBody = own.filter((m) => !HttpApiSchema.getEmptyDecodeable(m))
    if (withBody.length > 0) {
      const schema = OpenApiJsonSchema.makeWithDefs(Schema.make(AST.Union.make(withBody)), { defs })
      content[HttpApiSchema.getEncoding(withBody[0]!).contentType] = { schema }
    }
    if (own.length < declared.length) Object.assign(content, problemMedia(ref))
    response.content = content
    // The platform named the status after its decode error when that came first.
    if (declared.length < all.length) response.description = describe(declared[0]!)
  }
}

const refPattern = /"#\/components\/schemas\/([^"]+)"/g

const refsOf = (value: unknown): Array<string> =>
  Array.from(JSON.stringify(value ?? null).matchAll(refPattern), (match) => match[1]!)

/** Drops the replaced schemas (the platform's decode error, catalogue classes) nothing refers to any more. */
const dropUnused = (document: Document, replaced: Set<string>) => {
  let changed = true
  while (changed) {
    changed = false
    for (const name of replaced) {
      const { [name]: definition, ...rest } = document.components.schemas
      if (definition === undefined) continue
      if (refsOf({ ...document, components: { ...document.components, schemas: rest } }).includes(name)) continue
      document.components.schemas = rest
      for (const inner of refsOf(definition)) replaced.add(inner)
      changed = true
    }
  }
}

const cache = new WeakMap<HttpApi.HttpApi.Any, string>()

/**
 * The rewritten document, as JSON text (built once per API):
 *
 * - the platform's `400 HttpApiDecodeError` goes; an endpoint that decodes anything (path,
 *   query, headers, payload) gets `422` problem+json;
 * - a declared error the Strata mapping answers is `application/problem+json` with the
 *   `Problem` schema (next to the own schemas of other errors of the same status);
 * - an endpoint with a request body gets `400` (malformed, forbidden key), `413` and `415`;
 * - every operation gets a `default` problem+json response (timeouts, 500s, middleware).
 *
 * @internal
 */
export const document = (api: HttpApi.HttpApi.Any): string => {
  const cached = cache.get(api)
  if (cached !== undefined) return cached
  const spec: Document = JSON.parse(JSON.stringify(OpenApi.fromApi(api as HttpApi.HttpApi.AnyWithProps)))
  const defs = spec.components.schemas
  const ref = OpenApiJsonSchema.makeWithDefs(DocumentSchema, { defs })
  const replaced = new Set<string>()
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, errors, mergedAnnotations, payloads }) => {
      if (Context.get(mergedAnnotations, OpenApi.Exclude)) return
      const operation = spec.paths[endpoint.path.replace(/:(\w+)\??/g, "{$1}")]?.[endpoint.method.toLowerCase()]
      if (operation === undefined) return
      rewriteErrors(operation, errors, defs, ref, replaced)
      const decodes = [endpoint.pathSchema, endpoint.urlParamsSchema, endpoint.headersSchema, endpoint.payloadSchema]
        .some(Option.isSome)
      if (decodes) {
        addProblem(operation, 422, "The request does not match its schema: `errors` lists each field problem", ref)
      }
      if (HttpMethod.hasBody(endpoint.method) && payloads.size > 0) {
        addProblem(operation, 400, "The body is malformed or uses a forbidden key (`__proto__`, …)", ref)
        addProblem(operation, 413, "The body is larger than the server accepts", ref)
        addProblem(operation, 415, "The body's media type is not accepted", ref)
      }
      addProblem(operation, "default", "Any other error (timeouts, unavailability, internal errors)", ref)
    }
  })
  dropUnused(spec, replaced)
  const text = JSON.stringify(spec)
  cache.set(api, text)
  return text
}
