/**
 * The LRU clock and the LFU counter kept in every object's 24-bit `lru` field.
 * (← src/evict.c, src/db.c:updateLFU, src/object.c:createObject, Redis 7.0.15)
 *
 * An robj has 24 bits (LRU_BITS) that mean one of two things, depending on the policy:
 *
 *   LRU policies (and every non-LFU policy):  lru = the LRU clock at the last access
 *                                             (seconds, 24 bits, wraps after ~194 days)
 *
 *   LFU policies:         | 16 bits: last decrement time (minutes) | 8 bits: log counter |
 *
 * The LRU clock is `(unix ms / 1000) & 0xFFFFFF`. Redis caches it in `server.lruclock`,
 * refreshed once per serverCron tick, and LRU_CLOCK() returns that cached value (since
 * 1000/hz ≤ 1000 always holds). So an object touched twice within one second gets the same
 * stamp, and a server whose cron does not run does not age its keys — which is why the
 * emulation keeps the cached value in server state and refreshes it from cron, too.
 *
 * The LFU counter is logarithmic (Morris counter): each hit increments it with probability
 * 1/((counter − LFU_INIT_VAL) × lfu-log-factor + 1), so reaching 255 takes ~1M hits with the
 * default factor 10. It decays by one per `lfu-decay-time` minutes elapsed since the stored
 * time. New objects start at LFU_INIT_VAL (5) so they are not evicted before they have a
 * chance to be hit.
 *
 * Every function here takes what it reads (clock, time, config) as arguments: no state.
 */
import type { ExecContext } from '../context.ts'
import { rngRandom } from '../rng.ts'

// --- Constants (server.h) ---

/** Bits of the robj lru field. */
export const LRU_BITS = 24
/** Max value of the LRU clock: 2^24 − 1. */
export const LRU_CLOCK_MAX = (1 << LRU_BITS) - 1
/** LRU clock resolution in ms. */
export const LRU_CLOCK_RESOLUTION = 1000
/** Counter of a newly created object under an LFU policy. */
export const LFU_INIT_VAL = 5
/** C's RAND_MAX with glibc: rand() returns [0, 2^31 − 1]. */
const RAND_MAX = 2147483647

// --- LRU ---

/** The LRU clock for a given Unix time in ms — getLRUClock. */
export function getLRUClock(ms: number): number {
  return Math.floor(ms / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX
}

/**
 * Approximate ms since the object was last touched — estimateObjectIdleTime. `lruclock` is
 * the server's cached clock (LRU_CLOCK()); one wrap of the 24-bit clock is handled.
 */
export function estimateObjectIdleTime(lruclock: number, objLru: number): number {
  if (lruclock >= objLru) return (lruclock - objLru) * LRU_CLOCK_RESOLUTION
  return (lruclock + (LRU_CLOCK_MAX - objLru)) * LRU_CLOCK_RESOLUTION
}

// --- LFU ---

/** Unix time in minutes, low 16 bits — LFUGetTimeInMinutes (from server.unixtime). */
export function LFUGetTimeInMinutes(nowMs: number): number {
  return Math.floor(Math.floor(nowMs / 1000) / 60) & 65535
}

/** Minutes since `ldt`, assuming at most one 16-bit wrap — LFUTimeElapsed. */
export function LFUTimeElapsed(nowMs: number, ldt: number): number {
  const now = LFUGetTimeInMinutes(nowMs)
  if (now >= ldt) return now - ldt
  return 65535 - ldt + now
}

/**
 * Logarithmically increments an 8-bit counter — LFULogIncr. Draws one C rand() from the
 * context's generator unless the counter is already saturated at 255.
 */
export function LFULogIncr(ctx: ExecContext, counter: number, lfuLogFactor: number): number {
  if (counter === 255) return 255
  const r = rngRandom(ctx.rng) / RAND_MAX
  let baseval = counter - LFU_INIT_VAL
  if (baseval < 0) baseval = 0
  const p = 1.0 / (baseval * lfuLogFactor + 1)
  return r < p ? counter + 1 : counter
}

/**
 * The counter after decay, without storing it — LFUDecrAndReturn. One unit per
 * `lfuDecayTime` minutes elapsed (0 disables decay), floored at 0.
 */
export function LFUDecrAndReturn(nowMs: number, objLru: number, lfuDecayTime: number): number {
  const ldt = objLru >>> 8
  const counter = objLru & 255
  const periods = lfuDecayTime !== 0 ? Math.floor(LFUTimeElapsed(nowMs, ldt) / lfuDecayTime) : 0
  if (periods !== 0) return periods > counter ? 0 : counter - periods
  return counter
}

/** The lru field of a new object under an LFU policy: (minutes << 8) | LFU_INIT_VAL. */
export function LFUInitialField(nowMs: number): number {
  return (LFUGetTimeInMinutes(nowMs) << 8) | LFU_INIT_VAL
}

/** Something with an lru field: an robj. */
export interface HasLru {
  lru: number
}

/**
 * On access under an LFU policy: decay, then increment, then store the time and counter —
 * db.c:updateLFU. Returns the new counter.
 */
export function updateLFU(
  ctx: ExecContext,
  o: HasLru,
  lfuLogFactor: number,
  lfuDecayTime: number,
): number {
  let counter = LFUDecrAndReturn(ctx.now, o.lru, lfuDecayTime)
  counter = LFULogIncr(ctx, counter, lfuLogFactor)
  o.lru = (LFUGetTimeInMinutes(ctx.now) << 8) | counter
  return counter
}

/** Checks that an lru field fits in 24 bits. */
export function lruFieldValidate(lru: number): string[] {
  return Number.isInteger(lru) && lru >= 0 && lru <= LRU_CLOCK_MAX
    ? []
    : [`lru field ${String(lru)} is not a 24-bit unsigned integer`]
}
