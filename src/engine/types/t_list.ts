/**
 * The list type — follows redis/src/t_list.c (7.0.15), the listType* layer.
 *
 * In 7.0 a list is always a `quicklist`: a linked list of listpack nodes whose size is
 * bounded by list-max-listpack-size (fill), its inner nodes LZF-compressed past
 * list-compress-depth nodes from either end (structures/quicklist.ts); there is no
 * conversion (7.2 added small listpack lists). Both options are read from CONFIG when the
 * list is created (createQuicklistObject + quicklistSetOptions), as pushGenericCommand and
 * lmoveHandlePush do, so CONFIG SET affects lists created afterwards only.
 *
 * The packed threshold (elements at least this long get a PLAIN node) is one global in
 * Redis, set by DEBUG QUICKLIST-PACKED-THRESHOLD; here each quicklist carries it, so the
 * server's value is kept per server and pushed into every list when it changes.
 *
 * Events: the quicklist/* and listpack/* events of structures/quicklist.ts, with the key.
 */
import type { ServerState } from '../state.ts'
import { dictForEach } from '../structures/dict.ts'
import {
  PACKED_THRESHOLD,
  quicklistCount,
  quicklistCreate,
  quicklistDelRange,
  quicklistDup,
  quicklistGetRange,
  quicklistPop,
  quicklistPush,
  quicklistValidate,
} from '../structures/quicklist.ts'
import type { ValueRef } from './container.ts'
import { createObject, type ContainerObject } from './object.ts'

// --- Types ---

export type ListObject = ContainerObject<'list', 'quicklist'>

// --- API ---

/**
 * quicklist.c quicklistisSetPackedThreshold (DEBUG QUICKLIST-PACKED-THRESHOLD): refused above
 * 4 GiB − 1 MiB, 0 restores the 1 GiB default. Applies to existing lists too, as the global
 * does. Returns false when refused.
 */
export function listSetPackedThreshold(srv: ServerState, sz: bigint): boolean {
  if (sz > 2n ** 32n - 2n ** 20n) return false
  const threshold = sz === 0n ? PACKED_THRESHOLD : Number(sz)
  srv.quicklistPackedThreshold = threshold
  for (const db of srv.dbs)
    dictForEach(db.dict, (_key, o) => {
      if (o.type === 'list') (o as ListObject).ptr.packedThreshold = threshold
    })
  return true
}

/** createQuicklistObject with quicklistSetOptions(list-max-listpack-size, list-compress-depth). */
export function createQuicklistObject(srv: ServerState): ListObject {
  const ql = quicklistCreate(srv.config.listMaxListpackSize, srv.config.listCompressDepth)
  ql.packedThreshold = srv.quicklistPackedThreshold
  return createObject(srv, 'list', 'quicklist', ql)
}

/** listTypeLength. */
export function listTypeLength(o: ListObject): number {
  return quicklistCount(o.ptr)
}

/** listTypePush: at the head or the tail. */
export function listTypePush(
  v: ValueRef,
  o: ListObject,
  value: string,
  where: 'head' | 'tail',
): void {
  quicklistPush(v.ctx, o.ptr, value, where, v.key)
}

/** listTypePop: the head or tail element, or null when empty. */
export function listTypePop(v: ValueRef, o: ListObject, where: 'head' | 'tail'): string | null {
  return quicklistPop(v.ctx, o.ptr, where, v.key)
}

/**
 * The elements of the normalised range start..end (addListRangeReply's index rules), head
 * to tail or, when `reverse`, from `end` back to `start`. Walking the nodes decompresses
 * and recompresses them as Redis's iterator does; `v` receives those events.
 */
export function listTypeRange(
  o: ListObject,
  start: number,
  end: number,
  reverse: boolean,
  v?: ValueRef,
): string[] {
  const llen = listTypeLength(o)
  if (start < 0) start = llen + start
  if (end < 0) end = llen + end
  if (start < 0) start = 0
  if (start > end || start >= llen) return []
  if (end >= llen) end = llen - 1
  const from = reverse ? end : start
  const dir = reverse ? 'tail' : 'head'
  return quicklistGetRange(o.ptr, dir, from, end - start + 1, v?.ctx, v?.key)
}

/** listTypeDelRange: deletes `count` elements from `start` (negative from the tail). */
export function listTypeDelRange(v: ValueRef, o: ListObject, start: number, count: number): void {
  if (count > 0) quicklistDelRange(v.ctx, o.ptr, start, count, v.key)
}

/** listTypeDup (COPY): quicklistDup keeps the options, nodes and ids. */
export function listTypeDup(srv: ServerState, o: ListObject): ListObject {
  return createObject(srv, 'list', 'quicklist', quicklistDup(o.ptr))
}

/** Self-check: the quicklist's invariants. */
export function listTypeValidate(o: ListObject): string[] {
  return quicklistValidate(o.ptr)
}
