/**
 * The RDB serialization of one value, byte for byte — follows redis/src/rdb.c (rdbSaveObjectType,
 * rdbSaveObject, rdbSaveLen, rdbSaveRawString, rdbSaveLzfStringObject, rdbSaveBinaryDoubleValue,
 * rdbSaveStreamPEL/Consumers) and cluster.c createDumpPayload / verifyDumpPayload (7.0.15).
 *
 * DUMP sends `type byte | object | RDB version (2 bytes LE) | CRC64 of all before (8 bytes LE)`;
 * DEBUG OBJECT's serializedlength is the length of `object` alone (rdbSavedObjectLen). Values
 * are written the way RDB version 10 writes them:
 *   - lengths: 6-bit (1 byte), 14-bit (2 bytes, big-endian), 32-bit or 64-bit big-endian after
 *     a marker byte (rdbSaveLen);
 *   - strings (rdbSaveRawString): up to 11 bytes that parse as an integer in int32 range become
 *     an 8/16/32-bit little-endian integer encoding; else, with `rdbcompression yes` and more
 *     than 20 bytes, LZF when it saves at least 4 bytes; else length + bytes;
 *   - list (QUICKLIST_2): node count, then per node its container (1 PLAIN, 2 PACKED) and its
 *     bytes as a string — or, for a node the quicklist holds LZF-compressed, the LZF blob of it;
 *   - set: an intset blob as one string (SET_INTSET), or the members in dict order (SET);
 *   - zset: the listpack blob (ZSET_LISTPACK), or the skiplist from the greatest element to the
 *     smallest, each member then its score as 8 raw little-endian bytes (ZSET_2);
 *   - hash: the listpack blob (HASH_LISTPACK), or the (field, value) pairs in dict order (HASH);
 *   - stream (STREAM_LISTPACKS_2): each rax node's 16-byte master ID and listpack, the length,
 *     last, first and max-deleted IDs, entries_added, then each group (name, last ID,
 *     entries_read, global PEL with delivery time and count, consumers with seen time and their
 *     PEL as raw IDs), all rax walks in key order.
 *
 * A quicklist node held LZF-compressed (list-compress-depth, structures/quicklist.ts) is
 * written as its LZF blob as is, even with `rdbcompression no`; a raw node goes through
 * rdbSaveRawString like any string.
 *
 * Pure: no events (serializing reads the value, it changes nothing).
 */
import { lzf_compress } from './structures/lzf.ts'
import type { ServerState } from './state.ts'
import { dictForEach, dictSize } from './structures/dict.ts'
import { intsetBlob } from './structures/intset.ts'
import { lpBytes } from './structures/listpack.ts'
import { quicklistNodeRawBytes, type Quicklist } from './structures/quicklist.ts'
import { raxSize, raxStart, raxSeek, raxNext, type Rax } from './structures/rax.ts'
import { zslNodes } from './structures/skiplist.ts'
import { sdsObjectBuf, type RedisObject } from './types/object.ts'
import type { HashObject } from './types/t_hash.ts'
import type { ListObject } from './types/t_list.ts'
import type { SetObject } from './types/t_set.ts'
import type {
  Stream,
  StreamConsumer,
  StreamCG,
  StreamNACK,
  StreamObject,
} from './types/t_stream.ts'
import { streamNodeBytes } from './types/t_stream.ts'
import type { ZsetObject } from './types/t_zset.ts'
import { crc64, crc64ToBytesLE } from './util/crc64.ts'
import { string2ll } from './util/numbers.ts'

// --- Constants (rdb.h) ---

export const RDB_VERSION = 10
// rdb.h RDB_OPCODE_*: the markers of an RDB file around its keys.
export const RDB_OPCODE_FUNCTION = 246
export const RDB_OPCODE_FUNCTION2 = 245
export const RDB_OPCODE_MODULE_AUX = 247
export const RDB_OPCODE_IDLE = 248
export const RDB_OPCODE_FREQ = 249
export const RDB_OPCODE_AUX = 250
export const RDB_OPCODE_RESIZEDB = 251
export const RDB_OPCODE_EXPIRETIME_MS = 252
export const RDB_OPCODE_EXPIRETIME = 253
export const RDB_OPCODE_SELECTDB = 254
export const RDB_OPCODE_EOF = 255

export const RDB_TYPE_STRING = 0
export const RDB_TYPE_LIST = 1
export const RDB_TYPE_SET = 2
export const RDB_TYPE_ZSET = 3
export const RDB_TYPE_HASH = 4
export const RDB_TYPE_ZSET_2 = 5
export const RDB_TYPE_MODULE = 6
export const RDB_TYPE_MODULE_2 = 7
export const RDB_TYPE_HASH_ZIPMAP = 9
export const RDB_TYPE_LIST_ZIPLIST = 10
export const RDB_TYPE_SET_INTSET = 11
export const RDB_TYPE_ZSET_ZIPLIST = 12
export const RDB_TYPE_HASH_ZIPLIST = 13
export const RDB_TYPE_LIST_QUICKLIST = 14
export const RDB_TYPE_STREAM_LISTPACKS = 15
export const RDB_TYPE_HASH_LISTPACK = 16
export const RDB_TYPE_ZSET_LISTPACK = 17
export const RDB_TYPE_LIST_QUICKLIST_2 = 18
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19

export const RDB_6BITLEN = 0
export const RDB_14BITLEN = 1
export const RDB_32BITLEN = 0x80
export const RDB_64BITLEN = 0x81
export const RDB_ENCVAL = 3
export const RDB_ENC_INT8 = 0
export const RDB_ENC_INT16 = 1
export const RDB_ENC_INT32 = 2
export const RDB_ENC_LZF = 3

export const QUICKLIST_NODE_CONTAINER_PLAIN = 1
export const QUICKLIST_NODE_CONTAINER_PACKED = 2

// --- Output buffer (rio over an sds) ---

/** A growable byte buffer: rio's sds target. */
export interface Rio {
  buf: Uint8Array
  len: number
}

export function rioCreate(capacity = 64): Rio {
  return { buf: new Uint8Array(capacity), len: 0 }
}

function rioReserve(r: Rio, n: number): void {
  if (r.len + n <= r.buf.length) return
  let cap = r.buf.length * 2
  while (cap < r.len + n) cap *= 2
  const next = new Uint8Array(cap)
  next.set(r.buf.subarray(0, r.len))
  r.buf = next
}

function rdbWriteByte(r: Rio, b: number): void {
  rioReserve(r, 1)
  r.buf[r.len++] = b & 0xff
}

/** rdbWriteRaw of bytes or a byte string. */
function rdbWriteRaw(r: Rio, data: Uint8Array | string): void {
  rioReserve(r, data.length)
  if (typeof data === 'string') {
    for (let i = 0; i < data.length; i++) r.buf[r.len++] = data.charCodeAt(i) & 0xff
  } else {
    r.buf.set(data, r.len)
    r.len += data.length
  }
}

/** Bytes as an engine byte string (code units 0–255). */
export function bytesToByteString(b: Uint8Array): string {
  let s = ''
  const CHUNK = 8192
  for (let i = 0; i < b.length; i += CHUNK)
    s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + CHUNK)))
  return s
}

/** The written bytes as an engine byte string. */
export function rioToByteString(r: Rio): string {
  return bytesToByteString(r.buf.subarray(0, r.len))
}

/** An engine byte string as bytes. */
export function byteStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff
  return out
}

// --- Primitives ---

/** rdbSaveType: one byte. */
export function rdbSaveType(r: Rio, type: number): void {
  rdbWriteByte(r, type)
}

/** rdbSaveLen: the 1, 2, 5 or 9 byte length encoding (bigint for 64-bit stream fields). */
export function rdbSaveLen(r: Rio, len: number | bigint): void {
  const n = typeof len === 'bigint' ? BigInt.asUintN(64, len) : BigInt(len)
  if (n < 64n) {
    rdbWriteByte(r, (RDB_6BITLEN << 6) | Number(n))
  } else if (n < 16384n) {
    rdbWriteByte(r, (RDB_14BITLEN << 6) | Number(n >> 8n))
    rdbWriteByte(r, Number(n & 0xffn))
  } else if (n <= 0xffffffffn) {
    rdbWriteByte(r, RDB_32BITLEN)
    for (let s = 24n; s >= 0n; s -= 8n) rdbWriteByte(r, Number((n >> s) & 0xffn))
  } else {
    rdbWriteByte(r, RDB_64BITLEN)
    for (let s = 56n; s >= 0n; s -= 8n) rdbWriteByte(r, Number((n >> s) & 0xffn))
  }
}

/** rdbSaveMillisecondTime: int64 little-endian. */
export function rdbSaveMillisecondTime(r: Rio, t: number | bigint): void {
  const v = BigInt.asUintN(64, BigInt(t))
  for (let s = 0n; s < 64n; s += 8n) rdbWriteByte(r, Number((v >> s) & 0xffn))
}

/** rdbEncodeInteger: the 2, 3 or 5 byte integer encoding of an int32, or null when out of range. */
export function rdbEncodeInteger(value: bigint): number[] | null {
  const v = Number(value)
  if (value >= -128n && value <= 127n) return [(RDB_ENCVAL << 6) | RDB_ENC_INT8, v & 0xff]
  if (value >= -32768n && value <= 32767n)
    return [(RDB_ENCVAL << 6) | RDB_ENC_INT16, v & 0xff, (v >> 8) & 0xff]
  if (value >= -2147483648n && value <= 2147483647n)
    return [
      (RDB_ENCVAL << 6) | RDB_ENC_INT32,
      v & 0xff,
      (v >> 8) & 0xff,
      (v >> 16) & 0xff,
      (v >>> 24) & 0xff,
    ]
  return null
}

/** rdbSaveLzfBlob: the LZF marker, compressed and original lengths, compressed bytes. */
function rdbSaveLzfBlob(r: Rio, data: Uint8Array, originalLen: number): void {
  rdbWriteByte(r, (RDB_ENCVAL << 6) | RDB_ENC_LZF)
  rdbSaveLen(r, data.length)
  rdbSaveLen(r, originalLen)
  rdbWriteRaw(r, data)
}

/** Whether `rdbcompression` is on (server.rdb_compression). */
function rdbCompression(srv: ServerState): boolean {
  return (srv.config.other['rdbcompression'] ?? 'yes') === 'yes'
}

/**
 * rdbSaveRawString: integer encoding for short integer strings, LZF for long compressible
 * ones (when rdbcompression is on), else length + bytes.
 */
export function rdbSaveRawString(srv: ServerState, r: Rio, s: Uint8Array | string): void {
  const len = s.length
  if (len <= 11) {
    const text = typeof s === 'string' ? s : String.fromCharCode(...s)
    const v = string2ll(text)
    const enc = v === null ? null : rdbEncodeInteger(v)
    if (enc !== null) {
      for (const b of enc) rdbWriteByte(r, b)
      return
    }
  }
  if (rdbCompression(srv) && len > 20) {
    // rdbSaveLzfStringObject: worth it only when at least 4 bytes are saved.
    const bytes = typeof s === 'string' ? byteStringToBytes(s) : s
    const comp = lzf_compress(bytes, len - 4)
    if (comp !== null) {
      rdbSaveLzfBlob(r, comp, len)
      return
    }
  }
  rdbSaveLen(r, len)
  if (len > 0) rdbWriteRaw(r, s)
}

/** rdbSaveLongLongAsStringObject: an int-encoded string value. */
function rdbSaveLongLongAsStringObject(r: Rio, value: bigint): void {
  const enc = rdbEncodeInteger(value)
  if (enc !== null) {
    for (const b of enc) rdbWriteByte(r, b)
    return
  }
  const text = value.toString()
  rdbSaveLen(r, text.length)
  rdbWriteRaw(r, text)
}

/** rdbSaveBinaryDoubleValue: IEEE 754 binary64, little-endian. */
export function rdbSaveBinaryDoubleValue(r: Rio, val: number): void {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setFloat64(0, val, true)
  rdbWriteRaw(r, b)
}

// --- Object type ---

/** rdbSaveObjectType: the RDB type byte of a value's type and encoding. */
export function rdbObjectType(o: RedisObject): number {
  switch (o.type) {
    case 'string':
      return RDB_TYPE_STRING
    case 'list':
      return RDB_TYPE_LIST_QUICKLIST_2
    case 'set':
      return o.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET
    case 'zset':
      return o.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2
    case 'hash':
      return o.encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH
    case 'stream':
      return RDB_TYPE_STREAM_LISTPACKS_2
  }
}

// --- Object ---

/** Each node: its container, then its LZF blob (compressed node) or its raw bytes. */
function rdbSaveQuicklist(srv: ServerState, r: Rio, ql: Quicklist): void {
  rdbSaveLen(r, ql.len)
  for (let node = ql.head; node !== null; node = node.next) {
    const plain = node.container === 'plain'
    rdbSaveLen(r, plain ? QUICKLIST_NODE_CONTAINER_PLAIN : QUICKLIST_NODE_CONTAINER_PACKED)
    if (node.lzf !== null) rdbSaveLzfBlob(r, node.lzf, node.sz)
    else rdbSaveRawString(srv, r, quicklistNodeRawBytes(node))
  }
}

/** rdbSaveStreamPEL: count, then each raw 16-byte ID (+ delivery time and count for a group PEL). */
function rdbSaveStreamPEL(r: Rio, pel: Rax<StreamNACK>, nacks: boolean): void {
  rdbSaveLen(r, raxSize(pel))
  const it = raxStart(pel)
  raxSeek(it, '^')
  while (raxNext(it)) {
    rdbWriteRaw(r, it.key)
    if (nacks) {
      const nack = it.data as StreamNACK
      rdbSaveMillisecondTime(r, nack.deliveryTime)
      rdbSaveLen(r, nack.deliveryCount)
    }
  }
}

/** rdbSaveStreamConsumers: count, then name, seen time and PEL (IDs only) of each consumer. */
function rdbSaveStreamConsumers(srv: ServerState, r: Rio, cg: StreamCG): void {
  rdbSaveLen(r, raxSize(cg.consumers))
  const it = raxStart(cg.consumers)
  raxSeek(it, '^')
  while (raxNext(it)) {
    const consumer = it.data as StreamConsumer
    rdbSaveRawString(srv, r, it.key)
    rdbSaveMillisecondTime(r, consumer.seenTime)
    rdbSaveStreamPEL(r, consumer.pel, false)
  }
}

function rdbSaveStream(srv: ServerState, r: Rio, s: Stream): void {
  rdbSaveLen(r, raxSize(s.rax))
  const it = raxStart(s.rax)
  raxSeek(it, '^')
  while (raxNext(it)) {
    rdbSaveRawString(srv, r, it.key)
    rdbSaveRawString(srv, r, streamNodeBytes(it.data as NonNullable<typeof it.data>))
  }
  rdbSaveLen(r, s.length)
  rdbSaveLen(r, s.lastId.ms)
  rdbSaveLen(r, s.lastId.seq)
  rdbSaveLen(r, s.firstId.ms)
  rdbSaveLen(r, s.firstId.seq)
  rdbSaveLen(r, s.maxDeletedEntryId.ms)
  rdbSaveLen(r, s.maxDeletedEntryId.seq)
  rdbSaveLen(r, s.entriesAdded)
  const groups = s.cgroups
  rdbSaveLen(r, groups === null ? 0 : raxSize(groups))
  if (groups === null) return
  const gi = raxStart(groups)
  raxSeek(gi, '^')
  while (raxNext(gi)) {
    const cg = gi.data as StreamCG
    rdbSaveRawString(srv, r, gi.key)
    rdbSaveLen(r, cg.lastId.ms)
    rdbSaveLen(r, cg.lastId.seq)
    rdbSaveLen(r, cg.entriesRead)
    rdbSaveStreamPEL(r, cg.pel, true)
    rdbSaveStreamConsumers(srv, r, cg)
  }
}

/** rdbSaveObject: the value's RDB body (no type byte), appended to `r`. */
export function rdbSaveObject(srv: ServerState, r: Rio, o: RedisObject): void {
  switch (o.type) {
    case 'string':
      if (o.encoding === 'int') rdbSaveLongLongAsStringObject(r, o.ptr)
      else rdbSaveRawString(srv, r, sdsObjectBuf(o))
      return
    case 'list':
      rdbSaveQuicklist(srv, r, (o as ListObject).ptr)
      return
    case 'set': {
      const s = o as SetObject
      if (s.encoding === 'intset') {
        rdbSaveRawString(srv, r, intsetBlob(s.ptr))
        return
      }
      rdbSaveLen(r, dictSize(s.ptr))
      dictForEach(s.ptr, (member) => {
        rdbSaveRawString(srv, r, member)
      })
      return
    }
    case 'zset': {
      const z = o as ZsetObject
      if (z.encoding === 'listpack') {
        rdbSaveRawString(srv, r, z.ptr.buf.subarray(0, lpBytes(z.ptr)))
        return
      }
      // "We save the skiplist elements from the greatest to the smallest".
      const nodes = zslNodes(z.ptr.zsl)
      rdbSaveLen(r, nodes.length)
      for (let i = nodes.length - 1; i >= 0; i--) {
        const n = nodes[i]
        if (n === undefined) continue
        rdbSaveRawString(srv, r, n.ele ?? '')
        rdbSaveBinaryDoubleValue(r, n.score)
      }
      return
    }
    case 'hash': {
      const h = o as HashObject
      if (h.encoding === 'listpack') {
        rdbSaveRawString(srv, r, h.ptr.buf.subarray(0, lpBytes(h.ptr)))
        return
      }
      rdbSaveLen(r, dictSize(h.ptr))
      dictForEach(h.ptr, (field, value) => {
        rdbSaveRawString(srv, r, field)
        rdbSaveRawString(srv, r, value ?? '')
      })
      return
    }
    case 'stream':
      rdbSaveStream(srv, r, (o as StreamObject).ptr)
      return
  }
}

/** rdbSavedObjectLen: how many bytes rdbSaveObject writes (DEBUG OBJECT serializedlength). */
export function rdbSavedObjectLen(srv: ServerState, o: RedisObject): number {
  const r = rioCreate()
  rdbSaveObject(srv, r, o)
  return r.len
}

// --- DUMP payload ---

/** cluster.c createDumpPayload: type byte, object, RDB version (LE), CRC64 (LE), as a byte string. */
export function createDumpPayload(srv: ServerState, o: RedisObject): string {
  const r = rioCreate()
  rdbSaveType(r, rdbObjectType(o))
  rdbSaveObject(srv, r, o)
  rdbWriteByte(r, RDB_VERSION & 0xff)
  rdbWriteByte(r, (RDB_VERSION >> 8) & 0xff)
  const crc = crc64(0n, r.buf.subarray(0, r.len))
  rdbWriteRaw(r, crc64ToBytesLE(crc))
  return rioToByteString(r)
}

/** One key as rdbSaveKeyValuePair writes it. */
export interface RdbFileKey {
  readonly key: string
  /** Absolute ms, -1n without a TTL (RDB_OPCODE_EXPIRETIME_MS). */
  readonly expire: bigint
  /** RDB_OPCODE_IDLE seconds, -1 when not saved (policy not LRU). */
  readonly lruIdle: number
  /** RDB_OPCODE_FREQ counter, -1 when not saved (policy not LFU). */
  readonly lfuFreq: number
  readonly value: RedisObject
}

/** A db as rdbSaveFile writes it: its RESIZEDB sizes and its keys in save order. */
export interface RdbFileDb {
  readonly id: number
  readonly size: number
  readonly expiresSize: number
  readonly keys: readonly RdbFileKey[]
}

/**
 * rdb.c rdbSaveRio as a byte string: "REDIS0010", aux fields (rdbSaveInfoAuxFields), for each
 * non-empty db SELECTDB and RESIZEDB then its keys (rdbSaveKeyValuePair: EXPIRETIME_MS, IDLE,
 * FREQ, then type, key and value), EOF and the CRC64 of everything before it (little-endian;
 * eight zero bytes with `rdbchecksum no`).
 */
export function rdbSaveFile(
  srv: ServerState,
  aux: readonly (readonly [string, string])[],
  dbs: readonly RdbFileDb[],
): string {
  return bytesToByteString(rdbSaveFileBytes(srv, aux, dbs))
}

/**
 * rdbSaveFile as bytes (what a host writes to disk: no byte string is built). `keyEnds`, when
 * given, gets the offset after each key (where a saving child sleeps rdb-key-save-delay).
 */
export function rdbSaveFileBytes(
  srv: ServerState,
  aux: readonly (readonly [string, string])[],
  dbs: readonly RdbFileDb[],
  keyEnds?: number[],
): Uint8Array {
  const r = rioCreate(256)
  rdbWriteRaw(r, `REDIS${String(RDB_VERSION).padStart(4, '0')}`)
  for (const [k, v] of aux) {
    rdbSaveType(r, RDB_OPCODE_AUX)
    rdbSaveRawString(srv, r, k)
    rdbSaveRawString(srv, r, v)
  }
  for (const db of dbs) {
    rdbSaveType(r, RDB_OPCODE_SELECTDB)
    rdbSaveLen(r, db.id)
    rdbSaveType(r, RDB_OPCODE_RESIZEDB)
    rdbSaveLen(r, db.size)
    rdbSaveLen(r, db.expiresSize)
    for (const k of db.keys) {
      if (k.expire !== -1n) {
        rdbSaveType(r, RDB_OPCODE_EXPIRETIME_MS)
        rdbSaveMillisecondTime(r, k.expire)
      }
      if (k.lruIdle >= 0) {
        rdbSaveType(r, RDB_OPCODE_IDLE)
        rdbSaveLen(r, k.lruIdle)
      }
      if (k.lfuFreq >= 0) {
        rdbSaveType(r, RDB_OPCODE_FREQ)
        rdbWriteRaw(r, String.fromCharCode(k.lfuFreq))
      }
      rdbSaveType(r, rdbObjectType(k.value))
      rdbSaveRawString(srv, r, k.key)
      rdbSaveObject(srv, r, k.value)
      keyEnds?.push(r.len)
    }
  }
  rdbSaveType(r, RDB_OPCODE_EOF)
  const checksum = (srv.config.other['rdbchecksum'] ?? 'yes') === 'yes'
  rdbWriteRaw(r, checksum ? crc64ToBytesLE(crc64(0n, r.buf.subarray(0, r.len))) : '\0'.repeat(8))
  return r.buf.subarray(0, r.len)
}

/**
 * cluster.c verifyDumpPayload: at least 10 bytes, an RDB version not newer than ours and
 * (unless `skipChecksum`) a matching CRC64 of everything before the checksum.
 */
export function verifyDumpPayload(p: string, skipChecksum = false): boolean {
  const len = p.length
  if (len < 10) return false
  const footer = len - 10
  const rdbver = (p.charCodeAt(footer + 1) << 8) | p.charCodeAt(footer)
  if (rdbver > RDB_VERSION) return false
  if (skipChecksum) return true
  return crc64ToBytesLE(crc64(0n, p.slice(0, len - 8))) === p.slice(len - 8)
}
