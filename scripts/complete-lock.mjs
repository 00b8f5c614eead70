// The npm registry reachable from our machines lacks rollup's packages for other platforms,
// so `npm install` leaves them out of package-lock.json and `npm ci` then rejects the lock.
// This adds their entries (os/cpu/libc-guarded and optional: npm never fetches them here).
// Run after any `npm install` that rewrites the lock: `node scripts/complete-lock.mjs`.
import { readFileSync, writeFileSync } from "node:fs"

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"))
const packages = lock.packages
let added = 0
for (const [owner, entry] of Object.entries(packages)) {
  if (!owner.endsWith("node_modules/rollup")) continue
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    if (packages[key] !== undefined) continue
    const [os, cpu, abi] = name.slice("@rollup/rollup-".length).split("-")
    const record = { version, cpu: [cpu], optional: true, os: [os] }
    if (os === "linux") record.libc = [abi?.startsWith("musl") ? "musl" : "glibc"]
    packages[key] = record
    added++
  }
}
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n")
console.log(`complete-lock: added ${added} platform entries`)
