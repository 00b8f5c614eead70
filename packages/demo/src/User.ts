/**
 * The user model: what a user is, what a client may send to create or change one, and how
 * a list is asked for. Every rule lives here, in the schemas, so the HTTP API, the OpenAPI
 * document and the service validate the same way (bad input → `ValidationFailed`, 422).
 *
 * @since 0.1.0
 */
import { Validators } from "@strata/core"
import * as Schema from "effect/Schema"

// Unknown keys are errors, not silently dropped: `{ "activ": false }` must not answer 200.
// (Every problem is listed without asking: the Strata server decodes a failed request again
// with `errors: "all"`.)
const strict = { parseOptions: { onExcessProperty: "error" } } as const

/**
 * An optional field of a request: absent or valid, never `undefined` (JSON and query
 * strings have none), so an error names only what was wrong with the value.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { optional } from "./User.js"
 *
 * const Body = Schema.Struct({ note: optional(Schema.String) })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const optional = <S extends Schema.Schema.All>(schema: S): Schema.optionalWith<S, { exact: true }> =>
  Schema.optionalWith(schema, { exact: true })

/**
 * A user id: a positive integer (`/users/42`).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { UserId } from "./User.js"
 *
 * Schema.decodeUnknownSync(UserId)(42) // 42
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserId = Schema.Int.pipe(Schema.positive(), Schema.brand("UserId")).annotations({
  identifier: "UserId",
  description: "The user's id"
})

/**
 * @since 0.1.0
 * @category models
 */
export type UserId = typeof UserId.Type

/**
 * A username: 3 to 32 lowercase letters, digits, `.`, `_` or `-`, starting and ending with a
 * letter or digit. Lowercase only, so `Ada` and `ada` cannot both exist.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Username } from "./User.js"
 *
 * Schema.decodeUnknownSync(Username)("ada.lovelace") // "ada.lovelace"
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Username = Schema.String.pipe(
  Validators.length({ min: 3, max: 32 }),
  Schema.pattern(/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/, {
    message: () => "Use lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit"
  })
).annotations({ identifier: "Username" })

/**
 * An e-mail address (at most 254 characters). Uniqueness ignores case.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Email } from "./User.js"
 *
 * Schema.decodeUnknownSync(Email)("ada@example.com")
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Email = Validators.Email.pipe(Validators.length({ max: 254 })).annotations({ identifier: "Email" })

/**
 * A full name: 1 to 100 characters, not blank.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { FullName } from "./User.js"
 *
 * Schema.decodeUnknownSync(FullName)("Ada Lovelace")
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const FullName = Schema.String.pipe(
  Validators.length({ min: 1, max: 100 }),
  Schema.filter((name) => name.trim() !== "" || "Must not be blank")
).annotations({ identifier: "FullName" })

/**
 * A tag: 1 to 32 lowercase letters, digits or `-` (`beta-tester`).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Tag } from "./User.js"
 *
 * Schema.decodeUnknownSync(Tag)("beta-tester")
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tag = Schema.String.pipe(
  Validators.length({ min: 1, max: 32 }),
  Schema.pattern(/^[a-z0-9-]+$/, { message: () => "Use lowercase letters, digits or '-'" })
).annotations({ identifier: "Tag" })

/**
 * At most 10 tags; duplicates are dropped when stored.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Tags } from "./User.js"
 *
 * Schema.decodeUnknownSync(Tags)(["admin", "beta"])
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tags = Schema.Array(Tag).pipe(Schema.maxItems(10))

/**
 * A user as the API returns it. Dates are ISO 8601 strings on the wire, `Date`s in code.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { User } from "./User.js"
 *
 * const json = Schema.encodeSync(User)({
 *   id: 1 as never, username: "ada", email: "ada@example.com", fullName: null, active: true, tags: [],
 *   createdAt: new Date(0), updatedAt: new Date(0)
 * }) // createdAt: "1970-01-01T00:00:00.000Z"
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const User = Schema.Struct({
  id: UserId,
  username: Schema.String,
  email: Schema.String,
  fullName: Schema.NullOr(Schema.String),
  active: Schema.Boolean,
  tags: Schema.Array(Schema.String),
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}).annotations({ identifier: "User" })

/**
 * @since 0.1.0
 * @category models
 */
export type User = typeof User.Type

/**
 * A user row as the database returns it (`Date`s, not strings); decodes to {@link User}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { UserRow } from "./User.js"
 *
 * const decode = Schema.decodeUnknown(UserRow)
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserRow = Schema.Struct({
  ...User.fields,
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf
})

/**
 * What `POST /users` accepts: `username` and `email` are required; `fullName`, `active`
 * (default `true`) and `tags` (default none) are optional. Unknown keys are rejected.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NewUser } from "./User.js"
 *
 * Schema.decodeUnknownSync(NewUser)({ username: "ada", email: "ada@example.com", tags: ["admin"] })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const NewUser = Schema.Struct({
  username: Username,
  email: Email,
  fullName: optional(FullName),
  active: optional(Schema.Boolean),
  tags: optional(Tags)
}).annotations({ identifier: "NewUser", ...strict })

/**
 * @since 0.1.0
 * @category models
 */
export type NewUser = typeof NewUser.Type

/**
 * What `PATCH /users/:id` accepts: any subset of the fields; `fullName: null` clears the
 * name. An empty object changes nothing. Unknown keys are rejected.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { UserPatch } from "./User.js"
 *
 * Schema.decodeUnknownSync(UserPatch)({ active: false, fullName: null })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserPatch = Schema.Struct({
  username: optional(Username),
  email: optional(Email),
  fullName: optional(Schema.NullOr(FullName)),
  active: optional(Schema.Boolean),
  tags: optional(Tags)
}).annotations({ identifier: "UserPatch", ...strict })

/**
 * @since 0.1.0
 * @category models
 */
export type UserPatch = typeof UserPatch.Type
