/**
 * Hands the request context object the request-id middleware made for this request to the
 * tracing middleware right inside it (as `Http.defaults` composes them), so that tracing adds
 * the trace ids to that object instead of copying it and changing the fiber's request
 * context a second time (a fiber-ref map copy and two fiber steps per request).
 *
 * Only the object handed over last may be written to, once: it was made for this request
 * and nothing has run between the two middleware. One slot, not a `WeakSet` (~0.4 µs per
 * request in the profile): if another request's fiber runs in between, its own object
 * takes the slot and this request's tracing copies as usual.
 *
 * @internal
 */

let handed: object | undefined = undefined

/** Marks `context` (just made for this request) as the next middleware's to complete. @internal */
export const handOver = (context: object): void => {
  handed = context
}

/** Whether `context` is the one handed over last (it no longer is). @internal */
export const take = (context: object): boolean => {
  if (handed !== context) return false
  handed = undefined
  return true
}
