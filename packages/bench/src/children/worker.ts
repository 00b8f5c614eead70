/**
 * A micro-benchmark worker: `node worker.js <subject>` loads one subject (and only its
 * library), checks it, announces itself, then runs the operations the harness asks for.
 */
import { announce, exitWithParent, failStartup, serveRuns } from "./ipc.js"
import type { Subject } from "./micro/subject.js"

const subjects: Record<string, () => Promise<{ readonly make: () => Promise<Subject> }>> = {
  "strata-cache": () => import("./micro/strataCache.js"),
  "lru-cache": () => import("./micro/lruCache.js"),
  "strata-redis": () => import("./micro/strataRedis.js"),
  "ioredis": () => import("./micro/ioredisGet.js"),
  "strata-metrics": () => import("./micro/strataMetrics.js"),
  "prom-client": () => import("./micro/promClient.js")
}

const main = async (): Promise<void> => {
  exitWithParent()
  const name = process.argv[2] ?? ""
  const load = subjects[name]
  if (load === undefined) throw new Error(`unknown subject "${name}" (known: ${Object.keys(subjects).join(", ")})`)
  const subject = await (await load()).make()
  process.once("SIGTERM", () => {
    subject.close().finally(() => process.exit(0))
  })
  serveRuns(subject.run)
  announce({})
}

main().catch(failStartup)
