/**
 * Persistence, modelled (rdb.c, server.c child handling). Nothing is written: what the
 * emulation keeps is the bookkeeping Redis shows (dirty, lastsave, rdb_saves) and the one
 * effect a save has on the data structures: while the BGSAVE fork child runs, dicts may not
 * resize except past the forced ratio (dict_can_resize = avoid), serverCron does not
 * resize or rehash, and lookups do not touch the LRU (copy-on-write pages).
 */
import type { ServerState } from './state.ts'
import { dictSetResizePolicy, dictSize } from './structures/dict.ts'

/** server.c updateDictResizePolicy: no resizing (only the forced ratio) while a child runs. */
export function updateDictResizePolicy(srv: ServerState): void {
  dictSetResizePolicy(srv.child === null ? 'enable' : 'avoid')
}

/**
 * rdb.c rdbSaveBackground: "fork" a child. It lives 1 µs per key (1 s for a million keys,
 * the order of a real save), plus rdb-key-save-delay µs per key as rdbSaveKeyValuePair
 * sleeps, and is reaped by the first serverCron after that.
 */
export function rdbSaveBackground(srv: ServerState, now: number): void {
  let keys = 0
  for (const db of srv.dbs) keys += dictSize(db.dict)
  // stat_rdb_saves counts the attempt, when the child is forked (rdbSaveBackground).
  srv.rdbSaves++
  const perKeyUs = 1 + rdbKeySaveDelayUs(srv)
  srv.child = { startedAt: now, endsAt: now + (keys * perKeyUs) / 1000, dirtyBefore: srv.dirty }
  updateDictResizePolicy(srv)
}

/**
 * The child's sleep per key saved (debug.c debugDelay of rdb-key-save-delay): n > 0 sleeps
 * n µs; n < 0 sleeps 1 µs once in -n keys, counted here as its mean 1/-n µs (no RNG draw).
 */
function rdbKeySaveDelayUs(srv: ServerState): number {
  const delay = Number(srv.config.other['rdb-key-save-delay'] ?? '0')
  return delay > 0 ? delay : delay < 0 ? 1 / -delay : 0
}

/** rdb.c backgroundSaveDoneHandlerDisk (success). */
export function rdbBackgroundSaveDone(srv: ServerState): void {
  const child = srv.child
  if (child === null) return
  srv.dirty -= child.dirtyBefore
  srv.lastSave = srv.unixtime
  srv.rdbLastBgsaveTimeSec = Math.floor((srv.mstime - child.startedAt) / 1000)
  srv.child = null
  updateDictResizePolicy(srv)
}

/** rdb.c killRDBChild (FLUSHALL, SAVE refusing, shutdown). */
export function killRDBChild(srv: ServerState): void {
  srv.child = null
  updateDictResizePolicy(srv)
}
