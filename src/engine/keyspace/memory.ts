/**
 * Memory accounting as zmalloc counts it (← src/zmalloc.c, src/object.c:objectComputeSize,
 * getMemoryOverheadData, server.c:bytesToHuman and genRedisInfoString "memory", 7.0.15).
 *
 * With jemalloc, Redis adds the *usable size* of every allocation (its size class) to
 * `used_memory` and subtracts it on free. The engine does not allocate C memory, so it
 * reproduces the figure from the structures it models:
 *
 *   used_memory = USED_MEMORY_STARTUP                 what initServer leaves allocated
 *               + clients × CLIENT_MEMORY + reply and query bufs   each connection
 *               + commands called × LATENCY_HISTOGRAM one hdr_histogram per command, made
 *                                                      on its first call (latency-tracking)
 *               + the slow log's entries              (slowlog.ts)
 *               + Σ db dicts: bucket arrays + 32 per dictEntry      (keys and expires)
 *               + Σ keys: key sds + value allocations (objectAllocSize)
 *
 * The three constants were measured on Debian's redis-server 7.0.15 (jemalloc 5.3.0), see
 * below. The per-db part is read from the dicts in O(dbs). The per-key part is a running
 * sum kept per keyspace dict, updated by hooks that db.ts calls where db.c allocates or
 * frees (dbAdd, dbOverwrite, dbDelete, emptyData, and write lookups, which mark the value
 * dirty because the command is about to change it in place). Dirty values are re-measured
 * lazily, the next time used memory is read — after every command (peak tracking in
 * call()), before the next one when maxmemory is set, by INFO / MEMORY. So reading used
 * memory costs O(values written since the last read), not O(keyspace).
 *
 * Re-measuring a big hash, set, zset or list exactly is O(n); to keep a write O(1)
 * amortised, containers above EXACT_LIMIT elements scale their per-element bytes from the
 * last exact measure (bucket arrays stay exact) and are re-measured exactly whenever their
 * element count has drifted by more than 1/8 since. (Rewriting elements of a big container
 * in place without changing its count is therefore seen only at the next exact measure.)
 *
 * The state lives in WeakMaps keyed by the keyspace dict (it follows the dict through
 * SWAPDB) and by the server (peak). A dict seen for the first time is measured by a full
 * walk, so a cloned server state is accounted correctly too.
 *
 * MEMORY USAGE uses objectComputeSize, which is a different thing: Redis's estimate, with
 * sizeof() for structs (dictEntry 24, robj 16, dict 56) and sampling of containers; it is
 * reproduced exactly, truncations included.
 */
import type { ExecContext } from '../context.ts'
import { bulk, doubleReply, integer, mapReply, type Protocol, type Reply } from '../reply.ts'
import type { ServerState } from '../state.ts'
import type { Copier } from '../snapshot.ts'
import {
  dictBuckets,
  dictFind,
  dictGetKey,
  dictGetVal,
  dictNextEntry,
  dictForEach,
  dictSize,
  dictTablesGeneration,
  type Dict,
  NO_ENTRY,
} from '../structures/dict.ts'
import { allocStamp } from '../structures/allocStamp.ts'
import { jemallocSizeClass } from '../structures/jemalloc.ts'
import { intsetBlobLen, type Intset } from '../structures/intset.ts'
import { lpBytes, type Listpack } from '../structures/listpack.ts'
import { quicklistNodeEntryBytes, type Quicklist } from '../structures/quicklist.ts'
import { sdsHdrSize, sdsReqType, sdsZmallocSize, type Sds } from '../structures/sds.ts'
import type { RedisObject } from '../types/object.ts'
import { streamAllocSize, streamComputeSize, type Stream } from '../types/t_stream.ts'
import type { RedisDb } from './db.ts'
import { addReplyDoubleText, formatFixed } from '../util/numbers.ts'
import { replBufferOverhead, replBufferNotCounted } from '../replBuffer.ts'

// --- Constants: measured on redis-server 7.0.15, malloc=jemalloc-5.3.0, 64-bit ---

/**
 * used_memory_startup of `redis-server --save '' --appendonly no` (INFO memory, and
 * MEMORY STATS startup.allocated): 876080 on every run.
 */
export const USED_MEMORY_STARTUP = 876_080
/**
 * One connected client, apart from its reply and query buffers: used_memory −
 * used_memory_startup − histograms − keys is 38864 right after it connects and asks (a
 * 16 KiB c->buf, and a query buffer grown to the 20480-byte class by its first read,
 * querybuf.ts), and 23504 once clientsCron has shrunk that c->buf to 1 KiB (connection.ts
 * clientsCronResizeOutputBuffer).
 */
export const CLIENT_MEMORY = 38_864 - 16_384 - 20_480
/**
 * Each command's latency histogram (hdr_histogram, `latency-tracking yes` by default)
 * is allocated on the command's first call: used_memory jumps by exactly 24688 the first
 * time any command runs (measured for INFO, CONFIG, SET, PING).
 */
export const LATENCY_HISTOGRAM_BYTES = 24_688
/** MEMORY STATS functions.caches of an empty server (counted in used_memory_overhead). */
export const FUNCTIONS_CACHES = 200

// sizeof() of the C structs (64-bit), as objectComputeSize uses them.
export const SIZEOF_ROBJ = 16

/**
 * The one allocation of an embstr of `len` bytes: robj, sdshdr8 (3 bytes), the bytes and the
 * NUL (its sds has alloc == len: it is never resized).
 */
export function embstrZmallocSize(len: number): number {
  return jemallocSizeClass(SIZEOF_ROBJ + 3 + len + 1)
}
export const SIZEOF_DICT_ENTRY = 24
export const SIZEOF_DICT = 56
export const SIZEOF_POINTER = 8
export const SIZEOF_QUICKLIST = 40
export const SIZEOF_QUICKLIST_NODE = 40
export const SIZEOF_ZSET = 16
export const SIZEOF_ZSKIPLIST = 32
export const ZSKIPLIST_MAXLEVEL = 32
/** zskiplistNode: ele, score, backward, then {forward, span} per level. */
export function zslNodeSize(level: number): number {
  return 24 + 16 * level
}
/** MEMORY USAGE's default SAMPLES (OBJ_COMPUTE_SIZE_DEF_SAMPLES). */
export const OBJ_COMPUTE_SIZE_DEF_SAMPLES = 5
/** Containers up to this many elements are re-measured exactly on every change. */
export const EXACT_LIMIT = 1024

// --- SDS sizes ---

/** Usable size of an sds made by sdsnewlen(len) (sdsdup, key copies): sdsZmallocSize. */
export function sdsZmallocSizeForLen(len: number): number {
  const type = len === 0 ? 8 : sdsReqType(len) // an empty sds is created as type 8
  return jemallocSizeClass(sdsHdrSize(type) + len + 1)
}

/** Usable size of a container element that is either a plain byte string or an Sds. */
function elementSdsSize(v: unknown): number {
  if (typeof v === 'string') return sdsZmallocSizeForLen(v.length)
  if (typeof v === 'object' && v !== null && 'buf' in v) return sdsZmallocSize(v as Sds)
  return 0
}

// --- What memory.ts reads of the container payloads ---

interface ZslNodeLike {
  ele: string | Sds | null
  level: readonly unknown[]
}
interface ZsetLike {
  dict: Dict<unknown>
  zsl: { header: ZslNodeLike; length: number }
}

/** Walks the nodes of a skiplist at level 0 (header excluded). */
function zslFirst(z: ZsetLike): ZslNodeLike | null {
  const lvl0 = z.zsl.header.level[0] as { forward: ZslNodeLike | null } | undefined
  return lvl0?.forward ?? null
}
function zslNext(n: ZslNodeLike): ZslNodeLike | null {
  const lvl0 = n.level[0] as { forward: ZslNodeLike | null } | undefined
  return lvl0?.forward ?? null
}

/** Element count of a value (for amortised re-measuring). */
function objectElementCount(o: RedisObject): number {
  switch (o.encoding) {
    case 'hashtable':
      return dictSize(o.ptr as Dict<unknown>)
    case 'skiplist':
      return dictSize((o.ptr as ZsetLike).dict)
    case 'quicklist':
      return (o.ptr as Quicklist).count
    default:
      return 0
  }
}

// --- What zmalloc counts for a value ---

/** Bucket arrays of both tables of a dict, at their size classes. */
export function dictTablesAllocSize(d: Dict<unknown>): number {
  // Unrolled (read after every command by updatePeakMemory, for every db).
  const t0 = d.table[0]
  const t1 = d.table[1]
  let bytes = 0
  if (t0 !== null && t0.length > 0) bytes += jemallocSizeClass(8 * t0.length)
  if (t1 !== null && t1.length > 0) bytes += jemallocSizeClass(8 * t1.length)
  return bytes
}

/**
 * Strings and single-blob containers: the robj plus the usable size of the one
 * allocation it points to (embstr: the shared allocation). objectComputeSize measures
 * them the same way zmalloc counts them.
 */
function flatObjectSize(o: RedisObject): number | null {
  switch (o.encoding) {
    case 'int':
      return SIZEOF_ROBJ
    case 'embstr':
      return embstrZmallocSize(o.ptr.length)
    case 'raw':
      return SIZEOF_ROBJ + sdsZmallocSize(o.ptr)
    case 'intset':
      return SIZEOF_ROBJ + jemallocSizeClass(intsetBlobLen(o.ptr as Intset))
    case 'listpack':
      return SIZEOF_ROBJ + jemallocSizeClass(lpBytes(o.ptr as Listpack))
    default:
      return null
  }
}

/**
 * Bytes zmalloc holds for a value: the robj and everything it points to, at jemalloc
 * size classes. Shared objects (refcount INT_MAX) belong to the server, not the key: 0.
 */
export function objectAllocSize(o: RedisObject): number {
  if (o.refcount === 2147483647) return 0
  const flat = flatObjectSize(o)
  if (flat !== null) return flat
  const robj = SIZEOF_ROBJ
  switch (o.encoding) {
    case 'quicklist': {
      const ql = o.ptr as Quicklist
      let bytes = robj + jemallocSizeClass(SIZEOF_QUICKLIST)
      for (let n = ql.head; n !== null; n = n.next)
        bytes +=
          jemallocSizeClass(SIZEOF_QUICKLIST_NODE) + jemallocSizeClass(quicklistNodeEntryBytes(n))
      return bytes
    }
    case 'hashtable': {
      const d = o.ptr as Dict<unknown>
      let bytes = robj + jemallocSizeClass(SIZEOF_DICT) + dictTablesAllocSize(d)
      dictForEach(d, (key, val) => {
        bytes += jemallocSizeClass(SIZEOF_DICT_ENTRY) + sdsZmallocSizeForLen(key.length)
        bytes += elementSdsSize(val)
      })
      return bytes
    }
    case 'skiplist': {
      const z = o.ptr as ZsetLike
      let bytes =
        robj +
        jemallocSizeClass(SIZEOF_ZSET) +
        jemallocSizeClass(SIZEOF_DICT) +
        dictTablesAllocSize(z.dict) +
        jemallocSizeClass(SIZEOF_ZSKIPLIST) +
        jemallocSizeClass(zslNodeSize(ZSKIPLIST_MAXLEVEL))
      // Each member: one dictEntry, one node; the sds is shared by the dict and the node.
      for (let n = zslFirst(z); n !== null; n = zslNext(n)) {
        bytes +=
          jemallocSizeClass(SIZEOF_DICT_ENTRY) + jemallocSizeClass(zslNodeSize(n.level.length))
        bytes += elementSdsSize(n.ele)
      }
      return bytes
    }
    case 'stream':
      return streamAllocSize(o.ptr as Stream)
    default:
      return 0 // strings and blobs: handled by flatObjectSize above
  }
}

/** The fixed (non per-element) part of a container's allocation: robj, structs, buckets. */
function objectFixedAllocSize(o: RedisObject): number {
  switch (o.encoding) {
    case 'hashtable':
      return (
        SIZEOF_ROBJ + jemallocSizeClass(SIZEOF_DICT) + dictTablesAllocSize(o.ptr as Dict<unknown>)
      )
    case 'skiplist': {
      const z = o.ptr as ZsetLike
      return (
        SIZEOF_ROBJ +
        jemallocSizeClass(SIZEOF_ZSET) +
        jemallocSizeClass(SIZEOF_DICT) +
        dictTablesAllocSize(z.dict) +
        jemallocSizeClass(SIZEOF_ZSKIPLIST) +
        jemallocSizeClass(zslNodeSize(ZSKIPLIST_MAXLEVEL))
      )
    }
    case 'quicklist':
      return SIZEOF_ROBJ + jemallocSizeClass(SIZEOF_QUICKLIST)
    default:
      return 0
  }
}

// --- Keyspace accounting (per keyspace dict) ---

interface Measure {
  /** Bytes counted for this value in `bytes`. */
  size: number
  /** Element count and per-element bytes at the last exact measure (big containers). */
  exactCount: number
  perElement: number
}

interface KeyspaceMemory {
  /** Σ over keys: key sds + value allocation. */
  bytes: number
  measures: WeakMap<RedisObject, Measure>
  /** Values a write lookup handed out since the last read of used memory. */
  dirty: Set<RedisObject>
  /** Dropped by memKeyspaceEmptied: a later read measures the dict afresh. */
  forgotten: boolean
}

const keyspaces = new WeakMap<Dict<RedisObject>, KeyspaceMemory>()

function measureExact(o: RedisObject): Measure {
  const size = objectAllocSize(o)
  const n = objectElementCount(o)
  return {
    size,
    exactCount: n,
    perElement: n > 0 ? (size - objectFixedAllocSize(o)) / n : 0,
  }
}

/** Re-measures a value, exactly or (big containers that drifted little) by scaling. */
function remeasure(o: RedisObject, prev: Measure | undefined): Measure {
  const n = objectElementCount(o)
  if (prev === undefined || n <= EXACT_LIMIT || Math.abs(n - prev.exactCount) * 8 > prev.exactCount)
    return measureExact(o)
  return {
    size: Math.round(objectFixedAllocSize(o) + prev.perElement * n),
    exactCount: prev.exactCount,
    perElement: prev.perElement,
  }
}

function keyspaceOf(d: Dict<RedisObject>): KeyspaceMemory {
  // One-entry memo in front of the WeakMap: commands mostly work in one db.
  if (d === lastKeyspaceDict && lastKeyspace !== null && !lastKeyspace.forgotten)
    return lastKeyspace
  let ks = keyspaces.get(d)
  if (ks === undefined) {
    ks = { bytes: 0, measures: new WeakMap(), dirty: new Set(), forgotten: false }
    const k = ks
    dictForEach(d, (key, val) => {
      const m = measureExact(val)
      k.measures.set(val, m)
      k.bytes += sdsZmallocSizeForLen(key.length) + m.size
    })
    keyspaces.set(d, ks)
  }
  lastKeyspaceDict = d
  lastKeyspace = ks
  return ks
}
let lastKeyspaceDict: Dict<RedisObject> | null = null
let lastKeyspace: KeyspaceMemory | null = null

function forget(ks: KeyspaceMemory, o: RedisObject): number {
  // A fixed-size value is never dirty, and any Measure of it (a first-time walk) equals
  // objectAllocSize: skip the Set and WeakMap lookups (SET over an existing key).
  if (hasFixedSize(o)) return objectAllocSize(o)
  ks.dirty.delete(o)
  const m = ks.measures.get(o)
  return m === undefined ? objectAllocSize(o) : m.size
}

/**
 * Hook for db.c dbAdd: the key sds (sdsdup) and the value are now owned by the db. The
 * value is also marked dirty: commands often fill a container right after adding it
 * (SADD creates the set, dbAdds it, then adds the members).
 */
export function memKeyAdded(d: Dict<RedisObject>, key: string, val: RedisObject): void {
  allocStamp.n++
  // A keyspace seen for the first time is measured by a walk that already found this key.
  const known = d === lastKeyspaceDict && lastKeyspace !== null && !lastKeyspace.forgotten
  const fresh = !known && !keyspaces.has(d)
  const ks = keyspaceOf(d)
  if (fresh) {
    if (val.refcount !== 2147483647 && !hasFixedSize(val)) ks.dirty.add(val)
    return
  }
  ks.bytes += sdsZmallocSizeForLen(key.length) + countValue(ks, val)
}

/**
 * int and embstr values never change size in place (an embstr is immutable; INCR rewrites
 * an int's long in place): they are counted without a Measure or a dirty mark, and their
 * counted size is objectAllocSize of the object at any time (write lookups skip them:
 * a command that changes their size replaces the object, through dbOverwrite).
 */
function hasFixedSize(o: RedisObject): boolean {
  return o.encoding === 'int' || o.encoding === 'embstr'
}

/** Counts a newly owned value: returns the bytes to add; records its Measure if needed. */
function countValue(ks: KeyspaceMemory, val: RedisObject): number {
  if (hasFixedSize(val)) return objectAllocSize(val)
  const m = measureExact(val)
  ks.measures.set(val, m)
  if (val.refcount !== 2147483647) ks.dirty.add(val)
  return m.size
}

/** Hook for db.c dbDelete (after the entry is unlinked): key and value are freed. */
export function memKeyDeleted(d: Dict<RedisObject>, key: string, val: RedisObject): void {
  allocStamp.n++
  // Called after the unlink: a first-time walk has already left this key out.
  if (!keyspaces.has(d)) return
  const ks = keyspaceOf(d)
  ks.bytes -= sdsZmallocSizeForLen(key.length) + forget(ks, val)
}

/** Hook for db.c dbOverwrite: the old value is freed, the new one owned. */
export function memValueReplaced(d: Dict<RedisObject>, old: RedisObject, val: RedisObject): void {
  allocStamp.n++
  if (old === val) {
    memValueTouched(d, val)
    return
  }
  const ks = keyspaceOf(d)
  ks.bytes -= forget(ks, old)
  ks.bytes += countValue(ks, val)
}

/** Hook for write lookups (LOOKUP_WRITE): the command may change this value in place. */
export function memValueTouched(d: Dict<RedisObject>, val: RedisObject): void {
  // A fixed-size value cannot change size in place: nothing to re-measure.
  if (val.refcount === 2147483647 || hasFixedSize(val)) return
  allocStamp.n++
  keyspaceOf(d).dirty.add(val)
}

/** Hook for FLUSHDB/FLUSHALL after a keyspace dict was emptied. */
export function memKeyspaceEmptied(d: Dict<RedisObject>): void {
  allocStamp.n++
  const ks = keyspaces.get(d)
  if (ks !== undefined) ks.forgotten = true
  keyspaces.delete(d)
}

function keyspaceBytes(d: Dict<RedisObject>, ks: KeyspaceMemory = keyspaceOf(d)): number {
  if (dictSize(d) === 0) {
    // Emptied behind our back (dictEmpty): nothing is allocated any more.
    if (ks.bytes !== 0 || ks.dirty.size !== 0) {
      ks.bytes = 0
      ks.dirty.clear()
    }
    return 0
  }
  if (ks.dirty.size > 0) {
    for (const o of ks.dirty) {
      const prev = ks.measures.get(o)
      const m = remeasure(o, prev)
      ks.bytes += m.size - (prev?.size ?? 0)
      ks.measures.set(o, m)
    }
    ks.dirty.clear()
  }
  return ks.bytes
}

/** jemallocSizeClass(SIZEOF_DICT_ENTRY): each dictEntry's allocation. */
const DICT_ENTRY_ALLOC = jemallocSizeClass(SIZEOF_DICT_ENTRY)

/** Both dicts' bucket arrays and entries of a db (no key or value bytes). */
function dbDictsAllocSize(db: RedisDb): number {
  return (
    dictTablesAllocSize(db.dict as Dict<unknown>) +
    dictTablesAllocSize(db.expires as Dict<unknown>) +
    DICT_ENTRY_ALLOC * (dictSize(db.dict) + dictSize(db.expires))
  )
}

/** Allocations of one db: both dicts' bucket arrays and entries, key sds and values. */
export function dbAllocSize(db: RedisDb): number {
  return dbDictsAllocSize(db) + keyspaceBytes(db.dict)
}

// --- Server totals ---

interface ServerMemory {
  peak: number
  /** The keyspace state of each db's dict, by db index (a WeakMap lookup saved per read). */
  dicts: (Dict<RedisObject> | undefined)[]
  keyspaces: (KeyspaceMemory | undefined)[]
  /** Indexes of the dbs that had a table or keyspace bytes at the last scan. */
  active: number[]
  /** Bytes of both bucket arrays of each active db (same order), as of the last scan. */
  activeTableBytes: number[]
  /** dictTablesGeneration() and srv.dbs at the last scan. */
  tablesGen: number
  dbs: readonly RedisDb[] | null
  /** latencyHistograms' count and the stats map it was taken from. */
  histograms: number
  histogramsOf: ServerState['stats']['numCommands'] | null
  /** Keyspace used memory at the last read, and the allocStamp and dbs it was computed at. */
  used: number
  usedStamp: number
  usedDbs: readonly RedisDb[] | null
}
const servers = new WeakMap<ServerState, ServerMemory>()

function serverMemory(srv: ServerState): ServerMemory {
  // One-entry memo in front of the WeakMap (read after every command); entries are never
  // replaced once made.
  if (srv === lastServer && lastServerMemory !== null) return lastServerMemory
  let sm = servers.get(srv)
  if (sm === undefined) {
    sm = {
      peak: 0,
      dicts: [],
      keyspaces: [],
      active: [],
      activeTableBytes: [],
      tablesGen: -1,
      dbs: null,
      histograms: 0,
      histogramsOf: null,
      used: 0,
      usedStamp: -1,
      usedDbs: null,
    }
    servers.set(srv, sm)
  }
  lastServer = srv
  lastServerMemory = sm
  return sm
}
let lastServer: ServerState | null = null
let lastServerMemory: ServerMemory | null = null

/**
 * Copies the accounting of a server for its clone: the peak, and each db keyspace's running
 * sum, dirty set and per-value measures (so the copy's used_memory reads as the original's,
 * including scaled estimates of big containers). The O(dbs) scan caches start empty.
 */
export function memCloneState(from: ServerState, to: ServerState, copier: Copier): void {
  const sm = servers.get(from)
  if (sm !== undefined) {
    const fresh = serverMemory(to)
    fresh.peak = sm.peak
  }
  for (let i = 0; i < from.dbs.length; i++) {
    const d = (from.dbs[i] as RedisDb).dict
    const nd = to.dbs[i]?.dict
    const ks = keyspaces.get(d)
    if (ks === undefined || nd === undefined) continue
    const copy: KeyspaceMemory = {
      bytes: ks.bytes,
      measures: new WeakMap(),
      dirty: new Set(),
      forgotten: ks.forgotten,
    }
    // Measures are replaced, never changed in place: the copy shares them.
    copier.forEachPair(d, nd, (a, b) => {
      const m = ks.measures.get(a)
      if (m !== undefined) copy.measures.set(b, m)
      if (ks.dirty.has(a)) copy.dirty.add(b)
    })
    keyspaces.set(nd, copy)
  }
}

/**
 * Number of latency histograms allocated: commands that ran while latency-tracking was on
 * (call() creates one at the first such call, not at a call with tracking off).
 */
function latencyHistograms(srv: ServerState, sm: ServerMemory): number {
  const map = srv.stats.numCommands
  // Once every entry has its histogram and none was added, the count holds.
  if (sm.histogramsOf === map && sm.histograms === map.size) return sm.histograms
  let n = 0
  for (const s of map.values()) if (s.hist !== null) n++
  sm.histogramsOf = map
  sm.histograms = n
  return n
}

/**
 * Memory of the connected clients: each one's fixed part, plus their reply buffers, the
 * blocks of replies they have not read yet, their query buffers and the arguments of
 * commands they have sent only in part.
 */
export function clientsMemory(srv: ServerState): number {
  return (
    srv.clients.size * CLIENT_MEMORY +
    srv.clientReplyBufBytes +
    srv.clientReplyListBytes +
    srv.clientQueryBufs.bytes +
    srv.clientQueryBufs.argv
  )
}

/**
 * zmalloc_used_memory(): the bytes Redis would have allocated now. Cheap: O(dbs) plus
 * the values written since the last call.
 */
export function zmallocUsedMemory(srv: ServerState): number {
  return usedMemoryOf(srv, serverMemory(srv))
}

/**
 * Used memory, the keyspace part recomputed only when something it depends on may have
 * changed: allocStamp moved (a memory hook ran, some dict gained or lost an entry or a
 * table, a latency histogram was allocated), or the stats map or the dbs array was
 * replaced. Otherwise (read-only commands) the last figure is exact. SWAPDB permutes the
 * dbs, which leaves the sum as is.
 */
function usedMemoryOf(srv: ServerState, sm: ServerMemory): number {
  return keyspaceUsedMemoryOf(srv, sm) + clientsMemory(srv) + srv.slowlog.bytes + srv.repl.buf.mem
}

/** usedMemoryOf without the clients and the slow log (which keep their own running sums). */
function keyspaceUsedMemoryOf(srv: ServerState, sm: ServerMemory): number {
  if (
    sm.usedStamp === allocStamp.n &&
    sm.usedDbs === srv.dbs &&
    sm.histogramsOf === srv.stats.numCommands
  )
    return sm.used
  const histograms = latencyHistograms(srv, sm)
  sm.usedStamp = allocStamp.n
  sm.usedDbs = srv.dbs
  sm.used = computeUsedMemory(srv, sm, histograms)
  return sm.used
}

function computeUsedMemory(srv: ServerState, sm: ServerMemory, histograms: number): number {
  let used = USED_MEMORY_STARTUP + histograms * LATENCY_HISTOGRAM_BYTES
  const dbs = srv.dbs
  // Dbs without tables count 0 bytes and stay so until some dict allocates a table: only
  // the dbs that had one at the last scan are visited while no dict did (and while each
  // still holds the dict it had, which SWAPDB changes).
  if (sm.tablesGen !== dictTablesGeneration() || sm.dbs !== dbs) rescanActiveDbs(sm, dbs)
  const active = sm.active
  for (let j = 0; j < active.length; j++) {
    const i = active[j] as number
    const db = dbs[i] as RedisDb
    const ks = sm.keyspaces[i] as KeyspaceMemory
    if (sm.dicts[i] !== db.dict || ks.forgotten) {
      sm.tablesGen = -1
      return computeUsedMemory(srv, sm, histograms)
    }
    // dbDictsAllocSize with the bucket arrays as of the scan (no dict gained or lost a
    // table since: the tables generation is the same).
    used +=
      (sm.activeTableBytes[j] as number) +
      DICT_ENTRY_ALLOC * (dictSize(db.dict) + dictSize(db.expires)) +
      keyspaceBytes(db.dict, ks)
  }
  return used
}

/** Finds the dbs whose dicts have a table or whose keyspace state is not empty. */
function rescanActiveDbs(sm: ServerMemory, dbs: readonly RedisDb[]): void {
  sm.tablesGen = dictTablesGeneration()
  sm.dbs = dbs
  sm.active.length = 0
  sm.activeTableBytes.length = 0
  for (let i = 0; i < dbs.length; i++) {
    const db = dbs[i] as RedisDb
    const d = db.dict
    let ks = sm.keyspaces[i]
    if (sm.dicts[i] !== d || ks === undefined || ks.forgotten) {
      ks = keyspaceOf(d)
      sm.dicts[i] = d
      sm.keyspaces[i] = ks
    }
    const x = db.expires
    const pristine =
      d.table[0] === null &&
      d.table[1] === null &&
      x.table[0] === null &&
      x.table[1] === null &&
      ks.bytes === 0 &&
      ks.dirty.size === 0
    if (!pristine) {
      sm.active.push(i)
      sm.activeTableBytes.push(
        dictTablesAllocSize(d as Dict<unknown>) + dictTablesAllocSize(x as Dict<unknown>),
      )
    }
  }
}

/** call(): record the peak after each command. Returns used memory. */
export function updatePeakMemory(srv: ServerState): number {
  // Runs after every command: the memo and the stamp check first, without calls.
  const sm = srv === lastServer && lastServerMemory !== null ? lastServerMemory : serverMemory(srv)
  const keyspace =
    sm.usedStamp === allocStamp.n &&
    sm.usedDbs === srv.dbs &&
    sm.histogramsOf === srv.stats.numCommands
      ? sm.used
      : keyspaceUsedMemoryOf(srv, sm)
  const used = keyspace + clientsMemory(srv) + srv.slowlog.bytes + srv.repl.buf.mem
  if (used > sm.peak) sm.peak = used
  return used
}

/** MEMORY USAGE / INFO: the peak so far (stat_peak_memory). */
export function peakMemory(srv: ServerState): number {
  return Math.max(serverMemory(srv).peak, updatePeakMemory(srv))
}

/** What getMemoryOverheadData reports (object.c), the parts INFO memory prints. */
export interface MemoryOverhead {
  totalAllocated: number
  startupAllocated: number
  peakAllocated: number
  overheadTotal: number
  dataset: number
  totalKeys: number
  clientsNormal: number
  /** The replication buffer past repl-backlog-size, while there are replicas. */
  clientsSlaves: number
  /** The rest of the replication buffer. */
  replBacklog: number
  functionsCaches: number
  peakPerc: number
  datasetPerc: number
  /** Per non-empty db: overhead of the main and expires dicts (sizeof-based). */
  dbs: { dbid: number; main: number; expires: number }[]
  /** net usage / keys (keys.bytes-per-key), integer division. */
  bytesPerKey: number
}

/** object.c getMemoryOverheadData: overhead with sizeof() per key, dataset = the rest. */
export function getMemoryOverheadData(srv: ServerState): MemoryOverhead {
  const used = zmallocUsedMemory(srv)
  const peak = Math.max(serverMemory(srv).peak, used)
  serverMemory(srv).peak = peak
  // The clients' memory as clientsCron last measured it (connection.ts updateClientMemoryUsage).
  const clientsNormal = srv.clientsNormalMemory
  // Replication backlog and replicas share one replication buffer (replBuffer.ts).
  const { clientsSlaves, replBacklog } = replBufferOverhead(srv, srv.repl.buf)
  let overhead =
    USED_MEMORY_STARTUP + replBacklog + clientsSlaves + clientsNormal + FUNCTIONS_CACHES
  let totalKeys = 0
  const dbs: MemoryOverhead['dbs'] = []
  for (const db of srv.dbs) {
    const keys = dictSize(db.dict)
    if (keys === 0) continue
    totalKeys += keys
    const main =
      keys * SIZEOF_DICT_ENTRY + dictBuckets(db.dict) * SIZEOF_POINTER + keys * SIZEOF_ROBJ
    const expires =
      dictSize(db.expires) * SIZEOF_DICT_ENTRY + dictBuckets(db.expires) * SIZEOF_POINTER
    overhead += main + expires
    dbs.push({ dbid: db.id, main, expires })
  }
  const net = used > USED_MEMORY_STARTUP ? used - USED_MEMORY_STARTUP : 1
  const dataset = used - overhead
  return {
    totalAllocated: used,
    startupAllocated: USED_MEMORY_STARTUP,
    peakAllocated: peak,
    overheadTotal: overhead,
    dataset,
    totalKeys,
    clientsNormal,
    clientsSlaves,
    replBacklog,
    functionsCaches: FUNCTIONS_CACHES,
    // C computes these percentages in float.
    peakPerc: Math.fround((used * 100) / peak),
    datasetPerc: Math.fround((dataset * 100) / net),
    dbs,
    bytesPerKey: totalKeys > 0 ? Math.floor(net / totalKeys) : 0,
  }
}

// --- MEMORY USAGE ---

/**
 * object.c objectComputeSize: Redis's estimate of a value's size, sampling up to
 * `samples` elements of a container (Infinity = all). Exact arithmetic of the C code:
 * the sampled average is a double, the sum is truncated back to size_t.
 */
export function objectComputeSize(o: RedisObject, samples: number): number {
  const flat = flatObjectSize(o)
  if (flat !== null) return flat
  switch (o.encoding) {
    case 'quicklist': {
      const ql = o.ptr as Quicklist
      const asize = SIZEOF_ROBJ + SIZEOF_QUICKLIST
      let elesize = 0
      let sampled = 0
      let node = ql.head
      // do { … } while ((node = node->next) && samples < sample_size)
      while (node !== null) {
        elesize += SIZEOF_QUICKLIST_NODE + jemallocSizeClass(quicklistNodeEntryBytes(node))
        sampled++
        node = node.next
        if (sampled >= samples) break
      }
      return sampled > 0 ? Math.trunc(asize + (elesize / sampled) * ql.len) : asize
    }
    case 'hashtable': {
      const d = o.ptr as Dict<unknown>
      const asize = SIZEOF_ROBJ + SIZEOF_DICT + SIZEOF_POINTER * dictBuckets(d)
      let elesize = 0
      let sampled = 0
      iterateDict(d, (key, val) => {
        if (sampled >= samples) return false
        elesize += SIZEOF_DICT_ENTRY + sdsZmallocSizeForLen(key.length) + elementSdsSize(val)
        sampled++
        return true
      })
      return sampled > 0 ? Math.trunc(asize + (elesize / sampled) * dictSize(d)) : asize
    }
    case 'skiplist': {
      const z = o.ptr as ZsetLike
      const asize =
        SIZEOF_ROBJ +
        SIZEOF_ZSET +
        SIZEOF_ZSKIPLIST +
        SIZEOF_DICT +
        SIZEOF_POINTER * dictBuckets(z.dict) +
        jemallocSizeClass(zslNodeSize(ZSKIPLIST_MAXLEVEL))
      let elesize = 0
      let sampled = 0
      for (let n = zslFirst(z); n !== null && sampled < samples; n = zslNext(n)) {
        elesize += elementSdsSize(n.ele)
        elesize += SIZEOF_DICT_ENTRY + jemallocSizeClass(zslNodeSize(n.level.length))
        sampled++
      }
      return sampled > 0 ? Math.trunc(asize + (elesize / sampled) * dictSize(z.dict)) : asize
    }
    case 'stream':
      return streamComputeSize(o.ptr as Stream, samples)
    default:
      return 0 // strings and blobs: handled by flatObjectSize above
  }
}

/**
 * dictGetIterator order (table 0 then 1, bucket by bucket, chain order), stopping when
 * `fn` returns false.
 */
function iterateDict(d: Dict<unknown>, fn: (key: string, val: unknown) => boolean): void {
  for (const t of d.table) {
    if (t === null) continue
    for (let e of t) {
      while (e !== NO_ENTRY) {
        if (!fn(dictGetKey(d, e), dictGetVal(d, e))) return
        e = dictNextEntry(d, e)
      }
    }
  }
}

/**
 * MEMORY USAGE key [SAMPLES n] once the arguments are parsed: objectComputeSize + the key
 * sds + sizeof(dictEntry). A plain dictFind: no expiry check, no LRU touch. Null when the
 * key does not exist. `samples` 0 means all.
 */
export function memoryUsageOfKey(
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  samples: number = OBJ_COMPUTE_SIZE_DEF_SAMPLES,
): number | null {
  const de = dictFind<RedisObject>(ctx, db.dict, key)
  if (de === NO_ENTRY) return null
  const n = samples === 0 ? Infinity : samples
  return (
    objectComputeSize(dictGetVal(db.dict, de), n) +
    sdsZmallocSizeForLen(key.length) +
    SIZEOF_DICT_ENTRY
  )
}

// --- INFO memory ---

/** server.c bytesToHuman: B, then K/M/G/T/P with two decimals. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P']
  if (n < 1024) return `${String(n)}B`
  let div = 1024
  for (const u of units) {
    if (n < div * 1024) return `${formatFixed(n / div, 2)}${u}`
    div *= 1024
  }
  return `${String(n)}B`
}

/**
 * Allocator and RSS figures, modelled from used_memory with the offsets and ratios of a
 * freshly started redis-server 7.0.15 (there is no real allocator underneath).
 */
function allocatorModel(used: number): {
  allocated: number
  active: number
  resident: number
  rss: number
} {
  const allocated = used + 776_296
  const active = Math.ceil((allocated * 1.08) / 4096) * 4096
  const resident = active + 2_670_592
  const rss = resident + 2_289_664
  return { allocated, active, resident, rss }
}

/** MEMORY STATS (object.c memoryCommand "stats"): a map (a flat array of pairs in RESP2). */
export function memoryStatsReply(srv: ServerState, resp: Protocol = 2): Reply {
  const mh = getMemoryOverheadData(srv)
  const { allocated, active, resident, rss } = allocatorModel(mh.totalAllocated)
  const used = mh.totalAllocated
  const out: Reply[] = []
  const ll = (name: string, v: number): void => {
    out.push(bulk(name), integer(v))
  }
  const dbl = (name: string, v: number): void => {
    out.push(bulk(name), doubleReply(resp, addReplyDoubleText(v)))
  }
  ll('peak.allocated', mh.peakAllocated)
  ll('total.allocated', used)
  ll('startup.allocated', mh.startupAllocated)
  ll('replication.backlog', mh.replBacklog)
  ll('clients.slaves', mh.clientsSlaves)
  ll('clients.normal', mh.clientsNormal)
  ll('cluster.links', 0)
  ll('aof.buffer', 0)
  ll('lua.caches', 0)
  ll('functions.caches', mh.functionsCaches)
  for (const db of mh.dbs) {
    out.push(
      bulk(`db.${String(db.dbid)}`),
      mapReply(resp, [
        bulk('overhead.hashtable.main'),
        integer(db.main),
        bulk('overhead.hashtable.expires'),
        integer(db.expires),
        bulk('overhead.hashtable.slot-to-keys'),
        integer(0),
      ]),
    )
  }
  ll('overhead.total', mh.overheadTotal)
  ll('keys.count', mh.totalKeys)
  ll('keys.bytes-per-key', mh.bytesPerKey)
  ll('dataset.bytes', mh.dataset)
  dbl('dataset.percentage', mh.datasetPerc)
  dbl('peak.percentage', mh.peakPerc)
  ll('allocator.allocated', allocated)
  ll('allocator.active', active)
  ll('allocator.resident', resident)
  dbl('allocator-fragmentation.ratio', Math.fround(active / allocated))
  ll('allocator-fragmentation.bytes', active - allocated)
  dbl('allocator-rss.ratio', Math.fround(resident / active))
  ll('allocator-rss.bytes', resident - active)
  dbl('rss-overhead.ratio', Math.fround(rss / resident))
  ll('rss-overhead.bytes', rss - resident)
  dbl('fragmentation', Math.fround(rss / used))
  ll('fragmentation.bytes', rss - used)
  return mapReply(resp, out)
}

/**
 * MEMORY DOCTOR (object.c getMemoryDoctorReport): below 5 MB the "empty instance" text;
 * otherwise the all-clear text, since none of the issues it looks for (RSS/peak
 * fragmentation, big client buffers, many Lua scripts) is modelled.
 */
export function memoryDoctorReport(srv: ServerState): string {
  if (zmallocUsedMemory(srv) < 1024 * 1024 * 5)
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
  return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
}

/**
 * MEMORY MALLOC-STATS (object.c, je_malloc_stats_print): jemalloc 5.3.0's report. There is no
 * allocator underneath, so this prints its header, the general figures of the oracle's build
 * (arenas, quantum, page size, size classes) and the totals of the allocator model INFO memory
 * uses; the option dumps, mutex counters and per-arena bin tables are left out.
 */
export function jemallocStatsReport(srv: ServerState): string {
  const { allocated, active, resident } = allocatorModel(getMemoryOverheadData(srv).totalAllocated)
  const mapped = Math.ceil((resident * 1.7) / 4096) * 4096
  return [
    '___ Begin jemalloc statistics ___',
    'Version: "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c"',
    'Arenas: 9',
    'Quantum size: 16',
    'Page size: 4096',
    'Maximum thread-cached size class: 32768',
    'Number of bin size classes: 36',
    'Number of thread-cache bin size classes: 41',
    'Number of large size classes: 196',
    `Allocated: ${String(allocated)}, active: ${String(active)}, metadata: 2758256 (n_thp 0), resident: ${String(resident)}, mapped: ${String(mapped)}, retained: 16384`,
    'Count of realloc(non-null-ptr, 0) calls: 0',
    '--- End jemalloc statistics ---',
    '',
  ].join('\n')
}

/**
 * The body of INFO's "# Memory" section, field for field as 7.0.15 prints it (CRLF line
 * ends, no header). Allocator and RSS figures are modelled from used_memory with the
 * ratios of a freshly started server, since there is no real allocator underneath.
 */
export function genInfoMemorySection(srv: ServerState): string {
  const mh = getMemoryOverheadData(srv)
  const used = mh.totalAllocated
  const { allocated, active, resident, rss } = allocatorModel(used)
  const maxmemory = srv.config.maxmemory
  const totalSystem = 25_276_510_208
  const human = bytesToHuman
  const lines: [string, string | number][] = [
    ['used_memory', used],
    ['used_memory_human', human(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', human(rss)],
    ['used_memory_peak', mh.peakAllocated],
    ['used_memory_peak_human', human(mh.peakAllocated)],
    ['used_memory_peak_perc', `${formatFixed(mh.peakPerc, 2)}%`],
    ['used_memory_overhead', mh.overheadTotal],
    ['used_memory_startup', mh.startupAllocated],
    ['used_memory_dataset', mh.dataset],
    ['used_memory_dataset_perc', `${formatFixed(mh.datasetPerc, 2)}%`],
    ['allocator_allocated', allocated],
    ['allocator_active', active],
    ['allocator_resident', resident],
    ['total_system_memory', totalSystem],
    ['total_system_memory_human', human(totalSystem)],
    ['used_memory_lua', 32768],
    ['used_memory_vm_eval', 32768],
    ['used_memory_lua_human', human(32768)],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 33792],
    ['used_memory_vm_total', 66560],
    ['used_memory_vm_total_human', human(66560)],
    ['used_memory_functions', FUNCTIONS_CACHES],
    ['used_memory_scripts', FUNCTIONS_CACHES],
    ['used_memory_scripts_human', human(FUNCTIONS_CACHES)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', human(maxmemory)],
    ['maxmemory_policy', srv.config.maxmemoryPolicy],
    ['allocator_frag_ratio', formatFixed(active / allocated, 2)],
    ['allocator_frag_bytes', active - allocated],
    ['allocator_rss_ratio', formatFixed(resident / active, 2)],
    ['allocator_rss_bytes', resident - active],
    ['rss_overhead_ratio', formatFixed(rss / resident, 2)],
    ['rss_overhead_bytes', rss - resident],
    ['mem_fragmentation_ratio', formatFixed(rss / used, 2)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', freeMemoryGetNotCountedMemory(srv)],
    ['mem_replication_backlog', mh.replBacklog],
    ['mem_total_replication_buffers', srv.repl.buf.mem],
    ['mem_clients_slaves', mh.clientsSlaves],
    ['mem_clients_normal', mh.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'jemalloc-5.3.0'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', srv.stats.lazyfreedObjects],
  ]
  return lines.map(([k, v]) => `${k}:${String(v)}`).join('\r\n') + '\r\n'
}

/** Self-check: the running keyspace sums equal a fresh exact walk (for tests). */
export function memoryValidate(srv: ServerState): string[] {
  const errors: string[] = []
  for (const db of srv.dbs) {
    const running = keyspaceBytes(db.dict)
    let exact = 0
    dictForEach(db.dict, (key, val) => {
      exact += sdsZmallocSizeForLen(key.length) + objectAllocSize(val)
    })
    // Big containers are tracked by scaling; allow their drift, demand exactness otherwise.
    if (Math.abs(running - exact) > exact / 64)
      errors.push(
        `db ${String(db.id)}: running keyspace bytes ${String(running)} ≠ ${String(exact)}`,
      )
  }
  return errors
}

/**
 * evict.c freeMemoryGetNotCountedMemory: the memory eviction does not count (the replication
 * buffer past the backlog's size; the AOF buffer is not modelled in memory).
 */
export function freeMemoryGetNotCountedMemory(srv: ServerState): number {
  return replBufferNotCounted(srv, srv.repl.buf)
}
