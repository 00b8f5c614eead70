/**
 * Turns a Schema `ParseIssue` tree into flat field errors `{ path, message, type }`.
 *
 * It walks the tree like Effect's `ArrayFormatter` and honours `message` annotations the
 * same way, but it also reads a `type` for each problem, and its default messages never
 * echo the input value: a ValidationFailed ends up in HTTP bodies and logs, and the value
 * may be a password or a card number.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as AST from "effect/SchemaAST"
import { FieldError } from "../Errors.js"
import { enumValuesOf, typeOf, withoutUndefined } from "./validationType.js"

type Path = ReadonlyArray<PropertyKey>

/** @internal */
export const formatPath = (path: Path): string =>
  path.map((key) => typeof key === "symbol" ? key.description ?? key.toString() : String(key)).join(".")

const runMessage = (message: string | Effect.Effect<string>): string =>
  typeof message === "string" ? message : Effect.runSync(message)

const currentMessage = (
  issue: ParseResult.ParseIssue
): { readonly message: string; readonly override: boolean } | undefined => {
  if (!("ast" in issue)) return undefined
  const annotation = AST.getMessageAnnotation(issue.ast)
  if (Option.isNone(annotation)) return undefined
  const out = annotation.value(issue)
  if (typeof out === "string" || Effect.isEffect(out)) return { message: runMessage(out), override: false }
  return { message: runMessage(out.message), override: out.override }
}

const friendly = (ast: AST.AST): string => {
  const description = AST.getDescriptionAnnotation(ast)
  if (Option.isSome(description)) return description.value
  switch (ast._tag) {
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return ast.elements.length === 0 ? "an array" : "a tuple"
    case "Refinement": {
      const name = Option.orElse(AST.getTitleAnnotation(ast), () => AST.getIdentifierAnnotation(ast))
      return Option.getOrElse(name, () => friendly(ast.from))
    }
    default:
      return String(ast)
  }
}

const defaultTypeMessage = (issue: ParseResult.Type): string => {
  if (issue.message !== undefined) return issue.message
  if (AST.isRefinement(issue.ast)) {
    const expected = Option.firstSomeOf([
      AST.getDescriptionAnnotation(issue.ast),
      AST.getTitleAnnotation(issue.ast),
      AST.getIdentifierAnnotation(issue.ast)
    ])
    return Option.match(expected, { onNone: () => "Invalid value", onSome: (e) => `Expected ${e}` })
  }
  return expected(issue.ast)
}

// "Must be one of: admin, user" for enums and literal unions (as the composite rules say it).
// An optional field's `undefined` is left out: a client cannot send it.
const expected = (self: AST.AST): string => {
  const ast = withoutUndefined(self)
  const values = enumValuesOf(ast)
  return values !== undefined && values.length > 1
    ? `Must be one of: ${values.map((v) => String(v)).join(", ")}`
    : `Expected ${friendly(ast)}`
}

const missingMessage = (issue: ParseResult.Missing): string =>
  Option.match(AST.getMissingMessageAnnotation(issue.ast), {
    onNone: () => issue.message ?? "Required",
    onSome: (annotation) => runMessage(annotation())
  })

const make = (path: Path, message: string, type: string): FieldError =>
  new FieldError({ path: formatPath(path), message, type })

const isMany = (
  u: ParseResult.ParseIssue | ReadonlyArray<ParseResult.ParseIssue>
): u is ReadonlyArray<ParseResult.ParseIssue> => Array.isArray(u)

/** @internal */
export const children = (issue: ParseResult.Composite): ReadonlyArray<ParseResult.ParseIssue> =>
  isMany(issue.issues) ? issue.issues : [issue.issues]

const isPlainMismatch = (issue: ParseResult.ParseIssue): boolean =>
  issue._tag === "Type" && !AST.isRefinement(issue.ast)

// A union fails once per member. Members whose base type matched but which failed deeper
// (a refinement, a field) say what the input was meant to be: report only those. When
// every member is a plain type mismatch ("a" | "b", string | number), report it once.
const unionIssues = (
  issue: ParseResult.Composite,
  path: Path
): ReadonlyArray<ParseResult.ParseIssue> | FieldError | undefined => {
  if (!AST.isUnion(issue.ast)) return undefined
  const deep = children(issue).filter((i) => !isPlainMismatch(i))
  return deep.length > 0 ? deep : make(path, expected(issue.ast), typeOf(issue.ast))
}

const go = (issue: ParseResult.ParseIssue, path: Path, out: Array<FieldError>): void => {
  switch (issue._tag) {
    case "Type": {
      const message = currentMessage(issue)?.message ?? defaultTypeMessage(issue)
      out.push(make(path, message, typeOf(issue.ast)))
      return
    }
    case "Missing":
      out.push(make(path, missingMessage(issue), "required"))
      return
    case "Unexpected":
      out.push(make(path, "Unexpected field", "unexpected"))
      return
    case "Forbidden":
      out.push(make(path, issue.message ?? "Forbidden", "forbidden"))
      return
    case "Pointer":
      go(issue.issue, path.concat(issue.path), out)
      return
    case "Composite": {
      const current = currentMessage(issue)
      if (current !== undefined && current.override) {
        out.push(make(path, current.message, typeOf(issue.ast)))
        return
      }
      const union = unionIssues(issue, path)
      if (union instanceof FieldError) {
        out.push(union)
        return
      }
      for (const child of union ?? children(issue)) go(child, path, out)
      return
    }
    case "Refinement":
    case "Transformation": {
      // A message annotation speaks for the schema's own check (the predicate, the
      // transformation); a failure of the inner schema keeps the inner message unless
      // the annotation asks to override it.
      const current = currentMessage(issue)
      const own = issue.kind === "Predicate" || issue.kind === "Transformation"
      if (current !== undefined && (own || current.override)) {
        out.push(make(path, current.message, typeOf(issue.ast)))
        return
      }
      go(issue.issue, path, out)
      return
    }
  }
}

/**
 * Every field problem of an issue tree, in tree order, without duplicates.
 *
 * @internal
 */
export const fieldErrors = (issue: ParseResult.ParseIssue): ReadonlyArray<FieldError> => {
  const out: Array<FieldError> = []
  go(issue, [], out)
  return dedupe(out.length > 0 ? out : [make([], "Invalid value", "invalid")])
}

/** @internal */
export const dedupe = (errors: ReadonlyArray<FieldError>): ReadonlyArray<FieldError> => {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const key = JSON.stringify([e.path, e.type, e.message])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
