/**
 * A minimal PostgreSQL client (protocol 3.0, simple query, trust authentication only) for
 * the test servers' own needs: the readiness probe and CREATE/DROP DATABASE. It keeps
 * `pg` a dev dependency and works without `psql` installed.
 *
 * @internal
 */
import * as Net from "node:net"

/** Where to connect. */
export interface PgTarget {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly database: string
}

/** One row, every column as text (`null` for SQL NULL). */
export type PgRow = ReadonlyArray<string | null>

/** The server answered with an ErrorResponse. */
export class PgQueryError extends Error {
  /** The SQLSTATE, e.g. `"42P04"` (duplicate database) or `"57P03"` (starting up). */
  readonly code: string | undefined
  constructor(message: string, code: string | undefined) {
    super(code === undefined ? message : `${message} (SQLSTATE ${code})`)
    this.name = "PgQueryError"
    this.code = code
  }
}

/** The target of a `postgres://user@host:port/database` URL. */
export const targetFromUrl = (url: string): PgTarget => {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    port: Number(parsed.port === "" ? "5432" : parsed.port),
    user: decodeURIComponent(parsed.username === "" ? "postgres" : parsed.username),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "") || "postgres")
  }
}

const PROTOCOL_3_0 = 196608

const startupMessage = (target: PgTarget): Buffer => {
  const params = Buffer.from(`user\0${target.user}\0database\0${target.database}\0client_encoding\0UTF8\0\0`)
  const message = Buffer.alloc(8 + params.length)
  message.writeInt32BE(message.length, 0)
  message.writeInt32BE(PROTOCOL_3_0, 4)
  params.copy(message, 8)
  return message
}

const typed = (type: string, body: Buffer): Buffer => {
  const header = Buffer.alloc(5)
  header.write(type, 0, "ascii")
  header.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([header, body])
}

const parseError = (body: Buffer): PgQueryError => {
  const fields = new Map<string, string>()
  let offset = 0
  while (offset < body.length && body[offset] !== 0) {
    const field = String.fromCharCode(body.readUInt8(offset))
    const end = body.indexOf(0, offset + 1)
    fields.set(field, body.toString("utf8", offset + 1, end))
    offset = end + 1
  }
  return new PgQueryError(fields.get("M") ?? "unknown PostgreSQL error", fields.get("C"))
}

const parseRow = (body: Buffer): PgRow => {
  const columns = body.readInt16BE(0)
  const row: Array<string | null> = []
  let offset = 2
  for (let i = 0; i < columns; i++) {
    const length = body.readInt32BE(offset)
    offset += 4
    if (length < 0) {
      row.push(null)
    } else {
      row.push(body.toString("utf8", offset, offset + length))
      offset += length
    }
  }
  return row
}

/**
 * Runs `sql` (one or more statements) on a fresh connection and returns the data rows.
 * Fails with `PgQueryError` on an SQL error, with the socket error on a connection failure.
 */
export const pgQuery = (target: PgTarget, sql: string, timeoutMs = 10_000): Promise<Array<PgRow>> =>
  new Promise((resolve, reject) => {
    const socket = Net.connect({ host: target.host, port: target.port })
    const rows: Array<PgRow> = []
    let buffer = Buffer.alloc(0)
    let failure: PgQueryError | undefined
    let phase: "startup" | "query" = "startup"
    let settled = false
    const settle = (error: Error | undefined) => {
      if (settled) return
      settled = true
      socket.destroy()
      if (error !== undefined) reject(error)
      else resolve(rows)
    }
    socket.setTimeout(timeoutMs, () => settle(new Error(`PostgreSQL did not answer within ${timeoutMs} ms`)))
    socket.once("error", (error) => settle(error))
    socket.once("close", () => settle(failure ?? new Error("PostgreSQL closed the connection")))
    socket.once("connect", () => socket.write(startupMessage(target)))
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      while (buffer.length >= 5) {
        const type = String.fromCharCode(buffer.readUInt8(0))
        const end = 1 + buffer.readInt32BE(1)
        if (buffer.length < end) return
        const body = buffer.subarray(5, end)
        buffer = buffer.subarray(end)
        switch (type) {
          case "R":
            if (body.readInt32BE(0) !== 0) {
              return settle(new Error("PostgreSQL asked for a password; the test servers use trust authentication"))
            }
            break
          case "E":
            failure = parseError(body)
            if (phase === "startup") return settle(failure)
            break
          case "D":
            rows.push(parseRow(body))
            break
          case "Z":
            if (phase === "startup") {
              phase = "query"
              socket.write(typed("Q", Buffer.from(`${sql}\0`)))
            } else {
              socket.write(typed("X", Buffer.alloc(0)))
              return settle(failure)
            }
            break
        }
      }
    })
  })

/** Quotes an SQL identifier. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, "\"\"")}"`
