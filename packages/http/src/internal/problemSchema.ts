/**
 * The problem document (RFC 9457 with Strata's members) as a Schema: what the OpenAPI
 * document declares for problem responses, and what clients can decode them with.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import type { Document } from "./problemMap.js"

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** @internal */
export const FieldErrorSchema = Schema.Struct({
  path: Schema.String.annotations({
    description: "Dotted path of the field (`items.0.qty`); empty for the whole input"
  }),
  message: Schema.String,
  type: Schema.String.annotations({
    description: "The kind of problem, stable for clients: `required`, `type`, `length`, `range`, `pattern`, " +
      "`enum`, `email`, `unexpected`, … (`@strata/core` Validation)"
  })
}).annotations({ identifier: "ProblemFieldError", description: "One field problem of a validation error" })

/** @internal */
export const DocumentSchema: Schema.Schema<Document> = Schema.Struct({
  type: Schema.String.annotations({ description: "Always `about:blank`: `title` is the HTTP status phrase" }),
  title: Schema.String,
  status: Schema.Int,
  detail: optional(Schema.String.annotations({ description: "What went wrong; never sent on 5xx" })),
  code: Schema.String.annotations({
    description: "Stable, machine-readable error code (`NOT_FOUND`, `VALIDATION_FAILED`, …)"
  }),
  errors: optional(
    Schema.Array(FieldErrorSchema).annotations({ description: "The field problems of a 422" })
  ),
  details: optional(
    Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
      description: "Structured context of a 4xx error"
    })
  ),
  requestId: optional(
    Schema.String.annotations({ description: "The request id (`X-Request-ID`), to quote when reporting a problem" })
  )
}).annotations({
  identifier: "Problem",
  description: "An `application/problem+json` error (RFC 9457) with Strata's members `code`, `errors`, `details` " +
    "and `requestId`"
})
