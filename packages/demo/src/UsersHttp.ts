/**
 * The handlers of {@link UsersApi}: each endpoint calls the users service. Decoding,
 * validation and error responses are the API's and the server's job, so there is nothing
 * else to do here.
 *
 * @since 0.1.0
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { UsersApi } from "./UsersApi.js"
import { UserService } from "./UserService.js"

/**
 * The `users` group's handlers as a layer, for `HttpApiBuilder.api(UsersApi)`.
 *
 * @example
 * ```ts
 * import { HttpApiBuilder } from "@effect/platform"
 * import { Layer } from "effect"
 * import { UsersApi } from "./UsersApi.js"
 * import { layer } from "./UsersHttp.js"
 *
 * const ApiLive = HttpApiBuilder.api(UsersApi).pipe(Layer.provide(layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpApiGroup.ApiGroup<"users", "users">, never, UserService> = HttpApiBuilder.group(
  UsersApi,
  "users",
  (handlers) =>
    Effect.map(UserService, (users) =>
      handlers
        .handle("create", ({ payload }) => users.create(payload))
        .handle("get", ({ path }) => users.get(path.id))
        .handle("update", ({ path, payload }) => users.update(path.id, payload))
        .handle("delete", ({ path }) => users.delete(path.id))
        .handle("list", ({ urlParams }) => users.list(urlParams)))
)
