/**
 * zipmap — the small-hash format of Redis 2.4 and older, only ever read back from old RDB
 * payloads (RDB_TYPE_HASH_ZIPMAP), which Redis 7.0 converts to a listpack at once.
 * (← src/zipmap.c, Redis 7.0.15)
 *
 * Layout: <count u8> (<len> <field> <len> <free u8> <value> <free bytes>)... <0xFF>, where
 * a <len> is one byte below 254 (ZIPMAP_BIGLEN), else 254 and a 4-byte little-endian length,
 * and <count> is the number of pairs, or 254 or more when unknown. `free` bytes of slack
 * follow each value.
 */

const ZIPMAP_BIGLEN = 254
const ZIPMAP_END = 255

/** zipmapGetEncodedLengthSize: bytes of the length field at `p`. */
function zipmapGetEncodedLengthSize(zm: Uint8Array, p: number): number {
  return (zm[p] ?? 0) < ZIPMAP_BIGLEN ? 1 : 5
}

/** zipmapDecodeLength: the length field at `p` (its bytes known to be inside). */
function zipmapDecodeLength(zm: Uint8Array, p: number): number {
  const len = zm[p] ?? 0
  if (len < ZIPMAP_BIGLEN) return len
  return (
    ((zm[p + 1] ?? 0) | ((zm[p + 2] ?? 0) << 8) | ((zm[p + 3] ?? 0) << 16)) +
    (zm[p + 4] ?? 0) * 0x1000000
  )
}

/**
 * Whether `zm` is a valid zipmap — zipmapValidateIntegrity: the end marker last; with
 * `deep`, every field and value (with its free bytes) inside, at least one pair, and the
 * count byte right unless it says unknown (254).
 */
export function zipmapValidateIntegrity(zm: Uint8Array, deep: boolean): boolean {
  const size = zm.length
  const outOfRange = (p: number) => p < 2 || p > size - 1
  if (size < 2) return false
  if (zm[size - 1] !== ZIPMAP_END) return false
  if (!deep) return true
  let count = 0
  let p = 1
  while (zm[p] !== ZIPMAP_END) {
    let s = zipmapGetEncodedLengthSize(zm, p)
    if (outOfRange(p + s)) return false
    p += s + zipmapDecodeLength(zm, p)
    if (outOfRange(p)) return false
    s = zipmapGetEncodedLengthSize(zm, p)
    if (outOfRange(p + s)) return false
    const l = zipmapDecodeLength(zm, p)
    p += s
    const e = zm[p++] ?? 0
    // l + e is an unsigned int sum in C: it wraps at 2^32.
    p += (l + e) % 2 ** 32
    count++
    if (outOfRange(p)) return false
  }
  if (count === 0) return false
  return zm[0] === ZIPMAP_BIGLEN || zm[0] === count
}

/**
 * The pairs of a zipmap that passed zipmapValidateIntegrity (deep), in order — the
 * zipmapRewind / zipmapNext walk, as byte strings.
 */
export function zipmapPairs(zm: Uint8Array): [string, string][] {
  const text = (at: number, len: number) => {
    let s = ''
    for (let i = 0; i < Math.min(len, zm.length - at); i++)
      s += String.fromCharCode(zm[at + i] ?? 0)
    return s
  }
  const pairs: [string, string][] = []
  let p = 1
  // (The bound only matters for a length that wrapped in the validation's unsigned sum.)
  while (p < zm.length && zm[p] !== ZIPMAP_END) {
    const klen = zipmapDecodeLength(zm, p)
    p += zipmapGetEncodedLengthSize(zm, p)
    const field = text(p, klen)
    p += klen
    const vlen = zipmapDecodeLength(zm, p)
    p += zipmapGetEncodedLengthSize(zm, p)
    const free = zm[p++] ?? 0
    pairs.push([field, text(p, vlen)])
    p += vlen + free
  }
  return pairs
}
