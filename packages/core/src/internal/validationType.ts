/**
 * The `ValidationType` annotation and the mapping from a failing schema to the stable
 * `type` of a `FieldError`.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/**
 * Schema annotation naming the `type` a failure of this schema reports in its
 * `FieldError` (`Validation.validate`). Validators' filters set it; set it on your own.
 *
 * @example
 * ```ts
 * import { Validation } from "@strata/core"
 * import { Schema } from "effect"
 *
 * const Sku = Schema.String.pipe(
 *   Schema.pattern(/^[A-Z]{3}-\d{4}$/),
 *   Schema.annotations({ [Validation.ValidationType]: "sku", message: () => "Invalid SKU" })
 * )
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const ValidationType: unique symbol = Symbol.for("@strata/core/Validation/ValidationType")

/**
 * @since 0.1.0
 * @category schemas
 */
export type ValidationType = typeof ValidationType

/** @internal */
export const getValidationType = (ast: AST.AST): Option.Option<string> =>
  Option.filter(AST.getAnnotation<string>(ast, ValidationType), (u): u is string => typeof u === "string")

// Schema's built-in refinements carry a schema id; map them to the same vocabulary our own
// validators use, so a client sees "length" whether the schema says `minLength` or `maxLength`.
const builtIns: ReadonlyArray<readonly [string, ReadonlyArray<symbol>]> = [
  ["length", [
    Schema.MinLengthSchemaId,
    Schema.MaxLengthSchemaId,
    Schema.LengthSchemaId,
    Schema.MinItemsSchemaId,
    Schema.MaxItemsSchemaId,
    Schema.ItemsCountSchemaId
  ]],
  ["pattern", [Schema.PatternSchemaId, Schema.StartsWithSchemaId, Schema.EndsWithSchemaId, Schema.IncludesSchemaId]],
  ["format", [
    Schema.TrimmedSchemaId,
    Schema.LowercasedSchemaId,
    Schema.UppercasedSchemaId,
    Schema.CapitalizedSchemaId,
    Schema.UncapitalizedSchemaId
  ]],
  ["uuid", [Schema.UUIDSchemaId]],
  ["ulid", [Schema.ULIDSchemaId]],
  ["integer", [Schema.IntSchemaId]],
  ["number", [Schema.FiniteSchemaId, Schema.NonNaNSchemaId, Schema.JsonNumberSchemaId]],
  ["multiple", [Schema.MultipleOfSchemaId]],
  ["range", [
    Schema.GreaterThanSchemaId,
    Schema.GreaterThanOrEqualToSchemaId,
    Schema.LessThanSchemaId,
    Schema.LessThanOrEqualToSchemaId,
    Schema.BetweenSchemaId,
    Schema.GreaterThanBigIntSchemaId,
    Schema.GreaterThanOrEqualToBigIntSchemaId,
    Schema.LessThanBigIntSchemaId,
    Schema.LessThanOrEqualToBigIntSchemaId,
    Schema.BetweenBigIntSchemaId,
    Schema.GreaterThanBigDecimalSchemaId,
    Schema.GreaterThanOrEqualToBigDecimalSchemaId,
    Schema.LessThanBigDecimalSchemaId,
    Schema.LessThanOrEqualToBigDecimalSchemaId,
    Schema.BetweenBigDecimalSchemaId,
    Schema.PositiveBigDecimalSchemaId,
    Schema.NonNegativeBigDecimalSchemaId,
    Schema.NegativeBigDecimalSchemaId,
    Schema.NonPositiveBigDecimalSchemaId,
    Schema.GreaterThanDurationSchemaId,
    Schema.GreaterThanOrEqualToDurationSchemaId,
    Schema.LessThanDurationSchemaId,
    Schema.LessThanOrEqualToDurationSchemaId,
    Schema.BetweenDurationSchemaId
  ]],
  ["date", [
    Schema.ValidDateSchemaId,
    Schema.LessThanDateSchemaId,
    Schema.LessThanOrEqualToDateSchemaId,
    Schema.GreaterThanDateSchemaId,
    Schema.GreaterThanOrEqualToDateSchemaId,
    Schema.BetweenDateSchemaId
  ]]
]

const bySchemaId: ReadonlyMap<symbol, string> = new Map(
  builtIns.flatMap(([type, ids]) => ids.map((id) => [id, type] as const))
)

const isEnumLike = (ast: AST.AST): boolean =>
  AST.isLiteral(ast) || AST.isEnums(ast) || AST.isUniqueSymbol(ast) ||
  (AST.isUnion(ast) && ast.types.every(isEnumLike))

/**
 * A union without its `undefined` member, as an optional field expects a value when it is
 * there (JSON and query strings have no `undefined`): `number | undefined` → `number`.
 *
 * @internal
 */
export const withoutUndefined = (ast: AST.AST): AST.AST => {
  // A described union says what it expects itself.
  if (!AST.isUnion(ast) || Option.isSome(AST.getDescriptionAnnotation(ast))) return ast
  const present = ast.types.filter((member) => !AST.isUndefinedKeyword(member))
  return present.length === ast.types.length || present.length === 0 ? ast : AST.Union.make(present)
}

/**
 * The allowed values of a literal, enum or union of them; `undefined` for anything else.
 *
 * @internal
 */
export const enumValuesOf = (ast: AST.AST): ReadonlyArray<unknown> | undefined => {
  if (!isEnumLike(ast)) return undefined
  const collect = (node: AST.AST): ReadonlyArray<unknown> =>
    AST.isLiteral(node)
      ? [node.literal]
      : AST.isEnums(node)
      ? node.enums.map(([, value]) => value)
      : AST.isUniqueSymbol(node)
      ? [node.symbol]
      : AST.isUnion(node)
      ? node.types.flatMap(collect)
      : []
  return collect(ast)
}

/**
 * The `type` of a failure of `ast`: its `ValidationType` annotation, else the type of a
 * built-in refinement, `"enum"` for literals and enums, `"invalid"` for an unknown
 * refinement, `"type"` for everything else (wrong shape, failed transformation).
 *
 * @internal
 */
export const typeOf = (ast: AST.AST): string => {
  const annotated = getValidationType(ast)
  if (Option.isSome(annotated)) return annotated.value
  if (AST.isRefinement(ast)) {
    const id = AST.getSchemaIdAnnotation(ast)
    const builtIn = Option.isSome(id) && typeof id.value === "symbol" ? bySchemaId.get(id.value) : undefined
    return builtIn ?? "invalid"
  }
  return isEnumLike(withoutUndefined(ast)) ? "enum" : "type"
}
