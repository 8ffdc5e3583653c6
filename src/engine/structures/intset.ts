/**
 * intset — a sorted array of unique integers in the narrowest encoding that fits them all.
 * (← src/intset.c, Redis 7.0.15)
 *
 * Layout, as in memory on a little-endian machine:
 *
 *     uint32 encoding | uint32 length | contents: length × encoding bytes, sorted ascending
 *
 * `encoding` is the element width in bytes: INTSET_ENC_INT16 (2), INT32 (4) or INT64 (8). A new
 * intset is INT16. Adding a value that needs a wider encoding upgrades the whole set
 * (intsetUpgradeAndAdd): every element is rewritten at the new width, from the last to the
 * first so nothing is overwritten, and the new value — necessarily outside the old range — goes
 * to the front if negative, else to the back. The set never downgrades, even when the wide
 * value is removed again, so `encoding` is "at least the width needed", never "exactly".
 *
 * Here the header is kept as two plain fields and `contents` holds exactly
 * `length × encoding` bytes, little-endian (Redis reallocs to exactly that size on every add
 * and remove, which we mirror by allocating a new array). Values cross the API as `bigint`
 * because an intset holds the full int64 range.
 *
 * Events: intsetSearch reports `intset/searched` (full traces) with every position it read;
 * intsetAdd reports `intset/inserted` or `intset/upgraded` with each element move;
 * intsetRemove reports `intset/removed`. Functions that may emit take `ctx` first and the key
 * the set belongs to last (events name the key; the intset does not know it).
 */
import type { ExecContext } from '../context.ts'
import type { IntsetEncoding, KeyName } from '../events.ts'
import { rngRandom } from '../rng.ts'

// --- Constants ---

export const INTSET_ENC_INT16 = 2
export const INTSET_ENC_INT32 = 4
export const INTSET_ENC_INT64 = 8
/** sizeof(intset): the encoding and length header words. */
export const INTSET_HEADER_SIZE = 8

const INT16_MIN = -32768n
const INT16_MAX = 32767n
const INT32_MIN = -2147483648n
const INT32_MAX = 2147483647n
const INT64_MIN = -9223372036854775808n
const INT64_MAX = 9223372036854775807n

// --- Types ---

export interface Intset {
  encoding: IntsetEncoding
  length: number
  /** Exactly length × encoding bytes, little-endian, sorted ascending. */
  contents: Uint8Array
}

/** Where a value is or would be inserted: Redis's intsetSearch return value plus *pos. */
export interface IntsetSearchResult {
  readonly found: boolean
  readonly pos: number
}

// --- Creation and accessors ---

/** Creates an empty intset (INT16, length 0) — intsetNew. */
export function intsetNew(): Intset {
  return { encoding: INTSET_ENC_INT16, length: 0, contents: new Uint8Array(0) }
}

/** The width needed to store `v` — _intsetValueEncoding. */
export function intsetValueEncoding(v: bigint): IntsetEncoding {
  if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64
  if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32
  return INTSET_ENC_INT16
}

/** Number of elements — intsetLen. */
export function intsetLen(is: Intset): number {
  return is.length
}

/** Bytes of the serialized blob: 8-byte header + length × encoding — intsetBlobLen. */
export function intsetBlobLen(is: Intset): number {
  return INTSET_HEADER_SIZE + is.length * is.encoding
}

/** The element at `pos`, or null when out of range — intsetGet. */
export function intsetGet(is: Intset, pos: number): bigint | null {
  if (pos < 0 || pos >= is.length) return null
  return getEncoded(is.contents, pos, is.encoding)
}

/** Smallest element (the set must not be empty) — intsetMin. */
export function intsetMin(is: Intset): bigint {
  return getEncoded(is.contents, 0, is.encoding)
}

/** Largest element (the set must not be empty) — intsetMax. */
export function intsetMax(is: Intset): bigint {
  return getEncoded(is.contents, is.length - 1, is.encoding)
}

/** All elements in order (a convenience for snapshots, SMEMBERS and tests). */
export function intsetToArray(is: Intset): bigint[] {
  const out: bigint[] = []
  for (let i = 0; i < is.length; i++) out.push(getEncoded(is.contents, i, is.encoding))
  return out
}

/** The intset as Redis would serialize it: header words then contents, all little-endian. */
export function intsetBlob(is: Intset): Uint8Array {
  const blob = new Uint8Array(intsetBlobLen(is))
  const dv = new DataView(blob.buffer)
  dv.setUint32(0, is.encoding, true)
  dv.setUint32(4, is.length, true)
  blob.set(is.contents, INTSET_HEADER_SIZE)
  return blob
}

// --- Search ---

/**
 * Binary search for `value` — intsetSearch. Returns whether it is present and its position,
 * or the position where it would be inserted. Before searching, Redis checks the two ends:
 * a value above the maximum goes at `length`, one below the minimum at 0; those reads are
 * reported as probes too. Emits `intset/searched` on full traces.
 */
export function intsetSearch(
  ctx: ExecContext,
  is: Intset,
  value: bigint,
  key: KeyName,
): IntsetSearchResult {
  const probes: number[] | null = ctx.full ? [] : null
  const result = search(is, value, probes)
  if (probes !== null) {
    ctx.emit({
      type: 'intset/searched',
      key,
      value: value.toString(),
      probes,
      pos: result.pos,
      found: result.found,
    })
  }
  return result
}

function search(is: Intset, value: bigint, probes: number[] | null): IntsetSearchResult {
  const len = is.length
  if (len === 0) return { found: false, pos: 0 }
  let min = 0
  let max = len - 1
  probes?.push(max)
  if (value > getEncoded(is.contents, max, is.encoding)) return { found: false, pos: len }
  probes?.push(0)
  if (value < getEncoded(is.contents, 0, is.encoding)) return { found: false, pos: 0 }
  let mid = -1
  let cur = -1n
  while (max >= min) {
    mid = (min + max) >>> 1
    probes?.push(mid)
    cur = getEncoded(is.contents, mid, is.encoding)
    if (value > cur) min = mid + 1
    else if (value < cur) max = mid - 1
    else break
  }
  return value === cur ? { found: true, pos: mid } : { found: false, pos: min }
}

/** Whether `value` is a member — intsetFind (no search when it is wider than the encoding). */
export function intsetFind(ctx: ExecContext, is: Intset, value: bigint, key: KeyName): boolean {
  return intsetValueEncoding(value) <= is.encoding && intsetSearch(ctx, is, value, key).found
}

// --- Mutation ---

/**
 * Adds `value`; returns false when it was already present — intsetAdd. A value wider than the
 * current encoding triggers intsetUpgradeAndAdd; otherwise the position comes from
 * intsetSearch and the tail moves one slot right (intsetMoveTail). `value` must be in the
 * int64 range.
 */
export function intsetAdd(ctx: ExecContext, is: Intset, value: bigint, key: KeyName): boolean {
  if (value < INT64_MIN || value > INT64_MAX) throw new RangeError('intset value out of int64')
  if (intsetValueEncoding(value) > is.encoding) {
    intsetUpgradeAndAdd(ctx, is, value, key)
    return true
  }
  const { found, pos } = intsetSearch(ctx, is, value, key)
  if (found) return false
  const moved = is.length - pos
  intsetResize(is, is.length + 1)
  if (pos < is.length) intsetMoveTail(is, pos, pos + 1)
  setEncoded(is.contents, pos, is.encoding, value)
  is.length++
  if (ctx.tracing) {
    ctx.emit({
      type: 'intset/inserted',
      key,
      value: value.toString(),
      pos,
      moved,
      length: is.length,
    })
  }
  return true
}

/**
 * Widens every element to the encoding `value` needs and adds `value` at the front
 * (negative) or the back (positive) — intsetUpgradeAndAdd.
 *
 * Teacher note: the copy runs from the last element to the first. The new slots are wider,
 * so element i's new bytes overlap the old bytes of elements after i; walking backwards
 * always writes over bytes that were already read. When the value is negative every element
 * also shifts one slot right ("prepend") to leave slot 0 free.
 */
function intsetUpgradeAndAdd(ctx: ExecContext, is: Intset, value: bigint, key: KeyName): void {
  const curenc = is.encoding
  const newenc = intsetValueEncoding(value)
  const prepend = value < 0n ? 1 : 0
  is.encoding = newenc
  intsetResize(is, is.length + 1)
  const moves: { from: number; to: number }[] | null = ctx.tracing ? [] : null
  for (let i = is.length - 1; i >= 0; i--) {
    setEncoded(is.contents, i + prepend, newenc, getEncoded(is.contents, i, curenc))
    moves?.push({ from: i, to: i + prepend })
  }
  setEncoded(is.contents, prepend === 1 ? 0 : is.length, newenc, value)
  is.length++
  if (moves !== null) {
    ctx.emit({
      type: 'intset/upgraded',
      key,
      from: curenc,
      to: newenc,
      value: value.toString(),
      prepend: prepend === 1,
      moves,
    })
  }
}

/**
 * Removes `value`; returns false when it was absent — intsetRemove. The encoding never
 * shrinks.
 */
export function intsetRemove(ctx: ExecContext, is: Intset, value: bigint, key: KeyName): boolean {
  if (intsetValueEncoding(value) > is.encoding) return false
  const { found, pos } = intsetSearch(ctx, is, value, key)
  if (!found) return false
  const len = is.length
  if (pos < len - 1) intsetMoveTail(is, pos + 1, pos)
  intsetResize(is, len - 1)
  is.length = len - 1
  if (ctx.tracing) {
    ctx.emit({ type: 'intset/removed', key, value: value.toString(), pos, length: is.length })
  }
  return true
}

/** A random element, `rand() % length` as Redis does — intsetRandom. The set must not be empty. */
export function intsetRandom(ctx: ExecContext, is: Intset): bigint {
  if (is.length === 0) throw new RangeError('intsetRandom on an empty intset')
  return getEncoded(is.contents, rngRandom(ctx.rng) % is.length, is.encoding)
}

// --- Validation ---

/**
 * Broken invariants, modelled on intsetValidateIntegrity (deep): a known encoding, contents
 * of exactly length × encoding bytes, strictly ascending values, each fitting the encoding.
 * An empty set is allowed here (Redis rejects empty blobs only when loading RDB payloads).
 * The encoding may be wider than the values need: Redis never downgrades.
 */
export function intsetValidate(is: Intset): string[] {
  const errors: string[] = []
  const enc: number = is.encoding
  if (enc !== INTSET_ENC_INT16 && enc !== INTSET_ENC_INT32 && enc !== INTSET_ENC_INT64) {
    return [`unknown encoding ${String(enc)}`]
  }
  if (is.contents.length !== is.length * enc) {
    errors.push(
      `contents is ${String(is.contents.length)} bytes, expected ${String(is.length * enc)}`,
    )
    return errors
  }
  let prev: bigint | null = null
  for (let i = 0; i < is.length; i++) {
    const cur = getEncoded(is.contents, i, is.encoding)
    if (prev !== null && cur <= prev) {
      errors.push(`element ${String(i)} (${cur.toString()}) not above ${prev.toString()}`)
    }
    prev = cur
  }
  return errors
}

// --- Internals ---

/** Reallocates contents to hold `len` elements at the current encoding — intsetResize. */
function intsetResize(is: Intset, len: number): void {
  const next = new Uint8Array(len * is.encoding)
  next.set(is.contents.subarray(0, Math.min(is.contents.length, next.length)))
  is.contents = next
}

/** Moves elements [from, length) to start at `to` (a memmove) — intsetMoveTail. */
function intsetMoveTail(is: Intset, from: number, to: number): void {
  const enc = is.encoding
  is.contents.copyWithin(to * enc, from * enc, is.length * enc)
}

function getEncoded(buf: Uint8Array, pos: number, enc: IntsetEncoding): bigint {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  if (enc === INTSET_ENC_INT64) return dv.getBigInt64(pos * 8, true)
  if (enc === INTSET_ENC_INT32) return BigInt(dv.getInt32(pos * 4, true))
  return BigInt(dv.getInt16(pos * 2, true))
}

function setEncoded(buf: Uint8Array, pos: number, enc: IntsetEncoding, v: bigint): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  if (enc === INTSET_ENC_INT64) dv.setBigInt64(pos * 8, v, true)
  else if (enc === INTSET_ENC_INT32) dv.setInt32(pos * 4, Number(v), true)
  else dv.setInt16(pos * 2, Number(v), true)
}
