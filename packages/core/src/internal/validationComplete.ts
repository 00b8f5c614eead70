/**
 * Every problem of a parse issue that was produced stopping at the first one.
 *
 * `Schema.decodeUnknown(schema)` stops at the first problem unless it is given
 * `errors: "all"`, and a `ParseError` does not say which mode made it. Its root issue still
 * holds the schema and the input, so the input is decoded again with every error collected.
 * The result replaces the issue only when it explains it (every problem of the issue is in
 * it): an issue of an encoding, of a schema that needs services or async work, or of a
 * decode with other parse options stays as it is.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import type { FieldError } from "../Errors.js"
import { children, fieldErrors } from "./validationFormatter.js"

const key = (error: FieldError): string => JSON.stringify([error.path, error.type, error.message])

const hasUnexpected = (issue: ParseResult.ParseIssue): boolean => {
  switch (issue._tag) {
    case "Unexpected":
      return true
    case "Pointer":
    case "Refinement":
    case "Transformation":
      return hasUnexpected(issue.issue)
    case "Composite":
      return children(issue).some(hasUnexpected)
    default:
      return false
  }
}

/**
 * The field errors of `issue`, with every problem of its input when the issue stopped at
 * the first one.
 *
 * @internal
 */
export const completeFieldErrors = (issue: ParseResult.ParseIssue): ReadonlyArray<FieldError> => {
  const own = fieldErrors(issue)
  // Only an issue over several parts can hide more problems (a root `Type` is the whole answer).
  if (issue._tag !== "Composite" && issue._tag !== "Refinement" && issue._tag !== "Transformation") return own
  // An unknown key was refused: the first decode asked for that (`onExcessProperty: "error"`).
  const options: AST.ParseOptions = { errors: "all", onExcessProperty: hasUnexpected(issue) ? "error" : "ignore" }
  const again = ParseResult.decodeUnknownEither(Schema.make(issue.ast), options)(issue.actual)
  if (Either.isRight(again)) return own
  const all = fieldErrors(again.left)
  if (all.length <= own.length) return own
  const keys = new Set(all.map(key))
  return own.every((error) => keys.has(key(error))) ? all : own
}
