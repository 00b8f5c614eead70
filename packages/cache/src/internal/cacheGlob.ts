/**
 * Key and pattern safety: Redis glob matching (so the memory backend matches exactly what
 * `SCAN MATCH` matches), escaping of glob metacharacters, and key parts that cannot carry
 * a separator or a metacharacter.
 *
 * @internal
 */

const BACKSLASH = 0x5c
const STAR = 0x2a
const QUESTION = 0x3f
const OPEN = 0x5b
const CLOSE = 0x5d
const CARET = 0x5e
const DASH = 0x2d

/**
 * A port of Redis' `stringmatchlen` (util.c), on UTF-8 bytes like Redis itself, so
 * `?` and ranges behave the same for non-ASCII keys on every backend.
 *
 * @internal
 */
export const globMatch = (pattern: string, text: string): boolean => {
  const p = Buffer.from(pattern, "utf8")
  const s = Buffer.from(text, "utf8")
  const skip = { longer: false }
  return matchAt(p, 0, s, 0, skip)
}

const matchAt = (p: Buffer, pi: number, s: Buffer, si: number, skip: { longer: boolean }): boolean => {
  while (pi < p.length && si < s.length) {
    const c = p[pi]!
    if (c === STAR) {
      while (pi + 1 < p.length && p[pi + 1] === STAR) pi++
      if (pi + 1 === p.length) return true
      while (si < s.length) {
        if (matchAt(p, pi + 1, s, si, skip)) return true
        // a later `*` already failed on every suffix: longer prefixes cannot match either
        if (skip.longer) return false
        si++
      }
      skip.longer = true
      return false
    } else if (c === QUESTION) {
      si++
    } else if (c === OPEN) {
      pi++
      const not = p[pi] === CARET
      if (not) pi++
      let match = false
      const sc = s[si]!
      for (;;) {
        if (p[pi] === BACKSLASH && p.length - pi >= 2) {
          pi++
          if (p[pi] === sc) match = true
        } else if (p[pi] === CLOSE) {
          break
        } else if (pi >= p.length) {
          pi--
          break
        } else if (p.length - pi >= 3 && p[pi + 1] === DASH) {
          let start = p[pi]!
          let end = p[pi + 2]!
          if (start > end) [start, end] = [end, start]
          pi += 2
          if (sc >= start && sc <= end) match = true
        } else if (p[pi] === sc) {
          match = true
        }
        pi++
      }
      if (not) match = !match
      if (!match) return false
      si++
    } else {
      if (c === BACKSLASH && p.length - pi >= 2) pi++
      if (p[pi] !== s[si]) return false
      si++
    }
    pi++
    if (si === s.length) {
      while (pi < p.length && p[pi] === STAR) pi++
      break
    }
  }
  return pi === p.length && si === s.length
}

const globSpecial = /[*?[\]\\]/g

/**
 * Escapes glob metacharacters with a backslash: the text then matches only itself.
 *
 * @internal
 */
export const escapeGlob = (text: string): string => text.replace(globSpecial, (c) => `\\${c}`)

const partSpecial = /[%:*?[\]\\]/g

/**
 * Percent-encodes the separator, `%` and the glob metacharacters of one key part, so a part
 * never splits into two parts and never acts as a pattern.
 *
 * @internal
 */
export const encodePart = (part: string | number | bigint | boolean): string =>
  String(part).replace(partSpecial, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)

/** @internal */
export const key = (...parts: ReadonlyArray<string | number | bigint | boolean>): string =>
  parts.map(encodePart).join(":")

/** @internal */
export const pattern = (
  strings: TemplateStringsArray,
  ...values: ReadonlyArray<string | number | bigint | boolean>
): string => {
  let out = strings[0] ?? ""
  for (let i = 0; i < values.length; i++) out += encodePart(values[i]!) + (strings[i + 1] ?? "")
  return out
}
