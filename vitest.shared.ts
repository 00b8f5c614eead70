import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))

/**
 * Settings every package's test project shares: workspace packages resolve to their
 * TypeScript sources, so tests never need a prior build.
 */
export const shared: ViteUserConfig = {
  resolve: {
    alias: [
      { find: /^@strata\/([a-z-]+)$/, replacement: path.join(root, "packages/$1/src/index.ts") },
      { find: /^@strata\/([a-z-]+)\/(.+)$/, replacement: path.join(root, "packages/$1/src/$2.ts") }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    fakeTimers: { toFake: undefined },
    testTimeout: 20_000,
    hookTimeout: 60_000
  }
}
