/**
 * Security headers middleware: the OWASP Secure Headers Project values, precomputed once.
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as responseHeaders from "./responseHeaders.js"

/**
 * The OWASP Secure Headers Project recommendations (`headers_add.json`), HSTS at two years.
 *
 * @internal
 */
export const owasp: Readonly<Record<string, string>> = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "content-security-policy":
    "default-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; " +
    "upgrade-insecure-requests",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "permissions-policy": "accelerometer=(), autoplay=(), camera=(), cross-origin-isolated=(), display-capture=(), " +
    "encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), keyboard-map=(), magnetometer=(), " +
    "microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), " +
    "sync-xhr=(self), usb=(), web-share=(), xr-spatial-tracking=(), clipboard-read=(), clipboard-write=(), " +
    "gamepad=(), hid=(), idle-detection=(), serial=()",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "x-permitted-cross-domain-policies": "none",
  "x-dns-prefetch-control": "off"
}

/** @internal */
export const resolve = (overrides: Readonly<Record<string, string | false>> | undefined): Record<string, string> => {
  const out: Record<string, string> = { ...owasp }
  if (overrides === undefined) return out
  for (const key in overrides) {
    const value = overrides[key]
    const name = key.toLowerCase()
    if (value === false || value === undefined || value === "") delete out[name]
    else out[name] = value
  }
  return out
}

/**
 * Adds the security headers a response does not have yet; with `noStoreOnErrors`, an error
 * response without `Cache-Control` also gets `no-store` (in the same rebuild, as
 * `Http.defaults` wants it right inside the security headers).
 *
 * @internal
 */
export const apply = (
  overrides: Readonly<Record<string, string | false>> | undefined,
  noStoreOnErrors: boolean
): (response: HttpServerResponse.HttpServerResponse) => HttpServerResponse.HttpServerResponse => {
  const headers = resolve(overrides)
  const names = Object.keys(headers)
  const values = names.map((name) => headers[name]!)
  // A header the handler set itself (a page-specific CSP, say) wins over the default.
  if (!noStoreOnErrors) return (response) => responseHeaders.addMissing(response, names, values)
  // `no-store` first: it is what an error response without `Cache-Control` gets, even when
  // the security headers themselves carry a `Cache-Control`.
  const errorNames = ["cache-control", ...names]
  const errorValues = ["no-store", ...values]
  return (response) =>
    response.status >= 400
      ? responseHeaders.addMissing(response, errorNames, errorValues)
      : responseHeaders.addMissing(response, names, values)
}

/** @internal */
export const make = (overrides: Readonly<Record<string, string | false>> | undefined) => {
  const finish = apply(overrides, false)
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => Effect.map(app, finish)
}
