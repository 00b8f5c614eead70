/**
 * What every HTTP server of rows 1–3 shares: the body, the browser origin the load sends
 * (so CORS does its work on every request) and where they listen.
 */

/** The hello JSON every server answers `GET /` with. */
export const hello = { hello: "world" } as const

/** The origin the load generator sends; every CORS setup allows it. */
export const origin = "https://app.example.com"

/** Loopback only, any free port (announced to the harness). */
export const host = "127.0.0.1"
