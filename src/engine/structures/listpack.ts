/**
 * listpack — a compact, byte-level list of strings and integers. (← src/listpack.c, Redis 7.0.15)
 *
 * Used by small hashes and sorted sets and by every quicklist node. The layout is Redis's,
 * byte for byte:
 *
 *     <total-bytes u32 LE> <num-elements u16 LE> <entry> ... <entry> <0xFF>
 *     entry = <encoding + data> <backlen>
 *
 * An empty listpack is 7 bytes. `num-elements` saturates at 65535 (LP_HDR_NUMELE_UNKNOWN),
 * after which lpLength counts by scanning. Each element is stored as an integer when
 * lpStringToInt64 accepts it (strict decimal, no leading zeros, fits int64), in the smallest
 * of the 7-bit, 13-bit, 16/24/32/64-bit encodings; otherwise as a string with a 6-bit, 12-bit
 * or 32-bit length. `backlen` holds the length of this entry's own encoding + data, written
 * so it can be read right to left; that is how lpPrev walks backwards. Because no entry
 * records its neighbour's size, changing one entry never rewrites another — the cascade
 * update of the old ziplist (ziplist.ts) cannot happen here.
 *
 * Representation: `buf` is the allocation; the listpack is its first lpBytes(lp) bytes and
 * the rest is spare capacity (grown by doubling so repeated appends stay amortised O(1)
 * allocations; Redis reallocs exactly, which only changes how memory is obtained, never the
 * bytes). An entry "pointer" is a byte offset into `buf`; Redis's NULL is `null`.
 *
 * Events: the mutating functions take a tracer first (an ExecContext, or LP_SILENT) and,
 * last, the key the listpack belongs to and, inside a quicklist, the node id. They emit
 * `listpack/entryInserted`, `listpack/entryDeleted` and `listpack/entryReplaced` with the
 * element index, the byte offset and entry size (encoding + data + backlen) and the total
 * bytes afterwards. A range deletion is reported as one event per element, in order, as if
 * the elements were removed one at a time from the first (same index and offset each time).
 */
import type { ExecContext } from '../context.ts'
import type { KeyName } from '../events.ts'

// --- Constants ---

export const LP_HDR_SIZE = 6
export const LP_HDR_NUMELE_UNKNOWN = 65535
export const LP_EOF = 0xff
export const LP_INTBUF_SIZE = 21
/** lpSafeToAdd refuses to let a listpack grow past 1 GiB. */
export const LISTPACK_MAX_SAFETY_SIZE = 1 << 30
const LP_MAX_INT_ENCODING_LEN = 9
const UINT32_MAX = 0xffffffff

const LP_ENCODING_6BIT_STR = 0x80
const LP_ENCODING_13BIT_INT = 0xc0
const LP_ENCODING_12BIT_STR = 0xe0
const LP_ENCODING_16BIT_INT = 0xf1
const LP_ENCODING_24BIT_INT = 0xf2
const LP_ENCODING_32BIT_INT = 0xf3
const LP_ENCODING_64BIT_INT = 0xf4
const LP_ENCODING_32BIT_STR = 0xf0

// --- Types ---

export interface Listpack {
  /** The allocation; bytes [0, lpBytes) are the listpack, the rest is spare capacity. */
  buf: Uint8Array
}

/** Where lpInsert puts the element relative to the entry at `p` (LP_BEFORE/AFTER/REPLACE). */
export type LpWhere = 'before' | 'after' | 'replace'

/** What a listpack mutation needs to report events: an ExecContext satisfies it. */
export type LpTracer = Pick<ExecContext, 'tracing' | 'emit'>

/** A tracer that records nothing, for scratch listpacks and internal copies. */
export const LP_SILENT: LpTracer = { tracing: false, emit: () => undefined }

/** The encoding family of one entry, for panels and validation. */
export type LpEncodingName =
  | '7bit-uint'
  | '13bit-int'
  | '16bit-int'
  | '24bit-int'
  | '32bit-int'
  | '64bit-int'
  | '6bit-str'
  | '12bit-str'
  | '32bit-str'

/** The byte layout of one entry (lpWalk). */
export interface LpEntryLayout {
  readonly offset: number
  readonly encoding: LpEncodingName
  /** Encoding byte(s) + length bytes, without the data. */
  readonly headerSize: number
  /** Encoding + data: the value backlen stores. */
  readonly encodedSize: number
  readonly backlenSize: number
  readonly value: string
}

// --- Creation, header, size ---

/** Creates an empty listpack: 7 bytes, count 0, then the 0xFF terminator — lpNew. */
export function lpNew(capacity = 0): Listpack {
  const buf = new Uint8Array(Math.max(capacity, LP_HDR_SIZE + 1))
  setTotalBytes(buf, LP_HDR_SIZE + 1)
  setNumElements(buf, 0)
  buf[LP_HDR_SIZE] = LP_EOF
  return { buf }
}

/** A listpack holding a copy of exactly these bytes (no validation; see lpValidate). */
export function lpFromBytes(bytes: Uint8Array): Listpack {
  return { buf: bytes.slice() }
}

/** A copy of the listpack's bytes, exactly lpBytes long. */
export function lpToBytes(lp: Listpack): Uint8Array {
  return lp.buf.slice(0, lpBytes(lp))
}

/** A deep copy (its own buffer) — what quicklist does with memcpy before a split. */
export function lpDup(lp: Listpack): Listpack {
  return { buf: lpToBytes(lp) }
}

/** Total bytes from the header — lpBytes. */
export function lpBytes(lp: Listpack): number {
  return getTotalBytes(lp.buf)
}

/**
 * Number of elements — lpLength. Uses the header unless it says 65535 ("unknown"), in which
 * case it scans, and writes the count back when it fits again (as Redis does).
 */
export function lpLength(lp: Listpack): number {
  const numele = getNumElements(lp.buf)
  if (numele !== LP_HDR_NUMELE_UNKNOWN) return numele
  let count = 0
  for (let p = lpFirst(lp); p !== null; p = lpNext(lp, p)) count++
  if (count < LP_HDR_NUMELE_UNKNOWN) setNumElements(lp.buf, count)
  return count
}

/** Whether `add` more bytes keep the listpack within 1 GiB — lpSafeToAdd. */
export function lpSafeToAdd(lp: Listpack | null, add: number): boolean {
  const len = lp === null ? 0 : lpBytes(lp)
  return len + add <= LISTPACK_MAX_SAFETY_SIZE
}

// --- Integer parsing and encoding choice ---

/**
 * Parses a byte string as a strict int64 — lpStringToInt64 (util.c string2ll rules): no
 * spaces, no '+', no leading zeros except "0" itself, "-0" rejected, length 1..20. Returns
 * null when the string is not such an integer.
 */
export function lpStringToInt64(s: string): bigint | null {
  const slen = s.length
  if (slen === 0 || slen >= LP_INTBUF_SIZE) return null
  if (slen === 1 && s === '0') return 0n
  let i = 0
  const negative = s.charCodeAt(0) === 45
  if (negative) {
    i = 1
    if (slen === 1) return null
  }
  const first = s.charCodeAt(i)
  if (first < 49 || first > 57) return null
  for (let j = i + 1; j < slen; j++) {
    const c = s.charCodeAt(j)
    if (c < 48 || c > 57) return null
  }
  const v = BigInt(s)
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null
  return v
}

/** Bytes of encoding + data the element would take, and whether it is stored as an integer. */
export function lpEncodedSize(ele: string): { readonly int: boolean; readonly enclen: number } {
  const v = lpStringToInt64(ele)
  if (v !== null) return { int: true, enclen: lpEncodeIntegerGetType(v, null) }
  return { int: false, enclen: stringEncodedSize(ele.length) }
}

/** Total entry size (encoding + data + backlen) the element would take in a listpack. */
export function lpEntrySizeOf(ele: string): number {
  const { enclen } = lpEncodedSize(ele)
  return enclen + lpEncodeBacklen(null, 0, enclen)
}

function stringEncodedSize(len: number): number {
  if (len < 64) return 1 + len
  if (len < 4096) return 2 + len
  return 5 + len
}

/**
 * Writes the smallest integer encoding of `v` into `out` (when given) and returns its size —
 * lpEncodeIntegerGetType. 0..127 → 1 byte; −4096..4095 → 13-bit, 2 bytes; then 16-, 24-,
 * 32-bit (3, 4, 5 bytes) and 64-bit (9 bytes), two's complement little-endian.
 */
function lpEncodeIntegerGetType(v: bigint, out: Uint8Array | null, at = 0): number {
  if (v >= 0n && v <= 127n) {
    if (out) out[at] = Number(v)
    return 1
  }
  if (v >= -4096n && v <= 4095n) {
    let n = Number(v)
    if (n < 0) n = (1 << 13) + n
    if (out) {
      out[at] = (n >> 8) | LP_ENCODING_13BIT_INT
      out[at + 1] = n & 0xff
    }
    return 2
  }
  if (v >= -32768n && v <= 32767n) {
    if (out) {
      out[at] = LP_ENCODING_16BIT_INT
      writeIntLE(out, at + 1, Number(v), 2)
    }
    return 3
  }
  if (v >= -8388608n && v <= 8388607n) {
    if (out) {
      out[at] = LP_ENCODING_24BIT_INT
      writeIntLE(out, at + 1, Number(v), 3)
    }
    return 4
  }
  if (v >= -2147483648n && v <= 2147483647n) {
    if (out) {
      out[at] = LP_ENCODING_32BIT_INT
      writeIntLE(out, at + 1, Number(v), 4)
    }
    return 5
  }
  if (out) {
    out[at] = LP_ENCODING_64BIT_INT
    new DataView(out.buffer, out.byteOffset, out.byteLength).setBigInt64(at + 1, v, true)
  }
  return LP_MAX_INT_ENCODING_LEN
}

function writeIntLE(out: Uint8Array, at: number, n: number, bytes: number): void {
  let u = n < 0 ? n + 2 ** (8 * bytes) : n
  for (let i = 0; i < bytes; i++) {
    out[at + i] = u & 0xff
    u = Math.floor(u / 256)
  }
}

// --- backlen ---

/**
 * Writes the backlen of an entry whose encoding + data is `l` bytes at `buf[at..]` (when buf
 * is given) and returns its size, 1..5 — lpEncodeBacklen.
 *
 * Teacher note: the field is read right to left. Its last byte holds the lowest 7 bits;
 * every byte but the first carries 0x80, meaning "there is another byte to my left".
 */
export function lpEncodeBacklen(buf: Uint8Array | null, at: number, l: number): number {
  if (l <= 127) {
    if (buf) buf[at] = l
    return 1
  }
  let size: number
  if (l < 16383) size = 2
  else if (l < 2097151) size = 3
  else if (l < 268435455) size = 4
  else size = 5
  if (buf) {
    for (let i = size - 1, shift = 0; i >= 0; i--, shift += 7) {
      const bits = Math.floor(l / 2 ** shift) & 127
      buf[at + i] = i === 0 ? bits : bits | 128
    }
  }
  return size
}

/**
 * Reads a backlen whose last byte is at `p`, walking left — lpDecodeBacklen. Returns -1 when
 * more than 5 bytes claim continuation (corrupt).
 */
export function lpDecodeBacklen(buf: Uint8Array, p: number): number {
  let val = 0
  let shift = 0
  for (;;) {
    const b = buf[p] ?? 0
    val += (b & 127) * 2 ** shift
    if ((b & 128) === 0) break
    shift += 7
    p--
    if (shift > 28) return -1
  }
  return val
}

// --- Entry decoding ---

/** Encoding + data size of the entry at `p` (1 for EOF, 0 if the byte is not an encoding). */
function lpCurrentEncodedSizeUnsafe(buf: Uint8Array, p: number): number {
  const b = buf[p] ?? LP_EOF
  if ((b & 0x80) === 0) return 1
  if ((b & 0xc0) === LP_ENCODING_6BIT_STR) return 1 + (b & 0x3f)
  if ((b & 0xe0) === LP_ENCODING_13BIT_INT) return 2
  if (b === LP_ENCODING_16BIT_INT) return 3
  if (b === LP_ENCODING_24BIT_INT) return 4
  if (b === LP_ENCODING_32BIT_INT) return 5
  if (b === LP_ENCODING_64BIT_INT) return 9
  if ((b & 0xf0) === LP_ENCODING_12BIT_STR) return 2 + (((b & 0xf) << 8) | (buf[p + 1] ?? 0))
  if (b === LP_ENCODING_32BIT_STR) return 5 + readU32(buf, p + 1)
  if (b === LP_EOF) return 1
  return 0
}

function encodingName(b: number): LpEncodingName | null {
  if ((b & 0x80) === 0) return '7bit-uint'
  if ((b & 0xc0) === LP_ENCODING_6BIT_STR) return '6bit-str'
  if ((b & 0xe0) === LP_ENCODING_13BIT_INT) return '13bit-int'
  if (b === LP_ENCODING_16BIT_INT) return '16bit-int'
  if (b === LP_ENCODING_24BIT_INT) return '24bit-int'
  if (b === LP_ENCODING_32BIT_INT) return '32bit-int'
  if (b === LP_ENCODING_64BIT_INT) return '64bit-int'
  if ((b & 0xf0) === LP_ENCODING_12BIT_STR) return '12bit-str'
  if (b === LP_ENCODING_32BIT_STR) return '32bit-str'
  return null
}

const STRING_HEADER: Partial<Record<LpEncodingName, number>> = {
  '6bit-str': 1,
  '12bit-str': 2,
  '32bit-str': 5,
}

/**
 * Decodes the entry at `p`: a string entry as its byte string, an integer entry as a number
 * (or a bigint beyond 2^53) — the core of lpGetWithSize.
 */
function decodeEntry(buf: Uint8Array, p: number): string | number | bigint {
  const b = buf[p] ?? 0
  if ((b & 0x80) === 0) return b
  if ((b & 0xc0) === LP_ENCODING_6BIT_STR) return bytesToString(buf, p + 1, b & 0x3f)
  if ((b & 0xe0) === LP_ENCODING_13BIT_INT) {
    const u = ((b & 0x1f) << 8) | (buf[p + 1] ?? 0)
    return u >= 1 << 12 ? u - (1 << 13) : u
  }
  if (b === LP_ENCODING_16BIT_INT) return readIntLE(buf, p + 1, 2)
  if (b === LP_ENCODING_24BIT_INT) return readIntLE(buf, p + 1, 3)
  if (b === LP_ENCODING_32BIT_INT) return readIntLE(buf, p + 1, 4)
  if (b === LP_ENCODING_64BIT_INT) {
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getBigInt64(p + 1, true)
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v
  }
  if ((b & 0xf0) === LP_ENCODING_12BIT_STR) {
    return bytesToString(buf, p + 2, ((b & 0xf) << 8) | (buf[p + 1] ?? 0))
  }
  if (b === LP_ENCODING_32BIT_STR) return bytesToString(buf, p + 5, readU32(buf, p + 1))
  // Redis returns 12345678900000000 + byte for an unparseable entry rather than crashing.
  return 12345678900000000 + b
}

function readIntLE(buf: Uint8Array, at: number, bytes: number): number {
  let u = 0
  for (let i = bytes - 1; i >= 0; i--) u = u * 256 + (buf[at + i] ?? 0)
  const half = 2 ** (8 * bytes - 1)
  return u >= half ? u - 2 * half : u
}

function readU32(buf: Uint8Array, at: number): number {
  return (
    ((buf[at] ?? 0) | ((buf[at + 1] ?? 0) << 8) | ((buf[at + 2] ?? 0) << 16)) +
    (buf[at + 3] ?? 0) * 0x1000000
  )
}

/** bytesToString's scratch arrays, one per length 0..64, overwritten on every use. */
const DECODE_SCRATCH: number[][] = Array.from({ length: 65 }, (_, n) =>
  new Array<number>(n).fill(0),
)

function bytesToString(buf: Uint8Array, at: number, len: number): string {
  if (len <= SHORT_STRING_MAX) return shortBytesToString(buf, at, len)
  // Up to 64 bytes: copy into a reused plain array of exactly that length and make one flat
  // string from it (2-3× faster than a subarray or per-char concatenation).
  if (len <= 64) {
    const codes = DECODE_SCRATCH[len] as number[]
    for (let i = 0; i < len; i++) codes[i] = buf[at + i] as number
    return String.fromCharCode.apply(null, codes)
  }
  let out = ''
  for (let i = 0; i < len; i += 8192) {
    out += String.fromCharCode(...buf.subarray(at + i, at + Math.min(len, i + 8192)))
  }
  return out
}

/** The longest entry shortBytesToString decodes. */
const SHORT_STRING_MAX = 12

/** fromCharCode taking the reads of a Uint8Array as they are typed (past its end: 0). */
const fromBytes = String.fromCharCode as (...bytes: (number | undefined)[]) => string

/**
 * The bytes [at, at + len) as a byte string, len <= SHORT_STRING_MAX: one fromCharCode
 * call with twelve bytes as its arguments, cut to `len`; no array in between. Most list, hash
 * and set entries are this short: LRANGE 0 99 of 8-byte items runs a third faster than
 * through a scratch array (or than decoding the whole run at once and slicing it). The bytes
 * read past the entry (its backlen, the next entries, at worst past the end) are cut off.
 * (A switch with one call per length was faster still, but twelve copies of one line.)
 */
function shortBytesToString(b: Uint8Array, p: number, len: number): string {
  const s = fromBytes(
    b[p],
    b[p + 1],
    b[p + 2],
    b[p + 3],
    b[p + 4],
    b[p + 5],
    b[p + 6],
    b[p + 7],
    b[p + 8],
    b[p + 9],
    b[p + 10],
    b[p + 11],
  )
  return len === SHORT_STRING_MAX ? s : s.slice(0, len)
}

// --- Navigation ---

/** Offset of the entry after `p`, which may be the EOF byte — lpSkip. */
export function lpSkip(lp: Listpack, p: number): number {
  const entrylen = lpCurrentEncodedSizeUnsafe(lp.buf, p)
  return p + entrylen + lpEncodeBacklen(null, 0, entrylen)
}

/** The entry after `p`, or null when `p` is the last — lpNext. */
export function lpNext(lp: Listpack, p: number): number | null {
  const q = lpSkip(lp, p)
  return lp.buf[q] === LP_EOF ? null : q
}

/** The entry before `p` (read through its backlen), or null when `p` is the first — lpPrev. */
export function lpPrev(lp: Listpack, p: number): number | null {
  if (p === LP_HDR_SIZE) return null
  const prevlen = lpDecodeBacklen(lp.buf, p - 1)
  return p - prevlen - lpEncodeBacklen(null, 0, prevlen)
}

/** The first entry, or null when empty — lpFirst. */
export function lpFirst(lp: Listpack): number | null {
  return lp.buf[LP_HDR_SIZE] === LP_EOF ? null : LP_HDR_SIZE
}

/** The last entry, or null when empty — lpLast (lpPrev from the EOF byte). */
export function lpLast(lp: Listpack): number | null {
  return lpPrev(lp, lpBytes(lp) - 1)
}

/**
 * The entry at `index` (negative counts from the tail, −1 = last), or null out of range —
 * lpSeek. With a known count, scans from whichever end is nearer (forward when
 * index ≤ count/2); with an unknown count, forward for index ≥ 0, backward otherwise.
 */
export function lpSeek(lp: Listpack, index: number): number | null {
  let forward = true
  const numele = getNumElements(lp.buf)
  if (numele !== LP_HDR_NUMELE_UNKNOWN) {
    if (index < 0) index = numele + index
    if (index < 0 || index >= numele) return null
    if (index > Math.trunc(numele / 2)) {
      forward = false
      index -= numele
    }
  } else if (index < 0) {
    forward = false
  }
  if (forward) {
    let ele = lpFirst(lp)
    while (index > 0 && ele !== null) {
      ele = lpNext(lp, ele)
      index--
    }
    return ele
  }
  let ele = lpLast(lp)
  while (index < -1 && ele !== null) {
    ele = lpPrev(lp, ele)
    index++
  }
  return ele
}

/** The index of the entry at offset `p` (a forward scan; used for event payloads). */
export function lpIndexOf(lp: Listpack, p: number): number {
  let index = 0
  for (let q = LP_HDR_SIZE; q < p && lp.buf[q] !== LP_EOF; q = lpSkip(lp, q)) index++
  return index
}

// --- Reading ---

/**
 * The element at `p` as a byte string; integers come back in decimal, as lpGet does with an
 * intbuf.
 */
export function lpGet(lp: Listpack, p: number): string {
  const v = decodeEntry(lp.buf, p)
  return typeof v === 'string' ? v : v.toString()
}

/**
 * The element at `p` as stored: a byte string for string entries, a bigint for integer
 * entries — lpGetValue.
 */
export function lpGetValue(lp: Listpack, p: number): string | bigint {
  const v = decodeEntry(lp.buf, p)
  return typeof v === 'string' ? v : BigInt(v)
}

/**
 * Pushes up to `n` elements onto `out` as lpGet returns them, starting at the entry at `p`
 * and moving towards the tail (`forward`) or the head; returns how many were pushed (fewer
 * than `n` when an end of the listpack is reached). One pass over the bytes, no per-entry
 * objects — the LRANGE walk (lpGet + lpNext/lpPrev per element in Redis).
 */
export function lpGetRange(
  lp: Listpack,
  p: number,
  n: number,
  forward: boolean,
  out: string[],
): number {
  const buf = lp.buf
  let pushed = 0
  while (pushed < n) {
    const b = buf[p] as number
    let enclen: number
    if ((b & 0x80) === 0) {
      out.push(SMALL_UINTS[b] as string)
      enclen = 1
    } else if ((b & 0xc0) === LP_ENCODING_6BIT_STR) {
      const len = b & 0x3f
      out.push(bytesToString(buf, p + 1, len))
      enclen = 1 + len
    } else {
      out.push(lpGet(lp, p))
      enclen = lpCurrentEncodedSizeUnsafe(buf, p)
    }
    pushed++
    if (forward) {
      // enclen < 128 has a 1-byte backlen.
      p += enclen + (enclen < 128 ? 1 : lpEncodeBacklen(null, 0, enclen))
      if (buf[p] === LP_EOF) break
    } else {
      if (p === LP_HDR_SIZE) break
      const last = buf[p - 1] as number
      if ((last & 128) === 0) {
        p -= last + 1
      } else {
        const prevlen = lpDecodeBacklen(buf, p - 1)
        p -= prevlen + lpEncodeBacklen(null, 0, prevlen)
      }
    }
  }
  return pushed
}

/** Decimal strings of the 7-bit immediates 0..127. */
const SMALL_UINTS: readonly string[] = Array.from({ length: 128 }, (_, i) => String(i))

/** Size of the entry at `p`: encoding + data + backlen. */
export function lpEntrySize(lp: Listpack, p: number): number {
  return lpSkip(lp, p) - p
}

/** Every element, head to tail, as byte strings. */
export function lpEntries(lp: Listpack): string[] {
  const out: string[] = []
  for (let p = lpFirst(lp); p !== null; p = lpNext(lp, p)) out.push(lpGet(lp, p))
  return out
}

/** The byte layout of every entry, for panels (offset, encoding, sizes, value). */
export function lpWalk(lp: Listpack): LpEntryLayout[] {
  const out: LpEntryLayout[] = []
  for (let p = lpFirst(lp); p !== null; p = lpNext(lp, p)) {
    const encoding = encodingName(lp.buf[p] ?? 0) ?? '7bit-uint'
    const encodedSize = lpCurrentEncodedSizeUnsafe(lp.buf, p)
    out.push({
      offset: p,
      encoding,
      headerSize: STRING_HEADER[encoding] ?? encodedSize,
      encodedSize,
      backlenSize: lpEncodeBacklen(null, 0, encodedSize),
      value: lpGet(lp, p),
    })
  }
  return out
}

/**
 * Whether the entry at `p` equals the byte string `s` — lpCompare. An integer entry equals
 * `s` only when `s` is the canonical decimal of that integer ("007" never equals 7).
 */
export function lpCompare(lp: Listpack, p: number, s: string): boolean {
  const buf = lp.buf
  if (buf[p] === LP_EOF) return false
  const data = stringData(buf, p)
  if (data !== null) return bytesEqual(buf, data.at, data.len, s)
  const sv = lpStringToInt64(s)
  return sv !== null && sv === BigInt(decodeEntry(buf, p))
}

/**
 * Scans from `p` for an entry equal to `s`, comparing one entry then skipping `skip`
 * entries (skip = 1 visits only hash fields or zset members) — lpFind. An integer entry is
 * compared only when `s` is shorter than 32 bytes and parses as an integer. String entries
 * are compared in place, length first, without building strings.
 */
export function lpFind(lp: Listpack, p: number | null, s: string, skip: number): number | null {
  const buf = lp.buf
  let skipcnt = 0
  let vll: bigint | null | undefined
  while (p !== null && buf[p] !== LP_EOF) {
    if (skipcnt === 0) {
      const data = stringData(buf, p)
      if (data !== null) {
        if (bytesEqual(buf, data.at, data.len, s)) return p
      } else {
        if (vll === undefined) vll = s.length >= 32 ? null : lpStringToInt64(s)
        if (vll !== null && BigInt(decodeEntry(buf, p)) === vll) return p
      }
      skipcnt = skip
    } else {
      skipcnt--
    }
    p = lpSkip(lp, p)
  }
  return null
}

/** Where a string entry's bytes are, or null for an integer entry. */
function stringData(buf: Uint8Array, p: number): { at: number; len: number } | null {
  const b = buf[p] ?? 0
  if ((b & 0xc0) === LP_ENCODING_6BIT_STR) return { at: p + 1, len: b & 0x3f }
  if ((b & 0xf0) === LP_ENCODING_12BIT_STR) {
    return { at: p + 2, len: ((b & 0xf) << 8) | (buf[p + 1] ?? 0) }
  }
  if (b === LP_ENCODING_32BIT_STR) return { at: p + 5, len: readU32(buf, p + 1) }
  return null
}

function bytesEqual(buf: Uint8Array, at: number, len: number, s: string): boolean {
  if (len !== s.length) return false
  for (let i = 0; i < len; i++) if (buf[at + i] !== s.charCodeAt(i)) return false
  return true
}

// --- Mutation ---

/**
 * Inserts `ele` before or after the entry at `p`, or replaces it — lpInsert (via
 * lpInsertString). `p` may be the EOF offset with 'before' (that is lpAppend). The element is
 * stored as an integer if lpStringToInt64 accepts it. Returns the offset of the new entry
 * (Redis's *newp), or null if the result would exceed UINT32_MAX bytes (nothing changes).
 */
export function lpInsertString(
  t: LpTracer,
  lp: Listpack,
  ele: string,
  p: number,
  where: LpWhere,
  key: KeyName,
  node?: number,
): number | null {
  const v = lpStringToInt64(ele)
  return v !== null
    ? insertEncoded(t, lp, null, v, p, where, key, node, ele)
    : insertEncoded(t, lp, ele, 0n, p, where, key, node, ele)
}

/** lpInsertString for a 64-bit integer — lpInsertInteger. */
export function lpInsertInteger(
  t: LpTracer,
  lp: Listpack,
  v: bigint,
  p: number,
  where: LpWhere,
  key: KeyName,
  node?: number,
): number | null {
  return insertEncoded(t, lp, null, v, p, where, key, node, v.toString())
}

/** Appends at the tail (inserts before the EOF byte) — lpAppend. */
export function lpAppend(
  t: LpTracer,
  lp: Listpack,
  ele: string,
  key: KeyName,
  node?: number,
): number | null {
  return lpInsertString(t, lp, ele, lpBytes(lp) - 1, 'before', key, node)
}

/** Inserts at the head — lpPrepend. */
export function lpPrepend(
  t: LpTracer,
  lp: Listpack,
  ele: string,
  key: KeyName,
  node?: number,
): number | null {
  const p = lpFirst(lp)
  if (p === null) return lpAppend(t, lp, ele, key, node)
  return lpInsertString(t, lp, ele, p, 'before', key, node)
}

/** Appends an integer — lpAppendInteger. */
export function lpAppendInteger(
  t: LpTracer,
  lp: Listpack,
  v: bigint,
  key: KeyName,
  node?: number,
): number | null {
  return lpInsertInteger(t, lp, v, lpBytes(lp) - 1, 'before', key, node)
}

/** Prepends an integer — lpPrependInteger. */
export function lpPrependInteger(
  t: LpTracer,
  lp: Listpack,
  v: bigint,
  key: KeyName,
  node?: number,
): number | null {
  const p = lpFirst(lp)
  if (p === null) return lpAppendInteger(t, lp, v, key, node)
  return lpInsertInteger(t, lp, v, p, 'before', key, node)
}

/** Replaces the entry at `p`; returns its (unchanged) offset — lpReplace. */
export function lpReplace(
  t: LpTracer,
  lp: Listpack,
  p: number,
  ele: string,
  key: KeyName,
  node?: number,
): number | null {
  return lpInsertString(t, lp, ele, p, 'replace', key, node)
}

/** Replaces the entry at `p` with an integer — lpReplaceInteger. */
export function lpReplaceInteger(
  t: LpTracer,
  lp: Listpack,
  p: number,
  v: bigint,
  key: KeyName,
  node?: number,
): number | null {
  return lpInsertInteger(t, lp, v, p, 'replace', key, node)
}

/**
 * Deletes the entry at `p`; returns the offset of the entry that followed it, or null when
 * it was the last — lpDelete.
 */
export function lpDelete(
  t: LpTracer,
  lp: Listpack,
  p: number,
  key: KeyName,
  node?: number,
): number | null {
  const index = t.tracing ? lpIndexOf(lp, p) : 0
  const size = lpEntrySize(lp, p)
  const old = lpBytes(lp)
  lp.buf.copyWithin(p, p + size, old)
  setTotalBytes(lp.buf, old - size)
  const numele = getNumElements(lp.buf)
  if (numele !== LP_HDR_NUMELE_UNKNOWN) setNumElements(lp.buf, numele - 1)
  if (t.tracing) emitDeleted(t, key, node, index, p, size, old - size)
  return lp.buf[p] === LP_EOF ? null : p
}

/**
 * Deletes up to `num` entries starting at `p`; returns the offset of the entry after them,
 * or null when the deletion reached the end — lpDeleteRangeWithEntry.
 */
export function lpDeleteRangeWithEntry(
  t: LpTracer,
  lp: Listpack,
  p: number,
  num: number,
  key: KeyName,
  node?: number,
): number | null {
  if (num === 0) return p
  const bytes = lpBytes(lp)
  const index = t.tracing ? lpIndexOf(lp, p) : 0
  const sizes: number[] = []
  let tail = p
  let deleted = 0
  while (num-- > 0) {
    deleted++
    const next = lpSkip(lp, tail)
    sizes.push(next - tail)
    tail = next
    if (lp.buf[tail] === LP_EOF) break
  }
  lp.buf.copyWithin(p, tail, bytes)
  setTotalBytes(lp.buf, bytes - (tail - p))
  const numele = getNumElements(lp.buf)
  if (numele !== LP_HDR_NUMELE_UNKNOWN) setNumElements(lp.buf, numele - deleted)
  if (t.tracing) emitDeletedRun(t, key, node, index, p, sizes, bytes)
  return lp.buf[p] === LP_EOF ? null : p
}

/**
 * Deletes `num` entries starting at `index` (negative counts from the tail) — lpDeleteRange.
 * When the count is known and the range runs to the end, Redis just moves the EOF byte.
 */
export function lpDeleteRange(
  t: LpTracer,
  lp: Listpack,
  index: number,
  num: number,
  key: KeyName,
  node?: number,
): void {
  const numele = getNumElements(lp.buf)
  if (num === 0) return
  const p = lpSeek(lp, index)
  if (p === null) return
  if (numele !== LP_HDR_NUMELE_UNKNOWN && index < 0) index = numele + index
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele - index <= num) {
    const sizes: number[] = []
    const bytes = lpBytes(lp)
    if (t.tracing)
      for (let q: number | null = p; q !== null; q = lpNext(lp, q)) sizes.push(lpEntrySize(lp, q))
    lp.buf[p] = LP_EOF
    setTotalBytes(lp.buf, p + 1)
    setNumElements(lp.buf, index)
    if (t.tracing) emitDeletedRun(t, key, node, index, p, sizes, bytes)
    return
  }
  lpDeleteRangeWithEntry(t, lp, p, num, key, node)
}

/**
 * Appends the elements of `second` to `first` — lpMerge. Like Redis, the larger listpack
 * (by bytes; `first` on a tie) is the one kept and grown; the other is emptied. Returns which
 * one now holds the merged contents. The count saturates at 65535 ("unknown").
 */
export function lpMerge(first: Listpack, second: Listpack): 'first' | 'second' {
  const firstBytes = lpBytes(first)
  const secondBytes = lpBytes(second)
  const total = firstBytes + secondBytes - LP_HDR_SIZE - 1
  if (total >= UINT32_MAX) throw new RangeError('lpMerge: result would not fit in 32 bits')
  const length = Math.min(lpLength(first) + lpLength(second), LP_HDR_NUMELE_UNKNOWN)
  const keepFirst = firstBytes >= secondBytes
  const merged = new Uint8Array(Math.max(total, (keepFirst ? first : second).buf.length))
  merged.set(first.buf.subarray(0, firstBytes - 1), 0)
  merged.set(second.buf.subarray(LP_HDR_SIZE, secondBytes), firstBytes - 1)
  setTotalBytes(merged, total)
  setNumElements(merged, length)
  const emptied = lpNew()
  if (keepFirst) {
    first.buf = merged
    second.buf = emptied.buf
    return 'first'
  }
  second.buf = merged
  first.buf = emptied.buf
  return 'second'
}

/**
 * The shared body of lpInsert: make room (or close the gap) with one memmove, write the
 * encoding, the data and the backlen, then fix the header.
 */
function insertEncoded(
  t: LpTracer,
  lp: Listpack,
  str: string | null,
  int: bigint,
  p: number,
  where: LpWhere,
  key: KeyName,
  node: number | undefined,
  shown: string,
): number | null {
  // 'after' is 'before' the next entry (which may be the EOF byte).
  if (where === 'after') {
    p = lpSkip(lp, p)
    where = 'before'
  }
  const enclen = str === null ? lpEncodeIntegerGetType(int, null) : stringEncodedSize(str.length)
  const backlenSize = lpEncodeBacklen(null, 0, enclen)
  const entrySize = enclen + backlenSize
  const old = lpBytes(lp)
  const replacedLen = where === 'replace' ? lpEntrySize(lp, p) : 0
  const total = old + entrySize - replacedLen
  if (total > UINT32_MAX) return null
  const index = t.tracing ? lpIndexOf(lp, p) : 0

  if (total > lp.buf.length) {
    const grown = new Uint8Array(Math.max(total, Math.min(lp.buf.length * 2, total + (1 << 20))))
    grown.set(lp.buf.subarray(0, old))
    lp.buf = grown
  }
  const buf = lp.buf
  buf.copyWithin(p + entrySize, p + replacedLen, old)

  // Write the element.
  if (str === null) lpEncodeIntegerGetType(int, buf, p)
  else writeString(buf, p, str)
  lpEncodeBacklen(buf, p + enclen, enclen)

  if (where === 'before') {
    const numele = getNumElements(buf)
    if (numele !== LP_HDR_NUMELE_UNKNOWN) setNumElements(buf, numele + 1)
  }
  setTotalBytes(buf, total)

  if (t.tracing) {
    const base = { key, index, offset: p, size: entrySize, totalBytes: total, value: shown }
    const withNode = node === undefined ? base : { ...base, node }
    t.emit(
      where === 'replace'
        ? { type: 'listpack/entryReplaced', ...withNode, oldSize: replacedLen }
        : { type: 'listpack/entryInserted', ...withNode },
    )
  }
  return p
}

function writeString(buf: Uint8Array, at: number, s: string): void {
  const len = s.length
  let data: number
  if (len < 64) {
    buf[at] = len | LP_ENCODING_6BIT_STR
    data = at + 1
  } else if (len < 4096) {
    buf[at] = (len >> 8) | LP_ENCODING_12BIT_STR
    buf[at + 1] = len & 0xff
    data = at + 2
  } else {
    buf[at] = LP_ENCODING_32BIT_STR
    writeIntLE(buf, at + 1, len, 4)
    data = at + 5
  }
  for (let i = 0; i < len; i++) buf[data + i] = s.charCodeAt(i)
}

function emitDeleted(
  t: LpTracer,
  key: KeyName,
  node: number | undefined,
  index: number,
  offset: number,
  size: number,
  totalBytes: number,
): void {
  const base = { type: 'listpack/entryDeleted' as const, key, index, offset, size, totalBytes }
  t.emit(node === undefined ? base : { ...base, node })
}

function emitDeletedRun(
  t: LpTracer,
  key: KeyName,
  node: number | undefined,
  index: number,
  offset: number,
  sizes: readonly number[],
  bytesBefore: number,
): void {
  let total = bytesBefore
  for (const size of sizes) {
    total -= size
    emitDeleted(t, key, node, index, offset, size, total)
  }
}

// --- Validation ---

/** Bytes of the encoding and length fields of an entry starting with `b` (0: not an encoding). */
function lpCurrentEncodedSizeBytes(b: number): number {
  if ((b & 0xf0) === LP_ENCODING_12BIT_STR) return 2
  if (b === LP_ENCODING_32BIT_STR) return 5
  const int = b === LP_ENCODING_16BIT_INT || b === LP_ENCODING_24BIT_INT
  const wide = b === LP_ENCODING_32BIT_INT || b === LP_ENCODING_64BIT_INT
  // 7-bit uint, 6-bit string, 13-bit int, the 16/24/32/64-bit ints and EOF: one byte.
  return b < 0xe0 || int || wide || b === LP_EOF ? 1 : 0
}

/**
 * Checks the entry at `p` of a listpack of `lpbytes` bytes in `buf` and steps over it —
 * lpValidateNext. Returns the next entry's offset, null when `p` is the EOF byte, or false
 * when the entry is invalid: its header or body reaches outside the listpack, or its backlen
 * does not match its size. Safe on any bytes (nothing is read before it is known in range).
 */
export function lpValidateNext(buf: Uint8Array, p: number, lpbytes: number): number | null | false {
  const outOfRange = (q: number) => q < LP_HDR_SIZE || q > lpbytes - 1
  if (outOfRange(p)) return false
  const b = buf[p] ?? 0
  if (b === LP_EOF) return null
  const lenbytes = lpCurrentEncodedSizeBytes(b)
  if (lenbytes === 0) return false
  if (outOfRange(p + lenbytes)) return false
  // lpCurrentEncodedSizeUnsafe is a uint32_t in Redis: a 32-bit string length near 2^32 wraps.
  let entrylen = lpCurrentEncodedSizeUnsafe(buf, p) % 2 ** 32
  const encodedBacklen = lpEncodeBacklen(null, 0, entrylen)
  entrylen += encodedBacklen
  if (outOfRange(p + entrylen)) return false
  const next = p + entrylen
  // The backlen at the end must match the size read at the start.
  const prevlen = lpDecodeBacklen(buf, next - 1)
  if (prevlen + encodedBacklen !== entrylen) return false
  return next
}

/**
 * Whether `size` bytes in `buf` are a valid listpack — lpValidateIntegrity. Always the
 * header: the total bytes equal `size` and the last byte is EOF. With `deep`, every entry
 * too (lpValidateNext), the walk must end at the EOF byte, and the header count must match
 * (unless 65535); `entryCb(p, numele)` may refuse an entry, after it was validated.
 */
export function lpValidateIntegrity(
  buf: Uint8Array,
  size: number,
  deep: boolean,
  entryCb?: (p: number, numele: number) => boolean,
): boolean {
  if (size < LP_HDR_SIZE + 1) return false
  const bytes = getTotalBytes(buf)
  if (bytes !== size) return false
  if (buf[size - 1] !== LP_EOF) return false
  if (!deep) return true
  let count = 0
  const numele = getNumElements(buf)
  let p: number | null = LP_HDR_SIZE
  while (p !== null && buf[p] !== LP_EOF) {
    const prev: number = p
    const next = lpValidateNext(buf, p, bytes)
    if (next === false) return false
    p = next
    if (entryCb !== undefined && !entryCb(prev, numele)) return false
    count++
  }
  if (p !== size - 1) return false
  return numele === LP_HDR_NUMELE_UNKNOWN || numele === count
}

/**
 * Broken invariants, modelled on lpValidateIntegrity (deep) plus our canonical-encoding rules:
 * the header's total bytes fits the buffer and the last byte is EOF; every entry has a known
 * encoding, lies inside the listpack and has a backlen equal to its encoding + data size; a
 * backward walk visits the same entries; the header count matches (unless 65535); every
 * element is in the encoding lpInsert would choose for it.
 */
export function lpValidate(lp: Listpack): string[] {
  const errors: string[] = []
  const buf = lp.buf
  if (buf.length < LP_HDR_SIZE + 1) return ['buffer shorter than an empty listpack']
  const bytes = getTotalBytes(buf)
  if (bytes < LP_HDR_SIZE + 1 || bytes > buf.length) {
    return [`total bytes ${String(bytes)} outside [7, ${String(buf.length)}]`]
  }
  if (buf[bytes - 1] !== LP_EOF) errors.push('last byte is not 0xFF')
  const offsets: number[] = []
  let p = LP_HDR_SIZE
  while (p < bytes - 1) {
    const b = buf[p] ?? 0
    const name = encodingName(b)
    if (name === null) {
      errors.push(`entry at ${String(p)}: invalid encoding byte 0x${b.toString(16)}`)
      return errors
    }
    const encodedSize = lpCurrentEncodedSizeUnsafe(buf, p)
    const backlenSize = lpEncodeBacklen(null, 0, encodedSize)
    const end = p + encodedSize + backlenSize
    if (end > bytes - 1) {
      errors.push(`entry at ${String(p)} runs past the end`)
      return errors
    }
    const backlen = lpDecodeBacklen(buf, end - 1)
    if (backlen !== encodedSize) {
      errors.push(`entry at ${String(p)}: backlen ${String(backlen)} != ${String(encodedSize)}`)
    }
    const value = decodeEntry(buf, p)
    const expected =
      typeof value === 'string' ? lpEncodedSize(value) : { int: true, enclen: encodedSize }
    const canonical =
      typeof value === 'string'
        ? !expected.int && expected.enclen === encodedSize
        : lpEncodeIntegerGetType(BigInt(value), null) === encodedSize
    if (!canonical) errors.push(`entry at ${String(p)}: not in its canonical encoding`)
    offsets.push(p)
    p = end
  }
  if (p !== bytes - 1) errors.push('entries do not end at the EOF byte')
  const numele = getNumElements(buf)
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== offsets.length) {
    errors.push(`header count ${String(numele)} != ${String(offsets.length)} entries`)
  }
  const backward: number[] = []
  for (let q = lpLast(lp); q !== null && backward.length <= offsets.length; q = lpPrev(lp, q)) {
    backward.push(q)
  }
  backward.reverse()
  if (backward.join() !== offsets.join()) errors.push('backward walk disagrees with forward walk')
  return errors
}

// --- Header helpers ---

function getTotalBytes(buf: Uint8Array): number {
  return readU32(buf, 0)
}

function setTotalBytes(buf: Uint8Array, v: number): void {
  writeIntLE(buf, 0, v, 4)
}

function getNumElements(buf: Uint8Array): number {
  return (buf[4] ?? 0) | ((buf[5] ?? 0) << 8)
}

function setNumElements(buf: Uint8Array, v: number): void {
  buf[4] = v & 0xff
  buf[5] = (v >> 8) & 0xff
}
