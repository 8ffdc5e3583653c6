/**
 * DEBUG RELOAD: save the dataset, empty it, load it back (debug.c, rdb.c rdbSave /
 * emptyData / rdbLoad, Redis 7.0.15) — what a restart does to the data structures.
 *
 * Design: no bytes are written. rdbSaveImage walks each non-empty db the way rdbSaveDb's
 * safe iterator does (table 0 then table 1, bucket order, chain order) and records, per key,
 * what the RDB file would hold: the expire time, the LRU idle seconds or LFU counter when the
 * policy saves them, and the value in its RDB form:
 *   - strings: the integer of an int-encoded string, else the bytes;
 *   - lists: each quicklist node (a listpack blob or a PLAIN element), RDB_TYPE_LIST_QUICKLIST_2;
 *   - sets: an intset blob, or the members in dict order (RDB_TYPE_SET);
 *   - sorted sets: a listpack blob, or the skiplist's (member, score) pairs from the tail to the
 *     head (RDB_TYPE_ZSET_2);
 *   - hashes: a listpack blob, or the (field, value) pairs in dict order (RDB_TYPE_HASH).
 * rdbLoadImage rebuilds every value with the encodings rdbLoadObject chooses under the
 * CURRENT config: a dict-encoded set of few integers comes back as an intset, a small hash or
 * sorted set saved as a dict comes back as a listpack, blobs over the entry limits are
 * converted, strings go through tryObjectEncoding. Keys whose expire time has passed are not
 * loaded (a master drops them), each db's dicts are pre-sized with the RESIZEDB sizes, and the
 * lru field is set from the saved idle time / counter as objectSetLRUOrLFU does (objects keep
 * their creation lru when the policy saved neither). Saving resets `dirty`.
 */
import { replicationFeedExpiredOnLoad } from './replication.ts'
import { isReplica } from './replica.ts'
import { aofHasDisk, debugLoadAofFromDisk } from './aof.ts'
import type { ExecContext } from './context.ts'
import {
  dbAddRDBLoad,
  dbDelete,
  dbExists,
  emptyData,
  getExpireExact,
  setExpireExact,
} from './keyspace/db.ts'
import { estimateObjectIdleTime, LFUGetTimeInMinutes, LRU_CLOCK_MAX } from './keyspace/lru.ts'
import { rdbLoadFromDisk, rdbLogAuxFields, rdbLogLoadDone, rdbSaveToDisk } from './rdb.ts'
import type { RdbAuxField } from './rdbDecode.ts'
import type { RdbFileDb } from './rdbEncode.ts'
import type { ServerState } from './state.ts'
import { dictAdd, dictExpand, dictForEach, dictSize, type Dict } from './structures/dict.ts'
import { intsetAdd, intsetLen, type Intset } from './structures/intset.ts'
import { lpAppend, lpDup, lpLength, lpSafeToAdd, type Listpack } from './structures/listpack.ts'
import {
  quicklistAppendListpack,
  quicklistAppendPlainNode,
  quicklistCount,
  quicklistNodes,
  quicklistPushTail,
} from './structures/quicklist.ts'
import { zslInsert, zslNodes } from './structures/skiplist.ts'
import type { ValueRef } from './types/container.ts'
import {
  createObject,
  createStringObject,
  createStringObjectFromLongLongForValue,
  lfuDecrAndReturn,
  policyIsLfu,
  policyIsLru,
  sdsObjectBuf,
  tryObjectEncoding,
  type RedisObject,
} from './types/object.ts'
import {
  createHashObject,
  hashDict,
  hashTypeConvertListpack,
  hashTypeLength,
  type HashObject,
} from './types/t_hash.ts'
import { createQuicklistObject, type ListObject } from './types/t_list.ts'
import {
  createIntsetObject,
  createSetObject,
  setTypeConvert,
  type SetObject,
} from './types/t_set.ts'
import { createZsetObject, zsetConvert, zsetLength, type ZsetObject } from './types/t_zset.ts'
import { streamDup, type Stream, type StreamObject } from './types/t_stream.ts'
import { string2ll } from './util/numbers.ts'

// --- Types ---

/** A value as the RDB file holds it. */
export type RdbValue =
  | { readonly type: 'string'; readonly int: bigint | null; readonly s: string }
  | { readonly type: 'list'; readonly nodes: readonly (Listpack | string)[] }
  | { readonly type: 'set'; readonly intset: Intset }
  | { readonly type: 'set'; readonly members: readonly string[] }
  | { readonly type: 'zset' | 'hash'; readonly listpack: Listpack }
  | { readonly type: 'zset'; readonly pairs: readonly (readonly [string, number])[] }
  | { readonly type: 'hash'; readonly pairs: readonly (readonly [string, string])[] }
  | { readonly type: 'stream'; readonly stream: Stream }
  // RDB_TYPE_LIST and LIST_ZIPLIST (older files and payloads): the elements, pushed one by one.
  | { readonly type: 'listElements'; readonly elements: readonly string[] }

/** One key of the file: the opcodes before it and its value. */
export type RdbKey = RdbKeyOf<RdbValue>

/** A key with the opcodes before it, and its value kept as `V`. */
export interface RdbKeyOf<V> {
  readonly key: string
  /** Absolute ms, -1n without a TTL (RDB_OPCODE_EXPIRETIME_MS). */
  readonly expire: bigint
  /** RDB_OPCODE_IDLE seconds, -1 when not saved (policy not LRU). */
  readonly lruIdle: number
  /** RDB_OPCODE_FREQ counter, -1 when not saved (policy not LFU). */
  readonly lfuFreq: number
  readonly value: V
}

/** One db section: SELECTDB, RESIZEDB sizes (-1 without RESIZEDB) and the keys in save order. */
export interface RdbDb {
  readonly id: number
  readonly size: number
  readonly expiresSize: number
  readonly keys: readonly RdbKey[]
}

/** What rdbSave would write: the non-empty dbs in id order. */
export interface RdbImage {
  readonly dbs: readonly RdbDb[]
  /** The AUX fields of the file it was saved as or loaded from (a reload logs them). */
  readonly aux?: readonly RdbAuxField[]
}

// --- Save ---

/** rdbSaveObject's view of one value. */
function rdbSaveValue(o: RedisObject): RdbValue {
  switch (o.type) {
    case 'string':
      return o.encoding === 'int'
        ? { type: 'string', int: o.ptr, s: '' }
        : { type: 'string', int: null, s: sdsObjectBuf(o) }
    case 'list': {
      const nodes = quicklistNodes((o as ListObject).ptr).map((n) =>
        n.container === 'plain' ? n.plain : lpDup(n.lp),
      )
      return { type: 'list', nodes }
    }
    case 'set': {
      const s = o as SetObject
      if (s.encoding === 'intset')
        return { type: 'set', intset: { ...s.ptr, contents: s.ptr.contents.slice() } }
      const members: string[] = []
      dictForEach(s.ptr, (m) => members.push(m))
      return { type: 'set', members }
    }
    case 'zset': {
      const z = o as ZsetObject
      if (z.encoding === 'listpack') return { type: 'zset', listpack: lpDup(z.ptr) }
      // "We save the skiplist elements from the greatest to the smallest".
      const pairs = zslNodes(z.ptr.zsl)
        .reverse()
        .map((n) => [n.ele ?? '', n.score] as const)
      return { type: 'zset', pairs }
    }
    case 'hash': {
      const h = o as HashObject
      if (h.encoding === 'listpack') return { type: 'hash', listpack: lpDup(h.ptr) }
      const pairs: (readonly [string, string])[] = []
      dictForEach(hashDict(h), (f, v) => pairs.push([f, v]))
      return { type: 'hash', pairs }
    }
    case 'stream':
      // Listpacks are saved as blobs and loaded into exact-size allocations; the rax and the
      // group trees are rebuilt by inserting keys in order (streamDup does both).
      return { type: 'stream', stream: streamDup((o as StreamObject).ptr) }
  }
}

/**
 * rdb.c rdbSaveRio's walk: every non-empty db, keys in safe-iterator order, each with what
 * rdbSaveKeyValuePair writes before it: the expire, the LRU idle time (LRU policies) or the
 * decayed LFU counter (LFU policies). `value` turns the object into what is kept of it.
 */
function rdbSaveDbs<V>(
  srv: ServerState,
  ctx: ExecContext,
  value: (o: RedisObject) => V,
): { id: number; size: number; expiresSize: number; keys: RdbKeyOf<V>[] }[] {
  const saveLru = policyIsLru(srv)
  const saveLfu = policyIsLfu(srv)
  const dbs: { id: number; size: number; expiresSize: number; keys: RdbKeyOf<V>[] }[] = []
  for (const db of srv.dbs) {
    if (dictSize(db.dict) === 0) continue
    const keys: RdbKeyOf<V>[] = []
    dictForEach(db.dict, (key, val) => {
      keys.push({
        key,
        expire: getExpireExact(ctx, db, key),
        lruIdle: saveLru ? Math.floor(estimateObjectIdleTime(srv.lruclock, val.lru) / 1000) : -1,
        lfuFreq: saveLfu ? lfuDecrAndReturn(srv, val) : -1,
        value: value(val),
      })
    })
    dbs.push({ id: db.id, size: dictSize(db.dict), expiresSize: dictSize(db.expires), keys })
  }
  return dbs
}

/** rdbSaveRio's dataset as an image (values copied in their RDB form). */
export function rdbSaveImage(srv: ServerState, ctx: ExecContext): RdbImage {
  return { dbs: rdbSaveDbs(srv, ctx, rdbSaveValue) }
}

/** rdbSaveRio's dataset as rdbSaveFile serializes it (the live objects, written at once). */
export function rdbSaveFileDbs(srv: ServerState, ctx: ExecContext): RdbFileDb[] {
  return rdbSaveDbs(srv, ctx, (o) => o)
}

/**
 * rdb.c rdbSave: the file written (when the host has a disk: rdb.ts), then the image and the
 * bookkeeping of a successful save; null, with nothing changed, when the file could not be
 * written. stat_rdb_saves is not counted here: in 7.0.15 saveCommand and rdbSaveBackground
 * count it, DEBUG RELOAD does not.
 */
export function rdbSave(srv: ServerState, ctx: ExecContext): RdbImage | null {
  const aux = rdbSaveToDisk(srv, ctx)
  return aux === null ? null : rdbSaveDone(srv, ctx, aux)
}

/**
 * rdbSave's end once its file, with these `aux` fields, is written: the image (what DEBUG
 * RELOAD NOSAVE reads) and the bookkeeping of a successful save.
 */
export function rdbSaveDone(
  srv: ServerState,
  ctx: ExecContext,
  aux: readonly RdbAuxField[],
): RdbImage {
  const image = { ...rdbSaveImage(srv, ctx), aux }
  srv.rdbImage = image
  srv.dirty = 0
  srv.lastSave = srv.unixtime
  srv.rdbLastBgsaveStatus = 'ok'
  return image
}

// --- Load ---

/** rdbLoadObject for RDB_TYPE_SET: intset while every member is an integer and few enough. */
function loadSet(v: ValueRef, members: readonly string[]): SetObject {
  const len = members.length
  const maxEntries = Math.min(v.srv.config.setMaxIntsetEntries, 1 << 30)
  let o: SetObject
  if (len > maxEntries) {
    o = createSetObject(v)
    if (len > 4) dictExpand(v.ctx, setHt(o), len)
  } else {
    o = createIntsetObject(v.srv)
  }
  for (const m of members) {
    if (o.encoding === 'intset') {
      const n = string2ll(m)
      if (n !== null) {
        intsetAdd(v.ctx, o.ptr, n, v.key)
        continue
      }
      setTypeConvert(v, o, 'rdbLoad', { member: m })
      dictExpand(v.ctx, setHt(o), len)
    }
    dictAdd(v.ctx, setHt(o), m, null)
  }
  return o
}

/** The dict of a set that setTypeConvert (or createSetObject) made a hashtable. */
function setHt(o: SetObject): Dict<null> {
  return o.ptr as Dict<null>
}

/** rdbLoadObject for RDB_TYPE_ZSET_2: a skiplist, made a listpack afterwards if small. */
function loadZset(v: ValueRef, pairs: readonly (readonly [string, number])[]): ZsetObject {
  const o = createZsetObject(v)
  const zs = (o as ZsetObject & { encoding: 'skiplist' }).ptr
  if (pairs.length > 4) dictExpand(v.ctx, zs.dict, pairs.length)
  let maxelelen = 0
  let totelelen = 0
  for (const [ele, score] of pairs) {
    if (ele.length > maxelelen) maxelelen = ele.length
    totelelen += ele.length
    zslInsert(v.ctx, zs.zsl, score, ele, v.key)
    dictAdd(v.ctx, zs.dict, ele, score)
  }
  const cfg = v.srv.config
  if (
    zsetLength(o) <= cfg.zsetMaxListpackEntries &&
    maxelelen <= cfg.zsetMaxListpackValue &&
    lpSafeToAdd(null, totelelen)
  )
    zsetConvert(v, o, 'listpack', 'rdbLoad', { entries: zsetLength(o), maxLength: maxelelen })
  return o
}

/** The dict of a hash that hashTypeConvertListpack made a hashtable. */
function hashHt(o: HashObject): Dict<string> {
  return o.ptr as Dict<string>
}

/** rdbLoadObject for RDB_TYPE_HASH: a listpack until a pair is too long or there are too many. */
function loadHash(v: ValueRef, pairs: readonly (readonly [string, string])[]): HashObject {
  const cfg = v.srv.config
  const o = createHashObject(v.srv)
  let len = pairs.length
  if (len > cfg.hashMaxListpackEntries)
    hashTypeConvertListpack(v, o, 'rdbLoad', { entries: len, limit: cfg.hashMaxListpackEntries })
  let i = 0
  while (o.encoding === 'listpack' && len > 0) {
    len--
    const [field, value] = pairs[i++] ?? ['', '']
    if (
      field.length > cfg.hashMaxListpackValue ||
      value.length > cfg.hashMaxListpackValue ||
      !lpSafeToAdd(o.ptr, field.length + value.length)
    ) {
      hashTypeConvertListpack(v, o, 'rdbLoad', {
        length: Math.max(field.length, value.length),
        limit: cfg.hashMaxListpackValue,
      })
      dictAdd(v.ctx, hashHt(o), field, value)
      break
    }
    lpAppend(v.ctx, o.ptr, field, v.key)
    lpAppend(v.ctx, o.ptr, value, v.key)
  }
  if (o.encoding === 'hashtable') {
    const d = hashDict(o)
    if (len > 4) dictExpand(v.ctx, d, len)
    for (; len > 0; len--) {
      const [field, value] = pairs[i++] ?? ['', '']
      dictAdd(v.ctx, d, field, value)
    }
  }
  return o
}

/** rdb.c rdbLoadObject: the value rebuilt under the current config; null for an empty key. */
export function rdbLoadObject(v: ValueRef, value: RdbValue): RedisObject | null {
  const { srv } = v
  switch (value.type) {
    case 'string':
      return value.int !== null
        ? createStringObjectFromLongLongForValue(srv, value.int)
        : tryObjectEncoding(srv, createStringObject(srv, value.s))
    case 'list': {
      const o = createQuicklistObject(srv)
      for (const node of value.nodes) {
        if (typeof node === 'string') quicklistAppendPlainNode(v.ctx, o.ptr, node, v.key)
        else if (lpLength(node) > 0) quicklistAppendListpack(v.ctx, o.ptr, lpDup(node), v.key)
      }
      return quicklistCount(o.ptr) === 0 ? null : o
    }
    case 'listElements': {
      // Every element pushed at the tail (quicklistPushTail).
      const o = createQuicklistObject(srv)
      for (const ele of value.elements) quicklistPushTail(v.ctx, o.ptr, ele, v.key)
      return o
    }
    case 'set': {
      if ('members' in value) return value.members.length === 0 ? null : loadSet(v, value.members)
      const is = { ...value.intset, contents: value.intset.contents.slice() }
      const o: SetObject = createObject(srv, 'set', 'intset', is)
      if (intsetLen(is) > srv.config.setMaxIntsetEntries)
        setTypeConvert(v, o, 'rdbLoad', { entries: intsetLen(is) })
      return o
    }
    case 'zset': {
      if ('pairs' in value) return value.pairs.length === 0 ? null : loadZset(v, value.pairs)
      const o: ZsetObject = createObject(srv, 'zset', 'listpack', lpDup(value.listpack))
      if (zsetLength(o) === 0) return null
      if (zsetLength(o) > srv.config.zsetMaxListpackEntries)
        zsetConvert(v, o, 'skiplist', 'rdbLoad', { entries: zsetLength(o) })
      return o
    }
    case 'hash': {
      if ('pairs' in value) return value.pairs.length === 0 ? null : loadHash(v, value.pairs)
      const o: HashObject = createObject(srv, 'hash', 'listpack', lpDup(value.listpack))
      if (hashTypeLength(o) === 0) return null
      if (hashTypeLength(o) > srv.config.hashMaxListpackEntries)
        hashTypeConvertListpack(v, o, 'rdbLoad', { entries: hashTypeLength(o) })
      return o
    }
    case 'stream':
      // An empty stream is a value of its own and is loaded as such.
      return createObject(srv, 'stream', 'stream', streamDup(value.stream))
  }
}

/** object.c objectSetLRUOrLFU with the load-time LRU clock and a multiplier of 1000. */
function objectSetLRUOrLFU(srv: ServerState, o: RedisObject, k: RdbKey, lruClock: number): void {
  if (policyIsLfu(srv)) {
    if (k.lfuFreq >= 0) o.lru = (LFUGetTimeInMinutes(srv.mstime) << 8) | k.lfuFreq
  } else if (k.lruIdle >= 0) {
    let abs = lruClock - k.lruIdle
    if (abs < 0) abs += LRU_CLOCK_MAX
    o.lru = abs
  }
}

/**
 * rdb.c rdbLoadRio: for each db, RESIZEDB pre-sizes both dicts, then every key not yet
 * expired is added (with MERGE an existing key is replaced, else a duplicate fails the load:
 * returns false) and gets its TTL and lru field.
 */
export function rdbLoadImage(
  srv: ServerState,
  ctx: ExecContext,
  image: RdbImage,
  allowDup: boolean,
): boolean {
  const keys = rdbLoadImageKeys(srv, ctx, image, allowDup)
  for (;;) {
    const r = keys.next()
    if (r.done === true) return r.value
  }
}

/**
 * rdbLoadImage one key at a time: the generator yields after each key of the file (loaded,
 * expired or empty), so a host can serve clients between keys while it loads (the loading
 * phase, rdb.c processEventsWhileBlocked), and returns whether the load succeeded.
 */
export function* rdbLoadImageKeys(
  srv: ServerState,
  ctx: ExecContext,
  image: RdbImage,
  allowDup: boolean,
  feedRepl = false,
): Generator<undefined, boolean> {
  const lruClock = srv.lruclock
  // mstime(): the clock as the load starts, not the command's (EXEC's) cached time.
  const now = BigInt(Math.floor(ctx.clock.now()))
  // rdbLoadRioWithLoadingCtx's counters, reset by startLoading and counted as keys load
  // (INFO persistence shows them during the load too).
  srv.rdbLastLoadKeysLoaded = 0
  srv.rdbLastLoadKeysExpired = 0
  for (const saved of image.dbs) {
    const db = srv.dbs[saved.id]
    if (db === undefined) return false
    // RESIZEDB (a file without it has -1: nothing is pre-sized).
    if (saved.size >= 0) dictExpand(ctx, db.dict, saved.size)
    if (saved.expiresSize >= 0) dictExpand(ctx, db.expires, saved.expiresSize)
    for (const k of saved.keys) {
      const v: ValueRef = { srv, ctx, dbid: db.id, key: k.key }
      const val = rdbLoadObject(v, k.value)
      // iAmMaster(): a replica loads expired keys too (its master will send their DELs).
      if (val !== null && k.expire !== -1n && k.expire < now && !isReplica(srv)) {
        srv.rdbLastLoadKeysExpired++
        // RDBFLAGS_FEED_REPL: a master starting up puts the key's DEL in its backlog.
        if (feedRepl) replicationFeedExpiredOnLoad(srv, db.id, k.key)
      } else if (val !== null) {
        if (dbExists(ctx, db, k.key)) {
          if (!allowDup) return false
          dbDelete(ctx, db, k.key)
        }
        dbAddRDBLoad(ctx, db, k.key, val)
        srv.rdbLastLoadKeysLoaded++
        if (k.expire !== -1n) setExpireExact(ctx, db, k.key, k.expire)
        objectSetLRUOrLFU(srv, val, k, lruClock)
      }
      yield
    }
  }
  return true
}

/**
 * debug.c DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save (unless NOSAVE), empty every db
 * (unless NOFLUSH), load the file back: the one in `dir` when the host can read it, else the
 * image of the last save or load. Returns an error message, or null on success.
 */
export function debugReload(
  srv: ServerState,
  ctx: ExecContext,
  opts: readonly string[],
): string | null {
  let merge = false
  let flush = true
  let save = true
  for (const opt of opts) {
    const o = opt.toLowerCase()
    if (o === 'merge') merge = true
    else if (o === 'noflush') flush = false
    else if (o === 'nosave') save = false
    else return 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.'
  }
  const image = save ? rdbSave(srv, ctx) : (srv.rdbImage ?? undefined)
  // rdbSave failed (the host could not write the file): shared.err.
  if (image === null) return 'ERR'
  if (flush) emptyData(srv, ctx, -1)
  // rdbLoad of the file in `dir`, as it is there now (another process may have written it).
  const loaded = rdbLoadFromDisk(srv, ctx, merge)
  if (loaded !== null) return loaded ? null : 'ERR Error trying to load the RDB dump'
  if (image === undefined) return 'ERR Error trying to load the RDB dump'
  // rdbLoad of the file just saved (or left by the last save or load): its lines.
  rdbLogAuxFields(srv, image.aux ?? [], Math.floor(ctx.clock.now() / 1000))
  if (!rdbLoadImage(srv, ctx, image, merge)) return 'ERR Error trying to load the RDB dump'
  rdbLogLoadDone(srv, 0)
  return null
}

/**
 * debug.c DEBUG LOADAOF: empty every db and load the append-only file back, then clear
 * server.dirty. X-Ray keeps no AOF: with appendonly on, the file Redis would replay (an RDB
 * preamble plus the commands propagated since) rebuilds the dataset as it is now, so an RDB
 * image of the current dataset stands for it. Unlike DEBUG RELOAD this touches neither the
 * saved image nor the RDB load counters. Returns an error message, or null on success.
 */
export function debugLoadAof(srv: ServerState, ctx: ExecContext): string | null {
  if (aofHasDisk(srv)) {
    debugLoadAofFromDisk(srv, ctx)
    return null
  }
  // With appendonly off, the file a BGREWRITEAOF left; Redis exits when there is none
  // (loadAppendOnlyFiles fails): no server to answer.
  const image = srv.config.other['appendonly'] === 'yes' ? rdbSaveImage(srv, ctx) : srv.aofImage
  if (image === null)
    return 'ERR DEBUG LOADAOF needs appendonly yes or a BGREWRITEAOF (without an AOF Redis exits)'
  const loaded = srv.rdbLastLoadKeysLoaded
  const expired = srv.rdbLastLoadKeysExpired
  emptyData(srv, ctx, -1)
  rdbLoadImage(srv, ctx, image, false)
  srv.rdbLastLoadKeysLoaded = loaded
  srv.rdbLastLoadKeysExpired = expired
  srv.dirty = 0
  srv.dirtyCounted = true
  return null
}
