/**
 * The string type's operations on objects — follows redis/src/t_string.c and the string
 * parts of object.c and db.c (7.0.15).
 *
 * A string value is one of three encodings (object.ts): `int` (a 64-bit integer kept in the
 * robj's pointer), `embstr` (robj and sds in one 64-byte allocation, immutable, ≤ 44 bytes)
 * or `raw` (robj plus a separately allocated, growable sds). Commands that store a value as
 * given (SET, MSET, GETSET, SETNX ...) pass it through tryObjectEncoding, which picks the
 * most compact one; commands that modify bytes in place (APPEND, SETRANGE) first make the
 * value a private `raw` string (dbUnshareStringValue) and never re-encode it; INCR-family
 * commands produce integers (shared 0..9999 when allowed) and may update a private int in
 * place; INCRBYFLOAT produces a fresh string in "human" long double format.
 *
 * Emits: object/encodingConverted (APPEND/SETRANGE unsharing, INCR/INCRBYFLOAT changing the
 * encoding of the stored value), sds/grown (APPEND/SETRANGE/SETBIT/BITFIELD growing the
 * sds), object/created (full level: a new value object is stored).
 */
import type { ExecContext } from '../context.ts'
import type { ObjectEncoding } from '../events.ts'
import { dbOverwrite, type RedisDb } from '../keyspace/db.ts'
import type { ServerState } from '../state.ts'
import { sdsCatLen, sdsGrowZero, sdsMakeRoomFor, type Sds } from '../structures/sds.ts'
import { ld2stringHuman, ldFromLL, string2ld, string2ll, type LongDouble } from '../util/numbers.ts'
import {
  createRawStringObject,
  createStringObject,
  execArgvHold,
  getDecodedString,
  OBJ_SHARED_REFCOUNT,
  sdsObjectBuf,
  tryObjectEncoding,
  type RawStringObject,
  type RedisObject,
  type SdsStringObject,
  type StringObject,
} from './object.ts'

// --- Arguments as objects ---

/**
 * Builds the object Redis stores for a value argument: the protocol layer's
 * createStringObject (embstr up to 44 bytes, else raw) followed by tryObjectEncoding
 * (int, shared integer, embstr, or a trimmed raw) — of argv[index], as t_string.c does
 * `c->argv[j] = tryObjectEncoding(c->argv[j])`.
 */
export function createValueObject(
  srv: ServerState,
  ctx: ExecContext,
  key: string,
  argv: readonly string[],
  index: number,
): RedisObject {
  const o = tryObjectEncoding(srv, createStringObject(srv, argv[index] ?? ''))
  execArgvHold(srv, o)
  // c->argv[index] is now this object: the slow log copies an integer one as a bare robj
  // and a shared one not at all (slowlog.ts).
  if (o.encoding === 'int') srv.argvInts.push(index, o.refcount === OBJ_SHARED_REFCOUNT ? 1 : 0)
  if (ctx.full)
    ctx.emit({
      type: 'object/created',
      key,
      objType: 'string',
      encoding: o.encoding,
      shared: o.refcount === OBJ_SHARED_REFCOUNT,
    })
  return o
}

// --- Numeric views of string objects ---

/**
 * object.c getLongLongFromObject: a missing value is 0, an int-encoded one is its value,
 * text must pass string2ll. Null means "value is not an integer or out of range".
 */
export function getLongLongFromObject(o: StringObject | null): bigint | null {
  if (o === null) return 0n
  return o.encoding === 'int' ? o.ptr : string2ll(sdsObjectBuf(o))
}

/**
 * object.c getLongDoubleFromObject: a missing value is 0, an int-encoded one converts
 * exactly, text must pass string2ld. Null means "value is not a valid float".
 */
export function getLongDoubleFromObject(o: StringObject | null): LongDouble | null {
  if (o === null) return ldFromLL(0n)
  return o.encoding === 'int' ? ldFromLL(o.ptr) : string2ld(sdsObjectBuf(o))
}

/**
 * object.c createStringObjectFromLongDouble(value, humanfriendly=1): the ld2string
 * LD_STR_HUMAN text as a new embstr/raw object (never int-encoded).
 */
export function createStringObjectFromLongDouble(
  srv: ServerState,
  value: LongDouble,
): SdsStringObject {
  return createStringObject(srv, ld2stringHuman(value))
}

// --- Size limit ---

/**
 * The longest byte string the engine can hold: V8's maximum string length (2^29 − 24). Redis
 * allows up to proto-max-bulk-len (512 MiB = 2^29); the last 24 bytes of that range cannot be
 * represented here and get the same "exceeds maximum allowed size" error (a documented
 * deviation that only strings of 536870889..536870912 bytes can see).
 */
export const ENGINE_MAX_STRING_LEN = 536870888

/**
 * t_string.c checkStringLength: true when a string of size + append bytes is allowed
 * (proto-max-bulk-len, 512 MiB by default; see ENGINE_MAX_STRING_LEN).
 */
export function checkStringLength(srv: ServerState, size: number, append: number): boolean {
  const total = size + append
  return total <= srv.config.protoMaxBulkLen && total <= ENGINE_MAX_STRING_LEN
}

/** The error checkStringLength replies with. */
export const STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)'

// --- In-place modification ---

/**
 * db.c dbUnshareStringValue: make the key's value a private RAW string so it can be
 * modified in place. A shared object (shared integer) or a non-RAW one (int, embstr) is
 * replaced by a fresh RAW copy of its bytes, tightly sized; emits
 * object/encodingConverted with `reason` ('append', 'setrange') when the encoding changes.
 */
export function dbUnshareStringValue(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  o: StringObject,
  reason: string,
): RawStringObject {
  if (o.refcount === 1 && o.encoding === 'raw') return o
  const fresh = createRawStringObject(srv, getDecodedString(o))
  dbOverwrite(srv, ctx, db, key, fresh)
  if (ctx.tracing && o.encoding !== 'raw')
    ctx.emit({
      type: 'object/encodingConverted',
      key,
      from: o.encoding,
      to: 'raw',
      reason,
      params: { len: fresh.ptr.buf.length, shared: o.refcount === OBJ_SHARED_REFCOUNT ? 1 : 0 },
    })
  return fresh
}

/** Emits sds/grown for a growth from `before` to `after` (when tracing). */
function emitGrowth(ctx: ExecContext, key: string, before: Sds, after: Sds, rule: string): void {
  if (!ctx.tracing) return
  ctx.emit({
    type: 'sds/grown',
    key,
    fromLen: before.buf.length,
    toLen: after.buf.length,
    fromAlloc: before.alloc,
    toAlloc: after.alloc,
    fromType: before.type,
    toType: after.type,
    rule: rule === 'doubled' || rule === 'plus1mb' || rule === 'exact' ? rule : 'fits',
  })
}

/**
 * APPEND's core: sdscatlen on a private RAW value (greedy growth: double below 1 MiB,
 * else +1 MiB). Emits sds/grown. Returns the new length.
 */
export function stringAppend(
  ctx: ExecContext,
  key: string,
  o: RawStringObject,
  bytes: string,
): number {
  const before = o.ptr
  const rule = ctx.tracing ? sdsMakeRoomFor(before, bytes.length).rule : 'fits'
  o.ptr = sdsCatLen(before, bytes)
  emitGrowth(ctx, key, before, o.ptr, rule)
  return o.ptr.buf.length
}

/**
 * SETRANGE's core: sdsgrowzero to offset + len (greedy, NUL padding) then overwrite the
 * bytes at `offset`. Emits sds/grown when the string had to grow. Returns the new length.
 */
export function stringSetRange(
  ctx: ExecContext,
  key: string,
  o: RawStringObject,
  offset: number,
  bytes: string,
): number {
  const before = o.ptr
  const need = offset + bytes.length
  const grows = need > before.buf.length
  const rule = ctx.tracing && grows ? sdsMakeRoomFor(before, need - before.buf.length).rule : ''
  const grown = sdsGrowZero(before, need)
  const buf = grown.buf
  o.ptr = {
    buf: buf.slice(0, offset) + bytes + buf.slice(offset + bytes.length),
    alloc: grown.alloc,
    type: grown.type,
  }
  if (grows) emitGrowth(ctx, key, before, o.ptr, rule)
  return o.ptr.buf.length
}

/**
 * sdsgrowzero on a private RAW value (SETBIT/BITFIELD's lookupStringForBitCommand): grows
 * it to `len` bytes with NUL padding (greedy). Emits sds/grown. True when it grew.
 */
export function stringGrowZero(
  ctx: ExecContext,
  key: string,
  o: RawStringObject,
  len: number,
): boolean {
  const before = o.ptr
  if (len <= before.buf.length) return false
  const rule = ctx.tracing ? sdsMakeRoomFor(before, len - before.buf.length).rule : ''
  o.ptr = sdsGrowZero(before, len)
  emitGrowth(ctx, key, before, o.ptr, rule)
  return true
}

/** Emits object/encodingConverted when a command replaced a value with another encoding. */
export function noteEncodingChange(
  ctx: ExecContext,
  key: string,
  from: ObjectEncoding,
  to: ObjectEncoding,
  reason: string,
  params: Readonly<Record<string, number | string>> = {},
): void {
  if (ctx.tracing && from !== to)
    ctx.emit({ type: 'object/encodingConverted', key, from, to, reason, params })
}

// --- Ranges ---

/**
 * t_string.c getrangeCommand's index rules: negative indexes count from the end, both are
 * clamped, an inverted or empty range is "". Start and end are 64-bit.
 */
export function stringGetRange(s: string, start: bigint, end: bigint): string {
  const len = BigInt(s.length)
  if (start < 0n && end < 0n && start > end) return ''
  if (start < 0n) start = len + start
  if (end < 0n) end = len + end
  if (start < 0n) start = 0n
  if (end < 0n) end = 0n
  if (end >= len) end = len - 1n
  if (start > end || len === 0n) return ''
  return s.slice(Number(start), Number(end) + 1)
}

// --- LCS ---

/** One matched range of LCS IDX: positions in a and b (inclusive) and its length. */
export interface LcsMatch {
  readonly a: readonly [number, number]
  readonly b: readonly [number, number]
  readonly len: number
}

export interface LcsResult {
  /** LCS length. */
  readonly len: number
  /** The common subsequence (when computed). */
  readonly text: string
  /** Ranges from the end of the strings backwards, filtered by minmatchlen. */
  readonly matches: readonly LcsMatch[]
}

/**
 * t_string.c lcsCommand's algorithm: the (alen+1)×(blen+1) dynamic-programming table,
 * then a walk back from the end collecting the subsequence and the contiguous ranges
 * (emitted from the last one to the first, as Redis replies them). Ranges shorter than
 * `minmatchlen` are dropped (0 keeps all).
 */
export function lcsCompute(a: string, b: string, minmatchlen: number): LcsResult {
  const alen = a.length
  const blen = b.length
  const w = blen + 1
  const table = new Uint32Array((alen + 1) * w)
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1)
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) table[i * w + j] = (table[(i - 1) * w + j - 1] ?? 0) + 1
      else {
        const l1 = table[(i - 1) * w + j] ?? 0
        const l2 = table[i * w + j - 1] ?? 0
        table[i * w + j] = l1 > l2 ? l1 : l2
      }
    }
  }
  const total = table[alen * w + blen] ?? 0
  let idx = total
  const out: string[] = new Array<string>(total)
  const matches: LcsMatch[] = []
  let arangeStart = alen // alen means "no range open"
  let arangeEnd = 0
  let brangeStart = 0
  let brangeEnd = 0
  let i = alen
  let j = blen
  while (i > 0 && j > 0) {
    let emit = false
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[idx - 1] = a[i - 1] ?? ''
      if (arangeStart === alen) {
        arangeStart = i - 1
        arangeEnd = i - 1
        brangeStart = j - 1
        brangeEnd = j - 1
      } else if (arangeStart === i && brangeStart === j) {
        arangeStart--
        brangeStart--
      } else {
        emit = true
      }
      if (arangeStart === 0 || brangeStart === 0) emit = true
      idx--
      i--
      j--
    } else {
      const l1 = table[(i - 1) * w + j] ?? 0
      const l2 = table[i * w + j - 1] ?? 0
      if (l1 > l2) i--
      else j--
      if (arangeStart !== alen) emit = true
    }
    // Redis computes the length with unsigned 32-bit arithmetic, also for a closed range.
    const matchLen = (arangeEnd - arangeStart + 1) >>> 0
    if (emit) {
      if (minmatchlen === 0 || matchLen >= minmatchlen)
        matches.push({ a: [arangeStart, arangeEnd], b: [brangeStart, brangeEnd], len: matchLen })
      arangeStart = alen
    }
  }
  return { len: total, text: out.join(''), matches }
}
