/**
 * The keyspace (db.c): 16 databases, each a main dict (key → object) and an expires dict
 * (key → absolute Unix ms), plus the WATCH bookkeeping that db.c and multi.c share.
 *
 * Design: every function takes the ServerState (config, stats, clients for WATCH) and the
 * command's ExecContext (frozen time, rng, trace), and follows its db.c namesake step for
 * step, including which dict operations run (each dictFind/dictAdd/dictDelete may take a
 * rehash step, so the order matters for the trace and for determinism).
 *
 * Lazy expiry: a key is logically expired when ctx.now > when (strictly). lookupKey calls
 * expireIfNeeded, which deletes it, counts stats.expiredKeys, touches WATCHers and emits
 * expire/keyExpiredLazily. The active cycle lives in expire.ts and uses
 * deleteExpiredKeyAndPropagate from here.
 *
 * WATCH: db.watchedKeys maps a key to the WatchedKey records of the clients watching it
 * (multi.c keeps the same per-db dict). touchWatchedKey reproduces 7.0.15 exactly,
 * including its early `break` when a key that was expired at WATCH time exists again.
 */
import { alsoPropagate } from '../replication.ts'
import { checkClientPauseTimeoutAndReturnIfPaused } from '../pause.ts'
import {
  flushSlaveKeysWithExpireList,
  isMasterClient,
  isReadOnlyReplica,
  isReplica,
  rememberSlaveKeyWithExpire,
} from '../replica.ts'
import type { ExecContext } from '../context.ts'
import type { ClientId } from '../api.ts'
import type { Client, ServerState, WatchedKey } from '../state.ts'
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictEmpty,
  dictFetchValue,
  dictFind,
  dictFindAsserted,
  dictForEach,
  dictGetVal,
  dictReplace,
  dictSetVal,
  dictSize,
  dictValidate,
  type Dict,
  type HashSeed,
  NO_ENTRY,
} from '../structures/dict.ts'
import { policyIsLfu, touchLFU, type RedisObject } from '../types/object.ts'
import {
  memKeyAdded,
  memKeyDeleted,
  memKeyspaceEmptied,
  memValueReplaced,
  memValueTouched,
} from './memory.ts'
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW, notifyKeyspaceEvent } from './notify.ts'
import { dbAsyncDelete } from './lazyfree.ts'
import { trackingInvalidateKey, trackingInvalidateKeysOnFlush } from '../tracking.ts'

// --- Types ---

export interface RedisDb {
  id: number
  dict: Dict<RedisObject>
  expires: Dict<number>
  /**
   * Exact expire times of the keys whose time is past 2^53 ms (a double in `expires` can't
   * hold every 64-bit long long: PEXPIREAT k 9223372036854775807 must read back as it was).
   * An entry counts only while Number(exact) equals the key's `expires` value.
   */
  expiresExact: Map<string, bigint>
  /** Active-expire bucket cursor (db->expires_cursor). */
  expiresCursor: number
  /**
   * Running average TTL in ms of keys sampled by active expire (db->avg_ttl, a long long: TTLs
   * near 2^63 ms are kept exactly, and their sum wraps as C's does).
   */
  avgTtl: bigint
  /** WATCHed keys of this db: key → watchers, in WATCH order. */
  watchedKeys: Map<string, WatchedKey[]>
  /**
   * db->blocking_keys: key → the clients blocked on it, in the order they blocked. Stays with
   * the db on SWAPDB, as the clients stay in their db.
   */
  blockingKeys: Map<string, ClientId[]>
  /**
   * db->ready_keys and this db's part of server.ready_keys: keys signalled since the last
   * handleClientsBlockedOnKeys, each with its place in the server-wide queue.
   */
  readyKeys: Map<string, number>
}

/** lookupKey flags (server.h LOOKUP_*). */
export const LOOKUP_NONE = 0
export const LOOKUP_NOTOUCH = 1 << 0
export const LOOKUP_NONOTIFY = 1 << 1
export const LOOKUP_NOSTATS = 1 << 2
export const LOOKUP_WRITE = 1 << 3
export const LOOKUP_NOEXPIRE = 1 << 4

/** setKey flags (server.h SETKEY_*). */
export const SETKEY_KEEPTTL = 1
export const SETKEY_NO_SIGNAL = 2
export const SETKEY_ALREADY_EXIST = 4
export const SETKEY_DOESNT_EXIST = 8

/** expireIfNeeded flags. */
export const EXPIRE_FORCE_DELETE_EXPIRED = 1
export const EXPIRE_AVOID_DELETE_EXPIRED = 2

// --- Creation ---

/** Creates db `id` with its two dicts (server.c initServer). */
export function createDb(id: number, seed: HashSeed): RedisDb {
  return {
    id,
    dict: dictCreate<RedisObject>(`db:${String(id)}:keys`, seed),
    expires: dictCreate<number>(`db:${String(id)}:expires`, seed),
    expiresExact: new Map(),
    expiresCursor: 0,
    avgTtl: 0n,
    watchedKeys: new Map(),
    blockingKeys: new Map(),
    readyKeys: new Map(),
  }
}

// --- Lookup ---

/**
 * db.c lookupKey: find, lazily expire, touch LRU/LFU (unless NOTOUCH), count hits and
 * misses (not for WRITE or NOSTATS lookups).
 */
export function lookupKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  flags: number,
): RedisObject | null {
  const de = dictFind<RedisObject>(ctx, db.dict, key)
  let val: RedisObject | null = null
  if (de !== NO_ENTRY) {
    val = dictGetVal(db.dict, de)
    let expireFlags = 0
    // A read-only replica never deletes an expired key: its master sends the DEL.
    if (flags & LOOKUP_WRITE && !isReadOnlyReplica(srv)) expireFlags |= EXPIRE_FORCE_DELETE_EXPIRED
    if (flags & LOOKUP_NOEXPIRE) expireFlags |= EXPIRE_AVOID_DELETE_EXPIRED
    if (expireIfNeeded(srv, ctx, db, key, expireFlags)) val = null
  }
  if (val !== null) {
    // The command may change the value in place: memory.ts re-measures it lazily.
    if (flags & LOOKUP_WRITE) memValueTouched(db.dict, val)
    // Not while a saving child runs: touching would copy pages (hasActiveChildProcess).
    if (!(flags & LOOKUP_NOTOUCH) && srv.child === null) {
      if (policyIsLfu(srv)) touchLFU(srv, ctx, val)
      else val.lru = srv.lruclock
    }
    if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) srv.stats.keyspaceHits++
  } else {
    if (
      srv.config.notifyKeyspaceEvents & NOTIFY_KEY_MISS &&
      !(flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE))
    )
      notifyKeyspaceEvent(srv, ctx, NOTIFY_KEY_MISS, 'keymiss', key, db.id)
    if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) srv.stats.keyspaceMisses++
  }
  return val
}

/** db.c lookupKeyReadWithFlags. */
export function lookupKeyReadWithFlags(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  flags: number,
): RedisObject | null {
  return lookupKey(srv, ctx, db, key, flags & ~LOOKUP_WRITE)
}

/** db.c lookupKeyRead. */
export function lookupKeyRead(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
): RedisObject | null {
  return lookupKey(srv, ctx, db, key, LOOKUP_NONE)
}

/** db.c lookupKeyWriteWithFlags. */
export function lookupKeyWriteWithFlags(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  flags: number,
): RedisObject | null {
  return lookupKey(srv, ctx, db, key, flags | LOOKUP_WRITE)
}

/** db.c lookupKeyWrite. */
export function lookupKeyWrite(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
): RedisObject | null {
  return lookupKey(srv, ctx, db, key, LOOKUP_WRITE)
}

// --- Add, overwrite, delete ---

/**
 * db.c dbAdd: the key must not exist. With `srv`, a "new" keyspace notification (class n)
 * follows, as every dbAdd of Redis's sends.
 */
export function dbAdd(
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  val: RedisObject,
  srv?: ServerState,
): void {
  dbAddRDBLoad(ctx, db, key, val)
  if (db.blockingKeys.size !== 0) signalKeyAsReady(db, key, val.type)
  if (srv !== undefined && srv.config.notifyKeyspaceEvents & NOTIFY_NEW)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_NEW, 'new', key, db.id)
}

/**
 * db.c dbAddRDBLoad: dbAdd for keys loaded from an RDB image (DEBUG RELOAD), which does not
 * signal blocked clients: a client waiting on a key that a reload brings back keeps waiting.
 */
export function dbAddRDBLoad(ctx: ExecContext, db: RedisDb, key: string, val: RedisObject): void {
  const added = dictAdd(ctx, db.dict, key, val)
  if (!added) throw new Error(`dbAdd: key already exists in db ${String(db.id)}`)
  memKeyAdded(db.dict, key, val)
}

/** Orders ready keys across all dbs (server.ready_keys is one list, in signal order). */
let readySeq = 0
/** Ready keys signalled and not yet taken, over every server (a cheap "anything to serve?"). */
let readyPending = 0

/** How many ready keys wait to be served (blocking.ts handleClientsBlockedOnKeys). */
export function readyKeysSignalled(): number {
  return readyPending
}

/** Takes `key` off the db's ready keys before its waiters are served. */
export function takeReadyKey(db: RedisDb, key: string): void {
  if (db.readyKeys.delete(key)) readyPending--
}

/**
 * blocked.c signalKeyAsReady: a list, sorted set or stream appeared (or a stream changed or
 * went away: XREADGROUP waiters are then unblocked) under a key clients are blocked on; queue the key (once) for handleClientsBlockedOnKeys after the current command.
 */
export function signalKeyAsReady(db: RedisDb, key: string, type: RedisObject['type']): void {
  if (type !== 'list' && type !== 'zset' && type !== 'stream') return
  if (!db.blockingKeys.has(key) || db.readyKeys.has(key)) return
  db.readyKeys.set(key, readySeq++)
  readyPending++
}

/**
 * db.c scanDatabaseForDeletedStreams (FLUSHALL/FLUSHDB, SWAPDB): a waited-on key that holds a
 * stream here and not in `replacedWith` is signalled, so its XREADGROUP waiters get UNBLOCKED.
 */
function scanDatabaseForDeletedStreams(
  ctx: ExecContext,
  emptied: RedisDb,
  replacedWith: RedisDb | null,
): void {
  const isStream = (db: RedisDb, key: string): boolean => {
    const de = dictFind(ctx, db.dict, key)
    return de !== NO_ENTRY && dictGetVal(db.dict, de).type === 'stream'
  }
  for (const key of emptied.blockingKeys.keys())
    if (isStream(emptied, key) && (replacedWith === null || !isStream(replacedWith, key)))
      signalKeyAsReady(emptied, key, 'stream')
}

/**
 * server.blocked_clients_by_type[BLOCKED_STREAM] != 0: scanDatabaseForDeletedStreams returns
 * at once otherwise (its dictFind calls, which step a rehash, are not made).
 */
function streamClientsBlocked(srv: ServerState): boolean {
  if (srv.blockedClients === 0) return false
  for (const c of srv.clients.values()) if (c.bpop?.btype === 'stream') return true
  return false
}

/** db.c scanDatabaseForReadyKeys: after SWAPDB, keys now holding data for their waiters. */
function scanDatabaseForReadyKeys(ctx: ExecContext, db: RedisDb): void {
  for (const key of db.blockingKeys.keys()) {
    const de = dictFind(ctx, db.dict, key)
    if (de !== NO_ENTRY) signalKeyAsReady(db, key, dictGetVal(db.dict, de).type)
  }
}

/**
 * db.c dbOverwrite: replace the value of an existing key. Under an LFU policy the new
 * value inherits the old access counter.
 */
export function dbOverwrite(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  val: RedisObject,
): void {
  const de = dictFind<RedisObject>(ctx, db.dict, key)
  if (de === NO_ENTRY) throw new Error('dbOverwrite: key does not exist')
  const old = dictGetVal(db.dict, de)
  if (policyIsLfu(srv)) val.lru = old.lru
  // "We want to try to unblock any client using a blocking XREADGROUP".
  if (old.type === 'stream') signalKeyAsReady(db, key, 'stream')
  memValueReplaced(db.dict, old, val)
  dictSetVal(db.dict, de, val)
}

export interface SetKeyOptions {
  keepTtl?: boolean
  noSignal?: boolean
  alreadyExists?: boolean
  doesntExist?: boolean
}

/**
 * db.c setKey: add or overwrite, drop the TTL unless KEEPTTL, signal WATCHers. The
 * existence check is a write lookup (which may expire the key first).
 */
export function setKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  val: RedisObject,
  opts: SetKeyOptions = {},
): void {
  let keyfound: boolean
  if (opts.alreadyExists === true) keyfound = true
  else if (opts.doesntExist === true) keyfound = false
  else keyfound = lookupKeyWrite(srv, ctx, db, key) !== null
  if (!keyfound) dbAdd(ctx, db, key, val, srv)
  else dbOverwrite(srv, ctx, db, key, val)
  if (opts.keepTtl !== true) removeExpire(ctx, db, key)
  if (opts.noSignal !== true) signalModifiedKey(srv, ctx, db, key)
}

/**
 * db.c dbGenericDelete (sync and async behave alike here): delete from expires first
 * (only when it is non-empty), then unlink from the main dict.
 */
export function dbDelete(ctx: ExecContext, db: RedisDb, key: string): boolean {
  if (dictSize(db.expires) > 0) dictDelete(ctx, db.expires, key)
  if (db.expiresExact.size > 0) db.expiresExact.delete(key)
  const de = dictDelete(ctx, db.dict, key)
  if (de === NO_ENTRY) return false
  const val = dictGetVal(db.dict, de)
  // "We want to try to unblock any client using a blocking XREADGROUP".
  if (db.blockingKeys.size !== 0 && val.type === 'stream') signalKeyAsReady(db, key, 'stream')
  memKeyDeleted(db.dict, key, val)
  return true
}

/** db.c dbExists: present in the main dict (no expiry check). */
export function dbExists(ctx: ExecContext, db: RedisDb, key: string): boolean {
  return dictFind(ctx, db.dict, key) !== NO_ENTRY
}

// --- Expires ---

/** db.c setExpire: the key must exist in the main dict. */
export function setExpire(ctx: ExecContext, db: RedisDb, key: string, when: number): void {
  if (!dictFindAsserted(ctx, db.dict, key)) throw new Error('setExpire: key does not exist')
  dictReplace(ctx, db.expires, key, when)
  if (db.expiresExact.size > 0) db.expiresExact.delete(key)
}

/**
 * setExpire with the exact long long time: times past 2^53 ms keep their exact value in
 * db.expiresExact (what PEXPIRETIME, PTTL and the GT/LT comparisons read back).
 */
export function setExpireExact(ctx: ExecContext, db: RedisDb, key: string, when: bigint): void {
  const approx = Number(when)
  setExpire(ctx, db, key, approx)
  if (!Number.isSafeInteger(approx)) db.expiresExact.set(key, when)
}

/**
 * db.c setExpire for a client's command (c != NULL): on a writable replica the key is
 * remembered for expireSlaveKeys, since no master will ever send its DEL.
 */
export function setExpireByClient(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  when: bigint,
): void {
  setExpireExact(ctx, db, key, when)
  // Not for the master's own keys: its DELs will come.
  if (
    isReplica(srv) &&
    !isReadOnlyReplica(srv) &&
    !(srv.currentClient !== null && isMasterClient(srv, srv.currentClient))
  )
    rememberSlaveKeyWithExpire(srv, ctx, db, key)
}

/** getExpire as the exact long long Redis keeps (-1n when the key has no TTL). */
export function getExpireExact(ctx: ExecContext, db: RedisDb, key: string): bigint {
  const when = getExpire(ctx, db, key)
  if (Number.isSafeInteger(when)) return BigInt(when)
  const exact = db.expiresExact.get(key)
  return exact !== undefined && Number(exact) === when ? exact : BigInt(when)
}

/**
 * db.c getExpire: absolute ms, or -1 when the key has no TTL. A TTL found is checked
 * against the main dict (serverAssert(dictFind(db->dict, key))): a lookup, so one more
 * rehash step there, as in Redis.
 */
export function getExpire(ctx: ExecContext, db: RedisDb, key: string): number {
  if (dictSize(db.expires) === 0) return -1
  const when = dictFetchValue<number>(ctx, db.expires, key)
  if (when === undefined) return -1
  if (!dictFindAsserted(ctx, db.dict, key)) throw new Error('getExpire: key does not exist')
  return when
}

/**
 * db.c removeExpire: true if a TTL was removed. Redis first asserts that the key is in the
 * main dict (serverAssert(dictFind(db->dict, key))): that lookup takes a rehash step there,
 * so every SET of a new key moves the main dict's rehash three steps, not two.
 */
export function removeExpire(ctx: ExecContext, db: RedisDb, key: string): boolean {
  if (!dictFindAsserted(ctx, db.dict, key)) throw new Error('removeExpire: key does not exist')
  if (db.expiresExact.size > 0) db.expiresExact.delete(key)
  return dictDelete(ctx, db.expires, key) !== NO_ENTRY
}

/** db.c keyIsExpired: ctx.now (the frozen command time) > when. */
/**
 * expire.c checkAlreadyExpired: an absolute time `when` (ms) that has passed deletes the key
 * at once, except while loading (an AOF replays its PEXPIREATs as they were) and on a replica
 * (which keeps the key with its past TTL for its master's DEL).
 */
export function checkAlreadyExpired(srv: ServerState, ctx: ExecContext, when: bigint): boolean {
  return when <= BigInt(Math.floor(ctx.now)) && srv.loading === null && srv.repl.masterhost === null
}

export function keyIsExpired(ctx: ExecContext, db: RedisDb, key: string): boolean {
  const when = getExpire(ctx, db, key)
  if (when < 0) return false
  return ctx.now > when
}

/**
 * db.c deleteExpiredKeyAndPropagate: delete, notify "expired" (class x), touch WATCHers,
 * count stats.expired_keys. The caller emits its own event (lazy or active).
 */
export function deleteExpiredKeyAndPropagate(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
): void {
  if (srv.config.lazyfreeLazyExpire) dbAsyncDelete(srv, ctx, db, key)
  else dbDelete(ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_EXPIRED, 'expired', key, db.id)
  // signalModifiedKey(NULL, ...) without counting a write: expiry does not make the dataset dirty.
  touchWatchedKey(srv, ctx, db, key)
  if (srv.tracking !== null) trackingInvalidateKey(srv, ctx, null, key, true)
  // propagateDeletion: DEL, or UNLINK when the key was freed lazily.
  alsoPropagate(srv, db.id, [srv.config.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key])
  srv.stats.expiredKeys++
}

/**
 * db.c expireIfNeeded: true when the key is logically expired; deletes it unless told to
 * avoid deleting (LOOKUP_NOEXPIRE). Emits expire/keyExpiredLazily.
 */
export function expireIfNeeded(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  flags = 0,
): boolean {
  const when = getExpire(ctx, db, key)
  if (when < 0 || !(ctx.now > when)) return false
  // keyIsExpired: "Don't expire anything while loading. It will be done later."
  if (srv.loading !== null) return false
  // A replica: for its master's commands no key expires; for others the key is reported
  // expired but left for the master's DEL, unless forced (a write on a writable replica).
  if (srv.repl.masterhost !== null) {
    const m = srv.repl.master
    if (m !== null && srv.currentClient !== null && srv.currentClient.id === m.client) return false
    if (!(flags & EXPIRE_FORCE_DELETE_EXPIRED)) return true
  }
  if (flags & EXPIRE_AVOID_DELETE_EXPIRED) return true
  // While clients are paused the dataset stays as it is: expired for the reader only.
  if (checkClientPauseTimeoutAndReturnIfPaused(srv)) return true
  deleteExpiredKeyAndPropagate(srv, ctx, db, key)
  if (ctx.tracing) ctx.emit({ type: 'expire/keyExpiredLazily', db: db.id, key, when, now: ctx.now })
  return true
}

// --- WATCH signalling ---

/**
 * db.c signalModifiedKey: a write touched `key` (WATCH and client-side caching invalidation).
 * `c` is the client that made the change: the running one unless given (null: none, as for
 * eviction).
 */
export function signalModifiedKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  c?: Client | null,
): void {
  srv.keysModified++
  // A BGSAVE child shares the dataset's pages: this write copies the key's (rdb.ts).
  srv.child?.cowKeys.add(`${String(db.id)}\0${key}`)
  touchWatchedKey(srv, ctx, db, key)
  if (srv.tracking !== null)
    trackingInvalidateKey(srv, ctx, c === undefined ? srv.currentClient : c, key, true)
}

/** multi.c unwatchAllKeys: forget every key a client watches. */
export function unwatchAllKeys(srv: ServerState, clientId: number): void {
  const c = srv.clients.get(clientId)
  if (c === undefined || c.watched.length === 0) return
  for (const wk of c.watched) {
    const db = srv.dbs[wk.db]
    const list = db?.watchedKeys.get(wk.key)
    if (db === undefined || list === undefined) continue
    const i = list.indexOf(wk)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) db.watchedKeys.delete(wk.key)
  }
  c.watched = []
}

/** multi.c touchWatchedKey, 7.0.15 semantics. */
export function touchWatchedKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
): void {
  if (db.watchedKeys.size === 0) return
  const list = db.watchedKeys.get(key)
  if (list === undefined) return
  // unwatchAllKeys mutates the list while we walk it: iterate over a copy.
  const flagged: number[] | null = ctx.tracing ? [] : null
  for (const wk of [...list]) {
    if (wk.expired) {
      if (dictFind(ctx, db.dict, key) === NO_ENTRY) {
        wk.expired = false
        continue
      }
      break
    }
    const c = srv.clients.get(wk.client)
    if (c === undefined) continue
    c.dirtyCas = true
    flagged?.push(c.id)
    unwatchAllKeys(srv, c.id)
  }
  if (flagged !== null && flagged.length > 0)
    ctx.emit({ type: 'multi/watchTouched', db: db.id, key, clients: flagged, unwatched: true })
}

/**
 * multi.c touchAllWatchedKeysInDb: FLUSHDB/FLUSHALL (replacedWith null) and SWAPDB mark
 * the watchers of keys that existed (or will exist) dirty.
 */
export function touchAllWatchedKeysInDb(
  srv: ServerState,
  ctx: ExecContext,
  emptied: RedisDb,
  replacedWith: RedisDb | null,
): void {
  if (emptied.watchedKeys.size === 0) return
  for (const [key, list] of emptied.watchedKeys) {
    const existsInEmptied = dictFind(ctx, emptied.dict, key) !== NO_ENTRY
    if (
      !existsInEmptied &&
      !(replacedWith !== null && dictFind(ctx, replacedWith.dict, key) !== NO_ENTRY)
    )
      continue
    for (const wk of list) {
      if (wk.expired) {
        if (replacedWith === null || dictFind(ctx, replacedWith.dict, key) === NO_ENTRY) {
          wk.expired = false
          continue
        } else if (keyIsExpired(ctx, replacedWith, key)) {
          continue
        }
      } else if (
        replacedWith !== null &&
        !existsInEmptied &&
        keyIsExpired(ctx, replacedWith, key)
      ) {
        wk.expired = true
        continue
      }
      const c = srv.clients.get(wk.client)
      if (c !== undefined) c.dirtyCas = true
      if (c !== undefined && ctx.tracing)
        ctx.emit({
          type: 'multi/watchTouched',
          db: emptied.id,
          key,
          clients: [c.id],
          unwatched: false,
        })
    }
  }
}

// --- Flush and swap ---

/**
 * db.c emptyData: FLUSHDB (dbnum = id) / FLUSHALL (-1). Touches WATCHers and invalidates
 * client-side caches first (signalFlushedDb; `async`: FLUSH* ASYNC), then empties both dicts
 * and resets avg_ttl and the expire cursor. Returns keys removed.
 */
export function emptyData(
  srv: ServerState,
  ctx: ExecContext,
  dbnum: number,
  async = false,
): number {
  const from = dbnum === -1 ? 0 : dbnum
  const to = dbnum === -1 ? srv.dbs.length - 1 : dbnum
  for (let j = from; j <= to; j++) {
    const db = srv.dbs[j]
    if (db === undefined) continue
    if (streamClientsBlocked(srv)) scanDatabaseForDeletedStreams(ctx, db, null)
    touchAllWatchedKeysInDb(srv, ctx, db, null)
  }
  if (srv.tracking !== null) trackingInvalidateKeysOnFlush(srv, ctx, async)
  let removed = 0
  for (let j = from; j <= to; j++) {
    const db = srv.dbs[j]
    if (db === undefined) continue
    removed += dictSize(db.dict)
    dictEmpty(ctx, db.dict)
    memKeyspaceEmptied(db.dict)
    dictEmpty(ctx, db.expires)
    db.expiresExact.clear()
    db.avgTtl = 0n
    db.expiresCursor = 0
  }
  if (dbnum === -1) flushSlaveKeysWithExpireList(srv)
  return removed
}

/**
 * db.c dbSwapDatabases: swap the dicts (and avg_ttl, cursor) of two dbs; watched keys stay
 * with their db. The dict refs are renamed so events keep naming the db they live in.
 */
export function dbSwapDatabases(
  srv: ServerState,
  ctx: ExecContext,
  id1: number,
  id2: number,
): boolean {
  const db1 = srv.dbs[id1]
  const db2 = srv.dbs[id2]
  if (db1 === undefined || db2 === undefined) return false
  if (id1 === id2) return true
  touchAllWatchedKeysInDb(srv, ctx, db1, db2)
  touchAllWatchedKeysInDb(srv, ctx, db2, db1)
  if (streamClientsBlocked(srv)) {
    scanDatabaseForDeletedStreams(ctx, db1, db2)
    scanDatabaseForDeletedStreams(ctx, db2, db1)
  }
  const { dict, expires, expiresExact, avgTtl, expiresCursor } = db1
  db1.dict = db2.dict
  db1.expires = db2.expires
  db1.expiresExact = db2.expiresExact
  db2.expiresExact = expiresExact
  db1.avgTtl = db2.avgTtl
  db1.expiresCursor = db2.expiresCursor
  db2.dict = dict
  db2.expires = expires
  db2.avgTtl = avgTtl
  db2.expiresCursor = expiresCursor
  db1.dict.ref = `db:${String(id1)}:keys`
  db1.expires.ref = `db:${String(id1)}:expires`
  db2.dict.ref = `db:${String(id2)}:keys`
  db2.expires.ref = `db:${String(id2)}:expires`
  scanDatabaseForReadyKeys(ctx, db1)
  scanDatabaseForReadyKeys(ctx, db2)
  return true
}

// --- Self-check ---

/** Every expires key exists in the main dict; both dicts are valid. */
export function dbValidate(db: RedisDb): string[] {
  const errors = [...dictValidate(db.dict), ...dictValidate(db.expires)]
  const keys = new Set<string>()
  dictForEach(db.dict, (key) => keys.add(key))
  dictForEach(db.expires, (key) => {
    if (!keys.has(key)) errors.push(`expire without key: ${key}`)
  })
  return errors
}
