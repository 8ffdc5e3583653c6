/**
 * Reading one serialized value back — follows redis/src/rdb.c rdbLoadObjectType / rdbLoadObject
 * and their helpers (rdbLoadLen, rdbGenericLoadStringObject, rdbLoadLzfStringObject,
 * rdbLoadBinaryDoubleValue, rdbLoadDoubleValue), Redis 7.0.15, for RESTORE.
 *
 * Design: the payload is parsed into the RdbValue form rdbReload.ts already rebuilds values
 * from (rdbLoadObject there picks encodings under the current config exactly as rdb.c does),
 * so RESTORE and DEBUG RELOAD share one loader. Parsing applies rdb.c's checks in its order and
 * fails (→ "Bad data format") where rdbLoadObject returns NULL: short reads, unknown string
 * encodings, bad LZF data, empty values (emptykey), intset/listpack/ziplist/zipmap/stream
 * blobs their integrity checks refuse (the ports of ziplistValidateIntegrity,
 * lpValidateIntegrity, intsetValidateIntegrity, zipmapValidateIntegrity and
 * streamValidateListpackIntegrity, safe on any bytes), duplicate set members, zset members or
 * hash fields (the hash ones only in the dict phase, or always with deep sanitization), NaN
 * scores, and the stream consistency rules (16-byte node keys, no empty or repeated node,
 * groups, PEL entries and consumers unique, consumer PEL IDs present in the group PEL).
 * Where rdb.c calls rdbReportCorruptRDB or rdbReportReadError, the same line is logged, in
 * RESTORE's context at VERBOSE level: "Internal error in RDB reading offset 0, function at
 * rdb.c:<line> -> <reason>". The line numbers and checks are those of the redis-server the
 * conformance suite runs, Debian's 7.0.15-1~deb12u10: its security patches move most of
 * rdb.c's lines by 1 to 9 from the 7.0.15 tag and refuse a consumer PEL entry whose NACK
 * already has a consumer. (Allocation failures Redis logs for absurd lengths, which depend
 * on the machine, are not logged.)
 *
 * `sanitize-dump-payload yes|clients` turns on rdb.c's deep checks (duplicate hash/zset fields
 * inside listpacks, intset order, stream entry layout, every group PEL entry owned by a
 * consumer). Deviation: with `no`, Redis checks only the header of a listpack or stream node
 * and would accept one whose entries are broken behind it, then crash when a command reads
 * them; here every listpack entry is always checked, so a corrupt payload can never corrupt
 * the engine. For the same reason a hash listpack with repeated fields that must become a
 * dict (where Redis logs its hexdump and panics) is refused, as is a zset listpack with
 * repeated members that must become a skiplist (where Redis fails an assertion).
 *
 * Accepted types: every type RDB 10 can hold except modules (6, 7; no module type is
 * loaded): the current ones, plus the older LIST, ZSET (text doubles), zipmap hashes, LIST/
 * ZSET/HASH ziplists, QUICKLIST (ziplist nodes) and STREAM_LISTPACKS (v1, whose first ID and
 * offsets are derived).
 */
import type { RdbDb, RdbKey, RdbValue } from './rdbReload.ts'
import type { ServerState } from './state.ts'
import { lzf_decompress } from './structures/lzf.ts'
import {
  INTSET_ENC_INT16,
  INTSET_ENC_INT32,
  INTSET_ENC_INT64,
  intsetToArray,
  type Intset,
} from './structures/intset.ts'
import {
  LP_EOF,
  LP_HDR_SIZE,
  LP_SILENT,
  lpAppend,
  lpDup,
  lpEntries,
  lpFromBytes,
  lpGet,
  lpLength,
  lpNew,
  lpToBytes,
  lpValidateIntegrity,
  type Listpack,
} from './structures/listpack.ts'
import { raxFind, raxSize, raxTryInsert, raxStart, raxSeek, raxNext } from './structures/rax.ts'
import { ziplistGet, ziplistValidateIntegrity } from './structures/ziplist.ts'
import { zipmapPairs, zipmapValidateIntegrity } from './structures/zipmap.ts'
import { serverLog, serverLogHexDump } from './serverLog.ts'
import {
  RDB_64BITLEN,
  RDB_32BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_VERSION,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  byteStringToBytes,
  bytesToByteString,
} from './rdbEncode.ts'
import {
  streamCreateCG,
  streamCreateConsumer,
  streamEstimateDistanceFromFirstEverEntry,
  streamGetEdgeID,
  streamNew,
  streamNodeFromBytes,
  streamValidateListpackIntegrity,
  type Stream,
  type StreamNACK,
} from './types/t_stream.ts'
import { cstr } from './bytes.ts'
import { crc64 } from './util/crc64.ts'
import { string2ll } from './util/numbers.ts'

// --- Types ---

/** What RESTORE rebuilds: an RdbValue, or the elements of an old-style list (pushed one by one). */
export type DecodedValue = RdbValue

/** A read position in a payload (rio over a buffer), and the server whose stats count checks. */
interface RioReader {
  readonly p: string
  pos: number
  readonly srv: ServerState
  /** Deep sanitization (sanitize-dump-payload yes, or clients for a normal client). */
  readonly deep: boolean
  /** RIO_FLAG_READ_ERROR: a read came up short; every later read fails too. */
  readError: boolean
  /**
   * A file being loaded (rdbFileBeingLoaded, or redis-check-rdb's pass over it): rdbReportError
   * ends the load there, with the line (the process exits); else RESTORE's payload.
   */
  readonly file?: boolean
}

/** server.stat_dump_payload_sanitizations++, done where rdb.c does it (before each deep check). */
function countSanitization(r: RioReader): void {
  if (r.deep) r.srv.stats.dumpPayloadSanitizations++
}

/** Thrown inside the parser for any load failure; caught by rdbLoadPayload. */
class LoadError {
  readonly reason: string
  /** The rdb.c line of the rdbReportError that raised it (a file's load ends there). */
  readonly line: number | undefined
  constructor(reason: string, line?: number) {
    this.reason = reason
    this.line = line
  }
}

/** A failure rdb.c reports with no log line of its own (a short read, an empty value). */
function fail(reason: string): never {
  throw new LoadError(reason)
}

/**
 * rdbReportError in RESTORE's context (rdbReportCorruptRDB and rdbReportReadError alike): the
 * line logged at VERBOSE level, naming rdb.c's line. server.loading_loaded_bytes is 0 here
 * (nothing is being loaded).
 */
function rdbReportError(r: RioReader, line: number, reason: string): void {
  // Loading a file, Redis logs the line and runs redis-check-rdb, then exits (rdbLoadFile).
  if (r.file === true) throw new LoadError(reason, line)
  serverLog(
    r.srv,
    'verbose',
    `Internal error in RDB reading offset 0, function at rdb.c:${String(line)} -> ${reason}`,
  )
}

/** rdbReportError, then the load fails. */
function corrupt(r: RioReader, line: number, reason: string): never {
  rdbReportError(r, line, reason)
  throw new LoadError(reason, line)
}

// --- Primitives ---

/** rioRead: the next `n` bytes, or null on a short read (which sticks, as rio's error flag). */
function rioReadOrNull(r: RioReader, n: number): string | null {
  if (r.readError || n < 0 || r.pos + n > r.p.length) {
    r.readError = true
    return null
  }
  const s = r.p.slice(r.pos, r.pos + n)
  r.pos += n
  return s
}

function rioRead(r: RioReader, n: number): string {
  return rioReadOrNull(r, n) ?? fail('short read')
}

function rdbLoadByte(r: RioReader): number {
  return rioRead(r, 1).charCodeAt(0)
}

/** rdbLoadLen's RDB_LENERR: a 64-bit all-ones length. */
const RDB_LENERR = (1n << 64n) - 1n

/**
 * rdbLoadLenByRef: the length (or, when `encoded`, the special encoding number); null on a
 * short read or an unknown length encoding (which rdb.c reports).
 */
function rdbLoadLenOrNull(r: RioReader): { len: bigint; encoded: boolean } | null {
  const first = rioReadOrNull(r, 1)
  if (first === null) return null
  const b = first.charCodeAt(0)
  const type = (b & 0xc0) >> 6
  if (type === RDB_ENCVAL) return { len: BigInt(b & 0x3f), encoded: true }
  if (type === 0) return { len: BigInt(b & 0x3f), encoded: false }
  if (type === 1) {
    const second = rioReadOrNull(r, 1)
    if (second === null) return null
    return { len: BigInt(((b & 0x3f) << 8) | second.charCodeAt(0)), encoded: false }
  }
  if (b !== RDB_32BITLEN && b !== RDB_64BITLEN) {
    rdbReportError(r, 236, `Unknown length encoding ${String(type)} in rdbLoadLen()`)
    return null
  }
  const bytes = rioReadOrNull(r, b === RDB_32BITLEN ? 4 : 8)
  if (bytes === null) return null
  let len = 0n
  for (const ch of bytes) len = (len << 8n) | BigInt(ch.charCodeAt(0))
  return { len, encoded: false }
}

/** rdbLoadLen as rdb.c uses it unchecked: RDB_LENERR on failure. */
function rdbLoadLenBig(r: RioReader): bigint {
  return rdbLoadLenOrNull(r)?.len ?? RDB_LENERR
}

/** rdbLoadLen where RDB_LENERR fails the load (a count beyond memory is a short read anyway). */
function rdbLoadLen(r: RioReader): number {
  const loaded = rdbLoadLenOrNull(r)
  if (loaded === null) fail('short read')
  if (loaded.len > BigInt(Number.MAX_SAFE_INTEGER)) fail('length out of range')
  return Number(loaded.len)
}

/** rdbLoadMillisecondTime: int64 little-endian (-1 on a short read, which sets the error). */
function rdbLoadMillisecondTime(r: RioReader): number {
  const s = rioReadOrNull(r, 8)
  if (s === null) return -1
  let v = 0n
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(s.charCodeAt(i))
  return Number(BigInt.asIntN(64, v))
}

interface LoadedString {
  readonly s: string
  /** The integer when the string was integer-encoded (RDB_ENC_INT*). */
  readonly int: bigint | null
}

/**
 * rdbLoadLzfStringObject's decompression: `ulen` bytes from `c`, or null. LZF expands at
 * most 88 times (a back-reference of 3 bytes copies up to 264), so a longer `ulen` cannot be
 * met and fails before anything is allocated. A `ulen` of 0 succeeds whatever `c` holds:
 * lzf_decompress returns 0 for a full output buffer, which equals the expected 0.
 */
function lzfDecompressString(c: string, ulen: number): string | null {
  if (ulen === 0) return ''
  if (ulen > c.length * 88) return null
  const out = lzf_decompress(byteStringToBytes(c), ulen)
  return out === null ? null : bytesToByteString(out)
}

/** rdbGenericLoadStringObject: plain, integer-encoded or LZF-compressed bytes; null on failure. */
function rdbLoadStringOrNull(r: RioReader): LoadedString | null {
  const loaded = rdbLoadLenOrNull(r)
  if (loaded === null) return null
  const { len, encoded } = loaded
  if (encoded) {
    const enc = Number(len)
    if (enc === RDB_ENC_INT8 || enc === RDB_ENC_INT16 || enc === RDB_ENC_INT32) {
      const width = enc === RDB_ENC_INT8 ? 1 : enc === RDB_ENC_INT16 ? 2 : 4
      const bytes = rioReadOrNull(r, width)
      if (bytes === null) return null
      let v = 0n
      for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(i))
      const int = BigInt.asIntN(width * 8, v)
      return { s: int.toString(), int }
    }
    if (enc === RDB_ENC_LZF) {
      const clen = rdbLoadLenOrNull(r)
      if (clen === null) return null
      const ulen = rdbLoadLenOrNull(r)
      if (ulen === null) return null
      if (clen.len > BigInt(r.p.length) || ulen.len > BigInt(Number.MAX_SAFE_INTEGER)) {
        r.readError = true
        return null
      }
      const c = rioReadOrNull(r, Number(clen.len))
      if (c === null) return null
      const s = lzfDecompressString(c, Number(ulen.len))
      if (s === null) {
        rdbReportError(r, 413, 'Invalid LZF compressed string')
        return null
      }
      return { s, int: null }
    }
    rdbReportError(r, 529, `Unknown RDB string encoding type ${String(len)}`)
    return null
  }
  if (len > BigInt(r.p.length)) {
    r.readError = true
    return null
  }
  const s = rioReadOrNull(r, Number(len))
  return s === null ? null : { s, int: null }
}

function rdbLoadString(r: RioReader): LoadedString {
  return rdbLoadStringOrNull(r) ?? fail('short read')
}

function rdbLoadStr(r: RioReader): string {
  return rdbLoadString(r).s
}

/** rdbLoadBinaryDoubleValue. */
function rdbLoadBinaryDoubleValue(r: RioReader): number {
  const b = byteStringToBytes(rioRead(r, 8))
  return new DataView(b.buffer).getFloat64(0, true)
}

/** rdbLoadDoubleValue: the RDB < 8 text form (length byte, 253 NaN, 254 +inf, 255 -inf). */
function rdbLoadDoubleValue(r: RioReader): number {
  const len = rdbLoadByte(r)
  if (len === 255) return -Infinity
  if (len === 254) return Infinity
  if (len === 253) return NaN
  const text = rioRead(r, len)
  // sscanf("%lg"): a leading number; anything unparsable fails.
  const m = /^\s*[+-]?(inf(inity)?|nan|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)/i.exec(text)
  if (m === null) fail('bad double')
  const t = m[0].trim().toLowerCase().replace(/^\+/, '')
  if (t.includes('nan')) return NaN
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity
  return Number(t)
}

// --- Structure checks ---

/** The listpack in `bytes` if lpValidateIntegrity passes (always deep: see the file comment). */
function lpValidated(
  bytes: string,
  entryCb?: (lp: Listpack, p: number) => boolean,
): Listpack | null {
  const b = byteStringToBytes(bytes)
  const lp = lpFromBytes(b)
  const cb = entryCb === undefined ? undefined : (p: number) => entryCb(lp, p)
  return lpValidateIntegrity(b, b.length, true, cb) ? lp : null
}

/**
 * lpPairsValidateIntegrityAndDups: the listpack, or null. With deep sanitization, also an
 * even count and no repeated field (every even entry); otherwise the layout only.
 */
function lpPairsValidated(bytes: string, deep: boolean): Listpack | null {
  if (!deep) return lpValidated(bytes)
  const fields = new Set<string>()
  let count = 0
  const lp = lpValidated(bytes, (l, p) => {
    if (count++ % 2 === 0) {
      const field = lpGet(l, p)
      if (fields.has(field)) return false
      fields.add(field)
    }
    return true
  })
  return lp === null || count % 2 !== 0 ? null : lp
}

/** Whether a pairs listpack repeats a field (what hashTypeConvert and zsetConvert trip on). */
function lpPairsHaveDups(lp: Listpack): boolean {
  const entries = lpEntries(lp)
  const fields = new Set<string>()
  for (let i = 0; i < entries.length; i += 2) {
    const f = entries[i] ?? ''
    if (fields.has(f)) return true
    fields.add(f)
  }
  return false
}

/**
 * A ziplist blob's entries if ziplistValidateIntegrity (deep) passes, each read by the entry
 * callback as it is validated; with `pairs` (ziplistPairsConvertAndValidateIntegrity) also no
 * repeated field and an even count. Null when refused.
 */
function ziplistConvertAndValidate(bytes: string, pairs: boolean): string[] | null {
  const zl = { buf: byteStringToBytes(bytes) }
  const entries: string[] = []
  const fields = new Set<string>()
  const ok = ziplistValidateIntegrity(zl, zl.buf.length, true, (p) => {
    const ele = ziplistGet(zl, p)
    if (pairs && entries.length % 2 === 0) {
      if (fields.has(ele)) return false
      fields.add(ele)
    }
    entries.push(ele)
    return true
  })
  if (!ok || (pairs && entries.length % 2 !== 0)) return null
  return entries
}

/** Elements appended one by one to a new listpack (lpAppend per converted entry). */
function listpackOf(elements: readonly string[]): Listpack {
  const lp = lpNew()
  for (const e of elements) lpAppend(LP_SILENT, lp, e, '')
  return lpDup(lp)
}

/** intsetValidateIntegrity: the intset, or null. */
function intsetValidated(bytes: string, deep: boolean): Intset | null {
  const size = bytes.length
  if (size < 8) return null
  const b = byteStringToBytes(bytes)
  const dv = new DataView(b.buffer)
  const encoding = dv.getUint32(0, true)
  if (
    encoding !== INTSET_ENC_INT16 &&
    encoding !== INTSET_ENC_INT32 &&
    encoding !== INTSET_ENC_INT64
  )
    return null
  const count = dv.getUint32(4, true)
  if (8 + count * encoding !== size) return null
  if (count === 0) return null
  const is: Intset = {
    encoding: encoding as Intset['encoding'],
    length: count,
    contents: b.slice(8),
  }
  if (deep) {
    const values = intsetToArray(is)
    for (let i = 1; i < values.length; i++)
      if ((values[i] ?? 0n) <= (values[i - 1] ?? 0n)) return null
  }
  return is
}

// --- Object ---

/** Whether sanitize-dump-payload asks for deep checks for this (normal) client. */
export function deepSanitization(srv: ServerState): boolean {
  return (srv.config.other['sanitize-dump-payload'] ?? 'no') !== 'no'
}

/** rdbIsObjectType. */
function rdbIsObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19)
}

/**
 * RDB_TYPE_SET: an intset while the count allows (set-max-intset-entries, capped at 2^30)
 * and the members are integers, else a dict; a repeated member is reported where it is
 * found (the intset's add or the dict's).
 */
function loadSetMembers(r: RioReader): DecodedValue {
  const len = rdbLoadLen(r)
  if (len === 0) fail('empty key')
  let intsetPhase = len <= Math.min(r.srv.config.setMaxIntsetEntries, 2 ** 30)
  const members: string[] = []
  const seen = new Set<string>()
  for (let i = 0; i < len; i++) {
    const m = rdbLoadStr(r)
    if (intsetPhase && string2ll(m) === null) intsetPhase = false
    if (seen.has(m)) corrupt(r, intsetPhase ? 1809 : 1829, 'Duplicate set members detected')
    seen.add(m)
    members.push(m)
  }
  return { type: 'set', members }
}

function loadZsetPairs(r: RioReader, binary: boolean): DecodedValue {
  const len = rdbLoadLen(r)
  if (len === 0) fail('empty key')
  const pairs: (readonly [string, number])[] = []
  const seen = new Set<string>()
  for (let i = 0; i < len; i++) {
    const ele = rdbLoadStr(r)
    const score = binary ? rdbLoadBinaryDoubleValue(r) : rdbLoadDoubleValue(r)
    if (Number.isNaN(score)) corrupt(r, 1882, 'Zset with NAN score detected')
    if (seen.has(ele)) corrupt(r, 1894, 'Duplicate zset fields detected')
    seen.add(ele)
    pairs.push([ele, score])
  }
  return { type: 'zset', pairs }
}

/**
 * Redis's log before it panics on a listpack with repeated fields it must turn into a dict
 * (t_hash.c hashTypeConvertListpack); the load is refused here instead.
 */
function refuseDupListpack(r: RioReader, lp: Listpack): never {
  serverLogHexDump(r.srv, 'warning', 'listpack with dup elements dump', lpToBytes(lp))
  fail('listpack with dup elements')
}

function loadHashPairs(srv: ServerState, r: RioReader, deep: boolean): DecodedValue {
  const len = rdbLoadLen(r)
  if (len === 0) fail('empty key')
  const cfg = srv.config
  const pairs: (readonly [string, string])[] = []
  const seen = new Set<string>()
  // The listpack phase lasts while every pair is short and few enough; duplicates found in
  // it are errors only with deep sanitization (dupSearchDict), in the dict phase always.
  // (lpSafeToAdd's 1 GiB cannot be reached: a payload is at most proto-max-bulk-len.)
  let listpackPhase = len <= cfg.hashMaxListpackEntries
  let dupInListpack = false
  for (let i = 0; i < len; i++) {
    const field = rdbLoadStr(r)
    const value = rdbLoadStr(r)
    const dup = seen.has(field)
    if (listpackPhase) {
      if (dup && deep) corrupt(r, 1951, 'Hash with dup elements')
      if (field.length > cfg.hashMaxListpackValue || value.length > cfg.hashMaxListpackValue) {
        // hashTypeConvert of the pairs so far, then dictAdd of this one, which may repeat.
        listpackPhase = false
        if (dupInListpack) refuseDupListpack(r, listpackOf(pairs.flat()))
        if (dup) corrupt(r, 1969, 'Duplicate hash fields detected')
      } else if (dup) dupInListpack = true
    } else if (dup) corrupt(r, 2019, 'Duplicate hash fields detected')
    seen.add(field)
    pairs.push([field, value])
  }
  // Repeated fields stay in the listpack (a dict would refuse them): kept as they are.
  if (dupInListpack) return { type: 'hash', listpack: listpackOf(pairs.flat()) }
  return { type: 'hash', pairs }
}

function loadQuicklist(r: RioReader, rdbtype: number): DecodedValue {
  const len = rdbLoadLen(r)
  if (len === 0) fail('empty key')
  const nodes: (Listpack | string)[] = []
  let count = 0
  for (let i = 0; i < len; i++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED
    if (rdbtype === RDB_TYPE_LIST_QUICKLIST_2) {
      container = rdbLoadLen(r)
      if (
        container !== QUICKLIST_NODE_CONTAINER_PACKED &&
        container !== QUICKLIST_NODE_CONTAINER_PLAIN
      )
        corrupt(r, 2048, 'Quicklist integrity check failed.')
    }
    const data = rdbLoadStr(r)
    if (data.length === 0) fail('empty quicklist node')
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      nodes.push(data)
      count++
      continue
    }
    let lp: Listpack
    if (rdbtype === RDB_TYPE_LIST_QUICKLIST_2) {
      countSanitization(r)
      lp = lpValidated(data) ?? corrupt(r, 2071, 'Listpack integrity check failed.')
    } else {
      const entries = ziplistConvertAndValidate(data, false)
      lp = listpackOf(entries ?? corrupt(r, 2081, 'Ziplist integrity check failed.'))
    }
    // Empty nodes are skipped; an empty list fails below.
    const n = lpLength(lp)
    if (n === 0) continue
    nodes.push(lp)
    count += n
  }
  if (count === 0) fail('empty key')
  return { type: 'list', nodes }
}

/** RDB_TYPE_HASH_ZIPMAP: converted to pairs, with no repeated field. */
function loadZipmap(r: RioReader): DecodedValue {
  const zm = byteStringToBytes(rdbLoadStr(r))
  if (!zipmapValidateIntegrity(zm, true)) corrupt(r, 2130, 'Zipmap integrity check failed.')
  const pairs = zipmapPairs(zm)
  const seen = new Set<string>()
  for (const [field] of pairs) {
    if (seen.has(field))
      corrupt(r, 2154, `Hash zipmap with dup elements, or big length (${String(field.length)})`)
    seen.add(field)
  }
  // Converted to a dict past hash-max-listpack-entries or -value, as loadHash converts.
  return { type: 'hash', pairs }
}

/**
 * rdbLoadObject's stream part. Reads Redis does not check on the spot (the stream's
 * metadata, the group IDs and offsets, NACK fields) use RDB_LENERR on failure and are judged
 * by the rio error flag afterwards, as in rdb.c.
 */
function loadStream(r: RioReader, rdbtype: number): DecodedValue {
  const s: Stream = streamNew()
  const listpacks = rdbLoadLenOrNull(r)
  if (listpacks === null) corrupt(r, 2327, 'Stream listpacks len loading failed.')
  for (let i = 0n; i < listpacks.len; i++) {
    const nodekey =
      rdbLoadStringOrNull(r)?.s ??
      corrupt(r, 2338, 'Stream master ID loading failed: invalid encoding or I/O error.')
    if (nodekey.length !== 16)
      corrupt(r, 2343, 'Stream node key entry is not the size of a stream ID')
    const lpBytesStr =
      rdbLoadStringOrNull(r)?.s ?? corrupt(r, 2355, 'Stream listpacks loading failed.')
    countSanitization(r)
    const bytes = byteStringToBytes(lpBytesStr)
    // Always walked entry by entry (the file comment's deviation), deep or not.
    const structural = lpValidateIntegrity(bytes, bytes.length, true)
    if (!structural || !streamValidateListpackIntegrity(bytes, r.deep))
      corrupt(r, 2362, 'Stream listpack integrity check failed.')
    if (bytes[LP_HDR_SIZE] === LP_EOF) corrupt(r, 2374, 'Empty listpack inside stream')
    if (!raxTryInsert(s.rax, nodekey, streamNodeFromBytes(bytes)))
      corrupt(r, 2386, 'Listpack re-added with existing key')
  }
  // Lengths beyond 2^53 lose their low bits, a count no listpack can hold anyway.
  s.length = Number(rdbLoadLenBig(r))
  s.lastId = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
  if (rdbtype === RDB_TYPE_STREAM_LISTPACKS_2) {
    s.firstId = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
    s.maxDeletedEntryId = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
    s.entriesAdded = rdbLoadLenBig(r)
  } else {
    s.entriesAdded = BigInt(s.length)
    s.firstId = streamGetEdgeID(s, true, true)
  }
  if (r.readError) corrupt(r, 2424, 'Stream object metadata loading failed.')
  if (s.length && !raxSize(s.rax)) corrupt(r, 2430, 'Stream length inconsistent with rax entries')
  const groups = rdbLoadLenOrNull(r)
  if (groups === null) corrupt(r, 2438, 'Stream cgroup count loading failed.')
  for (let g = 0n; g < groups.len; g++) {
    const name =
      rdbLoadStringOrNull(r)?.s ??
      corrupt(r, 2449, 'Error reading the consumer group name from Stream')
    const id = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
    if (r.readError) corrupt(r, 2458, 'Stream cgroup ID loading failed.')
    let offset: bigint
    if (rdbtype === RDB_TYPE_STREAM_LISTPACKS_2) {
      offset = BigInt.asIntN(64, rdbLoadLenBig(r))
      if (r.readError) corrupt(r, 2469, 'Stream cgroup offset loading failed.')
    } else offset = streamEstimateDistanceFromFirstEverEntry(s, id)
    const cg = streamCreateCG(s, name, id, offset)
    if (cg === null) corrupt(r, 2480, `Duplicated consumer group name ${name}`)
    const pelSize = rdbLoadLenOrNull(r)
    if (pelSize === null) corrupt(r, 2495, 'Stream PEL size loading failed.')
    for (let i = 0n; i < pelSize.len; i++) {
      const rawid = rioReadOrNull(r, 16) ?? corrupt(r, 2502, 'Stream PEL ID loading failed.')
      const nack: StreamNACK = { deliveryTime: 0, deliveryCount: 0n, consumer: null }
      nack.deliveryTime = rdbLoadMillisecondTime(r)
      nack.deliveryCount = rdbLoadLenBig(r)
      if (r.readError) corrupt(r, 2510, 'Stream PEL NACK loading failed.')
      if (!raxTryInsert(cg.pel, rawid, nack))
        corrupt(r, 2516, 'Duplicated global PEL entry loading stream consumer group')
    }
    const consumers = rdbLoadLenOrNull(r)
    if (consumers === null) corrupt(r, 2527, 'Stream consumers num loading failed.')
    for (let c = 0n; c < consumers.len; c++) {
      const cname =
        rdbLoadStringOrNull(r)?.s ??
        corrupt(r, 2534, 'Error reading the consumer name from Stream group.')
      const consumer = streamCreateConsumer(cg, cname, 0)
      if (consumer === null) corrupt(r, 2543, 'Duplicate stream consumer detected.')
      consumer.seenTime = rdbLoadMillisecondTime(r)
      if (r.readError) corrupt(r, 2549, 'Stream short read reading seen time.')
      const n = rdbLoadLenOrNull(r)
      if (n === null) corrupt(r, 2558, 'Stream consumer PEL num loading failed.')
      for (let i = 0n; i < n.len; i++) {
        const rawid =
          rioReadOrNull(r, 16) ?? corrupt(r, 2566, 'Stream short read reading PEL streamID.')
        const nack = raxFind(cg.pel, rawid)
        if (nack === undefined || nack === null)
          corrupt(r, 2573, 'Consumer entry not found in group global PEL')
        // A NACK has one owner (a check Debian's security patches added: see the file comment).
        if (nack.consumer !== null)
          corrupt(r, 2583, 'Stream consumer PEL entry already has a consumer assigned')
        nack.consumer = consumer
        if (!raxTryInsert(consumer.pel, rawid, nack))
          corrupt(r, 2592, 'Duplicated consumer PEL entry  loading a stream consumer group')
      }
    }
    // Deep sanitization refuses a group PEL entry no consumer owns. Without it Redis keeps
    // one, which later commands dereference; refused here in every mode (file comment).
    const it = raxStart(cg.pel)
    raxSeek(it, '^')
    while (raxNext(it))
      if (it.data?.consumer === null) corrupt(r, 2611, 'Stream CG PEL entry without consumer')
  }
  return { type: 'stream', stream: s }
}

/**
 * moduleTypeNameByID: the 9-character type name packed in a module ID's top 54 bits, 6 bits
 * a character.
 */
function moduleTypeNameByID(moduleid: bigint): string {
  const cset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let name = ''
  let id = moduleid >> 10n
  for (let j = 0; j < 9; j++) {
    name = (cset[Number(id & 63n)] ?? '') + name
    id >>= 6n
  }
  return name
}

/** rdbLoadObject's parsing half for one type; throws LoadError. */
function rdbLoadValue(
  srv: ServerState,
  r: RioReader,
  rdbtype: number,
  deep: boolean,
): DecodedValue {
  switch (rdbtype) {
    case RDB_TYPE_STRING: {
      const { s, int } = rdbLoadString(r)
      return { type: 'string', int, s }
    }
    case RDB_TYPE_LIST: {
      const len = rdbLoadLen(r)
      if (len === 0) fail('empty key')
      const elements: string[] = []
      for (let i = 0; i < len; i++) elements.push(rdbLoadStr(r))
      return { type: 'listElements', elements }
    }
    case RDB_TYPE_SET:
      return loadSetMembers(r)
    case RDB_TYPE_ZSET_2:
    case RDB_TYPE_ZSET:
      return loadZsetPairs(r, rdbtype === RDB_TYPE_ZSET_2)
    case RDB_TYPE_HASH:
      return loadHashPairs(srv, r, deep)
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2:
      return loadQuicklist(r, rdbtype)
    case RDB_TYPE_HASH_ZIPMAP:
      return loadZipmap(r)
    case RDB_TYPE_LIST_ZIPLIST: {
      const elements =
        ziplistConvertAndValidate(rdbLoadStr(r), false) ??
        corrupt(r, 2189, 'List ziplist integrity check failed.')
      if (elements.length === 0) fail('empty key')
      return { type: 'listElements', elements }
    }
    case RDB_TYPE_SET_INTSET: {
      const blob = rdbLoadStr(r)
      countSanitization(r)
      const is = intsetValidated(blob, deep) ?? corrupt(r, 2214, 'Intset integrity check failed.')
      return { type: 'set', intset: is }
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_HASH_ZIPLIST: {
      const zset = rdbtype === RDB_TYPE_ZSET_ZIPLIST
      const entries =
        ziplistConvertAndValidate(rdbLoadStr(r), true) ??
        corrupt(r, zset ? 2229 : 2275, `${zset ? 'Zset' : 'Hash'} ziplist integrity check failed.`)
      if (entries.length === 0) fail('empty key')
      return { type: zset ? 'zset' : 'hash', listpack: listpackOf(entries) }
    }
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_HASH_LISTPACK: {
      const zset = rdbtype === RDB_TYPE_ZSET_LISTPACK
      const blob = rdbLoadStr(r)
      countSanitization(r)
      const lp =
        lpPairsValidated(blob, deep) ??
        corrupt(r, zset ? 2255 : 2301, `${zset ? 'Zset' : 'Hash'} listpack integrity check failed.`)
      const n = lpLength(lp)
      if (n === 0) fail('empty key')
      const max = zset ? srv.config.zsetMaxListpackEntries : srv.config.hashMaxListpackEntries
      // Converted to a skiplist or dict: repeated fields would break Redis (file comment).
      if (Math.floor(n / 2) > max && lpPairsHaveDups(lp)) {
        if (!zset) refuseDupListpack(r, lp)
        fail('zset listpack with dup elements')
      }
      return { type: zset ? 'zset' : 'hash', listpack: lp }
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return loadStream(r, rdbtype)
    default: {
      // RDB_TYPE_MODULE and RDB_TYPE_MODULE_2: no module type is loaded.
      const moduleid = rdbLoadLenBig(r)
      if (r.readError) corrupt(r, 2622, 'Short read module id')
      const name = moduleTypeNameByID(moduleid)
      return corrupt(
        r,
        2636,
        `The RDB file contains module data I can't load: no matching module type '${name}'`,
      )
    }
  }
}

/**
 * rdbLoadObjectType + rdbLoadObject's parsing for a DUMP payload (footer included, as RESTORE
 * passes it): the value, or null when Redis would answer "Bad data format".
 */
export function rdbLoadPayload(srv: ServerState, payload: string): DecodedValue | null {
  const deep = deepSanitization(srv)
  const r: RioReader = { p: payload, pos: 0, srv, deep, readError: false }
  try {
    const type = rdbLoadByte(r)
    if (!rdbIsObjectType(type)) return null
    return rdbLoadValue(srv, r, type, deep)
  } catch (e) {
    if (e instanceof LoadError) return null
    throw e
  }
}

// --- Files ---

/** One serverLog line: DEBUG ('.'), VERBOSE ('-'), NOTICE ('*') or WARNING ('#'), as redis-server marks it. */
export interface ServerLogLine {
  readonly level: '.' | '-' | '*' | '#'
  readonly text: string
  /** serverLogFromHandler's line, written by a signal handler (`pid:signal-handler (time)`). */
  readonly fromHandler?: boolean
  /** printf's line (redis-check-rdb's report): to standard output, whatever the logfile. */
  readonly stdout?: boolean
}

/** An AUX field of an RDB file: its name and value. */
export type RdbAuxField = readonly [string, string]

/** How reading an RDB file ended (rdbLoadRio's return and the state it leaves behind). */
export type RdbFileRead =
  | {
      readonly ok: true
      readonly dbs: readonly RdbDb[]
      readonly emptyKeysSkipped: number
      /** Where each key of `dbs` (in order) ends in the file: the loading progress. */
      readonly keyEnds: readonly number[]
      /** The used-mem aux field (server.loading_rdb_used_mem), 0 without one. */
      readonly usedMem: number
      /** The AUX fields, in the file's order (logged again when the file is reloaded). */
      readonly aux: readonly RdbAuxField[]
      /** The offset after the checksum (an AOF's tail follows its RDB preamble). */
      readonly end: number
    }
  /** rdbLoadRio returned C_ERR with errno EINVAL: loadDataFromDisk's "Fatal error loading". */
  | { readonly ok: false; readonly fatal: 'einval' }
  /** rdbReportError: a short read, a corrupt value or a bad checksum ends the process. */
  | { readonly ok: false; readonly fatal: 'corrupt' }
  /** A db id this server has no db for, or module data: rdbLoadRio exits at once. */
  | { readonly ok: false; readonly fatal: 'exit' }

/** The keys of one SELECTDB section as they are read (RdbDb with growable arrays). */
interface DbSection {
  id: number
  size: number
  expiresSize: number
  keys: RdbKey[]
}

/**
 * rdb.c rdbLoadRioWithLoadingCtx's parsing of a whole file: the signature and version, then
 * the opcodes (AUX fields logged as Redis logs them, SELECTDB, RESIZEDB, EXPIRETIME(_MS), IDLE,
 * FREQ) and the keys, the EOF and the CRC64 check. Values are parsed as rdbLoadObject parses
 * them (deep checks with sanitize-dump-payload yes); an empty one is skipped with a warning,
 * as Redis does. Lines Redis logs on the way go to `log`. `nowSec` is time(NULL) (RDB age).
 * Module data and function libraries cannot be loaded (none exist here): they fail the load.
 * A db with no RESIZEDB has size -1 (its dicts are not pre-sized). For a client's load
 * (`restoreContext`: DEBUG RELOAD, rdbReportError's isRestoreContext) a corrupt file is an
 * error only: its line at VERBOSE, no redis-check-rdb, no exit.
 */
export function rdbLoadFile(
  srv: ServerState,
  p: string,
  nowSec: number,
  log: ServerLogLine[],
  restoreContext = false,
): RdbFileRead {
  const deep = (srv.config.other['sanitize-dump-payload'] ?? 'no') === 'yes'
  const r: RioReader = { p, pos: 0, srv, deep, readError: false, file: true }
  const warning = (text: string) => log.push({ level: '#', text })
  // rdbReportError: the line, then redis-check-rdb runs on the file (its report to stdout),
  // which ends the process with status 1 ("Terminating ..." when its own pass met an
  // rdbReportError rather than an error of its own).
  const reportCorrupt = (line: number, reason: string): RdbFileRead => {
    const msg = `Internal error in RDB reading offset 0, function at rdb.c:${line} -> ${reason}`
    if (restoreContext) {
      log.push({ level: '-', text: msg })
      return { ok: false, fatal: 'corrupt' }
    }
    warning(msg)
    const file = srv.config.other['dbfilename'] ?? 'dump.rdb'
    const check = redisCheckRdb(srv, p, file, nowSec * 1000)
    for (const text of check.lines) log.push({ level: '#', text, stdout: true })
    if (check.terminated) warning('Terminating server after rdb file reading failure.')
    return { ok: false, fatal: 'corrupt' }
  }
  const eoferr = (): RdbFileRead => {
    warning('Short read or OOM loading DB. Unrecoverable error, aborting now.')
    return reportCorrupt(3249, 'Unexpected EOF reading RDB file')
  }
  if (p.length < 9) return eoferr()
  if (!p.startsWith('REDIS')) {
    warning('Wrong signature trying to load DB from file')
    return { ok: false, fatal: 'einval' }
  }
  // atoi: the leading digits of the four characters after the signature.
  const rdbver = Number(/^[0-9]*/.exec(p.slice(5, 9))?.[0] || '0')
  if (rdbver < 1 || rdbver > RDB_VERSION) {
    warning(`Can't handle RDB format version ${String(rdbver)}`)
    return { ok: false, fatal: 'einval' }
  }
  r.pos = 9
  const dbs: DbSection[] = []
  let db: DbSection | null = null
  const section = (id: number): DbSection => {
    const s: DbSection = { id, size: -1, expiresSize: -1, keys: [] }
    dbs.push(s)
    return s
  }
  let emptyKeysSkipped = 0
  const keyEnds: number[] = []
  let usedMem = 0
  const aux: RdbAuxField[] = []
  let expire = -1n
  let lruIdle = -1
  let lfuFreq = -1
  try {
    for (;;) {
      const type = rdbLoadByte(r)
      if (type === RDB_OPCODE_EXPIRETIME) {
        const s = rioRead(r, 4)
        let v = 0
        for (let i = 3; i >= 0; i--) v = v * 256 + s.charCodeAt(i)
        expire = BigInt(v | 0) * 1000n
        continue
      } else if (type === RDB_OPCODE_EXPIRETIME_MS) {
        expire = BigInt(rdbLoadMillisecondTime(r))
        continue
      } else if (type === RDB_OPCODE_FREQ) {
        lfuFreq = rdbLoadByte(r)
        continue
      } else if (type === RDB_OPCODE_IDLE) {
        lruIdle = rdbLoadLen(r)
        continue
      } else if (type === RDB_OPCODE_EOF) {
        break
      } else if (type === RDB_OPCODE_SELECTDB) {
        const id = rdbLoadLen(r)
        if (id >= srv.dbs.length) {
          warning(
            `FATAL: Data file was created with a Redis server configured to handle more than ${String(srv.dbs.length)} databases. Exiting\n`,
          )
          return { ok: false, fatal: 'exit' }
        }
        db = section(id)
        continue
      } else if (type === RDB_OPCODE_RESIZEDB) {
        db ??= section(0)
        db.size = rdbLoadLen(r)
        db.expiresSize = rdbLoadLen(r)
        continue
      } else if (type === RDB_OPCODE_AUX) {
        const auxKey = rdbLoadStr(r)
        const auxVal = rdbLoadStr(r)
        if (auxKey.toLowerCase() === 'used-mem') usedMem = leadingInt(auxVal)
        aux.push([auxKey, auxVal])
        rdbLoadAuxField(auxKey, auxVal, nowSec, log)
        continue
      } else if (type === RDB_OPCODE_MODULE_AUX) {
        warning("The RDB file contains AUX module data I can't load: no matching module")
        return { ok: false, fatal: 'exit' }
      } else if (type === RDB_OPCODE_FUNCTION || type === RDB_OPCODE_FUNCTION2) {
        warning('Failed loading library, function libraries are not modelled')
        return eoferr()
      }
      const key = rdbLoadStr(r)
      if (!rdbIsObjectType(type)) return eoferr()
      let value: RdbValue | null = null
      try {
        value = rdbLoadValue(srv, r, type, deep)
      } catch (e) {
        if (!(e instanceof LoadError) || !EMPTY_KEY_REASONS.has(e.reason)) throw e
        if (emptyKeysSkipped++ < 10) warning(`rdbLoadObject skipping empty key: ${key}`)
      }
      if (value !== null) {
        db ??= section(0)
        db.keys.push({ key, expire, lruIdle, lfuFreq, value })
        keyEnds.push(r.pos)
      }
      expire = -1n
      lfuFreq = -1
      lruIdle = -1
    }
    // The checksum (RDB 5 and later), unless rdbchecksum is off.
    if (rdbver >= 5) {
      const expected = crc64(0n, p.slice(0, r.pos))
      const saved = rioRead(r, 8)
      if ((srv.config.other['rdbchecksum'] ?? 'yes') === 'yes' && !srv.skipChecksumValidation) {
        let cksum = 0n
        for (let i = 7; i >= 0; i--) cksum = (cksum << 8n) | BigInt(saved.charCodeAt(i))
        if (cksum === 0n) {
          warning('RDB file was saved with checksum disabled: no check performed.')
        } else if (cksum !== expected) {
          warning(
            `Wrong RDB checksum expected: (${expected.toString(16)}) but got (${cksum.toString(16)}). Aborting now.`,
          )
          return reportCorrupt(3225, 'RDB CRC error')
        }
      }
    }
  } catch (e) {
    if (!(e instanceof LoadError)) throw e
    return e.line === undefined ? eoferr() : reportCorrupt(e.line, e.reason)
  }
  return { ok: true, dbs, emptyKeysSkipped, keyEnds, usedMem, aux, end: r.pos }
}

/** redis-check-rdb.c rdb_type_string: the names of the RDB object types. */
const RDB_TYPE_NAMES = [
  'string',
  'list-linked',
  'set-hashtable',
  'zset-v1',
  'hash-hashtable',
  'zset-v2',
  'module-value',
  '',
  '',
  'hash-zipmap',
  'list-ziplist',
  'set-intset',
  'zset-ziplist',
  'hash-ziplist',
  'quicklist',
  'stream',
  'hash-listpack',
  'zset-listpack',
  'quicklist-v2',
]

/**
 * redis-check-rdb.c redis_check_rdb_main as rdbReportError runs it on the file that failed
 * to load: its own pass (deep sanitization forced), printing each AUX field and SELECTDB at
 * its offset, then "\\o/ RDB looks OK! \\o/" or the error with what it was doing, and the
 * key counts. `terminated`: the error came through rdbReportError (rdb.c then logs
 * "Terminating server after rdb file reading failure." before exiting).
 */
export function redisCheckRdb(
  srv: ServerState,
  p: string,
  filename: string,
  nowMs: number,
): { lines: string[]; terminated: boolean } {
  const r: RioReader = { p, pos: 0, srv, deep: true, readError: false, file: true }
  const lines: string[] = [`[offset 0] Checking RDB file ${filename}`]
  let doing = 'start'
  let key: string | null = null
  let keyType = -1
  let keys = 0
  let expires = 0
  let alreadyExpired = 0
  const info = (msg: string) => lines.push(`[offset ${String(r.pos)}] ${msg}`)
  const genericInfo = () =>
    lines.push(
      `[info] ${String(keys)} keys read`,
      `[info] ${String(expires)} expires`,
      `[info] ${String(alreadyExpired)} already expired`,
    )
  const checkError = (msg: string) => {
    lines.push('--- RDB ERROR DETECTED ---', `[offset ${String(r.pos)}] ${msg}`)
    lines.push(`[additional info] While doing: ${doing}`)
    if (key !== null) lines.push(`[additional info] Reading key '${cstr(key)}'`)
    if (keyType !== -1)
      lines.push(
        `[additional info] Reading type ${String(keyType)} (${RDB_TYPE_NAMES[keyType] ?? 'unknown'})`,
      )
    genericInfo()
  }
  try {
    if (p.length < 9) throw new LoadError('short read')
    r.pos = 9
    if (!p.startsWith('REDIS')) {
      checkError('Wrong signature trying to load DB from file')
      return { lines, terminated: false }
    }
    const rdbver = Number(/^[0-9]*/.exec(p.slice(5, 9))?.[0] || '0')
    if (rdbver < 1 || rdbver > RDB_VERSION) {
      checkError(`Can't handle RDB format version ${String(rdbver)}`)
      return { lines, terminated: false }
    }
    let expire = -1
    for (;;) {
      doing = 'read-type'
      const type = rdbLoadByte(r)
      if (type === RDB_OPCODE_EXPIRETIME) {
        doing = 'read-expire'
        const s = rioRead(r, 4)
        let v = 0
        for (let i = 3; i >= 0; i--) v = v * 256 + s.charCodeAt(i)
        expire = (v | 0) * 1000
        continue
      } else if (type === RDB_OPCODE_EXPIRETIME_MS) {
        doing = 'read-expire'
        expire = rdbLoadMillisecondTime(r)
        continue
      } else if (type === RDB_OPCODE_FREQ) {
        rioRead(r, 1)
        continue
      } else if (type === RDB_OPCODE_IDLE) {
        rdbLoadLen(r)
        continue
      } else if (type === RDB_OPCODE_EOF) {
        break
      } else if (type === RDB_OPCODE_SELECTDB) {
        doing = 'read-len'
        info(`Selecting DB ID ${String(rdbLoadLenBig(r))}`)
        continue
      } else if (type === RDB_OPCODE_RESIZEDB) {
        doing = 'read-len'
        rdbLoadLenBig(r)
        rdbLoadLenBig(r)
        continue
      } else if (type === RDB_OPCODE_AUX) {
        doing = 'read-aux'
        const auxKey = rdbLoadStr(r)
        const auxVal = rdbLoadStr(r)
        info(`AUX FIELD ${cstr(auxKey)} = '${cstr(auxVal)}'`)
        continue
      } else if (
        type === RDB_OPCODE_MODULE_AUX ||
        type === RDB_OPCODE_FUNCTION ||
        type === RDB_OPCODE_FUNCTION2
      ) {
        // No module or function library can be read here (the load stopped at it already).
        throw new LoadError('short read')
      } else if (!rdbIsObjectType(type)) {
        checkError(`Invalid object type: ${String(type)}`)
        return { lines, terminated: false }
      }
      keyType = type
      doing = 'read-key'
      key = rdbLoadStr(r)
      keys++
      doing = 'read-object-value'
      rdbLoadValue(srv, r, type, true)
      if (expire !== -1 && expire < nowMs) alreadyExpired++
      if (expire !== -1) expires++
      key = null
      keyType = -1
      expire = -1
    }
    if (rdbver >= 5 && (srv.config.other['rdbchecksum'] ?? 'yes') === 'yes') {
      const expected = crc64(0n, p.slice(0, r.pos))
      doing = 'check-sum'
      const saved = rioRead(r, 8)
      let cksum = 0n
      for (let i = 7; i >= 0; i--) cksum = (cksum << 8n) | BigInt(saved.charCodeAt(i))
      if (cksum === 0n) info('RDB file was saved with checksum disabled: no check performed.')
      else if (cksum !== expected) {
        checkError('RDB CRC error')
        return { lines, terminated: false }
      } else info('Checksum OK')
    }
  } catch (e) {
    if (!(e instanceof LoadError)) throw e
    if (e.line === undefined) {
      checkError('Unexpected EOF reading RDB file')
      return { lines, terminated: false }
    }
    checkError(
      `Internal error in RDB reading offset 0, function at rdb.c:${String(e.line)} -> ${e.reason}`,
    )
    return { lines, terminated: true }
  }
  info('\\o/ RDB looks OK! \\o/')
  genericInfo()
  return { lines, terminated: false }
}

/** The reasons rdbLoadValue gives for a value with no elements (RDB_LOAD_ERR_EMPTY_KEY). */
const EMPTY_KEY_REASONS: ReadonlySet<string> = new Set(['empty key', 'empty intset'])

/** strtol/strtoll: the leading integer, 0 when there is none. */
function leadingInt(s: string): number {
  return Number(/^\s*[+-]?\d+/.exec(s)?.[0] ?? '0')
}

/** The AUX fields rdbLoadRio reads silently (the others it logs, or at DEBUG names). */
const AUX_SILENT: ReadonlySet<string> = new Set([
  'repl-stream-db',
  'repl-id',
  'repl-offset',
  'lua',
  'redis-bits',
  'aof-preamble',
  'aof-base',
])

/**
 * rdbLoadRio's AUX fields, as it logs them: the information fields ('%' names), the version,
 * age and memory at NOTICE, an unknown name at DEBUG. `nowSec` is time(NULL) (the age).
 */
export function rdbLoadAuxField(
  key: string,
  val: string,
  nowSec: number,
  log: ServerLogLine[],
): void {
  const notice = (text: string) => log.push({ level: '*', text })
  const k = key.toLowerCase()
  if (key.startsWith('%')) notice(`RDB '${key}': ${val}`)
  else if (k === 'redis-ver') notice(`Loading RDB produced by version ${val}`)
  else if (k === 'ctime') notice(`RDB age ${String(Math.max(0, nowSec - leadingInt(val)))} seconds`)
  else if (k === 'used-mem')
    notice(`RDB memory usage when created ${(leadingInt(val) / (1024 * 1024)).toFixed(2)} Mb`)
  else if (k === 'aof-preamble' && leadingInt(val) !== 0) notice('RDB has an AOF tail')
  else if (k === 'aof-base' && leadingInt(val) !== 0) notice('RDB is base AOF')
  else if (!AUX_SILENT.has(k))
    log.push({ level: '.', text: `Unrecognized RDB AUX field: '${key}'` })
}
