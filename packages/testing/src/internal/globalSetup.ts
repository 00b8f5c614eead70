/**
 * The vitest global setup of the repository (see the root `vitest.config.ts`): starts the
 * shared Redis and PostgreSQL test servers once per run and provides their URLs to every
 * test project; `TestServers` reads them. Stopping happens in the returned teardown, or in
 * an exit hook when vitest is interrupted.
 *
 * @internal
 */
import type { TestProject } from "vitest/node"
import { setupServers } from "./serversSetup.js"

/** @internal */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupServers({ provide: (key, value) => project.provide(key, value) })
}
