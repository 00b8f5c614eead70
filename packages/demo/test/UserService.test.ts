/**
 * The users service tested as an application built on Strata tests its own services:
 * the same layers as `main.ts`, with in-memory ones where main has servers.
 *
 * 1. The real repository and migrations on PGlite in memory, the memory cache, and
 *    `TestStrata` for config, logs and health: the SQL runs, no server needed.
 * 2. A mock repository (`Layer.mock`): the service's own logic (read-through cache,
 *    invalidation, `NotFound`) in isolation, with `TestClock` driving the cache's TTL.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Cache } from "@strata/cache"
import { Errors } from "@strata/core"
import { Database, Migrations, Pagination } from "@strata/sql"
import { Metrics } from "@strata/telemetry"
import { LogCapture, TestStrata } from "@strata/testing"
import { Effect, Layer, Option, Redacted, TestClock } from "effect"
import type { User, UserId } from "../src/User.js"
import { migrations } from "../src/UserMigrations.js"
import * as UserRepository from "../src/UserRepository.js"
import * as UserService from "../src/UserService.js"

const cursorSecret = Redacted.make("a test secret that is at least 32 bytes long")

// 1. main.ts's graph, with PGlite in memory instead of DATABASE_URL and the memory cache.
const UsersOnPglite = UserService.layer.pipe(
  Layer.provide(UserRepository.layer),
  Layer.provide(Migrations.layer(migrations)),
  Layer.provideMerge(Database.layerPglite()),
  Layer.provide(Cache.layerMemory()),
  Layer.provide(Pagination.layer({ cursorSecret })),
  Layer.provide(Metrics.layer()),
  Layer.provideMerge(TestStrata.layer({ users: { cacheTtl: "1 minute" } }))
)

// Each test makes its own users (the database is shared by the block).
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`

describe("UserService", () => {
  it.layer(UsersOnPglite, { timeout: "90 seconds" })("on PGlite in memory", (it) => {
    it.effect("creates a user and reads it through the cache until it changes", () =>
      Effect.gen(function*() {
        const users = yield* UserService.UserService
        const sql = yield* SqlClient.SqlClient
        const username = unique("ada")
        const ada = yield* users.create({ username, email: `${username}@example.com`, tags: ["math", "math"] })
        expect(ada).toMatchObject({ username, fullName: null, active: true, tags: ["math"] })

        expect(yield* users.get(ada.id)).toEqual(ada)
        // Changed behind the service's back: the cached copy is still served...
        yield* sql`UPDATE users SET full_name = 'Changed behind its back' WHERE id = ${ada.id}`
        expect((yield* users.get(ada.id)).fullName).toBeNull()
        // ...until the service changes the user, which invalidates it.
        const updated = yield* users.update(ada.id, { active: false })
        expect(updated).toMatchObject({ active: false, fullName: "Changed behind its back" })
        expect(yield* users.get(ada.id)).toEqual(updated)
        expect(yield* users.update(ada.id, {})).toEqual(updated) // nothing to change: updatedAt stays
        expect(yield* LogCapture.messages).toContain(`Created user ${username}`)
      }))

    it.effect("a taken username, or e-mail in any case, is AlreadyExists naming the field", () =>
      Effect.gen(function*() {
        const users = yield* UserService.UserService
        const username = unique("grace")
        yield* users.create({ username, email: `${username}@example.com` })
        const sameName = yield* Effect.flip(users.create({ username, email: `other-${username}@example.com` }))
        expect(sameName).toBeInstanceOf(Errors.AlreadyExists)
        expect(sameName).toMatchObject({ resource: "User", field: "username", identifier: username })
        const shouted = `${username.toUpperCase()}@example.com`
        const sameEmail = yield* Effect.flip(users.create({ username: unique("x"), email: shouted }))
        expect(sameEmail).toMatchObject({ _tag: "AlreadyExists", field: "email" })
        const other = yield* users.create({ username: unique("y"), email: `${unique("y")}@example.com` })
        const renamed = yield* Effect.flip(users.update(other.id, { username }))
        expect(renamed).toMatchObject({ _tag: "AlreadyExists", field: "username" })
      }))

    it.effect("deletes a user and its cached copy; a missing user is NotFound", () =>
      Effect.gen(function*() {
        const users = yield* UserService.UserService
        const username = unique("alan")
        const alan = yield* users.create({ username, email: `${username}@example.com` })
        yield* users.get(alan.id) // cached
        yield* users.delete(alan.id)
        const failures: Array<Effect.Effect<unknown, Errors.NotFound | Errors.AlreadyExists | Errors.DatabaseError>> = [
          users.get(alan.id),
          users.delete(alan.id),
          users.update(alan.id, { active: true })
        ]
        for (const failure of failures) {
          const error = yield* Effect.flip(failure)
          expect(error).toBeInstanceOf(Errors.NotFound)
          expect(error.message).toBe(`User '${alan.id}' not found`)
        }
      }))

    it.effect("lists with search, filters, an allowlisted sort, offset and cursor pages", () =>
      Effect.gen(function*() {
        const users = yield* UserService.UserService
        const tag = unique("team")
        const names = ["dee", "bob", "eve", "cy"].map((name) => `${tag}-${name}`)
        for (const [i, username] of names.entries()) {
          yield* users.create({ username, email: `${username}@example.com`, tags: [tag], active: i !== 2 })
        }
        const usernames = (page: { readonly items: ReadonlyArray<User> }) => page.items.map((user) => user.username)

        const offset = yield* users.list({ tag, sort: "username", page: 1, pageSize: 3 })
        expect(usernames(offset)).toEqual([...names].sort().slice(0, 3))
        expect(offset).toMatchObject({ total: 4, pages: 2, hasNext: true })
        expect(usernames(yield* users.list({ tag, active: false }))).toEqual([`${tag}-eve`])
        expect(usernames(yield* users.list({ search: `${tag}-B` }))).toEqual([`${tag}-bob`])

        const first = yield* users.list({ tag, sort: "-username", limit: 3 })
        const cursor = "nextCursor" in first ? first.nextCursor : null
        expect(cursor).not.toBeNull()
        const second = yield* users.list({ tag, cursor: String(cursor), limit: 3 })
        expect([...usernames(first), ...usernames(second)]).toEqual([...names].sort().reverse())

        const sort = yield* Effect.flip(users.list({ sort: "password" }))
        expect(sort).toMatchObject({ _tag: "InvalidSortField", field: "password" })
        const mixed = yield* Effect.flip(users.list({ page: 2, limit: 3 }))
        expect(mixed).toBeInstanceOf(Errors.ValidationFailed)
        const tampered = yield* Effect.flip(users.list({ cursor: `${cursor}x` }))
        expect(tampered).toMatchObject({ _tag: "InvalidCursor", reason: "signature" })
      }))
  })

  describe("with a mock repository", () => {
    const ada: User = {
      id: 1 as UserId,
      username: "ada",
      email: "ada@example.com",
      fullName: "Ada Lovelace",
      active: true,
      tags: [],
      createdAt: new Date("2024-01-01T00:00:00Z"),
      updatedAt: new Date("2024-01-01T00:00:00Z")
    }

    // Only what the tests call: any other repository method is a defect (`UnimplementedError`).
    const mockRepository = (lookups: Array<UserId>) =>
      Layer.mock(UserRepository.UserRepository, {
        findById: (id) => Effect.sync(() => (lookups.push(id), id === ada.id ? Option.some(ada) : Option.none())),
        update: (id, patch) => Effect.succeed(id === ada.id ? Option.some({ ...ada, ...patch }) : Option.none())
      })

    const withMock = (lookups: Array<UserId>) =>
      UserService.layer.pipe(
        Layer.provide(mockRepository(lookups)),
        Layer.provide(Cache.layerMemory()),
        Layer.provide(Metrics.layer()),
        Layer.provide(TestStrata.layer({ users: { cacheTtl: "1 minute" } }))
      )

    it.effect("reads through the cache: one lookup for many reads, again after the TTL", () => {
      const lookups: Array<UserId> = []
      return Effect.gen(function*() {
        const users = yield* UserService.UserService
        for (let i = 0; i < 3; i++) expect(yield* users.get(ada.id)).toEqual(ada)
        expect(lookups).toEqual([ada.id])
        yield* TestClock.adjust("61 seconds")
        yield* users.get(ada.id)
        expect(lookups).toEqual([ada.id, ada.id])
      }).pipe(Effect.provide(withMock(lookups)))
    })

    it.effect("an update invalidates the cached user; NotFound is never cached", () => {
      const lookups: Array<UserId> = []
      return Effect.gen(function*() {
        const users = yield* UserService.UserService
        yield* users.get(ada.id)
        expect(yield* users.update(ada.id, { fullName: "Countess of Lovelace" })).toMatchObject({
          fullName: "Countess of Lovelace"
        })
        yield* users.get(ada.id)
        expect(lookups).toEqual([ada.id, ada.id])

        const missing = 2 as UserId
        for (let i = 0; i < 2; i++) expect(yield* Effect.flip(users.get(missing))).toBeInstanceOf(Errors.NotFound)
        expect(lookups.filter((id) => id === missing)).toHaveLength(2)
        expect(yield* Effect.flip(users.update(missing, { active: false }))).toBeInstanceOf(Errors.NotFound)
      }).pipe(Effect.provide(withMock(lookups)))
    })

    it.effect("a repository method the mock leaves out is a defect, not a silent success", () =>
      Effect.gen(function*() {
        const users = yield* UserService.UserService
        const exit = yield* Effect.exit(users.delete(ada.id))
        expect(exit._tag === "Failure" && String(exit.cause)).toContain("UnimplementedError")
      }).pipe(Effect.provide(withMock([]))))
  })
})
