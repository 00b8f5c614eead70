/**
 * What a client does with the users API, over real HTTP, with the answers it must get.
 * The same scenario runs against the demo on embedded defaults and on Postgres + Redis.
 */
import { expect } from "vitest"

export interface Reply {
  readonly status: number
  readonly contentType: string | null
  readonly headers: Headers
  readonly body: ReturnType<typeof JSON.parse> // parsed JSON, typed as JSON.parse types it
}

export const request = async (url: string, init?: RequestInit): Promise<Reply> => {
  const response = await fetch(url, init)
  const text = await response.text()
  const contentType = response.headers.get("content-type")
  const json = contentType !== null && contentType.includes("json") && text !== ""
  return { status: response.status, contentType, headers: response.headers, body: json ? JSON.parse(text) : text }
}

const send = (method: string, url: string, body: unknown) =>
  request(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

const problem = (reply: Reply, status: number, code: string) => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.contentType).toBe("application/problem+json")
  expect(reply.body).toMatchObject({ status, code })
  expect(typeof reply.body.requestId).toBe("string")
  stackHeaders(reply)
  expect(reply.headers.get("x-request-id")).toBe(reply.body.requestId)
  expect(reply.headers.get("cache-control")).toBe("no-store")
}

/** What the default middleware stack puts on every response, errors included. */
const stackHeaders = (reply: Reply) => {
  expect(reply.headers.get("x-content-type-options")).toBe("nosniff")
  expect(reply.headers.get("strict-transport-security")).toContain("max-age=")
  expect(reply.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9]/)
}

/** Creates, reads, changes, lists and deletes users; returns the id of a user left in place. */
export const exerciseUsersApi = async (base: string): Promise<number> => {
  const users = `${base}/users`
  // A tag of this run only, so the lists below see exactly the users made here.
  const tag = `run-${Math.random().toString(36).slice(2, 10)}`

  // --- create ---
  const created = await send("POST", users, {
    username: `${tag}-ada`,
    email: `${tag}.ada@example.com`,
    fullName: "Ada Lovelace",
    tags: [tag, "admin", tag]
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  expect(created.body).toMatchObject({
    username: `${tag}-ada`,
    email: `${tag}.ada@example.com`,
    fullName: "Ada Lovelace",
    active: true,
    tags: [tag, "admin"] // duplicates dropped
  })
  expect(new Date(created.body.createdAt).toISOString()).toBe(created.body.createdAt)
  const id: number = created.body.id

  // --- duplicates: 409 naming the field; e-mail uniqueness ignores case ---
  const sameName = await send("POST", users, { username: `${tag}-ada`, email: `${tag}.other@example.com` })
  problem(sameName, 409, "ALREADY_EXISTS")
  expect(sameName.body.detail).toBe(`User with username '${tag}-ada' already exists`)
  const sameEmail = await send("POST", users, { username: `${tag}-other`, email: `${tag}.ADA@example.com` })
  problem(sameEmail, 409, "ALREADY_EXISTS")
  expect(sameEmail.body.detail).toContain("email")
  expect(sameEmail.body.details).toBeUndefined() // no table or constraint names leak

  // --- bad input: 422 with every field error ---
  const bad = await send("POST", users, { username: "No Spaces", email: "not-an-email", tags: ["UPPER"], colour: 1 })
  problem(bad, 422, "VALIDATION_FAILED")
  const paths = bad.body.errors.map((error: { path: string }) => error.path).sort()
  expect(paths).toEqual(["colour", "email", "tags.0", "username"])
  problem(await send("POST", users, { email: `${tag}@example.com` }), 422, "VALIDATION_FAILED")

  // --- get (cached), not found ---
  const got = await request(`${users}/${id}`)
  expect(got.status).toBe(200)
  stackHeaders(got)
  expect(got.body).toEqual(created.body)
  expect((await request(`${users}/${id}`)).body).toEqual(created.body)
  const missing = await request(`${users}/99999999`)
  problem(missing, 404, "NOT_FOUND")
  expect(missing.body.detail).toBe("User '99999999' not found")
  problem(await request(`${users}/abc`), 422, "VALIDATION_FAILED")

  // --- update: partial; the cached copy is invalidated ---
  const updated = await send("PATCH", `${users}/${id}`, { fullName: null, active: false })
  expect(updated.status, JSON.stringify(updated.body)).toBe(200)
  expect(updated.body).toMatchObject({ id, fullName: null, active: false, username: `${tag}-ada` })
  expect(updated.body.tags).toEqual([tag, "admin"])
  expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt))
  expect((await request(`${users}/${id}`)).body).toEqual(updated.body)
  problem(await send("PATCH", `${users}/${id}`, { email: "nope" }), 422, "VALIDATION_FAILED")
  problem(await send("PATCH", `${users}/${id}`, { activ: true }), 422, "VALIDATION_FAILED")
  problem(await send("PATCH", `${users}/99999999`, { active: true }), 404, "NOT_FOUND")

  // --- list: filters, sort, offset pages, cursor pages ---
  for (const name of ["bob", "cy", "dee", "eve"]) {
    const reply = await send("POST", users, {
      username: `${tag}-${name}`,
      email: `${tag}.${name}@example.com`,
      tags: [tag, name === "eve" ? "ops" : "dev"]
    })
    expect(reply.status).toBe(201)
  }
  const taken = await send("POST", users, { username: `${tag}-bob`, email: `${tag}.bob2@example.com` })
  problem(taken, 409, "ALREADY_EXISTS")
  const everyone = [`${tag}-ada`, `${tag}-bob`, `${tag}-cy`, `${tag}-dee`, `${tag}-eve`]
  const names = (reply: Reply): Array<string> => reply.body.items.map((user: { username: string }) => user.username)

  const page1 = await request(`${users}?tag=${tag}&sort=username&page=1&pageSize=2`)
  expect(page1.status, JSON.stringify(page1.body)).toBe(200)
  expect(page1.body).toMatchObject({ page: 1, pageSize: 2, total: 5, pages: 3, hasNext: true, hasPrev: false })
  expect(names(page1)).toEqual(everyone.slice(0, 2))
  const page3 = await request(`${users}?tag=${tag}&sort=username&page=3&pageSize=2`)
  expect(names(page3)).toEqual(everyone.slice(4))
  expect(page3.body).toMatchObject({ hasNext: false, hasPrev: true })
  expect(names(await request(`${users}?tag=${tag}&sort=-username`))).toEqual([...everyone].reverse())
  expect(names(await request(`${users}?tag=${tag}&active=false`))).toEqual([`${tag}-ada`])
  expect(names(await request(`${users}?tag=ops&search=${tag}`))).toEqual([`${tag}-eve`])
  expect(names(await request(`${users}?search=${tag.toUpperCase()}-D&sort=username`))).toEqual([`${tag}-dee`])
  problem(await request(`${users}?sort=-password`), 422, "INVALID_SORT_FIELD")
  problem(await request(`${users}?pageSize=1000`), 422, "VALIDATION_FAILED")
  problem(await request(`${users}?page=2&limit=2`), 422, "VALIDATION_FAILED")
  problem(await request(`${users}?active=maybe`), 422, "VALIDATION_FAILED")

  const walked: Array<string> = []
  let cursorPage = await request(`${users}?tag=${tag}&sort=-createdAt,username&limit=2`)
  expect(cursorPage.body).toMatchObject({ hasPrev: false, prevCursor: null })
  for (let pages = 0; pages < 10; pages++) {
    expect(cursorPage.status, JSON.stringify(cursorPage.body)).toBe(200)
    walked.push(...names(cursorPage))
    if (cursorPage.body.nextCursor === null) break
    cursorPage = await request(`${users}?tag=${tag}&limit=2&cursor=${cursorPage.body.nextCursor}`)
  }
  expect([...walked].sort()).toEqual(everyone)
  expect(cursorPage.body).toMatchObject({ hasNext: false, hasPrev: true })
  const back = await request(`${users}?tag=${tag}&limit=2&cursor=${cursorPage.body.prevCursor}`)
  expect(names(back)).toEqual(walked.slice(-(names(cursorPage).length + 2), -names(cursorPage).length))
  problem(await request(`${users}?limit=2&cursor=${cursorPage.body.prevCursor}x`), 400, "INVALID_CURSOR")

  // --- delete ---
  const bob = (await request(`${users}?tag=${tag}&search=-bob`)).body.items[0]
  const deleted = await request(`${users}/${bob.id}`, { method: "DELETE" })
  expect(deleted.status).toBe(204)
  expect(deleted.body).toBe("")
  problem(await request(`${users}/${bob.id}`), 404, "NOT_FOUND")
  problem(await request(`${users}/${bob.id}`, { method: "DELETE" }), 404, "NOT_FOUND")
  expect((await request(`${users}?tag=${tag}`)).body.total).toBe(4)
  return id
}

/** `/metrics` counted the requests by route template and the service calls. */
export const checkMetrics = async (base: string, cacheBackend: string): Promise<string> => {
  const reply = await request(`${base}/metrics`)
  expect(reply.status).toBe(200)
  expect(reply.contentType).toContain("text/plain")
  const text = String(reply.body)
  expect(text).toMatch(/^http_requests_total\{method="POST",route="\/users",status="201"\} [1-9]/m)
  expect(text).toMatch(/^http_requests_total\{method="GET",route="\/users\/:id",status="404"\} [1-9]/m)
  expect(text).toMatch(/^service_calls_total\{component="users",action="create"\} [1-9]/m)
  const hits = `cache_hit_total{backend="${cacheBackend}",operation="get_or_set",component="users"}`
  expect(text.split("\n").find((line) => line.startsWith(`${hits} `))).toMatch(/ [1-9]\d*$/)
  expect(text).toMatch(/^db_queries_total\{/m)
  return text
}

/** `/health/ready` is 200 and names the checks of the backing services. */
export const checkReady = async (base: string, checks: ReadonlyArray<string>): Promise<void> => {
  const reply = await request(`${base}/health/ready`)
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  expect(reply.body.status).toBe("healthy")
  expect(reply.body.checks.map((check: { name: string }) => check.name).sort()).toEqual([...checks].sort())
}
