/**
 * Eviction under maxmemory (← src/evict.c performEvictions, evictionPoolPopulate,
 * getMaxmemoryState, overMaxmemoryAfterAlloc, evictionTimeLimitUs; Redis 7.0.15).
 *
 * processCommand calls performEvictions before every command when maxmemory is set. If
 * used memory (memory.ts:zmallocUsedMemory) exceeds maxmemory, keys are deleted until the
 * drop in used memory covers the excess:
 *
 *   LRU / LFU / volatile-ttl — the eviction pool. For every db whose sampled dict (all keys,
 *   or only the keys with a TTL for volatile-*) is non-empty, take `maxmemory-samples`
 *   entries with dictGetSomeKeys, score each (idle ms; 255 − decayed LFU counter; for TTL
 *   "sooner is better") and insert it into a 16-slot pool kept sorted ascending, best
 *   candidate on the right:
 *
 *       k = first slot whose score is ≥ the new score (or first empty slot)
 *       k == 0 and the pool is full      → worse than everything: skip
 *       slot k is empty                  → put it there
 *       the last slot is empty           → shift k.. right by one, put it at k
 *       otherwise                        → shift ..k−1 left by one (dropping slot 0, the
 *                                          worst), put it at k − 1
 *
 *   Then slots are taken from the right: each is cleared; if its key still exists in that
 *   db (in expires for volatile-*) it is the victim, otherwise it was a "ghost" (deleted
 *   since it was sampled) and the next slot is tried. The pool persists across calls, so
 *   good candidates sampled earlier keep competing.
 *
 *   random policies — round robin over dbs from a persistent next_db, dictGetRandomKey on
 *   the dict or the expires dict of the first non-empty one.
 *
 * The victim is deleted synchronously (lazyfree-lazy-eviction frees the same bytes here:
 * the engine has no background thread), freed bytes are the drop in used memory, and
 * evicted_keys is counted. Every 16 evictions the tenacity time limit is checked against
 * ctx.clock, which moves by the modelled work of each eviction on the app's virtual clock
 * (workCost.ts) and by itself on the RESP server's real one. Out of time, performEvictions
 * starts the eviction time proc (startEvictionTimeProc) and returns 'running' (the command
 * proceeds); the proc then runs performEvictions on every pass of the event loop until
 * memory is within the limit or nothing is left to evict (server.ts runs those passes after
 * the command). CONFIG SET maxmemory starts the proc too.
 *
 * volatile-ttl scores: Redis uses ULLONG_MAX − expire_ms, beyond a double's exact range;
 * we use Number.MAX_SAFE_INTEGER − expire_ms, which orders candidates identically.
 */
import { alsoPropagate, propagatePendingCommands } from '../replication.ts'
import { checkClientPauseTimeoutAndReturnIfPaused } from '../pause.ts'
import { isReplica } from '../replica.ts'
import type { ExecContext } from '../context.ts'
import type { EvictionCandidate, MaxmemoryPolicy } from '../events.ts'
import type { ServerState } from '../state.ts'
import type { Copier } from '../snapshot.ts'
import {
  dictFind,
  dictGetKey,
  dictGetVal,
  dictGetRandomKey,
  dictGetSomeKeys,
  dictSize,
  type Dict,
  type DictType,
  NO_ENTRY,
} from '../structures/dict.ts'
import { lfuDecrAndReturn, type RedisObject } from '../types/object.ts'
import { dbDelete, signalModifiedKey } from './db.ts'
import { dbAsyncDelete } from './lazyfree.ts'
import { NOTIFY_EVICTED, notifyKeyspaceEvent } from './notify.ts'
import { estimateObjectIdleTime } from './lru.ts'
import { freeMemoryGetNotCountedMemory, zmallocUsedMemory } from './memory.ts'
import { WORK_EVICT_KEY_US } from '../workCost.ts'
import { ustime } from '../clock.ts'

// --- Constants ---

/** Size of the eviction pool. */
export const EVPOOL_SIZE = 16

// --- Types ---

export type EvictionResult = 'ok' | 'running' | 'fail'

/** One pool slot (struct evictionPoolEntry); key null = empty. */
export interface EvictionPoolEntry {
  idle: number
  key: string | null
  dbid: number
}

/** evict.c's static state: the pool (isEvictionProcRunning is srv.evictionProcRunning). */
export interface EvictionState {
  pool: EvictionPoolEntry[]
}

// --- Policy flags (server.h MAXMEMORY_FLAG_*) ---

/** MAXMEMORY_FLAG_LRU */
export function policyFlagLru(p: MaxmemoryPolicy): boolean {
  return p === 'allkeys-lru' || p === 'volatile-lru'
}
/** MAXMEMORY_FLAG_LFU */
export function policyFlagLfu(p: MaxmemoryPolicy): boolean {
  return p === 'allkeys-lfu' || p === 'volatile-lfu'
}
/** MAXMEMORY_FLAG_ALLKEYS */
export function policyFlagAllkeys(p: MaxmemoryPolicy): boolean {
  return p === 'allkeys-lru' || p === 'allkeys-lfu' || p === 'allkeys-random'
}

// --- State ---

const evictionStates = new WeakMap<ServerState, EvictionState>()

/** Copies the eviction state (pool, statics) of a server for its clone. */
export function evictCloneState(from: ServerState, to: ServerState, copier: Copier): void {
  const st = evictionStates.get(from)
  if (st !== undefined) evictionStates.set(to, copier.copy(st))
}

/** evictionPoolAlloc: 16 empty slots. */
export function evictionPoolAlloc(): EvictionPoolEntry[] {
  return Array.from({ length: EVPOOL_SIZE }, () => ({ idle: 0, key: null, dbid: 0 }))
}

/** The server's eviction state, created on first use (evict.c statics). */
export function evictionState(srv: ServerState): EvictionState {
  let st = evictionStates.get(srv)
  if (st === undefined) {
    st = { pool: evictionPoolAlloc() }
    evictionStates.set(srv, st)
  }
  return st
}

// --- Memory state ---

/**
 * Used memory as eviction sees it: without the replication buffer past the backlog's size
 * (freeMemoryGetNotCountedMemory).
 */
export function getMaxmemoryState(srv: ServerState): {
  ok: boolean
  used: number
  tofree: number
} {
  const reported = zmallocUsedMemory(srv)
  const max = srv.config.maxmemory
  if (max === 0 || reported <= max) return { ok: true, used: reported, tofree: 0 }
  const overhead = freeMemoryGetNotCountedMemory(srv)
  const used = reported > overhead ? reported - overhead : 0
  if (used <= max) return { ok: true, used, tofree: 0 }
  return { ok: false, used, tofree: used - max }
}

/** evict.c overMaxmemoryAfterAlloc: would allocating `moremem` more exceed maxmemory? */
export function overMaxmemoryAfterAlloc(srv: ServerState, moremem: number): boolean {
  if (srv.config.maxmemory === 0) return false
  const used = zmallocUsedMemory(srv) - freeMemoryGetNotCountedMemory(srv)
  return used + moremem > srv.config.maxmemory
}

/**
 * server.c dictExpandAllowed for the keyspace dicts: below the max load factor a growth
 * that would cross maxmemory is refused (the dict keeps chaining instead).
 */
export function dictExpandAllowed(srv: ServerState, moreMem: number, usedRatio: number): boolean {
  return usedRatio <= 1.618 ? !overMaxmemoryAfterAlloc(srv, moreMem) : true
}

/** The dictType of the keyspace and expires dicts: dictExpandAllowed for this server. */
export function keyspaceDictType(srv: ServerState): DictType {
  return { expandAllowed: (moreMem, usedRatio) => dictExpandAllowed(srv, moreMem, usedRatio) }
}

/** evict.c evictionTimeLimitUs from maxmemory-eviction-tenacity (Infinity = unlimited). */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity
  if (tenacity < 100) return Math.trunc(500 * Math.pow(1.15, tenacity - 10))
  return Infinity
}

// --- The pool ---

/** The score evictionPoolPopulate gives a sampled key: higher = better to evict. */
function scoreOf(
  srv: ServerState,
  ctx: ExecContext,
  sampleKey: string,
  sampleVal: unknown,
  sampledict: Dict<unknown>,
  keydict: Dict<RedisObject>,
): number {
  const policy = srv.config.maxmemoryPolicy
  if (policy === 'volatile-ttl') return Number.MAX_SAFE_INTEGER - (sampleVal as number)
  let o: RedisObject
  if (sampledict !== (keydict as Dict<unknown>)) {
    const de = dictFind<RedisObject>(ctx, keydict, sampleKey)
    if (de === NO_ENTRY) return 0 // cannot happen: expires ⊆ keys
    o = dictGetVal(keydict, de)
  } else {
    o = sampleVal as RedisObject
  }
  if (policyFlagLru(policy)) return estimateObjectIdleTime(srv.lruclock, o.lru)
  return 255 - lfuDecrAndReturn(srv, o)
}

/**
 * evict.c evictionPoolPopulate: sample `maxmemory-samples` keys of `sampledict` and
 * insert the good ones into the pool.
 */
export function evictionPoolPopulate(
  srv: ServerState,
  ctx: ExecContext,
  dbid: number,
  sampledict: Dict<unknown>,
  keydict: Dict<RedisObject>,
  pool: EvictionPoolEntry[],
): void {
  const samples = dictGetSomeKeys(ctx, sampledict, srv.config.maxmemorySamples)
  const sampled: EvictionCandidate[] | null = ctx.tracing ? [] : null
  for (const de of samples) {
    const key = dictGetKey(sampledict, de)
    const idle = scoreOf(srv, ctx, key, dictGetVal(sampledict, de), sampledict, keydict)
    sampled?.push({ db: dbid, key, score: idle })
    evictionPoolInsert(pool, key, idle, dbid)
  }
  if (ctx.tracing && sampled !== null) {
    ctx.emit({ type: 'evict/keysSampled', policy: srv.config.maxmemoryPolicy, db: dbid, sampled })
    ctx.emit({ type: 'evict/poolUpdated', pool: evictionPoolView(pool) })
  }
}

/** The insertion step of evictionPoolPopulate (see the design comment). */
export function evictionPoolInsert(
  pool: EvictionPoolEntry[],
  key: string,
  idle: number,
  dbid: number,
): boolean {
  let k = 0
  while (k < EVPOOL_SIZE && (pool[k]?.key ?? null) !== null && (pool[k]?.idle ?? 0) < idle) k++
  const last = pool[EVPOOL_SIZE - 1] as EvictionPoolEntry
  if (k === 0 && last.key !== null) return false
  if (k < EVPOOL_SIZE && (pool[k] as EvictionPoolEntry).key === null) {
    // Empty slot: nothing to move.
  } else if (last.key === null) {
    // Free space on the right: shift k.. right by one.
    for (let i = EVPOOL_SIZE - 1; i > k; i--) copySlot(pool, i, i - 1)
  } else {
    // Full: shift 1..k−1 left, dropping slot 0 (the worst candidate), insert at k − 1.
    k--
    for (let i = 0; i < k; i++) copySlot(pool, i, i + 1)
  }
  const slot = pool[k] as EvictionPoolEntry
  slot.key = key
  slot.idle = idle
  slot.dbid = dbid
  return true
}

function copySlot(pool: EvictionPoolEntry[], to: number, from: number): void {
  const a = pool[to] as EvictionPoolEntry
  const b = pool[from] as EvictionPoolEntry
  a.key = b.key
  a.idle = b.idle
  a.dbid = b.dbid
}

/** The occupied slots, left (worst) to right (best), for events and panels. */
export function evictionPoolView(pool: readonly EvictionPoolEntry[]): EvictionCandidate[] {
  const out: EvictionCandidate[] = []
  for (const e of pool) if (e.key !== null) out.push({ db: e.dbid, key: e.key, score: e.idle })
  return out
}

/** Self-check: occupied slots are sorted ascending; slots are present. */
export function evictionPoolValidate(pool: readonly EvictionPoolEntry[]): string[] {
  const errors: string[] = []
  if (pool.length !== EVPOOL_SIZE) errors.push(`pool has ${String(pool.length)} slots`)
  let prev = -Infinity
  for (const e of pool) {
    if (e.key === null) continue
    if (e.idle < prev) errors.push(`pool not sorted at ${e.key}`)
    prev = e.idle
  }
  return errors
}

// --- Picking a victim ---

interface Victim {
  db: number
  key: string
  score: number
}

/** The pool path of performEvictions: populate from every db, then pop from the right. */
function pickFromPool(
  srv: ServerState,
  ctx: ExecContext,
  pool: EvictionPoolEntry[],
): Victim | null {
  const allkeys = policyFlagAllkeys(srv.config.maxmemoryPolicy)
  for (;;) {
    let totalKeys = 0
    for (const db of srv.dbs) {
      const dict = (allkeys ? db.dict : db.expires) as Dict<unknown>
      const keys = dictSize(dict)
      if (keys !== 0) {
        evictionPoolPopulate(srv, ctx, db.id, dict, db.dict, pool)
        totalKeys += keys
      }
    }
    if (totalKeys === 0) return null
    for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
      const slot = pool[k] as EvictionPoolEntry
      if (slot.key === null) continue
      const { key, idle, dbid } = slot
      const db = srv.dbs[dbid]
      const de =
        db === undefined
          ? NO_ENTRY
          : allkeys
            ? dictFind(ctx, db.dict, key)
            : dictFind(ctx, db.expires, key)
      slot.key = null
      slot.idle = 0
      if (de !== NO_ENTRY) return { db: dbid, key, score: idle }
      // A ghost: deleted since it was sampled. Try the next best.
    }
  }
}

/** The random path: round robin over dbs from next_db. */
function pickRandom(srv: ServerState, ctx: ExecContext): Victim | null {
  const allkeys = srv.config.maxmemoryPolicy === 'allkeys-random'
  const dbnum = srv.dbs.length
  for (let i = 0; i < dbnum; i++) {
    srv.evictNextDb = (srv.evictNextDb + 1) >>> 0
    const j = srv.evictNextDb % dbnum
    const db = srv.dbs[j]
    if (db === undefined) continue
    const dict = (allkeys ? db.dict : db.expires) as Dict<unknown>
    if (dictSize(dict) !== 0) {
      const de = dictGetRandomKey(ctx, dict)
      if (de !== NO_ENTRY) return { db: j, key: dictGetKey(dict, de), score: 0 }
    }
  }
  return null
}

// --- performEvictions ---

/**
 * evict.c performEvictions: evict until used memory is within maxmemory. 'fail' when it
 * is over and nothing (more) can be evicted, or the policy is noeviction.
 */
export function performEvictions(srv: ServerState, ctx: ExecContext): EvictionResult {
  // isSafeToPerformEvictions: a replica ignores maxmemory by default (its master evicts),
  // and while clients are paused nothing is evicted (a fake EVICT_OK).
  if (isReplica(srv) && srv.config.other['replica-ignore-maxmemory'] !== 'no') return 'ok'
  if (checkClientPauseTimeoutAndReturnIfPaused(srv)) return 'ok'
  const result = evictKeys(srv, ctx)
  // The DELs of the evicted keys go out at the end, never wrapped in MULTI/EXEC.
  propagatePendingCommands(srv, true)
  // update_metrics: the time spent over maxmemory (INFO total_eviction_exceeded_time).
  const s = srv.stats
  if (result !== 'ok') {
    if (s.lastEvictionExceededAt === 0) s.lastEvictionExceededAt = ustime(ctx.clock)
  } else if (s.lastEvictionExceededAt !== 0) {
    s.totalEvictionExceededUs += ustime(ctx.clock) - s.lastEvictionExceededAt
    s.lastEvictionExceededAt = 0
  }
  return result
}

/**
 * evict.c startEvictionTimeProc: from now on the event loop calls evictionTimeProc on each
 * pass (server.ts runs those passes after the command) until eviction is done.
 */
export function startEvictionTimeProc(srv: ServerState): void {
  srv.evictionProcRunning = true
}

/**
 * evict.c evictionTimeProc: one more performEvictions; done (the proc removed) unless it
 * ran out of time again.
 */
export function evictionTimeProc(srv: ServerState, ctx: ExecContext): void {
  if (performEvictions(srv, ctx) !== 'running') srv.evictionProcRunning = false
}

/** performEvictions' loop: the victims it deletes are queued for propagation. */
function evictKeys(srv: ServerState, ctx: ExecContext): EvictionResult {
  const st = evictionState(srv)
  const state = getMaxmemoryState(srv)
  if (state.ok) return 'ok'
  const policy = srv.config.maxmemoryPolicy
  if (policy === 'noeviction') return 'fail'

  const limitUs = evictionTimeLimitUs(srv.config.maxmemoryEvictionTenacity)
  const startMs = ctx.clock.now()
  const usePool = policyFlagLru(policy) || policyFlagLfu(policy) || policy === 'volatile-ttl'
  let memFreed = 0
  let keysFreed = 0
  while (memFreed < state.tofree) {
    const victim = usePool ? pickFromPool(srv, ctx, st.pool) : pickRandom(srv, ctx)
    // cant_free: nothing (more) to evict.
    if (victim === null) return 'fail'
    const db = srv.dbs[victim.db]
    if (db === undefined) return 'fail'
    const before = zmallocUsedMemory(srv)
    if (srv.config.lazyfreeLazyEviction) dbAsyncDelete(srv, ctx, db, victim.key)
    else dbDelete(ctx, db, victim.key)
    const delta = before - zmallocUsedMemory(srv)
    memFreed += delta
    srv.stats.evictedKeys++
    signalModifiedKey(srv, ctx, db, victim.key, null)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_EVICTED, 'evicted', victim.key, db.id)
    alsoPropagate(srv, db.id, [srv.config.lazyfreeLazyEviction ? 'UNLINK' : 'DEL', victim.key])
    if (ctx.tracing)
      ctx.emit({
        type: 'evict/keyPicked',
        db: victim.db,
        key: victim.key,
        score: victim.score,
        freed: delta,
      })
    keysFreed++
    ctx.clock.work?.(WORK_EVICT_KEY_US)
    if (keysFreed % 16 === 0) {
      if (srv.config.lazyfreeLazyEviction && getMaxmemoryState(srv).ok) break
      // Out of time: the event loop's time proc goes on evicting (startEvictionTimeProc).
      const elapsedUs = (ctx.clock.now() - startMs) * 1000
      if (elapsedUs > limitUs) {
        srv.evictionProcRunning = true
        if (ctx.tracing)
          ctx.emit({
            type: 'evict/timeLimitReached',
            keysFreed,
            elapsedUs: Math.floor(elapsedUs),
            limitUs,
          })
        break
      }
    }
  }
  // The memory is within the limit, or the time ran out.
  return srv.evictionProcRunning ? 'running' : 'ok'
}
