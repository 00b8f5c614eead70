/**
 * Examples for docs/http-middleware/secure-request.md (compiled by `npm run typecheck`, run
 * by secure-request.test.ts).
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Middleware, Problem } from "@strata/http"
import { Effect, Schema } from "effect"

const Note = Schema.Struct({ text: Schema.String })

export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/files/*", HttpServerResponse.text("a file")),
  HttpRouter.post(
    "/notes",
    Effect.gen(function*() {
      const note = yield* HttpServerRequest.schemaBodyJson(Note)
      return yield* HttpServerResponse.json(note, { status: 201 })
    })
  )
)

// The defaults: URLs up to 2048 characters, 100 headers / 8 KiB of them, bodies up to 1 MiB
// of JSON, form or multipart, no path traversal.
export const app = router.pipe(Problem.handleErrors, Middleware.secureRequest())

// Stricter limits for a small JSON-only API.
export const strict = router.pipe(
  Problem.handleErrors,
  Middleware.secureRequest({
    maxBodySize: 16 * 1024,
    maxUrlLength: 512,
    maxHeaders: 40,
    mediaTypes: ["application/json"]
  })
)
