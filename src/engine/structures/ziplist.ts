/**
 * ziplist — the compact list format of Redis 3.2–6.2, kept for the legacy lesson on cascade
 * updates. (← src/ziplist.c, Redis 7.0.15; 7.0 itself only reads ziplists from old RDB files
 * and converts them to listpacks at once.)
 *
 * Layout, all integers little-endian unless noted:
 *
 *     <zlbytes u32> <zltail u32: offset of the last entry> <zllen u16> <entry>... <0xFF>
 *     entry = <prevlen> <encoding> <data>
 *
 * `prevlen` is the byte length of the PREVIOUS entry: 1 byte when it is below 254
 * (ZIP_BIG_PREVLEN), else 0xFE followed by a 4-byte length. That is the flaw the lesson is
 * about: when an entry grows past 253 bytes, the next entry's prevlen needs 5 bytes instead
 * of 1, so that entry grows by 4 and may cross 254 itself, and so on down a chain of entries
 * of 250–253 bytes — a cascade update (__ziplistCascadeUpdate). Prevlen fields never shrink:
 * a 5-byte field may hold a small value. Listpack (listpack.ts) stores each entry's OWN
 * length at its end instead, so it has no cascade.
 *
 * Encodings: strings with a 6-bit, 14-bit (big-endian) or 32-bit (big-endian) length;
 * integers as int8/16/24/32/64 or, for 0..12, an immediate in the encoding byte itself.
 * A string shorter than 32 bytes that string2ll accepts is stored as an integer
 * (zipTryEncoding).
 *
 * Representation: `buf` holds exactly zlbytes bytes (ziplist.c reallocs on every change);
 * an entry "pointer" is a byte offset.
 *
 * Events: `ziplist/cascadeUpdated` lists each entry whose prevlen field grew from 1 to 5
 * bytes during one insert or delete (its index and new offset), including the entry right
 * after the change.
 */
import type { ExecContext } from '../context.ts'
import type { KeyName } from '../events.ts'
import { lpStringToInt64 } from './listpack.ts'

// --- Constants ---

export const ZIPLIST_HEADER_SIZE = 10
export const ZIPLIST_END_SIZE = 1
export const ZIP_END = 0xff
export const ZIP_BIG_PREVLEN = 254
const UINT16_MAX = 65535

const ZIP_STR_MASK = 0xc0
const ZIP_STR_06B = 0x00
const ZIP_STR_14B = 0x40
const ZIP_STR_32B = 0x80
const ZIP_INT_16B = 0xc0
const ZIP_INT_32B = 0xd0
const ZIP_INT_64B = 0xe0
const ZIP_INT_24B = 0xf0
const ZIP_INT_8B = 0xfe
const ZIP_INT_IMM_MIN = 0xf1
const ZIP_INT_IMM_MAX = 0xfd

// --- Types ---

export interface Ziplist {
  /** Exactly zlbytes bytes. */
  buf: Uint8Array
}

/** A decoded entry header — zlentry. */
export interface ZlEntry {
  readonly offset: number
  readonly prevrawlensize: number
  readonly prevrawlen: number
  readonly lensize: number
  /** Data bytes (string length, or integer width; 0 for immediates). */
  readonly len: number
  readonly headersize: number
  readonly encoding: number
}

// --- Header ---

function u32(buf: Uint8Array, at: number): number {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(at, true)
}

function setU32(buf: Uint8Array, at: number, v: number): void {
  new DataView(buf.buffer, buf.byteOffset, buf.byteLength).setUint32(at, v, true)
}

/** zlbytes. */
export function ziplistBlobLen(zl: Ziplist): number {
  return u32(zl.buf, 0)
}

function tailOffset(zl: Ziplist): number {
  return u32(zl.buf, 4)
}

function setTailOffset(zl: Ziplist, v: number): void {
  setU32(zl.buf, 4, v)
}

function lengthField(zl: Ziplist): number {
  return (zl.buf[8] ?? 0) | ((zl.buf[9] ?? 0) << 8)
}

/** ZIPLIST_INCR_LENGTH: the count saturates at 65535 ("count by scanning"). */
function incrLength(zl: Ziplist, incr: number): void {
  const n = lengthField(zl)
  if (n < UINT16_MAX) {
    const v = n + incr
    zl.buf[8] = v & 0xff
    zl.buf[9] = (v >> 8) & 0xff
  }
}

/** Reallocates to `len` bytes, writing zlbytes and the end marker — ziplistResize. */
function ziplistResize(zl: Ziplist, len: number): void {
  const next = new Uint8Array(len)
  next.set(zl.buf.subarray(0, Math.min(len, zl.buf.length)))
  zl.buf = next
  setU32(next, 0, len)
  next[len - 1] = ZIP_END
}

/** An empty ziplist: 11 bytes, zltail = 10 — ziplistNew. */
export function ziplistNew(): Ziplist {
  const buf = new Uint8Array(ZIPLIST_HEADER_SIZE + ZIPLIST_END_SIZE)
  setU32(buf, 0, buf.length)
  setU32(buf, 4, ZIPLIST_HEADER_SIZE)
  buf[buf.length - 1] = ZIP_END
  return { buf }
}

/** Number of entries, scanning when the header says 65535 — ziplistLen. */
export function ziplistLen(zl: Ziplist): number {
  const n = lengthField(zl)
  if (n < UINT16_MAX) return n
  let count = 0
  for (let p = ZIPLIST_HEADER_SIZE; zl.buf[p] !== ZIP_END; p += zipRawEntryLength(zl, p)) count++
  return count
}

// --- Entry encoding ---

/** Size of a prevlen field for a previous entry of `len` bytes — zipStorePrevEntryLength(NULL). */
function prevlenSize(len: number): number {
  return len < ZIP_BIG_PREVLEN ? 1 : 5
}

function storePrevlen(buf: Uint8Array, p: number, len: number, large: boolean): number {
  if (!large && len < ZIP_BIG_PREVLEN) {
    buf[p] = len
    return 1
  }
  buf[p] = ZIP_BIG_PREVLEN
  setU32(buf, p + 1, len)
  return 5
}

function decodePrevlen(buf: Uint8Array, p: number): { size: number; len: number } {
  const b = buf[p] ?? 0
  return b < ZIP_BIG_PREVLEN ? { size: 1, len: b } : { size: 5, len: u32(buf, p + 1) }
}

/** The integer encoding zipTryEncoding picks, or null for a string. */
function tryEncoding(s: string): { encoding: number; value: bigint } | null {
  if (s.length >= 32 || s.length === 0) return null
  const v = lpStringToInt64(s)
  if (v === null) return null
  let encoding: number
  if (v >= 0n && v <= 12n) encoding = ZIP_INT_IMM_MIN + Number(v)
  else if (v >= -128n && v <= 127n) encoding = ZIP_INT_8B
  else if (v >= -32768n && v <= 32767n) encoding = ZIP_INT_16B
  else if (v >= -8388608n && v <= 8388607n) encoding = ZIP_INT_24B
  else if (v >= -2147483648n && v <= 2147483647n) encoding = ZIP_INT_32B
  else encoding = ZIP_INT_64B
  return { encoding, value: v }
}

/** Data bytes of an integer encoding — zipIntSize. */
function zipIntSize(encoding: number): number {
  switch (encoding) {
    case ZIP_INT_8B:
      return 1
    case ZIP_INT_16B:
      return 2
    case ZIP_INT_24B:
      return 3
    case ZIP_INT_32B:
      return 4
    case ZIP_INT_64B:
      return 8
    default:
      return 0
  }
}

/** Bytes of the encoding field for a string of `len` bytes. */
function stringEncodingSize(len: number): number {
  if (len <= 0x3f) return 1
  if (len <= 0x3fff) return 2
  return 5
}

/** Decodes the entry at `p` — zipEntry. Returns null on an invalid encoding byte. */
export function zipEntry(zl: Ziplist, p: number): ZlEntry | null {
  const buf = zl.buf
  const prev = decodePrevlen(buf, p)
  const q = p + prev.size
  const b = buf[q] ?? 0
  let encoding: number
  let lensize: number
  let len: number
  if (b < ZIP_STR_MASK) {
    encoding = b & ZIP_STR_MASK
    if (encoding === ZIP_STR_06B) {
      lensize = 1
      len = b & 0x3f
    } else if (encoding === ZIP_STR_14B) {
      lensize = 2
      len = ((b & 0x3f) << 8) | (buf[q + 1] ?? 0)
    } else if (encoding === ZIP_STR_32B) {
      lensize = 5
      len = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(q + 1, false)
    } else {
      return null
    }
  } else {
    encoding = b
    lensize = 1
    if (b >= ZIP_INT_IMM_MIN && b <= ZIP_INT_IMM_MAX) len = 0
    else if (zipIntSize(b) > 0) len = zipIntSize(b)
    else return null
  }
  return {
    offset: p,
    prevrawlensize: prev.size,
    prevrawlen: prev.len,
    lensize,
    len,
    headersize: prev.size + lensize,
    encoding,
  }
}

function entryOrThrow(zl: Ziplist, p: number): ZlEntry {
  const e = zipEntry(zl, p)
  if (e === null) throw new Error(`ziplist: invalid entry at ${String(p)}`)
  return e
}

/** prevlen + encoding + data of the entry at `p` — zipRawEntryLength. */
function zipRawEntryLength(zl: Ziplist, p: number): number {
  const e = entryOrThrow(zl, p)
  return e.headersize + e.len
}

/** Writes encoding + data for `s` at `p`; returns bytes written. */
function writeEncodingAndData(buf: Uint8Array, p: number, s: string): number {
  const int = tryEncoding(s)
  if (int !== null) {
    buf[p] = int.encoding
    const size = zipIntSize(int.encoding)
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    if (int.encoding === ZIP_INT_64B) dv.setBigInt64(p + 1, int.value, true)
    else if (size > 0) {
      let u = Number(int.value)
      if (u < 0) u += 2 ** (8 * size)
      for (let i = 0; i < size; i++) {
        buf[p + 1 + i] = u & 0xff
        u = Math.floor(u / 256)
      }
    }
    return 1 + size
  }
  const len = s.length
  let at: number
  if (len <= 0x3f) {
    buf[p] = ZIP_STR_06B | len
    at = p + 1
  } else if (len <= 0x3fff) {
    buf[p] = ZIP_STR_14B | ((len >> 8) & 0x3f)
    buf[p + 1] = len & 0xff
    at = p + 2
  } else {
    buf[p] = ZIP_STR_32B
    new DataView(buf.buffer, buf.byteOffset, buf.byteLength).setUint32(p + 1, len, false)
    at = p + 5
  }
  for (let i = 0; i < len; i++) buf[at + i] = s.charCodeAt(i)
  return at - p + len
}

/** Bytes of encoding + data `s` needs. */
function encodedSize(s: string): number {
  const int = tryEncoding(s)
  return int !== null ? 1 + zipIntSize(int.encoding) : stringEncodingSize(s.length) + s.length
}

// --- Reading and navigation ---

/** The value of the entry at `p` as a byte string (integers in decimal) — ziplistGet. */
export function ziplistGet(zl: Ziplist, p: number): string {
  const e = entryOrThrow(zl, p)
  const buf = zl.buf
  const data = p + e.headersize
  if (e.encoding < ZIP_STR_MASK) {
    let s = ''
    for (let i = 0; i < e.len; i++) s += String.fromCharCode(buf[data + i] ?? 0)
    return s
  }
  if (e.encoding >= ZIP_INT_IMM_MIN && e.encoding <= ZIP_INT_IMM_MAX) {
    return String((e.encoding & 0x0f) - 1)
  }
  if (e.encoding === ZIP_INT_64B) {
    return new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
      .getBigInt64(data, true)
      .toString()
  }
  let u = 0
  for (let i = e.len - 1; i >= 0; i--) u = u * 256 + (buf[data + i] ?? 0)
  const half = 2 ** (8 * e.len - 1)
  return String(u >= half ? u - 2 * half : u)
}

/** The entry at `index` (negative from the tail, walking prevlen), or null — ziplistIndex. */
export function ziplistIndex(zl: Ziplist, index: number): number | null {
  if (index < 0) {
    index = -index - 1
    let p: number | null = tailOffset(zl)
    if (zl.buf[p] === ZIP_END) return null
    while (p !== null && index-- > 0) p = ziplistPrev(zl, p)
    return p
  }
  let p = ZIPLIST_HEADER_SIZE
  while (zl.buf[p] !== ZIP_END && index-- > 0) p += zipRawEntryLength(zl, p)
  return zl.buf[p] === ZIP_END ? null : p
}

/** The entry after `p`, or null — ziplistNext. */
export function ziplistNext(zl: Ziplist, p: number): number | null {
  if (zl.buf[p] === ZIP_END) return null
  const q = p + zipRawEntryLength(zl, p)
  return zl.buf[q] === ZIP_END ? null : q
}

/** The entry before `p` (p may be the end byte), or null — ziplistPrev. */
export function ziplistPrev(zl: Ziplist, p: number): number | null {
  if (zl.buf[p] === ZIP_END) {
    const t = tailOffset(zl)
    return zl.buf[t] === ZIP_END ? null : t
  }
  if (p === ZIPLIST_HEADER_SIZE) return null
  return p - decodePrevlen(zl.buf, p).len
}

/** Every element, head to tail. */
export function ziplistEntries(zl: Ziplist): string[] {
  const out: string[] = []
  for (let p = ZIPLIST_HEADER_SIZE; zl.buf[p] !== ZIP_END; p += zipRawEntryLength(zl, p)) {
    out.push(ziplistGet(zl, p))
  }
  return out
}

/** Every entry's decoded header (offsets, prevlen sizes), for panels and tests. */
export function ziplistWalk(zl: Ziplist): ZlEntry[] {
  const out: ZlEntry[] = []
  for (let p = ZIPLIST_HEADER_SIZE; zl.buf[p] !== ZIP_END;) {
    const e = entryOrThrow(zl, p)
    out.push(e)
    p += e.headersize + e.len
  }
  return out
}

function indexOf(zl: Ziplist, p: number): number {
  let i = 0
  for (let q = ZIPLIST_HEADER_SIZE; q < p; q += zipRawEntryLength(zl, q)) i++
  return i
}

// --- Cascade update ---

/**
 * Re-checks the prevlen fields after the entry at `p`, which changed size —
 * __ziplistCascadeUpdate (the 7.0 two-pass version). Returns the old offsets of the entries
 * whose prevlen grew, each with its new offset.
 *
 * Teacher note: the forward pass only measures. Walking from `p`, it stops at the first
 * entry whose prevlen already records the right length, or whose field is already big
 * enough (a 5-byte field takes a small value; fields never shrink). Every entry before that
 * point grows by 4 bytes and so changes the length the following entry must record. Then one
 * realloc of 4 × count bytes, and a backward pass moves each grown entry to its final place
 * and rewrites its prevlen.
 */
function cascadeUpdate(zl: Ziplist, p: number): number[] {
  const grown: number[] = []
  if (zl.buf[p] === ZIP_END) return grown
  const delta = 4
  const curlen = ziplistBlobLen(zl)
  const tail = tailOffset(zl)
  let cur = entryOrThrow(zl, p)
  const firstentrylen = cur.headersize + cur.len
  let prevlen = firstentrylen
  let prevlensize = prevlenSize(prevlen)
  let prevoffset = p
  p += prevlen
  let extra = 0
  const chain: ZlEntry[] = []
  while (zl.buf[p] !== ZIP_END) {
    cur = entryOrThrow(zl, p)
    if (cur.prevrawlen === prevlen) break
    if (cur.prevrawlensize >= prevlensize) {
      storePrevlen(zl.buf, p, prevlen, cur.prevrawlensize > prevlensize)
      break
    }
    const rawlen = cur.headersize + cur.len
    prevlen = rawlen + delta
    prevlensize = prevlenSize(prevlen)
    prevoffset = p
    chain.push(cur)
    p += rawlen
    extra += delta
  }
  if (extra === 0) return grown

  if (tail === prevoffset) {
    if (extra - delta !== 0) setTailOffset(zl, tail + extra - delta)
  } else {
    setTailOffset(zl, tail + extra)
  }
  // Make room once, moving everything after the last grown entry.
  const offset = p
  ziplistResize(zl, curlen + extra)
  const buf = zl.buf
  buf.copyWithin(offset + extra, offset, curlen - 1)
  let w = offset + extra
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i]
    if (e === undefined) continue
    const rawlen = e.headersize + e.len
    buf.copyWithin(w - (rawlen - e.prevrawlensize), e.offset + e.prevrawlensize, e.offset + rawlen)
    w -= rawlen + delta
    storePrevlen(buf, w, e.prevrawlen === 0 ? firstentrylen : e.prevrawlen + delta, false)
    grown.unshift(w)
  }
  return grown
}

function emitCascade(
  ctx: ExecContext,
  zl: Ziplist,
  key: KeyName,
  offsets: readonly number[],
): void {
  if (offsets.length === 0) return
  const entries = offsets.map((offset) => ({ index: indexOf(zl, offset), offset }))
  ctx.emit({ type: 'ziplist/cascadeUpdated', key, entries })
}

// --- Insert and delete ---

/**
 * Inserts `s` before the entry at `p` (or at the end when `p` is the end byte) —
 * __ziplistInsert. The next entry's prevlen is resized for the new entry (keeping a 5-byte
 * field rather than shrinking it below 4-byte entries: "forcelarge"), then the cascade runs.
 */
export function ziplistInsert(
  ctx: ExecContext,
  zl: Ziplist,
  p: number,
  s: string,
  key: KeyName,
): void {
  const curlen = ziplistBlobLen(zl)
  let prevlen = 0
  if (zl.buf[p] !== ZIP_END) {
    prevlen = decodePrevlen(zl.buf, p).len
  } else {
    const ptail = tailOffset(zl)
    if (zl.buf[ptail] !== ZIP_END) prevlen = zipRawEntryLength(zl, ptail)
  }
  const reqlen = encodedSize(s) + prevlenSize(prevlen)
  let forcelarge = false
  let nextdiff = zl.buf[p] !== ZIP_END ? prevlenSize(reqlen) - decodePrevlen(zl.buf, p).size : 0
  if (nextdiff === -4 && reqlen < 4) {
    nextdiff = 0
    forcelarge = true
  }
  const offset = p
  const newlen = curlen + reqlen + nextdiff
  ziplistResize(zl, newlen)
  const buf = zl.buf
  const grown: number[] = []
  if (buf[p] !== ZIP_END) {
    buf.copyWithin(p + reqlen, p - nextdiff, curlen - 1)
    storePrevlen(buf, p + reqlen, reqlen, forcelarge)
    setTailOffset(zl, tailOffset(zl) + reqlen)
    const next = entryOrThrow(zl, p + reqlen)
    if (buf[p + reqlen + next.headersize + next.len] !== ZIP_END) {
      setTailOffset(zl, tailOffset(zl) + nextdiff)
    }
    if (nextdiff === 4) grown.push(p + reqlen)
  } else {
    setTailOffset(zl, p)
  }
  if (nextdiff !== 0) grown.push(...cascadeUpdate(zl, p + reqlen))
  let w = offset
  w += storePrevlen(zl.buf, w, prevlen, false)
  writeEncodingAndData(zl.buf, w, s)
  incrLength(zl, 1)
  if (ctx.tracing) emitCascade(ctx, zl, key, grown)
}

/** Adds `s` at the head or the tail — ziplistPush. */
export function ziplistPush(
  ctx: ExecContext,
  zl: Ziplist,
  s: string,
  where: 'head' | 'tail',
  key: KeyName,
): void {
  const p = where === 'head' ? ZIPLIST_HEADER_SIZE : ziplistBlobLen(zl) - ZIPLIST_END_SIZE
  ziplistInsert(ctx, zl, p, s, key)
}

/**
 * Deletes `num` entries starting at `p` — __ziplistDelete. The entry that follows takes over
 * the first deleted entry's prevlen, which may need a bigger field and start a cascade.
 */
export function ziplistDeleteAt(
  ctx: ExecContext,
  zl: Ziplist,
  p: number,
  num: number,
  key: KeyName,
): void {
  let zlbytes = ziplistBlobLen(zl)
  const first = entryOrThrow(zl, p)
  let deleted = 0
  for (let i = 0; zl.buf[p] !== ZIP_END && i < num; i++) {
    p += zipRawEntryLength(zl, p)
    deleted++
  }
  const totlen = p - first.offset
  if (totlen <= 0) return
  let nextdiff = 0
  let setTail: number
  const grown: number[] = []
  if (zl.buf[p] !== ZIP_END) {
    nextdiff = prevlenSize(first.prevrawlen) - decodePrevlen(zl.buf, p).size
    p -= nextdiff
    storePrevlen(zl.buf, p, first.prevrawlen, false)
    setTail = tailOffset(zl) - totlen
    const t = entryOrThrow(zl, p)
    if (zl.buf[p + t.headersize + t.len] !== ZIP_END) setTail += nextdiff
    zl.buf.copyWithin(first.offset, p, zlbytes - 1)
  } else {
    setTail = first.offset - first.prevrawlen
  }
  zlbytes -= totlen - nextdiff
  ziplistResize(zl, zlbytes)
  incrLength(zl, -deleted)
  setTailOffset(zl, setTail)
  if (nextdiff === 4) grown.push(first.offset)
  if (nextdiff !== 0) grown.push(...cascadeUpdate(zl, first.offset))
  if (ctx.tracing) emitCascade(ctx, zl, key, grown)
}

/** Deletes the entry at `p` — ziplistDelete. The entry that followed is now at `p`. */
export function ziplistDelete(ctx: ExecContext, zl: Ziplist, p: number, key: KeyName): void {
  ziplistDeleteAt(ctx, zl, p, 1, key)
}

/** Deletes `num` entries from `index` — ziplistDeleteRange. */
export function ziplistDeleteRange(
  ctx: ExecContext,
  zl: Ziplist,
  index: number,
  num: number,
  key: KeyName,
): void {
  const p = ziplistIndex(zl, index)
  if (p !== null) ziplistDeleteAt(ctx, zl, p, num, key)
}

// --- Validation ---

/** zipEncodingLenSize: bytes of the encoding field, 0 for an invalid encoding byte. */
function zipEncodingLenSize(b: number): number {
  if (b < ZIP_STR_MASK) {
    const enc = b & ZIP_STR_MASK
    return enc === ZIP_STR_06B ? 1 : enc === ZIP_STR_14B ? 2 : enc === ZIP_STR_32B ? 5 : 0
  }
  return zipIntSize(b) > 0 || (b >= ZIP_INT_IMM_MIN && b <= ZIP_INT_IMM_MAX) ? 1 : 0
}

/**
 * Decodes the entry at `p` of a ziplist of `zlbytes` bytes only if it lies inside it —
 * zipEntrySafe: null when its prevlen or encoding field, its data or (with
 * `validatePrevlen`) the previous entry its prevlen points at reach outside the entries, or
 * its encoding byte is invalid. Safe on any bytes.
 */
export function zipEntrySafe(
  zl: Ziplist,
  zlbytes: number,
  p: number,
  validatePrevlen: boolean,
): ZlEntry | null {
  const zlfirst = ZIPLIST_HEADER_SIZE
  const zllast = zlbytes - ZIPLIST_END_SIZE
  const outOfRange = (q: number) => q < zlfirst || q > zllast
  if (outOfRange(p)) return null
  const prevrawlensize = (zl.buf[p] ?? 0) < ZIP_BIG_PREVLEN ? 1 : 5
  if (outOfRange(p + prevrawlensize)) return null
  const lensize = zipEncodingLenSize(zl.buf[p + prevrawlensize] ?? 0)
  if (lensize === 0 || outOfRange(p + prevrawlensize + lensize)) return null
  // Both headers are inside: the in-range decoder applies.
  const e = zipEntry(zl, p)
  if (e === null) return null
  if (outOfRange(p + e.headersize + e.len)) return null
  if (validatePrevlen && outOfRange(p - e.prevrawlen)) return null
  return e
}

/**
 * Whether `size` bytes are a valid ziplist — ziplistValidateIntegrity. Always the header:
 * zlbytes equals `size`, the last byte is the end marker, zltail is inside. With `deep`, every
 * entry (zipEntrySafe), each prevlen equal to the previous entry's size, the walk ending at
 * the end marker, zltail at the last entry and zllen right (unless 65535); `entryCb(p,
 * zllen)` may refuse an entry. Unlike ziplistValidate it checks nothing else (a 5-byte
 * prevlen holding a small length, or an integer stored as a string, are valid here).
 */
export function ziplistValidateIntegrity(
  zl: Ziplist,
  size: number,
  deep: boolean,
  entryCb?: (p: number, headerCount: number) => boolean,
): boolean {
  if (size < ZIPLIST_HEADER_SIZE + ZIPLIST_END_SIZE || zl.buf.length < size) return false
  if (u32(zl.buf, 0) !== size) return false
  if (zl.buf[size - ZIPLIST_END_SIZE] !== ZIP_END) return false
  if (tailOffset(zl) > size - ZIPLIST_END_SIZE) return false
  if (!deep) return true
  let count = 0
  const headerCount = lengthField(zl)
  let p = ZIPLIST_HEADER_SIZE
  let prev = -1
  let prevRawSize = 0
  while (zl.buf[p] !== ZIP_END) {
    const e = zipEntrySafe(zl, size, p, true)
    if (e === null || e.prevrawlen !== prevRawSize) return false
    if (entryCb !== undefined && !entryCb(p, headerCount)) return false
    prevRawSize = e.headersize + e.len
    prev = p
    p += prevRawSize
    count++
  }
  if (p !== size - ZIPLIST_END_SIZE) return false
  if (prev !== -1 && prev !== tailOffset(zl)) return false
  return headerCount === UINT16_MAX || count === headerCount
}

/**
 * Broken invariants, after ziplistValidateIntegrity (deep): zlbytes equals the buffer, the
 * end byte is last, every entry decodes and lies inside, each prevlen equals the previous
 * entry's length (a 5-byte field may hold a small value, a 1-byte field never a big one),
 * zltail points at the last entry, zllen matches unless it is 65535, and integers that fit
 * are never stored as strings.
 */
export function ziplistValidate(zl: Ziplist): string[] {
  const errors: string[] = []
  const buf = zl.buf
  if (buf.length < ZIPLIST_HEADER_SIZE + 1) return ['shorter than an empty ziplist']
  const bytes = ziplistBlobLen(zl)
  if (bytes !== buf.length) errors.push(`zlbytes ${String(bytes)} != ${String(buf.length)} bytes`)
  if (buf[buf.length - 1] !== ZIP_END) errors.push('last byte is not 0xFF')
  let p = ZIPLIST_HEADER_SIZE
  let prevlen = 0
  let last = ZIPLIST_HEADER_SIZE
  let count = 0
  while (p < buf.length - 1) {
    const e = zipEntry(zl, p)
    if (e === null) {
      errors.push(`entry at ${String(p)}: invalid encoding`)
      return errors
    }
    const raw = e.headersize + e.len
    if (p + raw > buf.length - 1) {
      errors.push(`entry at ${String(p)} runs past the end`)
      return errors
    }
    if (e.prevrawlen !== prevlen) {
      errors.push(`entry at ${String(p)}: prevlen ${String(e.prevrawlen)} != ${String(prevlen)}`)
    }
    if (e.prevrawlensize < prevlenSize(prevlen))
      errors.push(`entry at ${String(p)}: prevlen too small`)
    if (e.encoding < ZIP_STR_MASK && tryEncoding(ziplistGet(zl, p)) !== null) {
      errors.push(`entry at ${String(p)}: integer stored as a string`)
    }
    last = p
    prevlen = raw
    count++
    p += raw
  }
  if (tailOffset(zl) !== last) errors.push(`zltail ${String(tailOffset(zl))} != ${String(last)}`)
  const n = lengthField(zl)
  if (n !== UINT16_MAX && n !== count) errors.push(`zllen ${String(n)} != ${String(count)}`)
  return errors
}
