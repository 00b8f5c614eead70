/**
 * An HTTP server of rows 1–3: `node httpServer.js <name>` starts it on a free loopback port
 * and announces the port. Only the named server's libraries are loaded.
 */
import { exitWithParent, failStartup } from "./ipc.js"

const servers: Record<string, () => Promise<void>> = {
  "node-http": async () => (await import("./http/rawNode.js")).serve(),
  "strata-hello": async () => (await import("./http/strataHello.js")).serve(),
  "strata-stack": async () => (await import("./http/strataStack.js")).serve({ log: false }),
  "strata-stack-log": async () => (await import("./http/strataStack.js")).serve({ log: true }),
  "fastify-stack": async () => (await import("./http/fastifyStack.js")).serve({ log: false }),
  "fastify-stack-log": async () => (await import("./http/fastifyStack.js")).serve({ log: true })
}

const main = async (): Promise<void> => {
  exitWithParent()
  const name = process.argv[2] ?? ""
  const start = servers[name]
  if (start === undefined) throw new Error(`unknown server "${name}" (known: ${Object.keys(servers).join(", ")})`)
  await start()
}

main().catch(failStartup)
