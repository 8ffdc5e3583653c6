/**
 * Reading one serialized value back — follows redis/src/rdb.c rdbLoadObjectType / rdbLoadObject
 * and their helpers (rdbLoadLen, rdbGenericLoadStringObject, rdbLoadLzfStringObject,
 * rdbLoadBinaryDoubleValue, rdbLoadDoubleValue), Redis 7.0.15, for RESTORE.
 *
 * Design: the payload is parsed into the RdbValue form rdbReload.ts already rebuilds values
 * from (rdbLoadObject there picks encodings under the current config exactly as rdb.c does),
 * so RESTORE and DEBUG RELOAD share one loader. Parsing applies rdb.c's checks in its order and
 * fails (→ "Bad data format") where rdbLoadObject returns NULL: short reads, unknown string
 * encodings, bad LZF data, empty values (emptykey), intset/listpack/stream headers that do not
 * match their size, duplicate set members, zset members or hash fields (the hash ones only in
 * the dict phase, or always with deep sanitization), NaN scores, and the stream consistency
 * rules (16-byte node keys, no empty or repeated node, groups, PEL entries and consumers
 * unique, consumer PEL IDs present in the group PEL).
 *
 * `sanitize-dump-payload yes|clients` turns on rdb.c's deep checks (every listpack entry,
 * duplicate hash/zset fields inside listpacks, intset order, stream entry layout, every group
 * PEL entry owned by a consumer). Deviation: with `no`, Redis would accept a payload whose
 * listpack/ziplist entries are broken behind a valid header and crash later; here such
 * payloads are always rejected, so a corrupt payload can never corrupt the engine.
 *
 * Accepted types: every type RDB 10 can hold except modules (6, 7) and zipmaps (9): the
 * current ones, plus the older LIST, ZSET (text doubles), LIST/ZSET/HASH ziplists, QUICKLIST
 * (ziplist nodes) and STREAM_LISTPACKS (v1, whose first ID and offsets are derived).
 */
import type { RdbValue } from './rdbReload.ts'
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
  LP_SILENT,
  lpAppend,
  lpEntries,
  lpFromBytes,
  lpLength,
  lpNew,
  lpValidate,
  lpDup,
  type Listpack,
} from './structures/listpack.ts'
import { raxFind, raxSize, raxTryInsert, raxStart, raxSeek, raxNext } from './structures/rax.ts'
import { ziplistEntries, ziplistValidate } from './structures/ziplist.ts'
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
  STREAM_ITEM_FLAG_SAMEFIELDS,
  type Stream,
  type StreamNACK,
} from './types/t_stream.ts'
import { string2ll } from './util/numbers.ts'

// --- Types ---

/** What RESTORE rebuilds: an RdbValue, or the elements of an old-style list (pushed one by one). */
export type DecodedValue = RdbValue | { readonly type: 'listElements'; readonly elements: string[] }

/** A read position in a payload (rio over a buffer), and the server whose stats count checks. */
interface RioReader {
  readonly p: string
  pos: number
  readonly srv: ServerState
  /** Deep sanitization (sanitize-dump-payload yes, or clients for a normal client). */
  readonly deep: boolean
}

/** server.stat_dump_payload_sanitizations++, done where rdb.c does it (before each deep check). */
function countSanitization(r: RioReader): void {
  if (r.deep) r.srv.stats.dumpPayloadSanitizations++
}

/** Thrown inside the parser for any load failure; caught by rdbLoadPayload. */
class LoadError {
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

function fail(reason: string): never {
  throw new LoadError(reason)
}

// --- Primitives ---

function rioRead(r: RioReader, n: number): string {
  if (n < 0 || r.pos + n > r.p.length) fail('short read')
  const s = r.p.slice(r.pos, r.pos + n)
  r.pos += n
  return s
}

function rdbLoadByte(r: RioReader): number {
  return rioRead(r, 1).charCodeAt(0)
}

/** rdbLoadLenByRef: the length (or, when `encoded`, the special encoding number). */
function rdbLoadLenByRef(r: RioReader): { len: bigint; encoded: boolean } {
  const b = rdbLoadByte(r)
  const type = (b & 0xc0) >> 6
  if (type === RDB_ENCVAL) return { len: BigInt(b & 0x3f), encoded: true }
  if (type === 0) return { len: BigInt(b & 0x3f), encoded: false }
  if (type === 1) return { len: BigInt(((b & 0x3f) << 8) | rdbLoadByte(r)), encoded: false }
  const width = b === RDB_32BITLEN ? 4 : b === RDB_64BITLEN ? 8 : fail('unknown length encoding')
  let len = 0n
  for (const ch of rioRead(r, width)) len = (len << 8n) | BigInt(ch.charCodeAt(0))
  return { len, encoded: false }
}

/** rdbLoadLen as a 64-bit unsigned value. */
function rdbLoadLenBig(r: RioReader): bigint {
  const { len } = rdbLoadLenByRef(r)
  return len
}

/** rdbLoadLen as a count (a count beyond what fits in memory is a short read anyway). */
function rdbLoadLen(r: RioReader): number {
  const len = rdbLoadLenBig(r)
  if (len > BigInt(Number.MAX_SAFE_INTEGER)) fail('length out of range')
  return Number(len)
}

/** rdbLoadMillisecondTime: int64 little-endian. */
function rdbLoadMillisecondTime(r: RioReader): number {
  const s = rioRead(r, 8)
  let v = 0n
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(s.charCodeAt(i))
  return Number(BigInt.asIntN(64, v))
}

interface LoadedString {
  readonly s: string
  /** The integer when the string was integer-encoded (RDB_ENC_INT*). */
  readonly int: bigint | null
}

/** rdbGenericLoadStringObject: plain, integer-encoded or LZF-compressed bytes. */
function rdbLoadString(r: RioReader): LoadedString {
  const { len, encoded } = rdbLoadLenByRef(r)
  if (encoded) {
    const enc = Number(len)
    if (enc === RDB_ENC_INT8 || enc === RDB_ENC_INT16 || enc === RDB_ENC_INT32) {
      const width = enc === RDB_ENC_INT8 ? 1 : enc === RDB_ENC_INT16 ? 2 : 4
      const bytes = rioRead(r, width)
      let v = 0n
      for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(i))
      const int = BigInt.asIntN(width * 8, v)
      return { s: int.toString(), int }
    }
    if (enc === RDB_ENC_LZF) {
      const clen = rdbLoadLen(r)
      const ulen = rdbLoadLen(r)
      const c = rioRead(r, clen)
      const out = lzf_decompress(byteStringToBytes(c), ulen)
      if (out === null) fail('Invalid LZF compressed string')
      return { s: bytesToByteString(out), int: null }
    }
    fail('unknown string encoding')
  }
  if (len > BigInt(r.p.length)) fail('short read')
  return { s: rioRead(r, Number(len)), int: null }
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

/** lpValidateIntegrity: the header always; every entry (our safety check) — see the file comment. */
function lpValidateIntegrity(bytes: string): Listpack {
  const size = bytes.length
  if (size < 7) fail('listpack too short')
  const b = byteStringToBytes(bytes)
  const total = (b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) * 2 ** 24)
  if (total !== size) fail('listpack size mismatch')
  if (b[size - 1] !== 0xff) fail('listpack without terminator')
  const lp = lpFromBytes(b)
  if (lpValidate(lp).some((e) => !e.includes('canonical'))) fail('listpack integrity')
  return lp
}

/** lpPairsValidateIntegrityAndDups (deep part): an even count and unique field names. */
function lpPairsCheck(lp: Listpack): void {
  const entries = lpEntries(lp)
  if (entries.length % 2 !== 0) fail('odd listpack')
  const seen = new Set<string>()
  for (let i = 0; i < entries.length; i += 2) {
    const f = entries[i] ?? ''
    if (seen.has(f)) fail('duplicate field')
    seen.add(f)
  }
}

/** A ziplist blob converted to a listpack (ziplistValidateIntegrity + lpAppend per entry). */
function ziplistToListpack(bytes: string, pairs: boolean): Listpack {
  const zl = { buf: byteStringToBytes(bytes) }
  if (zl.buf.length < 11 || ziplistValidate(zl).some((e) => !e.includes('stored as a string')))
    fail('ziplist integrity')
  const entries = ziplistEntries(zl)
  if (pairs) {
    if (entries.length % 2 !== 0) fail('odd ziplist')
    const seen = new Set<string>()
    for (let i = 0; i < entries.length; i += 2) {
      if (seen.has(entries[i] ?? '')) fail('duplicate field')
      seen.add(entries[i] ?? '')
    }
  }
  const lp = lpNew()
  for (const e of entries) lpAppend(LP_SILENT, lp, e, '')
  return lpDup(lp)
}

/** intsetValidateIntegrity. */
function intsetFromBlob(bytes: string, deep: boolean): Intset {
  const size = bytes.length
  if (size < 8) fail('intset too short')
  const b = byteStringToBytes(bytes)
  const dv = new DataView(b.buffer)
  const encoding = dv.getUint32(0, true)
  if (
    encoding !== INTSET_ENC_INT16 &&
    encoding !== INTSET_ENC_INT32 &&
    encoding !== INTSET_ENC_INT64
  )
    fail('intset encoding')
  const count = dv.getUint32(4, true)
  if (8 + count * encoding !== size) fail('intset size')
  if (count === 0) fail('empty intset')
  const is: Intset = {
    encoding: encoding as Intset['encoding'],
    length: count,
    contents: b.slice(8),
  }
  if (deep) {
    const values = intsetToArray(is)
    for (let i = 1; i < values.length; i++)
      if ((values[i] ?? 0n) <= (values[i - 1] ?? 0n)) fail('intset order')
  }
  return is
}

/** streamValidateListpackIntegrity, deep part: the master entry and every entry's layout. */
function streamListpackCheck(lp: Listpack): void {
  const e = lpEntries(lp)
  let i = 0
  const int = (): bigint => {
    if (i >= e.length) fail('stream listpack short')
    const v = string2ll(e[i++] ?? '')
    if (v === null) fail('stream listpack integer')
    return v
  }
  const skip = (n: bigint): void => {
    i += Number(n)
    if (i > e.length) fail('stream listpack short')
  }
  let entryCount = int()
  const deleted = int()
  const masterFields = int()
  if (masterFields < 0n) fail('stream master fields')
  skip(masterFields)
  if (int() !== 0n) fail('stream master terminator')
  entryCount += deleted
  while (entryCount-- > 0n) {
    let fields = masterFields
    let extra = 3n
    const flags = int()
    int()
    int()
    if ((flags & BigInt(STREAM_ITEM_FLAG_SAMEFIELDS)) === 0n) {
      fields = int()
      if (fields < 0n) fail('stream fields')
      skip(fields)
      extra += fields + 1n
    }
    skip(fields)
    if (int() !== fields + extra) fail('stream lp-count')
  }
  if (i !== e.length) fail('stream listpack trailing entries')
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

function loadSetMembers(r: RioReader): DecodedValue {
  const len = rdbLoadLen(r)
  if (len === 0) fail('empty key')
  const members: string[] = []
  const seen = new Set<string>()
  for (let i = 0; i < len; i++) {
    const m = rdbLoadStr(r)
    if (seen.has(m)) fail('Duplicate set members detected')
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
    if (Number.isNaN(score)) fail('Zset with NAN score detected')
    if (seen.has(ele)) fail('Duplicate zset fields detected')
    seen.add(ele)
    pairs.push([ele, score])
  }
  return { type: 'zset', pairs }
}

function loadHashPairs(srv: ServerState, r: RioReader, deep: boolean): DecodedValue {
  const len = rdbLoadLen(r)
  if (len === 0) fail('empty key')
  const cfg = srv.config
  const pairs: (readonly [string, string])[] = []
  const seen = new Set<string>()
  // The listpack phase lasts while every pair is short and few enough; duplicates found in
  // it are errors only with deep sanitization (dupSearchDict), in the dict phase always.
  let listpackPhase = len <= cfg.hashMaxListpackEntries
  let dupInListpack = false
  for (let i = 0; i < len; i++) {
    const field = rdbLoadStr(r)
    const value = rdbLoadStr(r)
    if (listpackPhase) {
      if (field.length > cfg.hashMaxListpackValue || value.length > cfg.hashMaxListpackValue) {
        // hashTypeConvert, then dictAdd of this pair: a repeated field fails there.
        listpackPhase = false
        if (seen.has(field)) fail('Duplicate hash fields detected')
      } else if (seen.has(field)) {
        if (deep) fail('Hash with dup elements')
        dupInListpack = true
      }
    } else if (seen.has(field)) fail('Duplicate hash fields detected')
    seen.add(field)
    pairs.push([field, value])
  }
  // A listpack with duplicate fields that must become a dict makes Redis panic: refuse it.
  if (dupInListpack && !listpackPhase) fail('Duplicate hash fields detected')
  if (dupInListpack) {
    const lp = lpNew()
    for (const [f, v] of pairs) {
      lpAppend(LP_SILENT, lp, f, '')
      lpAppend(LP_SILENT, lp, v, '')
    }
    return { type: 'hash', listpack: lpDup(lp) }
  }
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
        fail('Quicklist integrity check failed.')
    }
    const data = rdbLoadStr(r)
    if (data.length === 0) fail('empty quicklist node')
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      nodes.push(data)
      count++
      continue
    }
    if (rdbtype === RDB_TYPE_LIST_QUICKLIST_2) countSanitization(r)
    const lp =
      rdbtype === RDB_TYPE_LIST_QUICKLIST_2
        ? lpValidateIntegrity(data)
        : ziplistToListpack(data, false)
    const n = lpLength(lp)
    if (n === 0) continue
    nodes.push(lp)
    count += n
  }
  if (count === 0) fail('empty key')
  return { type: 'list', nodes }
}

function loadStream(r: RioReader, rdbtype: number): DecodedValue {
  const s: Stream = streamNew()
  const listpacks = rdbLoadLen(r)
  for (let i = 0; i < listpacks; i++) {
    const nodekey = rdbLoadStr(r)
    if (nodekey.length !== 16) fail('Stream node key entry is not the size of a stream ID')
    const lpBytesStr = rdbLoadStr(r)
    countSanitization(r)
    const lp = lpValidateIntegrity(lpBytesStr)
    if (lpLength(lp) === 0) fail('Empty listpack inside stream')
    streamListpackCheck(lp)
    if (!raxTryInsert(s.rax, nodekey, streamNodeFromBytes(byteStringToBytes(lpBytesStr))))
      fail('Listpack re-added with existing key')
  }
  s.length = rdbLoadLen(r)
  s.lastId = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
  if (rdbtype === RDB_TYPE_STREAM_LISTPACKS_2) {
    s.firstId = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
    s.maxDeletedEntryId = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
    s.entriesAdded = rdbLoadLenBig(r)
  } else {
    s.entriesAdded = BigInt(s.length)
    s.firstId = streamGetEdgeID(s, true, true)
  }
  if (s.length && !raxSize(s.rax)) fail('Stream length inconsistent with rax entries')
  const groups = rdbLoadLen(r)
  for (let g = 0; g < groups; g++) {
    const name = rdbLoadStr(r)
    const id = { ms: rdbLoadLenBig(r), seq: rdbLoadLenBig(r) }
    const offset =
      rdbtype === RDB_TYPE_STREAM_LISTPACKS_2
        ? BigInt.asIntN(64, rdbLoadLenBig(r))
        : streamEstimateDistanceFromFirstEverEntry(s, id)
    const cg = streamCreateCG(s, name, id, offset)
    if (cg === null) fail('Duplicated consumer group name')
    const pelSize = rdbLoadLen(r)
    for (let i = 0; i < pelSize; i++) {
      const rawid = rioRead(r, 16)
      const nack: StreamNACK = { deliveryTime: 0, deliveryCount: 0n, consumer: null }
      nack.deliveryTime = rdbLoadMillisecondTime(r)
      nack.deliveryCount = rdbLoadLenBig(r)
      if (!raxTryInsert(cg.pel, rawid, nack)) fail('Duplicated global PEL entry')
    }
    const consumers = rdbLoadLen(r)
    for (let c = 0; c < consumers; c++) {
      const cname = rdbLoadStr(r)
      const consumer = streamCreateConsumer(cg, cname, 0)
      if (consumer === null) fail('Duplicate stream consumer detected.')
      consumer.seenTime = rdbLoadMillisecondTime(r)
      const n = rdbLoadLen(r)
      for (let i = 0; i < n; i++) {
        const rawid = rioRead(r, 16)
        const nack = raxFind(cg.pel, rawid)
        if (nack === undefined || nack === null)
          fail('Consumer entry not found in group global PEL')
        nack.consumer = consumer
        if (!raxTryInsert(consumer.pel, rawid, nack)) fail('Duplicated consumer PEL entry')
      }
    }
    // Deep sanitization refuses a group PEL entry no consumer owns. Without it Redis keeps
    // one, which later commands dereference; refused here in every mode (file comment).
    const it = raxStart(cg.pel)
    raxSeek(it, '^')
    while (raxNext(it)) if (it.data?.consumer === null) fail('Stream CG PEL entry without consumer')
  }
  return { type: 'stream', stream: s }
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
    case RDB_TYPE_LIST_ZIPLIST: {
      const zl = { buf: byteStringToBytes(rdbLoadStr(r)) }
      if (zl.buf.length < 11 || ziplistValidate(zl).some((e) => !e.includes('stored as a string')))
        fail('List ziplist integrity check failed.')
      const elements = ziplistEntries(zl)
      if (elements.length === 0) fail('empty key')
      return { type: 'listElements', elements }
    }
    case RDB_TYPE_SET_INTSET: {
      const blob = rdbLoadStr(r)
      countSanitization(r)
      return { type: 'set', intset: intsetFromBlob(blob, deep) }
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_HASH_ZIPLIST: {
      const lp = ziplistToListpack(rdbLoadStr(r), true)
      if (lpLength(lp) === 0) fail('empty key')
      return { type: rdbtype === RDB_TYPE_ZSET_ZIPLIST ? 'zset' : 'hash', listpack: lp }
    }
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_HASH_LISTPACK: {
      const blob = rdbLoadStr(r)
      countSanitization(r)
      const lp = lpValidateIntegrity(blob)
      // An odd count or a repeated field is only refused by deep sanitization (as in Redis).
      if (deep) lpPairsCheck(lp)
      if (lpLength(lp) === 0) fail('empty key')
      return { type: rdbtype === RDB_TYPE_ZSET_LISTPACK ? 'zset' : 'hash', listpack: lp }
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return loadStream(r, rdbtype)
    default:
      // Modules (none loaded) and zipmaps.
      return fail('Unknown RDB encoding type')
  }
}

/**
 * rdbLoadObjectType + rdbLoadObject's parsing for a DUMP payload (footer included, as RESTORE
 * passes it): the value, or null when Redis would answer "Bad data format".
 */
export function rdbLoadPayload(srv: ServerState, payload: string): DecodedValue | null {
  const deep = deepSanitization(srv)
  const r: RioReader = { p: payload, pos: 0, srv, deep }
  try {
    const type = rdbLoadByte(r)
    if (!rdbIsObjectType(type)) return null
    return rdbLoadValue(srv, r, type, deep)
  } catch (e) {
    if (e instanceof LoadError) return null
    throw e
  }
}
