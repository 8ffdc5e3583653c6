/**
 * Bitmap commands on string values — follows redis/src/bitops.c (7.0.15): SETBIT, GETBIT,
 * BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.
 *
 * Design: a string value is a byte string (bytes.ts); bit 0 is the most significant bit of
 * byte 0. Readers work on the value's bytes as they are (an int-encoded value reads as its
 * decimal text, getObjectReadOnlyString). Writers (SETBIT, BITFIELD with SET/INCRBY) go
 * through lookupStringForBit: a missing key becomes a RAW string of NULs sized exactly
 * (sdsnewlen), an existing one is made a private RAW copy (dbUnshareStringValue) and grown
 * greedily with NUL padding (sdsgrowzero), so STRLEN, OBJECT ENCODING and MEMORY USAGE match
 * Redis. BITOP stores a fresh RAW string of the longest input's length, or deletes the
 * destination when every input is empty. Each handler keeps Redis's order of checks, which
 * decides which error a malformed command gets and whether a missing key answers first.
 *
 * BITFIELD arithmetic is 64-bit: values are bigints wrapped with BigInt.asIntN/asUintN
 * where C relies on two's-complement wrap-around (overflow checks included, so quirks such
 * as `OVERFLOW SAT SET u8 0 -1` giving 255 are kept).
 *
 * Emits (through types/t_string.ts): object/encodingConverted when a write unshares an int
 * or embstr value, sds/grown when a write grows the string, object/created (full level)
 * when BITOP stores its result.
 */
import { cstr } from '../bytes.ts'
import {
  dbAdd,
  dbDelete,
  lookupKeyRead,
  lookupKeyWrite,
  setKey,
  signalModifiedKey,
} from '../keyspace/db.ts'
import { NOTIFY_GENERIC, NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import {
  array,
  error,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  integer,
  NIL,
  ONE,
  ZERO,
  type Reply,
} from '../reply.ts'
import {
  createRawStringObject,
  getDecodedString,
  type RawStringObject,
  type StringObject,
} from '../types/object.ts'
import {
  dbUnshareStringValue,
  ENGINE_MAX_STRING_LEN,
  STRING_TOO_LONG,
  stringGrowZero,
} from '../types/t_string.ts'
import { string2ll } from '../util/numbers.ts'
import { integerLL, isToken, NOT_INTEGER, peekLiveKey } from './common.ts'
import { getLongOrReply } from './parse.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyWritten } from './pubsub.ts'

// --- Errors ---

const ERR_BIT_OFFSET = error('ERR bit offset is not an integer or out of range')
const ERR_BIT_VALUE_MSG = 'ERR bit is not an integer or out of range'
const ERR_BITFIELD_TYPE = error(
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
)

// --- Byte helpers ---

/** Bits set in each byte value. */
const BITS_IN_BYTE: Uint8Array = (() => {
  const t = new Uint8Array(256)
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + (t[i >> 1] ?? 0)
  return t
})()

/** redisPopcount: set bits in `count` bytes of `s` from `start`. */
export function popcount(s: string, start: number, count: number): number {
  let bits = 0
  const end = start + count
  for (let i = start; i < end; i++) bits += BITS_IN_BYTE[s.charCodeAt(i)] ?? 0
  return bits
}

/**
 * redisBitpos: the position of the first bit equal to `bit` in `count` bytes of `s` from
 * `start`. Not found: -1 when looking for a 1; count*8 when looking for a 0 (Redis sees the
 * bytes as followed by zero padding).
 */
export function bitpos(s: string, start: number, count: number, bit: number): number {
  const skip = bit ? 0 : 0xff
  const end = start + count
  for (let i = start; i < end; i++) {
    const b = s.charCodeAt(i)
    if (b === skip) continue
    for (let k = 0; k < 8; k++) if (((b >> (7 - k)) & 1) === bit) return (i - start) * 8 + k
  }
  return bit ? -1 : count * 8
}

/** A byte string from a byte array (chunked: String.fromCharCode takes bounded argument lists). */
function bytesToString(a: Uint8Array): string {
  const parts: string[] = []
  for (let i = 0; i < a.length; i += 8192)
    parts.push(String.fromCharCode.apply(null, Array.from(a.subarray(i, i + 8192))))
  return parts.join('')
}

/** Replaces the bytes of `s` at `at` with `bytes`. */
function spliceBytes(s: string, at: number, bytes: string): string {
  return s.slice(0, at) + bytes + s.slice(at + bytes.length)
}

/** getUnsignedBitfield: `bits` bits at bit `offset` of `s` (bytes past the end read as 0). */
export function getUnsignedBitfield(s: string, offset: number, bits: number): bigint {
  let value = 0n
  for (let j = 0; j < bits; j++, offset++) {
    const byte = Math.floor(offset / 8)
    const b = byte < s.length ? s.charCodeAt(byte) : 0
    value = (value << 1n) | BigInt((b >> (7 - (offset & 7))) & 1)
  }
  return value
}

/** getSignedBitfield: the unsigned field with its top bit propagated (two's complement). */
export function getSignedBitfield(s: string, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedBitfield(s, offset, bits))
}

/**
 * setUnsignedBitfield: writes the low `bits` bits of `value` at bit `offset` (the string
 * must already hold them). Returns the new string.
 */
export function setUnsignedBitfield(
  s: string,
  offset: number,
  bits: number,
  value: bigint,
): string {
  const first = Math.floor(offset / 8)
  const last = Math.floor((offset + bits - 1) / 8)
  const win = new Uint8Array(last - first + 1)
  for (let i = 0; i < win.length; i++) win[i] = s.charCodeAt(first + i)
  let pos = offset - first * 8
  for (let j = 0; j < bits; j++, pos++) {
    const bitval = Number((value >> BigInt(bits - 1 - j)) & 1n)
    const bit = 7 - (pos & 7)
    const k = pos >> 3
    win[k] = ((win[k] ?? 0) & ~(1 << bit)) | (bitval << bit)
  }
  return spliceBytes(s, first, bytesToString(win))
}

// --- Argument parsing ---

/**
 * getBitOffsetFromArgument: a bit offset ≥ 0 whose byte is below proto-max-bulk-len. With
 * `hash` and `bits` > 0, "#N" means N*bits (64-bit wrap-around, as in C).
 */
function getBitOffset(c: CommandCall, arg: string, hash: boolean, bits: number): number | Reply {
  const usehash = arg.startsWith('#') && hash && bits > 0
  let v = string2ll(usehash ? arg.slice(1) : arg)
  if (v === null) return ERR_BIT_OFFSET
  if (usehash) v = BigInt.asIntN(64, v * BigInt(bits))
  if (v < 0n || v >> 3n >= BigInt(c.srv.config.protoMaxBulkLen)) return ERR_BIT_OFFSET
  return Number(v)
}

interface BitfieldType {
  readonly sign: boolean
  readonly bits: number
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the width is read up to a NUL: strlen). */
function getBitfieldType(arg: string): BitfieldType | null {
  const p = arg.charAt(0)
  if (p !== 'i' && p !== 'u') return null
  const sign = p === 'i'
  const bits = string2ll(cstr(arg.slice(1)))
  if (bits === null || bits < 1n || bits > (sign ? 64n : 63n)) return null
  return { sign, bits: Number(bits) }
}

/** The bytes a read-only bit command sees (getObjectReadOnlyString; '' for a missing key). */
function readOnlyBytes(o: StringObject | null): string {
  return o === null ? '' : getDecodedString(o)
}

/**
 * lookupStringForBitCommand: the key's value as a private RAW string holding at least bit
 * `maxbit` (created, or unshared and NUL-padded), with `dirty` telling whether it was
 * created or grew; or an error reply (WRONGTYPE, or the engine's string size limit).
 */
function lookupStringForBit(
  c: CommandCall,
  key: string,
  maxbit: number,
): { o: RawStringObject; dirty: boolean } | Reply {
  const { srv, ctx, db } = c
  const need = Math.floor(maxbit / 8) + 1
  const o = lookupKeyWrite(srv, ctx, db, key)
  if (o !== null && o.type !== 'string') return ERR_WRONGTYPE
  // Redis can address up to proto-max-bulk-len bytes; a JS string stops a little short.
  if (need > ENGINE_MAX_STRING_LEN) return error(STRING_TOO_LONG)
  if (o === null) {
    const fresh = createRawStringObject(srv, '\0'.repeat(need))
    dbAdd(ctx, db, key, fresh, srv)
    return { o: fresh, dirty: true }
  }
  const raw = dbUnshareStringValue(srv, ctx, db, key, o, c.cmd.name)
  return { o: raw, dirty: stringGrowZero(ctx, key, raw, need) }
}

/** The string's length before a write command changes it, for the trace (0: missing). */
function lengthBefore(c: CommandCall, key: string): number {
  const o = peekLiveKey(c, key)
  return o?.type === 'string' ? getDecodedString(o as StringObject).length : 0
}

/** Replaces a private RAW value's bytes (same length, same allocation). */
function setBytes(o: RawStringObject, buf: string): void {
  o.ptr = { buf, alloc: o.ptr.alloc, type: o.ptr.type }
}

// --- SETBIT / GETBIT ---

/** SETBIT key offset 0|1 → the bit's previous value. */
function setbitCommand(c: CommandCall): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  const offset = getBitOffset(c, c.argv[2] ?? '', false, 0)
  if (typeof offset !== 'number') return offset
  const on = getLongOrReply(c.argv[3] ?? '', ERR_BIT_VALUE_MSG)
  if (typeof on !== 'bigint') return on
  if (on !== 0n && on !== 1n) return error(ERR_BIT_VALUE_MSG)
  const fromLen = ctx.tracing ? lengthBefore(c, key) : 0
  const r = lookupStringForBit(c, key, offset)
  if (!('o' in r)) return r
  const byte = Math.floor(offset / 8)
  const bit = 7 - (offset & 7)
  const byteval = r.o.ptr.buf.charCodeAt(byte)
  const bitval = (byteval >> bit) & 1
  if (ctx.tracing)
    ctx.emit({
      type: 'bitmap/bitSet',
      key,
      offset,
      byte,
      bit: offset & 7,
      old: bitval ? 1 : 0,
      value: on === 1n ? 1 : 0,
      fromLen,
      toLen: r.o.ptr.buf.length,
    })
  if (r.dirty || bitval !== Number(on)) {
    const next = (byteval & ~(1 << bit)) | (Number(on) << bit)
    setBytes(r.o, spliceBytes(r.o.ptr.buf, byte, String.fromCharCode(next)))
    signalModifiedKey(srv, ctx, db, key)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'setbit', key, db.id)
    srv.dirty++
  }
  return bitval ? ONE : ZERO
}

/** GETBIT key offset */
function getbitCommand(c: CommandCall): Reply {
  const offset = getBitOffset(c, c.argv[2] ?? '', false, 0)
  if (typeof offset !== 'number') return offset
  const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[1] ?? '')
  if (o === null) return ZERO
  if (o.type !== 'string') return ERR_WRONGTYPE
  const s = getDecodedString(o)
  const byte = Math.floor(offset / 8)
  const value = byte >= s.length ? 0 : (s.charCodeAt(byte) >> (7 - (offset & 7))) & 1
  if (c.ctx.full)
    c.ctx.emit({
      type: 'bitmap/bitRead',
      key: c.argv[1] ?? '',
      offset,
      byte,
      bit: offset & 7,
      value: value ? 1 : 0,
      length: s.length,
    })
  return value ? ONE : ZERO
}

// --- BITCOUNT / BITPOS ---

/** A resolved BITCOUNT/BITPOS range: bytes [start, end] and the edge masks of BIT ranges. */
interface ByteRange {
  start: number
  end: number
  firstMask: number
  lastMask: number
}

/**
 * The index rules shared by BITCOUNT and BITPOS: negative indexes count from the end of the
 * string (in bytes, or bits with BIT), both are clamped to [0, len-1], and a BIT range is
 * turned into bytes plus masks of the edge bits outside it.
 */
function resolveRange(start: bigint, end: bigint, totlen: bigint, isbit: boolean): ByteRange {
  if (isbit) totlen <<= 3n
  if (start < 0n) start = totlen + start
  if (end < 0n) end = totlen + end
  if (start < 0n) start = 0n
  if (end < 0n) end = 0n
  if (end >= totlen) end = totlen - 1n
  let firstMask = 0
  let lastMask = 0
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff
    lastMask = (1 << (7 - Number(end & 7n))) - 1
    start >>= 3n
    end >>= 3n
  }
  // Past-the-end starts only matter as "start > end".
  const s = start > totlen ? Number(totlen) + 1 : Number(start)
  return { start: s, end: Number(end), firstMask, lastMask }
}

/** BYTE or BIT (case-insensitive), or null for a syntax error. */
function parseUnit(arg: string): boolean | null {
  if (isToken(arg, 'BIT')) return true
  if (isToken(arg, 'BYTE')) return false
  return null
}

/** BITCOUNT key [start end [BYTE|BIT]] */
function bitcountCommand(c: CommandCall): Reply {
  const { argv } = c
  const o = lookupKeyRead(c.srv, c.ctx, c.db, argv[1] ?? '')
  if (o === null) return ZERO
  if (o.type !== 'string') return ERR_WRONGTYPE
  const p = readOnlyBytes(o)
  let range: ByteRange
  if (argv.length === 4 || argv.length === 5) {
    const start = string2ll(argv[2] ?? '')
    if (start === null) return NOT_INTEGER
    const end = string2ll(argv[3] ?? '')
    if (end === null) return NOT_INTEGER
    if (start < 0n && end < 0n && start > end) return ZERO
    let isbit = false
    if (argv.length === 5) {
      const unit = parseUnit(argv[4] ?? '')
      if (unit === null) return ERR_SYNTAX
      isbit = unit
    }
    range = resolveRange(start, end, BigInt(p.length), isbit)
  } else if (argv.length === 2) {
    range = { start: 0, end: p.length - 1, firstMask: 0, lastMask: 0 }
  } else return ERR_SYNTAX
  const { start, end, firstMask, lastMask } = range
  if (start > end) return ZERO
  let count = popcount(p, start, end - start + 1)
  // Bits of the edge bytes outside a BIT range were counted: take them back.
  if (firstMask !== 0) count -= BITS_IN_BYTE[p.charCodeAt(start) & firstMask] ?? 0
  if (lastMask !== 0) count -= BITS_IN_BYTE[p.charCodeAt(end) & lastMask] ?? 0
  if (c.ctx.full)
    c.ctx.emit({
      type: 'bitmap/bitsCounted',
      key: argv[1] ?? '',
      start,
      end,
      firstMask,
      lastMask,
      count,
    })
  return integer(count)
}

/** redisBitpos over one byte value. */
function bitposByte(b: number, bit: number): number {
  return bitpos(String.fromCharCode(b), 0, 1, bit)
}

/** BITPOS key bit [start [end [BYTE|BIT]]] */
function bitposCommand(c: CommandCall): Reply {
  const { argv } = c
  const bitArg = getLongOrReply(argv[2] ?? '')
  if (typeof bitArg !== 'bigint') return bitArg
  if (bitArg !== 0n && bitArg !== 1n) return error('ERR The bit argument must be 1 or 0.')
  const bit = Number(bitArg)
  const o = lookupKeyRead(c.srv, c.ctx, c.db, argv[1] ?? '')
  if (o === null) return integer(bit ? -1 : 0)
  if (o.type !== 'string') return ERR_WRONGTYPE
  const p = readOnlyBytes(o)
  let endGiven = false
  let range: ByteRange
  if (argv.length >= 4 && argv.length <= 6) {
    const totlen = BigInt(p.length)
    const start = string2ll(argv[3] ?? '')
    if (start === null) return NOT_INTEGER
    let isbit = false
    if (argv.length === 6) {
      const unit = parseUnit(argv[5] ?? '')
      if (unit === null) return ERR_SYNTAX
      isbit = unit
    }
    let end: bigint
    if (argv.length >= 5) {
      const e = string2ll(argv[4] ?? '')
      if (e === null) return NOT_INTEGER
      end = e
      endGiven = true
    } else end = isbit ? (totlen << 3n) + 7n : totlen - 1n
    range = resolveRange(start, end, totlen, isbit)
  } else if (argv.length === 3) {
    range = { start: 0, end: p.length - 1, firstMask: 0, lastMask: 0 }
  } else return ERR_SYNTAX
  let { start } = range
  const { end, firstMask, lastMask } = range
  // An empty range holds neither a 0 nor a 1.
  if (start > end) return integer(-1)
  let bytes = end - start + 1
  let pos: number
  found: {
    if (firstMask) {
      let b = p.charCodeAt(start)
      b = bit ? b & ~firstMask : b | firstMask
      if (lastMask && bytes === 1) b = bit ? b & ~lastMask : b | lastMask
      pos = bitposByte(b & 0xff, bit)
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break found
      start++
      bytes--
    }
    // A last byte with bits outside the range is searched on its own, masked.
    const curbytes = bytes - (lastMask ? 1 : 0)
    if (curbytes > 0) {
      pos = bitpos(p, start, curbytes, bit)
      if (bytes === curbytes || (pos !== -1 && pos !== curbytes * 8)) break found
      start += curbytes
      bytes -= curbytes
    }
    const b = p.charCodeAt(end)
    pos = bitposByte((bit ? b & ~lastMask : b | lastMask) & 0xff, bit)
  }
  // With an explicit end, the bits right of the range are not zero padding: no 0 found.
  if (endGiven && bit === 0 && pos === bytes * 8) pos = -1
  else if (pos !== -1) pos += start * 8
  if (c.ctx.full)
    c.ctx.emit({
      type: 'bitmap/bitFound',
      key: argv[1] ?? '',
      bit: bit ? 1 : 0,
      start: range.start,
      end,
      pos,
    })
  return integer(pos)
}

// --- BITOP ---

const BITOP_AND = 0
const BITOP_OR = 1
const BITOP_XOR = 2
const BITOP_NOT = 3

/** BITOP AND|OR|XOR|NOT destkey key [key ...] → the stored string's length. */
function bitopCommand(c: CommandCall): Reply {
  const { srv, ctx, db, argv } = c
  const opname = argv[1] ?? ''
  let op: number
  if (isToken(opname, 'AND')) op = BITOP_AND
  else if (isToken(opname, 'OR')) op = BITOP_OR
  else if (isToken(opname, 'XOR')) op = BITOP_XOR
  else if (isToken(opname, 'NOT')) op = BITOP_NOT
  else return ERR_SYNTAX
  if (op === BITOP_NOT && argv.length !== 4)
    return error('ERR BITOP NOT must be called with a single source key.')
  const target = argv[2] ?? ''
  const src: string[] = []
  let maxlen = 0
  for (let j = 3; j < argv.length; j++) {
    const o = lookupKeyRead(srv, ctx, db, argv[j] ?? '')
    if (o !== null && o.type !== 'string') return ERR_WRONGTYPE
    // A missing key is an empty string.
    const s = o === null ? '' : getDecodedString(o)
    src.push(s)
    if (s.length > maxlen) maxlen = s.length
  }
  if (maxlen > 0) {
    const res = new Uint8Array(maxlen)
    const first = src[0] ?? ''
    for (let j = 0; j < maxlen; j++) {
      // Bytes past a source's end are 0.
      let out = j < first.length ? first.charCodeAt(j) : 0
      if (op === BITOP_NOT) out = ~out & 0xff
      for (let i = 1; i < src.length; i++) {
        const s = src[i] ?? ''
        const b = j < s.length ? s.charCodeAt(j) : 0
        if (op === BITOP_AND) out &= b
        else if (op === BITOP_OR) out |= b
        else out ^= b
      }
      res[j] = out
    }
    const o = createRawStringObject(srv, bytesToString(res))
    setKey(srv, ctx, db, target, o)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'set', target, db.id)
    if (ctx.full)
      ctx.emit({
        type: 'object/created',
        key: target,
        objType: 'string',
        encoding: 'raw',
        shared: false,
      })
    srv.dirty++
  } else if (dbDelete(ctx, db, target)) {
    signalModifiedKey(srv, ctx, db, target)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'del', target, db.id)
    srv.dirty++
  }
  return integer(maxlen)
}

// --- BITFIELD ---

const BFOVERFLOW_WRAP = 0
const BFOVERFLOW_SAT = 1
const BFOVERFLOW_FAIL = 2

const INT64_MAX = (1n << 63n) - 1n

/** A checked overflow: 0 none, 1 above the maximum, -1 below the minimum; and the value to store. */
interface Overflow {
  readonly dir: number
  readonly limit: bigint
}

/**
 * checkUnsignedBitfieldOverflow: does value + incr leave [0, 2^bits − 1]? `value` is an
 * unsigned 64-bit number, `incr` a signed one; the limit is the wrapped or saturated result.
 */
export function checkUnsignedBitfieldOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  owtype: number,
): Overflow {
  const max = (1n << BigInt(bits)) - 1n
  const maxincr = BigInt.asIntN(64, max - value)
  const minincr = BigInt.asIntN(64, -value)
  const wrapped = (): bigint => BigInt.asUintN(64, value + incr) & max
  if (value > max || (incr > 0n && incr > maxincr))
    return { dir: 1, limit: owtype === BFOVERFLOW_WRAP ? wrapped() : max }
  if (incr < 0n && incr < minincr)
    return { dir: -1, limit: owtype === BFOVERFLOW_WRAP ? wrapped() : 0n }
  return { dir: 0, limit: 0n }
}

/**
 * checkSignedBitfieldOverflow: does value + incr leave [−2^(bits−1), 2^(bits−1) − 1]? The
 * intermediate differences wrap at 64 bits exactly as the C code's do.
 */
export function checkSignedBitfieldOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  owtype: number,
): Overflow {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n
  const min = -max - 1n
  const maxincr = BigInt.asIntN(64, max - value)
  const minincr = BigInt.asIntN(64, min - value)
  const wrapped = (): bigint => BigInt.asIntN(bits, BigInt.asUintN(64, value + incr))
  if (
    value > max ||
    (bits !== 64 && incr > maxincr) ||
    (value >= 0n && incr > 0n && incr > maxincr)
  )
    return { dir: 1, limit: owtype === BFOVERFLOW_WRAP ? wrapped() : max }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr))
    return { dir: -1, limit: owtype === BFOVERFLOW_WRAP ? wrapped() : min }
  return { dir: 0, limit: 0n }
}

const BITFIELDOP_GET = 0
const BITFIELDOP_SET = 1
const BITFIELDOP_INCRBY = 2

interface BitfieldOp {
  readonly offset: number
  readonly i64: bigint
  readonly opcode: number
  readonly owtype: number
  readonly bits: number
  readonly sign: boolean
}

/**
 * One SET or INCRBY on the bytes `buf`: the reply (the old value for SET, the new one for
 * INCRBY, nil when OVERFLOW FAIL refuses), the new bytes, and whether the field changed.
 */
function bitfieldWrite(
  buf: string,
  op: BitfieldOp,
): { reply: Reply; buf: string; changed: boolean } {
  const oldval = op.sign
    ? getSignedBitfield(buf, op.offset, op.bits)
    : getUnsignedBitfield(buf, op.offset, op.bits)
  let newval: bigint
  let ow: Overflow
  if (op.opcode === BITFIELDOP_INCRBY) {
    ow = op.sign
      ? checkSignedBitfieldOverflow(oldval, op.i64, op.bits, op.owtype)
      : checkUnsignedBitfieldOverflow(oldval, op.i64, op.bits, op.owtype)
    newval = ow.dir !== 0 ? ow.limit : oldval + op.i64
  } else {
    // SET: an unsigned field sees the value as a 64-bit unsigned number.
    newval = op.sign ? op.i64 : BigInt.asUintN(64, op.i64)
    ow = op.sign
      ? checkSignedBitfieldOverflow(newval, 0n, op.bits, op.owtype)
      : checkUnsignedBitfieldOverflow(newval, 0n, op.bits, op.owtype)
    if (ow.dir !== 0) newval = ow.limit
  }
  if (ow.dir !== 0 && op.owtype === BFOVERFLOW_FAIL) return { reply: NIL, buf, changed: false }
  const retval = op.opcode === BITFIELDOP_INCRBY ? newval : oldval
  const next = setUnsignedBitfield(buf, op.offset, op.bits, BigInt.asUintN(64, newval))
  return { reply: integerLL(BigInt.asIntN(64, retval)), buf: next, changed: oldval !== newval }
}

/**
 * bitfieldGeneric: parse every subcommand first (GET type offset, SET type offset value,
 * INCRBY type offset incr, OVERFLOW WRAP|SAT|FAIL applying to the ops after it), then look
 * the key up (for writing only when some op writes, growing it to the farthest written
 * bit) and run the ops in order.
 */
function bitfieldGeneric(c: CommandCall, readonlyCommand: boolean): Reply {
  const { srv, ctx, db, argv } = c
  const key = argv[1] ?? ''
  const ops: BitfieldOp[] = []
  let owtype = BFOVERFLOW_WRAP
  let readonly = true
  let highestWriteOffset = 0
  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1
    const subcmd = argv[j] ?? ''
    let opcode: number
    if (isToken(subcmd, 'GET') && remargs >= 2) opcode = BITFIELDOP_GET
    else if (isToken(subcmd, 'SET') && remargs >= 3) opcode = BITFIELDOP_SET
    else if (isToken(subcmd, 'INCRBY') && remargs >= 3) opcode = BITFIELDOP_INCRBY
    else if (isToken(subcmd, 'OVERFLOW') && remargs >= 1) {
      const name = argv[++j] ?? ''
      if (isToken(name, 'WRAP')) owtype = BFOVERFLOW_WRAP
      else if (isToken(name, 'SAT')) owtype = BFOVERFLOW_SAT
      else if (isToken(name, 'FAIL')) owtype = BFOVERFLOW_FAIL
      else return error('ERR Invalid OVERFLOW type specified')
      continue
    } else return ERR_SYNTAX
    const type = getBitfieldType(argv[j + 1] ?? '')
    if (type === null) return ERR_BITFIELD_TYPE
    const offset = getBitOffset(c, argv[j + 2] ?? '', true, type.bits)
    if (typeof offset !== 'number') return offset
    let i64 = 0n
    if (opcode !== BITFIELDOP_GET) {
      readonly = false
      highestWriteOffset = Math.max(highestWriteOffset, offset + type.bits - 1)
      const v = string2ll(argv[j + 3] ?? '')
      if (v === null) return NOT_INTEGER
      i64 = v
    }
    ops.push({ offset, i64, opcode, owtype, bits: type.bits, sign: type.sign })
    j += opcode === BITFIELDOP_GET ? 2 : 3
  }

  let target: RawStringObject | null = null
  let dirty = false
  let buf: string
  const fromLen = ctx.tracing && !readonly ? lengthBefore(c, key) : 0
  if (readonly) {
    const o = lookupKeyRead(srv, ctx, db, key)
    if (o !== null && o.type !== 'string') return ERR_WRONGTYPE
    buf = readOnlyBytes(o)
  } else {
    if (readonlyCommand) return error('ERR BITFIELD_RO only supports the GET subcommand')
    const r = lookupStringForBit(c, key, highestWriteOffset)
    if (!('o' in r)) return r
    target = r.o
    dirty = r.dirty
    buf = target.ptr.buf
  }

  const replies: Reply[] = []
  let changes = 0
  const lens = { fromLen: readonly ? buf.length : fromLen, toLen: buf.length }
  for (const op of ops) {
    if (op.opcode === BITFIELDOP_GET) {
      const v = op.sign
        ? getSignedBitfield(buf, op.offset, op.bits)
        : getUnsignedBitfield(buf, op.offset, op.bits)
      replies.push(integerLL(v))
      if (ctx.tracing) traceField(c, key, op, v.toString(), null, buf, lens)
      continue
    }
    const before = buf
    const w = bitfieldWrite(buf, op)
    replies.push(w.reply)
    if (w.reply !== NIL) {
      buf = w.buf
      if (dirty || w.changed) changes++
    }
    if (ctx.tracing) {
      const old = op.sign
        ? getSignedBitfield(before, op.offset, op.bits)
        : getUnsignedBitfield(before, op.offset, op.bits)
      const now = op.sign
        ? getSignedBitfield(buf, op.offset, op.bits)
        : getUnsignedBitfield(buf, op.offset, op.bits)
      const written = w.reply === NIL ? null : now.toString()
      traceField(c, key, op, old.toString(), written, buf, lens)
    }
  }
  if (target !== null && buf !== target.ptr.buf) setBytes(target, buf)
  if (changes > 0) {
    // bitfieldGeneric has replied to every operation by now.
    pubsubReplyWritten(c)
    signalModifiedKey(srv, ctx, db, key)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'setbit', key, db.id)
    srv.dirty += changes
  }
  return array(replies)
}

/** Reports one BITFIELD operation (bitmap/fieldAccessed). */
function traceField(
  c: CommandCall,
  key: string,
  op: BitfieldOp,
  old: string,
  value: string | null,
  buf: string,
  lens: { fromLen: number; toLen: number },
): void {
  c.ctx.emit({
    type: 'bitmap/fieldAccessed',
    key,
    op: op.opcode === BITFIELDOP_GET ? 'get' : op.opcode === BITFIELDOP_SET ? 'set' : 'incrby',
    signed: op.sign,
    bits: op.bits,
    offset: op.offset,
    old,
    value,
    stored: value === null ? null : getUnsignedBitfield(buf, op.offset, op.bits).toString(),
    overflow:
      op.owtype === BFOVERFLOW_WRAP ? 'wrap' : op.owtype === BFOVERFLOW_SAT ? 'sat' : 'fail',
    fromLen: lens.fromLen,
    toLen: lens.toLen,
  })
}

function bitfieldCommand(c: CommandCall): Reply {
  return bitfieldGeneric(c, false)
}

function bitfieldRoCommand(c: CommandCall): Reply {
  return bitfieldGeneric(c, true)
}

// --- Specs ---

export const bitopsCommands: readonly CommandSpec[] = [
  defineCommand('setbit', setbitCommand),
  defineCommand('getbit', getbitCommand),
  defineCommand('bitcount', bitcountCommand),
  defineCommand('bitpos', bitposCommand),
  defineCommand('bitop', bitopCommand),
  defineCommand('bitfield', bitfieldCommand),
  defineCommand('bitfield_ro', bitfieldRoCommand),
]
