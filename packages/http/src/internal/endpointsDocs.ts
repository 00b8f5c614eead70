/**
 * The OpenAPI UI, served from the `swagger-ui-dist` package on disk: it works without
 * internet access and under a `script-src 'self'` content security policy (no inline
 * script; the start-up script is a file of its own).
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import * as path from "node:path"

const require = createRequire(import.meta.url)

let distDir: string | undefined
const dist = (): string => distDir ??= path.dirname(require.resolve("swagger-ui-dist/package.json"))

let distVersion: string | undefined
const version = (): string => {
  if (distVersion === undefined) {
    const pkg: unknown = require("swagger-ui-dist/package.json")
    distVersion = typeof pkg === "object" && pkg !== null && "version" in pkg && typeof pkg.version === "string"
      ? pkg.version
      : "0"
  }
  return distVersion
}

/** The files of `swagger-ui-dist` the page uses, with their content types. @internal */
export const assets: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png"
}

const files = new Map<string, Promise<Uint8Array>>()

const load = (name: string): Promise<Uint8Array> => {
  let file = files.get(name)
  if (file === undefined) {
    file = readFile(path.join(dist(), name))
    file.catch(() => files.delete(name))
    files.set(name, file)
  }
  return file
}

/** One asset, with a day of caching and an ETag of the package version. @internal */
export const asset = (
  name: string
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const etag = `"swagger-ui-dist-${version()}-${name}"`
    const headers = { "cache-control": "public, max-age=86400", etag }
    if (request.headers["if-none-match"] === etag) {
      return Effect.succeed(HttpServerResponse.empty({ status: 304, headers }))
    }
    return Effect.map(
      Effect.orDie(Effect.tryPromise(() => load(name))),
      (body) => HttpServerResponse.uint8Array(body, { contentType: assets[name]!, headers })
    )
  })

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The page. @internal */
export const page = (docsPath: string, title: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.html(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${docsPath}/swagger-ui.css" />
  <link rel="icon" type="image/png" href="${docsPath}/favicon-32x32.png" sizes="32x32" />
  <link rel="icon" type="image/png" href="${docsPath}/favicon-16x16.png" sizes="16x16" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${docsPath}/swagger-ui-bundle.js" charset="utf-8"></script>
  <script src="${docsPath}/swagger-initializer.js" charset="utf-8"></script>
</body>
</html>
`).pipe(HttpServerResponse.setHeader("cache-control", "no-cache"))

/** The start-up script: load the spec from `specPath`. @internal */
export const initializer = (specPath: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(
    `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specPath)}, dom_id: "#swagger-ui", deepLinking: true })
}
`,
    { contentType: "text/javascript; charset=utf-8", headers: { "cache-control": "no-cache" } }
  )
