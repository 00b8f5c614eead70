import { defineProject, mergeConfig } from "vitest/config"
import { shared } from "../vitest.shared.js"

// The guide's examples run as tests too, so the docs cannot drift from the code.
export default mergeConfig(shared, defineProject({ test: { name: "docs", include: ["examples/**/*.test.ts"] } }))
