/**
 * The HTTP API of the users service, declared with `HttpApi`: paths, payloads, query
 * strings, responses and errors. The server validates requests against it (bad input →
 * 422 with field errors) and serves its OpenAPI document at `/openapi.json` (`/docs`).
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import { Errors } from "@strata/core"
import { Pagination } from "@strata/sql"
import * as Schema from "effect/Schema"
import { NewUser, User, UserId, UserPatch } from "./User.js"
import { UserListParams, UserPage } from "./UserQuery.js"

const IdPath = Schema.Struct({ id: Schema.NumberFromString.pipe(Schema.compose(UserId)) })

/**
 * The `users` endpoints: create, get, update, delete, list.
 *
 * @example
 * ```ts
 * import { HttpApi } from "@effect/platform"
 * import { UsersGroup } from "./UsersApi.js"
 *
 * const Api = HttpApi.make("my-api").add(UsersGroup)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export class UsersGroup extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.post("create", "/users")
      .setPayload(NewUser)
      .addSuccess(User, { status: 201 })
      .addError(Errors.AlreadyExists)
      .annotate(OpenApi.Summary, "Create a user (username and e-mail must be unique)")
  )
  .add(
    HttpApiEndpoint.get("get", "/users/:id")
      .setPath(IdPath)
      .addSuccess(User)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get a user by id (cached)")
  )
  .add(
    HttpApiEndpoint.patch("update", "/users/:id")
      .setPath(IdPath)
      .setPayload(UserPatch)
      .addSuccess(User)
      .addError(Errors.NotFound)
      .addError(Errors.AlreadyExists)
      .annotate(OpenApi.Summary, "Change some fields of a user; `fullName: null` clears the name")
  )
  .add(
    HttpApiEndpoint.del("delete", "/users/:id")
      .setPath(IdPath)
      .addSuccess(HttpApiSchema.NoContent)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Delete a user")
  )
  .add(
    HttpApiEndpoint.get("list", "/users")
      .setUrlParams(UserListParams)
      .addSuccess(UserPage)
      .addError(Pagination.InvalidSortField)
      .addError(Pagination.InvalidCursor)
      .addError(Errors.ValidationFailed)
      .annotate(
        OpenApi.Summary,
        "List users: search and filters; offset pages (page, pageSize) or cursor pages (cursor, limit)"
      )
  )
{}

/**
 * The whole API: the users group, and the server-side failure every endpoint may answer.
 *
 * @example
 * ```ts
 * import { OpenApi } from "@effect/platform"
 * import { UsersApi } from "./UsersApi.js"
 *
 * const document = OpenApi.fromApi(UsersApi)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export class UsersApi extends HttpApi.make("users")
  .add(UsersGroup)
  .addError(Errors.DatabaseError)
  .annotate(OpenApi.Title, "Strata demo: users")
  .annotate(OpenApi.Version, "0.1.0")
  .annotate(
    OpenApi.Description,
    "A users service built from Strata layers. Errors are application/problem+json (RFC 9457) with a stable `code`."
  )
{}
