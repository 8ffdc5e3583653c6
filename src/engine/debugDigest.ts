/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE (debug.c computeDatasetDigest / xorObjectDigest).
 *
 * Design: a logical fingerprint of the data, identical to the real server's for the same
 * keys and values (unlike digest.ts, which also hashes our internal layout for replays).
 * Unordered collections (keys, set members, hash fields, sorted-set members) are combined by
 * xor of their elements' SHA1s, so iteration order and encoding do not matter; ordered data
 * (a list's elements, a key and its value) go through mixDigest, digest = SHA1(digest xor
 * SHA1(data)). A key with a TTL xors in SHA1("!!expire!!"). SHA1 is computed here over byte
 * strings (code units 0–255), as the engine has no crypto module.
 */
import type { ServerState } from './state.ts'
import { getExpire, type RedisDb } from './keyspace/db.ts'
import { dictFetchValue, dictForEach, dictSize } from './structures/dict.ts'
import type { ExecContext } from './context.ts'
import { getDecodedString, OBJ_TYPE_CODES, type RedisObject } from './types/object.ts'
import { listTypeRange, type ListObject } from './types/t_list.ts'
import { setTypeMembers, type SetObject } from './types/t_set.ts'
import { hashTypeEntries, type HashObject } from './types/t_hash.ts'
import { zsetEntries, type ZsetObject } from './types/t_zset.ts'
import {
  streamIteratorGetFields,
  streamIteratorGetID,
  streamIteratorStart,
  type StreamObject,
} from './types/t_stream.ts'
import { formatG } from './util/numbers.ts'

/**
 * SHA1 of a byte string (or bytes), as 20 bytes. The input is read block by block, never
 * copied whole: a 256 MB string (SETBIT k 2147483647 0) digests in constant memory.
 */
export function sha1(data: string | ArrayLike<number>): Uint8Array {
  const len = data.length
  const total = (((len + 8) >> 6) + 1) << 6
  const block = new Uint8Array(64)
  const view = new DataView(block.buffer)
  let h0 = 0x67452301
  let h1 = 0xefcdab89
  let h2 = 0x98badcfe
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0
  const w = new Int32Array(80)
  for (let off = 0; off < total; off += 64) {
    if (typeof data === 'string' && off + 64 <= len) {
      // A whole block of the string: its big-endian words straight from the code units.
      for (let i = 0, p = off; i < 16; i++, p += 4)
        w[i] =
          (data.charCodeAt(p) << 24) |
          (data.charCodeAt(p + 1) << 16) |
          (data.charCodeAt(p + 2) << 8) |
          data.charCodeAt(p + 3)
    } else {
      // The tail: data, then 0x80, zeros and the bit length in the last block's 8 bytes.
      const n = Math.min(64, Math.max(0, len - off))
      if (typeof data === 'string') for (let i = 0; i < n; i++) block[i] = data.charCodeAt(off + i)
      else for (let i = 0; i < n; i++) block[i] = (data[off + i] ?? 0) & 0xff
      block.fill(0, n)
      if (len >= off && len < off + 64) block[len - off] = 0x80
      if (off + 64 === total) {
        view.setUint32(56, Math.floor((len * 8) / 0x100000000))
        view.setUint32(60, (len * 8) >>> 0)
      }
      for (let i = 0; i < 16; i++) w[i] = view.getInt32(i * 4)
    }
    for (let i = 16; i < 80; i++) {
      const x =
        (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number)
      w[i] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    // The four rounds of 20 steps, kept in int32 arithmetic (| 0) so they stay fast.
    for (let i = 0; i < 80; i++) {
      const f =
        i < 20
          ? ((b & c) | (~b & d)) + 0x5a827999
          : i < 40
            ? (b ^ c ^ d) + 0x6ed9eba1
            : i < 60
              ? ((b & c) | (b & d) | (c & d)) - 0x70e44324
              : (b ^ c ^ d) - 0x359d3e2a
      const t = (((((a << 5) | (a >>> 27)) + e) | 0) + ((f + (w[i] as number)) | 0)) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = t
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
  }
  const out = new Uint8Array(20)
  const ov = new DataView(out.buffer)
  ov.setInt32(0, h0)
  ov.setInt32(4, h1)
  ov.setInt32(8, h2)
  ov.setInt32(12, h3)
  ov.setInt32(16, h4)
  return out
}

/** debug.c xorDigest: digest ^= SHA1(data). */
function xorDigest(digest: Uint8Array, data: string | ArrayLike<number>): void {
  const h = sha1(data)
  for (let j = 0; j < 20; j++) digest[j] = (digest[j] ?? 0) ^ (h[j] ?? 0)
}

/** debug.c mixDigest: digest = SHA1(digest ^ SHA1(data)). */
function mixDigest(digest: Uint8Array, data: string | ArrayLike<number>): void {
  xorDigest(digest, data)
  digest.set(sha1(digest))
}

const mixString = (digest: Uint8Array, s: string): void => mixDigest(digest, s)

/** "%.17g" of a score. */
function scoreText(d: number): string {
  if (d === Infinity) return 'inf'
  if (d === -Infinity) return '-inf'
  return formatG(d, 17)
}

/** debug.c xorObjectDigest: the value's digest mixed into `digest`. */
function xorObjectDigest(
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  digest: Uint8Array,
  o: RedisObject,
): void {
  mixDigest(digest, [0, 0, 0, OBJ_TYPE_CODES[o.type]])
  // A container's encoding matches its type: the cast names which one it is.
  if (o.type === 'string') {
    mixString(digest, getDecodedString(o))
  } else if (o.type === 'list') {
    for (const e of listTypeRange(o as ListObject, 0, -1, false)) mixString(digest, e)
  } else if (o.type === 'set') {
    for (const m of setTypeMembers(o as SetObject)) xorDigest(digest, m)
  } else if (o.type === 'stream') {
    // Each entry: "ms.seq", then its fields and values, mixed in order.
    const si = streamIteratorStart((o as StreamObject).ptr, null, null, false)
    for (let got = streamIteratorGetID(si); got !== null; got = streamIteratorGetID(si)) {
      mixString(digest, `${got.id.ms.toString()}.${got.id.seq.toString()}`)
      for (const s of streamIteratorGetFields(si, got.numfields)) mixString(digest, s)
    }
  } else {
    const pairs: readonly (readonly [string, string])[] =
      o.type === 'zset'
        ? zsetEntries(o as ZsetObject).map(([m, score]) => [m, scoreText(score)] as const)
        : hashTypeEntries(o as HashObject)
    for (const [a, b] of pairs) {
      const ele = new Uint8Array(20)
      mixString(ele, a)
      mixString(ele, b)
      xorDigest(digest, ele)
    }
  }
  // Any TTL counts, expired or not (no lookup: DEBUG sees logically expired keys).
  if (getExpire(ctx, db, key) !== -1) xorDigest(digest, '!!expire!!')
}

function hex(d: Uint8Array): string {
  let s = ''
  for (const b of d) s += b.toString(16).padStart(2, '0')
  return s
}

/** debug.c computeDatasetDigest, as DEBUG DIGEST prints it (40 hex digits). */
export function computeDatasetDigest(ctx: ExecContext, srv: ServerState): string {
  const final = new Uint8Array(20)
  srv.dbs.forEach((db, j) => {
    if (dictSize(db.dict) === 0) return
    mixDigest(final, [(j >>> 24) & 0xff, (j >>> 16) & 0xff, (j >>> 8) & 0xff, j & 0xff])
    // Bucket order; the xor makes the order irrelevant.
    dictForEach(db.dict, (key, val) => {
      const digest = new Uint8Array(20)
      mixString(digest, key)
      xorObjectDigest(ctx, db, key, digest, val)
      xorDigest(final, digest)
    })
  })
  return hex(final)
}

/** DEBUG DIGEST-VALUE for one key of `db`: zeros when the key is not in the dict. */
export function digestValue(ctx: ExecContext, db: RedisDb, key: string): string {
  const digest = new Uint8Array(20)
  const o = dictFetchValue<RedisObject>(ctx, db.dict, key)
  if (o !== undefined) xorObjectDigest(ctx, db, key, digest, o)
  return hex(digest)
}
