/**
 * Hands the request context object the request-id middleware made for this request to the
 * tracing middleware right inside it (as `Http.defaults` composes them), so that tracing adds
 * the trace ids to that object instead of copying it and changing the fiber's request
 * context a second time (a fiber-ref map copy and two fiber steps per request).
 *
 * Only an object marked here may be written to, once: it was made for this request and
 * nothing has run between the two middleware.
 *
 * @internal
 */

const handed = new WeakSet<object>()

/** Marks `context` (just made for this request) as the next middleware's to complete. @internal */
export const handOver = (context: object): void => {
  handed.add(context)
}

/** Whether `context` was handed over (and no longer is). @internal */
export const take = (context: object): boolean => handed.delete(context)
