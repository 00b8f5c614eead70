/**
 * Adding headers to a response on the hot path.
 *
 * `HttpServerResponse.setHeaders` merges with `{ ...existing, ...added }`; V8 runs a second
 * object spread into a fresh literal through a slow generic path, ~20 µs for a dozen
 * headers on a response that already has one (every body sets `content-type`). Here the
 * headers are copied once into a new `Headers` object and the response is rebuilt once.
 *
 * The rebuild uses the response class's own constructor (`@effect/platform` exports no
 * constructor taking a `Headers`). Given a body with a content type or length, that
 * constructor copies the headers once more with an object spread to add them (~1 µs with
 * a dozen headers); the headers copied here already have them, so the response is made with
 * an empty body and gets its body afterwards. Checked once at load; if it ever behaves
 * differently the public `setHeader` is used instead.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"

type Response = HttpServerResponse.HttpServerResponse

const headersProto: object = Object.getPrototypeOf(Headers.empty)

type Rebuild = (response: Response, headers: Headers.Headers) => Response

const probe = (): Rebuild | undefined => {
  const found: unknown = Object.getPrototypeOf(HttpServerResponse.empty())?.constructor
  if (typeof found !== "function") return undefined
  const Constructor = found as new(
    status: number,
    statusText: string | undefined,
    headers: Headers.Headers,
    cookies: Cookies.Cookies,
    body: HttpBody.HttpBody
  ) => unknown
  const make = (
    status: number,
    statusText: string | undefined,
    headers: Headers.Headers,
    cookies: Cookies.Cookies,
    body: HttpBody.HttpBody
  ): unknown => {
    const made = new Constructor(status, statusText, headers, cookies, HttpBody.empty)
    Reflect.set(made as object, "body", body)
    return made
  }
  try {
    const body = HttpBody.text("probe", "text/plain")
    const jar = Cookies.empty
    const headers = Headers.fromInput({ "x-probe": "1", "content-type": "text/plain", "content-length": "5" })
    const made = make(201, "Made", headers, jar, body)
    if (
      HttpServerResponse.isServerResponse(made) && made.status === 201 && made.statusText === "Made" &&
      made.headers === headers && made.body === body && made.cookies === jar
    ) {
      return (response, headers) =>
        make(response.status, response.statusText, headers, response.cookies, response.body) as Response
    }
  } catch {
    // fall through to the public API
  }
  return undefined
}

const rebuild: Rebuild | undefined = probe()

const copy = (headers: Headers.Headers): Record<string, string> => {
  const out: Record<string, string> = Object.create(headersProto)
  for (const name in headers) out[name] = headers[name]!
  return out
}

const finish = (response: Response, headers: Record<string, string>, added: ReadonlyArray<string>): Response => {
  if (rebuild !== undefined) {
    // As the constructor does: the body's content type and length win.
    const body = response.body
    if (body.contentType !== undefined && body.contentType !== "") headers["content-type"] = body.contentType
    if (body.contentLength !== undefined && body.contentLength !== 0) {
      headers["content-length"] = body.contentLength.toString()
    }
    return rebuild(response, headers as Headers.Headers)
  }
  let out = response
  for (let i = 0; i < added.length; i++) out = HttpServerResponse.setHeader(out, added[i]!, headers[added[i]!]!)
  return out
}

/**
 * The response with the given headers set (replacing values of the same name). Names must be lower case.
 *
 * @internal
 */
export const set = (response: Response, names: ReadonlyArray<string>, values: ReadonlyArray<string>): Response => {
  const headers = copy(response.headers)
  for (let i = 0; i < names.length; i++) headers[names[i]!] = values[i]!
  return finish(response, headers, names)
}

/**
 * The response with each default header the response does not have yet. Names must be lower case.
 *
 * @internal
 */
export const addMissing = (
  response: Response,
  names: ReadonlyArray<string>,
  values: ReadonlyArray<string>
): Response => {
  const headers = copy(response.headers)
  let added: Array<string> | undefined
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    if (headers[name] === undefined) {
      headers[name] = values[i]!
      if (rebuild === undefined) (added ??= []).push(name)
    }
  }
  return finish(response, headers, added ?? [])
}

/**
 * The response with one header set (replacing a value of the same name). The name must be lower case.
 *
 * @internal
 */
export const setHeader = (response: Response, name: string, value: string): Response => {
  const headers = copy(response.headers)
  headers[name] = value
  if (rebuild === undefined) return HttpServerResponse.setHeader(response, name, value)
  return finish(response, headers, [])
}
