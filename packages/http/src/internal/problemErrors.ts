/**
 * The errors of the HTTP layer itself: a body that is too large, of the wrong media type,
 * or malformed. Built like the `@strata/core` catalogue (`code`, `status`, `message`), so
 * the problem mapping treats them the same way. Re-exported by `Problem`.
 *
 * @internal
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/**
 * The request body is larger than the limit (`413`).
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 *
 * const error = new Problem.PayloadTooLarge({ limit: 1024 })
 * error.message // "Request body exceeds 1024 bytes"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  limit: Schema.Number,
  message: Schema.String
}, HttpApiSchema.annotations({ status: 413 })) {
  constructor(props: { readonly limit: number; readonly message?: string | undefined }) {
    super({ limit: props.limit, message: props.message ?? `Request body exceeds ${props.limit} bytes` })
  }
  /** @since 0.1.0 */
  get code(): "PAYLOAD_TOO_LARGE" {
    return "PAYLOAD_TOO_LARGE"
  }
  /** @since 0.1.0 */
  get status(): 413 {
    return 413
  }
}

/**
 * The request body has a media type this endpoint does not read (`415`). `contentType` is
 * what the client sent (empty when it sent none).
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 *
 * const error = new Problem.UnsupportedMediaType({ contentType: "text/plain", expected: "application/json" })
 * error.status // 415
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  contentType: Schema.String,
  expected: Schema.String,
  message: Schema.String
}, HttpApiSchema.annotations({ status: 415 })) {
  constructor(
    props: { readonly contentType: string; readonly expected: string; readonly message?: string | undefined }
  ) {
    super({
      contentType: props.contentType,
      expected: props.expected,
      message: props.message ??
        (props.contentType === ""
          ? `A request body needs a Content-Type (expected ${props.expected})`
          : `Unsupported Content-Type '${props.contentType}' (expected ${props.expected})`)
    })
  }
  /** @since 0.1.0 */
  get code(): "UNSUPPORTED_MEDIA_TYPE" {
    return "UNSUPPORTED_MEDIA_TYPE"
  }
  /** @since 0.1.0 */
  get status(): 415 {
    return 415
  }
}

/**
 * The request body could not be parsed (invalid JSON, a broken form) (`400`).
 *
 * @example
 * ```ts
 * import { Problem } from "@strata/http"
 *
 * const error = new Problem.MalformedBody({ message: "The request body is not valid JSON" })
 * error.code // "MALFORMED_BODY"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedBody extends Schema.TaggedError<MalformedBody>()("MalformedBody", {
  message: Schema.String
}, HttpApiSchema.annotations({ status: 400 })) {
  /** @since 0.1.0 */
  get code(): "MALFORMED_BODY" {
    return "MALFORMED_BODY"
  }
  /** @since 0.1.0 */
  get status(): 400 {
    return 400
  }
}
