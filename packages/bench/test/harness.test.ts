/**
 * The harness itself: statistics, parsing the load generators, the round logic (ratios per
 * round, alternating order, a missed target is a result and a missing number an error),
 * the report, and the server checks refusing a server that lacks the stack's headers.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import { type Comparison, type Contender, runComparison, Skipped, verdict } from "../src/harness/compare.js"
import { parseAutocannon, parseWrk } from "../src/harness/load.js"
import type { Figures } from "../src/harness/protocol.js"
import { table, tally, writeSection } from "../src/harness/report.js"
import { formatSpread, spread } from "../src/harness/stats.js"
import { checkHello, checkStack } from "../src/rows/http.js"

describe("stats", () => {
  it("takes the median, min and max", () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, count: 3 })
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, count: 4 })
    expect(spread([]).count).toBe(0)
    expect(formatSpread(spread([1234.5, 1000, 1500]))).toBe("1,235 (1,000–1,500)")
    expect(formatSpread(spread([0.5123]), "×")).toBe("0.512×")
  })
})

const wrkOutput = `Running 4s test @ http://127.0.0.1:4000/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms  500.00us  12.00ms   90.00%
    Req/Sec    30.12k     1.00k   32.00k    80.00%
  Latency Distribution
     50%    2.00ms
     75%    2.20ms
     90%    2.50ms
     99%  850.00us
  120480 requests in 4.00s, 20.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:  30120.00
Transfer/sec:      5.00MB
`

describe("load generator output", () => {
  it("reads wrk's requests/sec, p99 (any unit) and non-2xx count", () => {
    expect(parseWrk(wrkOutput)).toEqual({ rps: 30120, p99Ms: 0.85, non2xx: 3, errors: 0, timeouts: 0 })
    const withSocketErrors = wrkOutput.replace(
      "Requests/sec",
      "  Socket errors: connect 1, read 9, write 2, timeout 4\nRequests/sec"
    )
    expect(parseWrk(withSocketErrors)).toMatchObject({ errors: 3, timeouts: 4 })
    expect(parseWrk(wrkOutput.replace("850.00us", "1.50s")).p99Ms).toBe(1500)
    expect(parseWrk("garbage").rps).toBeNaN()
  })

  it("reads autocannon's JSON: requests over the measured duration", () => {
    const json = JSON.stringify({
      duration: 2.5,
      errors: 3,
      timeouts: 2,
      non2xx: 0,
      latency: { p99: 7 },
      requests: { total: 50_000, average: 19_000 }
    })
    expect(parseAutocannon(json)).toEqual({ rps: 20_000, p99Ms: 7, non2xx: 0, errors: 1, timeouts: 2 })
  })
})

const fixed = (label: string, values: ReadonlyArray<number>, calls: Array<string>): Contender => {
  let i = 0
  return {
    label,
    measure: async (windowMs) => {
      calls.push(`${label}:${windowMs}`)
      return { rps: values[i++ % values.length]! } as Figures
    }
  }
}

const comparison = (open: Comparison["open"]): Comparison => ({
  id: "9",
  title: "test row",
  figures: [{ key: "rps", label: "req/s", unit: "req/s", better: "higher" }],
  windows: { full: { rounds: 3, windowMs: 10, warmupMs: 5 }, smoke: { rounds: 1, windowMs: 1, warmupMs: 0 } },
  open
})

describe("runComparison", () => {
  it("warms up, alternates the order and takes each ratio within its round", async () => {
    const calls: Array<string> = []
    const outcome = await runComparison(
      comparison(async () => ({
        // warm-up sample first, then one per round
        subject: fixed("S", [999, 50, 30, 90], calls),
        references: [{ ...fixed("R", [1, 100, 100, 100], calls), targets: [{ figure: "rps", ratio: 0.5 }] }],
        close: async () => {}
      })),
      { rounds: 3, windowMs: 10, warmupMs: 5 },
      () => {}
    )
    expect(calls).toEqual(["S:5", "R:5", "S:10", "R:10", "R:10", "S:10", "S:10", "R:10"])
    expect(outcome._tag).toBe("Measured")
    if (outcome._tag !== "Measured") return
    const [line] = outcome.lines
    expect(line!.ratio).toEqual({ median: 0.5, min: 0.3, max: 0.9, count: 3 })
    expect(verdict(line!)).toBe("pass")
    expect(tally([outcome])).toEqual({ pass: 1, miss: 0, failed: 0, skipped: 0 })
  })

  it("a missed target is a result, not a failure", async () => {
    const outcome = await runComparison(
      comparison(async () => ({
        subject: fixed("S", [10], []),
        references: [{ ...fixed("R", [100], []), targets: [{ figure: "rps", ratio: 1 }] }],
        close: async () => {}
      })),
      { rounds: 1, windowMs: 1, warmupMs: 0 },
      () => {}
    )
    expect(tally([outcome])).toEqual({ pass: 0, miss: 1, failed: 0, skipped: 0 })
    expect(table([outcome])).toContain("**miss**")
  })

  it("a side without numbers fails the row (and the session is closed)", async () => {
    let closed = false
    const outcome = await runComparison(
      comparison(async () => ({
        subject: fixed("S", [NaN], []),
        references: [{ ...fixed("R", [100], []), targets: [] }],
        close: async () => {
          closed = true
        }
      })),
      { rounds: 1, windowMs: 1, warmupMs: 0 },
      () => {}
    )
    expect(outcome._tag).toBe("Failed")
    expect(closed).toBe(true)
    expect(table([outcome])).toContain("**harness error**: S produced no rps")
    expect(tally([outcome]).failed).toBe(1)
  })

  it("an empty window is measured again, twice as long, before it counts as no numbers", async () => {
    const calls: Array<string> = []
    const outcome = await runComparison(
      comparison(async () => ({
        subject: fixed("S", [NaN, 0.5, 40], calls),
        references: [{ ...fixed("R", [100], calls), targets: [] }],
        close: async () => {}
      })),
      { rounds: 1, windowMs: 10, warmupMs: 0 },
      () => {}
    )
    expect(calls).toEqual(["S:10", "S:20", "R:10"])
    expect(outcome._tag).toBe("Measured")
    if (outcome._tag !== "Measured") return
    expect(outcome.lines[0]!.subject.median).toBe(0.5)
  })

  it("a row that cannot run here is skipped with its reason", async () => {
    const outcome = await runComparison(
      comparison(async () => {
        throw new Skipped("redis-server not found")
      }),
      { rounds: 1, windowMs: 1, warmupMs: 0 },
      () => {}
    )
    expect(outcome._tag).toBe("Skipped")
    expect(table([outcome])).toContain("skipped: redis-server not found")
  })
})

describe("RESULTS.md", () => {
  it("replaces only the measured section and keeps the analysis around it", () => {
    const file = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "bench-")), "RESULTS.md")
    writeSection(file, "run 1")
    Fs.appendFileSync(file, "\n## Profile findings\nkept\n")
    writeSection(file, "run 2")
    const text = Fs.readFileSync(file, "utf8")
    expect(text).toContain("run 2")
    expect(text).not.toContain("run 1")
    expect(text).toContain("## Profile findings\nkept")
  })
})

describe("server checks", () => {
  const serve = (handler: Http.RequestListener) =>
    new Promise<{ readonly port: number; readonly close: () => void }>((resolve) => {
      const server = Http.createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resolve({ port, close: () => server.close() })
      })
    })

  it("accept a hello server and refuse it as a full stack (no security headers, CORS or request id)", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hello: "world" }))
    })
    try {
      await expect(checkHello("plain", server.port)).resolves.toBeUndefined()
      await expect(checkStack("plain", server.port)).rejects.toThrow(/plain: no x-request-id/)
    } finally {
      server.close()
    }
  })

  it("refuse a wrong body", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
    try {
      await expect(checkHello("wrong", server.port)).rejects.toThrow("wrong: GET / answered {}")
    } finally {
      server.close()
    }
  })
})
