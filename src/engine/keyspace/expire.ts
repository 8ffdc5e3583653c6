/**
 * Active expiration — follows redis/src/expire.c activeExpireCycle (7.0.15).
 *
 * Lazy expiry (db.ts expireIfNeeded) only frees keys somebody touches; the active cycle
 * reclaims the rest. Since 6.0 it does not sample random keys: it walks the buckets of each
 * db's `expires` dict from a persistent cursor (db.expiresCursor), looking at the same index
 * in both tables while a rehash is in progress, so every key is visited in turn. Per db it
 * samples up to keys_per_loop keys (20 at effort 1) in at most 20× as many buckets, deletes
 * the expired ones, and repeats while more than acceptable_stale % (10 %) of the sample was
 * expired. It visits 16 dbs per call round-robin (all of them after a call that ran out of
 * time), and checks its time budget every 16 loop iterations.
 *
 * Two kinds: SLOW runs from serverCron every tick with a budget of 25 % of a tick
 * (25 000 µs at hz 10); FAST runs after commands (beforeSleep) for at most 1000 µs, only if
 * the previous cycle ran out of time, and not more often than every 2 ms. (Its other
 * trigger compares the stale fraction, 0..1, with a percentage and never fires in 7.0.)
 *
 * Time: `now` for expiry decisions and the budget come from ctx.clock, as Redis reads
 * mstime()/ustime() live. Each sampled and each expired key charges its modelled work to the
 * clock (workCost.ts): the browser's virtual clock moves by it, so the budget runs out as in
 * Redis; the RESP server's real clock moves by itself; a plain manual clock (tests) stands
 * still within a tick, and there the budget never runs out.
 *
 * State between calls (expire.c's static locals) lives in srv.expire.
 *
 * Emits: expire/keyExpiredActively (each deleted key), expire/cycleRan (one per cycle that
 * runs: dbs visited, keys sampled and expired, why it stopped), expire/bucketsSampled
 * (full level: each sampling loop's buckets, sampled and expired keys).
 */
import { WORK_EXPIRE_DELETE_US, WORK_EXPIRE_SAMPLE_US } from '../workCost.ts'
import { ustime } from '../clock.ts'
import { checkClientPauseTimeoutAndReturnIfPaused } from '../pause.ts'
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'
import {
  dictBuckets,
  dictDelete,
  dictFind,
  dictGetKey,
  dictGetRandomKey,
  dictGetVal,
  dictIsRehashing,
  dictNextEntry,
  dictSetVal,
  dictSize,
  NO_ENTRY,
  type DictEntry,
} from '../structures/dict.ts'
import { propagatePendingCommands } from '../replication.ts'
import { deleteExpiredKeyAndPropagate } from './db.ts'

// --- Constants (expire.c) ---

export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20
/** Microseconds. */
export const ACTIVE_EXPIRE_CYCLE_FAST_DURATION = 1000
/** Max % of CPU per slow cycle. */
export const ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25
/** % of stale keys above which a db is sampled again. */
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10
/** server.h CRON_DBS_PER_CALL */
export const CRON_DBS_PER_CALL = 16
/** dict.h DICT_HT_INITIAL_SIZE */
const DICT_HT_INITIAL_SIZE = 4

/** The cycle's parameters derived from active-expire-effort (1..10). */
export interface ActiveExpireParams {
  readonly keysPerLoop: number
  readonly fastDurationUs: number
  readonly slowTimePerc: number
  readonly acceptableStale: number
}

/** Derives the per-effort constants exactly as activeExpireCycle does (integer math). */
export function activeExpireParams(effortConfig: number): ActiveExpireParams {
  const effort = effortConfig - 1
  return {
    keysPerLoop:
      ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP +
      Math.floor(ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP / 4) * effort,
    fastDurationUs:
      ACTIVE_EXPIRE_CYCLE_FAST_DURATION +
      Math.floor(ACTIVE_EXPIRE_CYCLE_FAST_DURATION / 4) * effort,
    slowTimePerc: ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort,
    acceptableStale: ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort,
  }
}

// --- The cycle ---

/**
 * expire.c activeExpireCycle: reclaims logically expired keys in bounded time. `kind` is
 * 'slow' (serverCron) or 'fast' (after commands). See the file comment for the algorithm.
 */
export function activeExpireCycle(srv: ServerState, ctx: ExecContext, kind: 'slow' | 'fast'): void {
  // While clients are paused the dataset stays as it is: no expiry (nor eviction).
  if (checkClientPauseTimeoutAndReturnIfPaused(srv)) return
  const st = srv.expire
  // The common case after a command, decided before any allocation (the same test as below).
  if (
    kind === 'fast' &&
    !st.timelimitExit &&
    srv.stats.expiredStalePerc <
      ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - (srv.config.activeExpireEffort - 1)
  )
    return
  const p = activeExpireParams(srv.config.activeExpireEffort)
  const start = ustime(ctx.clock)

  if (kind === 'fast') {
    // Only after a cycle that ran out of time (the stale-fraction test never passes: it
    // compares a 0..1 fraction with a percentage), and not twice within 2 × its duration.
    if (!st.timelimitExit && srv.stats.expiredStalePerc < p.acceptableStale) return
    if (start < st.lastFastCycle + p.fastDurationUs * 2) return
    st.lastFastCycle = start
  }

  const dbnum = srv.dbs.length
  let dbsPerCall = CRON_DBS_PER_CALL
  if (dbsPerCall > dbnum || st.timelimitExit) dbsPerCall = dbnum

  let timelimit = Math.floor((p.slowTimePerc * 1000000) / srv.currentHz / 100)
  st.timelimitExit = false
  if (timelimit <= 0) timelimit = 1
  if (kind === 'fast') timelimit = p.fastDurationUs

  let totalSampled = 0
  let totalExpired = 0
  let iteration = 0
  const dbsVisited: number[] | null = ctx.tracing ? [] : null

  for (let j = 0; j < dbsPerCall && !st.timelimitExit; j++) {
    const db = srv.dbs[st.currentDb % dbnum]
    st.currentDb++
    if (db === undefined) continue
    if (dbsVisited !== null) dbsVisited.push(db.id)
    let expired: number
    let sampled: number
    do {
      iteration++
      let num = dictSize(db.expires)
      if (num === 0) {
        db.avgTtl = 0n
        break
      }
      const slots = dictBuckets(db.expires)
      const now = Math.floor(ctx.clock.now())
      // Under 1 % fill sampling is expensive: wait for the dict to be shrunk.
      if (slots > DICT_HT_INITIAL_SIZE && Math.floor((num * 100) / slots) < 1) break

      expired = 0
      sampled = 0
      // long long ttl_sum: a number while it is exact, then a bigint that wraps at 64 bits.
      let ttlSum = 0
      let ttlSumBig: bigint | null = null
      let ttlSamples = 0
      if (num > p.keysPerLoop) num = p.keysPerLoop
      const maxBuckets = num * 20
      let checkedBuckets = 0
      const buckets: number[] | null = ctx.full ? [] : null
      const sampledKeys: string[] | null = ctx.full ? [] : null
      const expiredKeys: string[] | null = ctx.full ? [] : null

      while (sampled < num && checkedBuckets < maxBuckets) {
        for (let table = 0; table < 2; table++) {
          if (table === 1 && !dictIsRehashing(db.expires)) break
          const exp = db.expires.sizeExp[table] ?? -1
          const t = db.expires.table[table]
          // The same cursor, masked per table.
          const idx = exp < 0 ? 0 : db.expiresCursor % 2 ** exp
          let de: DictEntry = t === null || t === undefined ? NO_ENTRY : (t[idx] as number)
          checkedBuckets++
          if (buckets !== null) buckets.push(idx)
          while (de !== NO_ENTRY) {
            // Take the next entry first: this one may be deleted (and a rehash step may
            // move the rest of the chain, which we then follow where it went, as C does).
            const key = dictGetKey(db.expires, de)
            const when = dictGetVal(db.expires, de)
            de = dictNextEntry(db.expires, de)
            const ttl = when - now
            // Times past 2^53 ms: the exact long long (read before the key may go).
            const exactTtl = Number.isSafeInteger(when)
              ? null
              : (db.expiresExact.get(key) ?? BigInt(when)) - BigInt(now)
            if (activeExpireCycleTryExpire(srv, ctx, db.id, key, when, now)) {
              expired++
              if (expiredKeys !== null) expiredKeys.push(key)
              ctx.clock.work?.(WORK_EXPIRE_DELETE_US)
            } else ctx.clock.work?.(WORK_EXPIRE_SAMPLE_US)
            if (ttl > 0) {
              if (
                ttlSumBig === null &&
                exactTtl === null &&
                ttlSum + ttl <= Number.MAX_SAFE_INTEGER
              )
                ttlSum += ttl
              else
                ttlSumBig = BigInt.asIntN(
                  64,
                  (ttlSumBig ?? BigInt(ttlSum)) + (exactTtl ?? BigInt(ttl)),
                )
              ttlSamples++
            }
            sampled++
            if (sampledKeys !== null) sampledKeys.push(key)
          }
        }
        db.expiresCursor++
      }
      totalExpired += expired
      totalSampled += sampled
      if (buckets !== null && sampledKeys !== null && expiredKeys !== null)
        ctx.emit({
          type: 'expire/bucketsSampled',
          db: db.id,
          buckets,
          sampled: sampledKeys,
          expired: expiredKeys,
          cursor: db.expiresCursor,
        })

      if (ttlSamples > 0) {
        // Integer division truncating toward zero, as C's. ttl_sum only ever adds TTLs > 0,
        // so the compiler takes avg_ttl for non-negative and divides it by 50 unsigned (the
        // 7.0.15 binary: shr and a multiply for avg_ttl/50, a signed one for db->avg_ttl/50):
        // a sum that wrapped negative counts as a huge positive there.
        const avgTtl = (ttlSumBig ?? BigInt(ttlSum)) / BigInt(ttlSamples)
        if (db.avgTtl === 0n) db.avgTtl = avgTtl
        db.avgTtl = BigInt.asIntN(64, (db.avgTtl / 50n) * 49n + BigInt.asUintN(64, avgTtl) / 50n)
      }

      if ((iteration & 0xf) === 0) {
        const elapsed = ustime(ctx.clock) - start
        if (elapsed > timelimit) {
          st.timelimitExit = true
          srv.stats.expiredTimeCapReachedCount++
          break
        }
      }
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > p.acceptableStale)
  }

  const elapsed = ustime(ctx.clock) - start
  srv.stats.expireCycleTimeUsed += elapsed
  const currentPerc = totalSampled > 0 ? totalExpired / totalSampled : 0
  srv.stats.expiredStalePerc = currentPerc * 0.05 + srv.stats.expiredStalePerc * 0.95

  if (dbsVisited !== null)
    ctx.emit({
      type: 'expire/cycleRan',
      kind,
      dbsVisited,
      sampled: totalSampled,
      expired: totalExpired,
      stopReason: st.timelimitExit ? 'timeLimit' : 'done',
      timeLimitUs: timelimit,
      elapsedUs: elapsed,
    })
}

/**
 * expire.c activeExpireCycleTryExpire: deletes the entry's key if `now` is past its time.
 * Emits expire/keyExpiredActively.
 */
function activeExpireCycleTryExpire(
  srv: ServerState,
  ctx: ExecContext,
  dbId: number,
  key: string,
  when: number,
  now: number,
): boolean {
  if (!(now > when)) return false
  const db = srv.dbs[dbId]
  if (db === undefined) return false
  deleteExpiredKeyAndPropagate(srv, ctx, db, key)
  if (ctx.tracing) ctx.emit({ type: 'expire/keyExpiredActively', db: dbId, key, when })
  return true
}

/**
 * expire.c expireSlaveKeys (databasesCron on a replica, instead of the active cycle): the
 * keys a writable replica's clients gave a TTL (replica.ts rememberSlaveKeyWithExpire) are
 * picked at random and, in each db of their bitmap, deleted when expired; a key with no TTL
 * left to wait for is forgotten. Stops after more than 3 keys still to live, past 1 ms
 * (checked every 64 keys), or when none is left; the DELs go out at the end.
 */
export function expireSlaveKeys(srv: ServerState, ctx: ExecContext): void {
  const d = srv.repl.slaveKeysWithExpire
  if (d === null || dictSize(d) === 0) return
  let cycles = 0
  let noexpire = 0
  const start = Math.floor(ctx.clock.now())
  for (;;) {
    const de = dictGetRandomKey(ctx, d)
    if (de === NO_ENTRY) break
    const keyname = dictGetKey(d, de)
    // The bitmap of dbs, bit j for db j.
    let dbids = dictGetVal(d, de)
    let newDbids = 0n
    for (let dbid = 0; dbids !== 0n && dbid < srv.dbs.length; dbid++, dbids >>= 1n) {
      if ((dbids & 1n) === 0n) continue
      const db = srv.dbs[dbid]
      if (db === undefined) continue
      const e = dictFind(ctx, db.expires, keyname)
      if (e === NO_ENTRY) continue
      const when = dictGetVal(db.expires, e) as number
      if (!activeExpireCycleTryExpire(srv, ctx, dbid, keyname, when, start)) {
        noexpire++
        newDbids |= 1n << BigInt(dbid)
      }
    }
    if (newDbids !== 0n) dictSetVal(d, de, newDbids)
    else dictDelete(ctx, d, keyname)
    cycles++
    if (noexpire > 3) break
    if (cycles % 64 === 0 && Math.floor(ctx.clock.now()) - start > 1) break
    if (dictSize(d) === 0) break
  }
  propagatePendingCommands(srv, true)
}
