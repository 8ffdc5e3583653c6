/**
 * Modelled CPU cost of the work Redis bounds by time, charged to the clock (clock.ts
 * Clock.work) where Redis reads its timer. In the browser the engine runs on a virtual clock
 * that stands still inside a command or a cron tick, so without a charge the budgets of the
 * active expire cycle (25 % of a cron period, 1 ms fast), of eviction
 * (maxmemory-eviction-tenacity) and of cron's incremental rehash (1 ms) never ran out: a
 * slow cycle expired every stale key at once, where Redis stops and lets the next fast
 * cycles go on. The real-clock RESP server charges nothing: real time passes.
 *
 * The figures were measured on redis-server 7.0.15 on this project's 2-core machine
 * (loaded, so on the slow side), from INFO counters:
 * - expiring: 300 000 keys set with PX 500 expired in 417 ms of expire_cycle_cpu_milliseconds
 *   (about 1.4 µs a key, the sampling of each included);
 * - sampling a key that is not expired: a bucket visit and a compare, taken as a tenth of that;
 * - evicting: 455 417 keys evicted by allkeys-lru after CONFIG SET maxmemory 20mb in
 *   1 425 ms of total_eviction_exceeded_time (about 3 µs a key, the event loop included);
 * - rehashing: about 165 000 entries left in table 0 of a 600 000-key dict moved by cron's
 *   1 ms slices in about 47 slices at hz 10 (about 0.3 µs a bucket step).
 */

/** Sampling one key in the active expire cycle (not expired). */
export const WORK_EXPIRE_SAMPLE_US = 0.14

/** Deleting one expired key in the active expire cycle (its sampling included). */
export const WORK_EXPIRE_DELETE_US = 1.4

/** Evicting one key (sampling into the pool, deleting, notifying). */
export const WORK_EVICT_KEY_US = 3

/** One step of incremental rehash (a non-empty bucket moved, with its empty visits). */
export const WORK_REHASH_STEP_US = 0.3
