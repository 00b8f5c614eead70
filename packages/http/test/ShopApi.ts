/**
 * The small HTTP API several suites serve: products with a validated payload.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Errors } from "@strata/core"
import { Schema } from "effect"

export class Product extends Schema.Class<Product>("Product")({
  name: Schema.String.pipe(Schema.minLength(1)),
  price: Schema.Number.pipe(Schema.positive())
}) {}

/** `POST /products` (a `Product`, answered 201) and `GET /products/:id` (declares `NotFound`). */
export const products = HttpApiGroup.make("products")
  .add(HttpApiEndpoint.post("create", "/products").setPayload(Product).addSuccess(Product, { status: 201 }))
  .add(
    HttpApiEndpoint.get("get", "/products/:id")
      .setPath(Schema.Struct({ id: Schema.NumberFromString }))
      .addSuccess(Product)
      .addError(Errors.NotFound)
  )
