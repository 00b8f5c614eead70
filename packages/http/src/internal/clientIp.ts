/**
 * Client address resolution over `X-Forwarded-For` with a trusted-proxy list.
 *
 * @internal
 */
import * as Either from "effect/Either"
import { BlockList, isIP } from "node:net"

/** @internal */
export interface Resolver {
  readonly trustedProxies: ReadonlyArray<string>
  readonly isTrusted: (address: string) => boolean
  readonly resolve: (
    peer: string | undefined,
    forwardedFor: string | ReadonlyArray<string> | undefined
  ) => string | undefined
}

const keywords: Readonly<Record<string, ReadonlyArray<string>>> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
  linklocal: ["169.254.0.0/16", "fe80::/10"]
}

/**
 * `::ffff:1.2.3.4` (how a dual-stack socket reports an IPv4 peer) → `1.2.3.4`.
 *
 * @internal
 */
export const normalize = (address: string): string =>
  address.length > 7 && (address.startsWith("::ffff:") || address.startsWith("::FFFF:")) &&
    isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address

/**
 * One `X-Forwarded-For` entry → a bare address, or `undefined` when it is not an IP
 * (`unknown`, an obfuscated identifier, garbage). Ports and IPv6 brackets are dropped.
 *
 * @internal
 */
export const parseEntry = (entry: string): string | undefined => {
  let value = entry.trim()
  if (value.startsWith("\"") && value.endsWith("\"") && value.length > 1) value = value.slice(1, -1)
  if (value.startsWith("[")) {
    const end = value.indexOf("]")
    if (end === -1) return undefined
    value = value.slice(1, end)
  } else {
    const colon = value.indexOf(":")
    // One colon means `ipv4:port`; IPv6 has at least two.
    if (colon !== -1 && value.indexOf(":", colon + 1) === -1) value = value.slice(0, colon)
  }
  return isIP(value) === 0 ? undefined : normalize(value)
}

/** @internal */
export const expand = (entries: ReadonlyArray<string>): Either.Either<ReadonlyArray<string>, string> => {
  const out: Array<string> = []
  for (const raw of entries) {
    const entry = raw.trim()
    if (entry === "" || entry === "none") continue
    const expanded = keywords[entry.toLowerCase()]
    if (expanded !== undefined) {
      out.push(...expanded)
      continue
    }
    const slash = entry.indexOf("/")
    const address = slash === -1 ? entry : entry.slice(0, slash)
    const family = isIP(address)
    if (family === 0) {
      return Either.left(
        `Expected an IP address, a CIDR range or one of loopback, private, linklocal, none but received "${entry}"`
      )
    }
    if (slash !== -1) {
      const bits = entry.slice(slash + 1)
      const prefix = Number(bits)
      if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) {
        return Either.left(`Invalid CIDR prefix in "${entry}"`)
      }
    }
    out.push(entry)
  }
  return Either.right(out)
}

/** @internal */
export const make = (trustedProxies: ReadonlyArray<string>): Either.Either<Resolver, string> =>
  Either.map(expand(trustedProxies), (expanded) => {
    const list = new BlockList()
    for (const entry of expanded) {
      const slash = entry.indexOf("/")
      const address = normalize(slash === -1 ? entry : entry.slice(0, slash))
      const type = isIP(address) === 4 ? "ipv4" : "ipv6"
      if (slash === -1) list.addAddress(address, type)
      else list.addSubnet(address, Number(entry.slice(slash + 1)), type)
    }
    const isTrusted = expanded.length === 0 ? () => false : (address: string): boolean => {
      const family = isIP(address)
      return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6")
    }
    const resolve = (
      peer: string | undefined,
      forwardedFor: string | ReadonlyArray<string> | undefined
    ): string | undefined => {
      if (peer === undefined) return undefined
      let current = normalize(peer)
      if (forwardedFor === undefined || !isTrusted(current)) return current
      const header = typeof forwardedFor === "string" ? forwardedFor : forwardedFor.join(",")
      const hops = header.split(",")
      // Right to left: each hop we trust vouches for the one before it. The first hop we do
      // not trust is the client; everything left of it is client-controlled.
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = parseEntry(hops[i]!)
        if (hop === undefined) return current
        current = hop
        if (!isTrusted(current)) return current
      }
      return current
    }
    return { trustedProxies: expanded, isTrusted, resolve }
  })
