/**
 * The test projects: one per package, each with its own `vitest.config.ts` that extends
 * `vitest.shared.ts`. The root `vitest.config.ts` runs them as `test.projects`.
 */
export const projects: Array<string> = ["packages/*/vitest.config.ts", "docs/vitest.config.ts"]
