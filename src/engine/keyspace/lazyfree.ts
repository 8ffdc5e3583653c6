/**
 * Lazy freeing (lazyfree.c, 7.0.15): UNLINK, FLUSHDB/FLUSHALL ASYNC and the lazyfree-lazy-*
 * options hand big values to a background thread instead of freeing them in the command.
 *
 * Design: the engine has no background thread and no allocator to free into, so a value
 * leaves the keyspace (and memory accounting) at once either way. What is modelled is the
 * decision and its counters: freeObjAsync asks lazyfreeGetFreeEffort how many allocations
 * the value holds and, above LAZYFREE_THRESHOLD, counts it as freed by the lazyfree thread
 * (INFO memory lazyfreed_objects). The thread is taken to finish before the next command, so
 * lazyfree_pending_objects stays 0. A flushed database counts one object per key
 * (lazyfreeFreeDatabase).
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'
import type { RedisDb } from './db.ts'
import type { RedisObject } from '../types/object.ts'
import { dictFind, dictGetVal, dictSize, NO_ENTRY, type Dict } from '../structures/dict.ts'
import type { Quicklist } from '../structures/quicklist.ts'
import type { Zset } from '../types/t_zset.ts'
import type { Stream } from '../types/t_stream.ts'
import { raxSize, raxStart, raxSeek } from '../structures/rax.ts'
import { dbDelete } from './db.ts'

/** lazyfree.c LAZYFREE_THRESHOLD: values with more allocations than this are freed lazily. */
export const LAZYFREE_THRESHOLD = 64

/**
 * lazyfree.c lazyfreeGetFreeEffort: the number of allocations freeing `o` costs: quicklist
 * nodes, hashtable entries, skiplist nodes; for a stream its rax nodes plus, per consumer
 * group, one plus the size of the first group's PEL. Everything else is one allocation.
 */
export function lazyfreeGetFreeEffort(o: RedisObject): number {
  if (o.type === 'list' && o.encoding === 'quicklist') return (o.ptr as Quicklist).len
  if ((o.type === 'set' || o.type === 'hash') && o.encoding === 'hashtable')
    return dictSize(o.ptr as Dict<string | null>)
  if (o.type === 'zset' && o.encoding === 'skiplist') return (o.ptr as Zset).zsl.length
  if (o.type === 'stream') {
    const s = o.ptr as Stream
    let effort = s.rax.numnodes
    if (s.cgroups !== null && raxSize(s.cgroups) > 0) {
      // The first group's PEL size stands for every group's.
      const it = raxStart(s.cgroups)
      raxSeek(it, '^')
      const cg = it.data
      effort += raxSize(s.cgroups) * (1 + (cg === null ? 0 : raxSize(cg.pel)))
    }
    return effort
  }
  return 1
}

/** lazyfree.c freeObjAsync: a value above the threshold goes to the lazyfree thread. */
export function freeObjAsync(srv: ServerState, o: RedisObject): void {
  if (lazyfreeGetFreeEffort(o) > LAZYFREE_THRESHOLD && o.refcount === 1)
    srv.stats.lazyfreedObjects++
}

/** db.c dbAsyncDelete (dbGenericDelete with async = 1): delete, then freeObjAsync. */
export function dbAsyncDelete(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
): boolean {
  const de = dictFind(ctx, db.dict, key)
  if (de === NO_ENTRY) return false
  const val = dictGetVal(db.dict, de)
  dbDelete(ctx, db, key)
  freeObjAsync(srv, val)
  return true
}

/** lazyfree.c emptyDbAsync: the flushed dicts go to the lazyfree thread, one object a key. */
export function emptyDbAsyncFreed(srv: ServerState, keysRemoved: number): void {
  srv.stats.lazyfreedObjects += keysRemoved
}
