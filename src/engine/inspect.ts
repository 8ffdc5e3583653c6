/**
 * inspect(): plain view models of the keyspace and of one key, for panels.
 *
 * Design: views are JSON-safe snapshots built without touching the structures (no rehash
 * steps, no LRU updates, no expiry), so inspecting never changes what the engine does.
 * Large dicts are summarised: only the first `limit` non-empty buckets of each table are
 * listed, with per-chain key lists cut at `limit` keys, and `truncated` says so.
 *
 * Containers: each encoding's owner registers a view builder with registerInspector
 * (e.g. registerInspector('intset', (o, key, limit) => ({ kind: 'intset', ... }))). Until
 * one is registered a container answers { kind: <encoding>, pending: true }.
 * Strings with a structure inside (a HyperLogLog) register with registerStringInspector:
 * their view replaces the string's, which it carries as `string`. Containers with a structure
 * on top (a geo set over a sorted set) register with registerContainerOverlay: their view
 * replaces the container's, which it carries under the type's name (`zset`).
 */
import type { InspectView } from './api.ts'
import type { RedisDb } from './keyspace/db.ts'
import type { ServerState } from './state.ts'
import {
  dictBucketOf,
  dictBuckets,
  dictGetKey,
  dictGetVal,
  dictNextEntry,
  dictSize,
  NO_ENTRY,
  type Dict,
  type DictTable,
} from './structures/dict.ts'
import { embstrZmallocSize } from './keyspace/memory.ts'
import { sdsZmallocSize, type Sds } from './structures/sds.ts'
import {
  stringObjectSds,
  type ContainerEncoding,
  type ContainerObject,
  type RedisObject,
} from './types/object.ts'

// --- Types ---

export interface DictTableView {
  readonly table: 0 | 1
  readonly exp: number
  readonly size: number
  readonly used: number
  /** Non-empty buckets in index order: bucket index and chain keys (head first). */
  readonly buckets: readonly { readonly index: number; readonly keys: readonly string[] }[]
  readonly truncated: boolean
  /**
   * Chain length of every bucket (capped at 65535), present when the bucket list is cut
   * (truncated or a range): what the overview of a big dict draws.
   */
  readonly occupancy?: Uint16Array
}

export interface DictView {
  readonly ref: string
  readonly size: number
  readonly buckets: number
  readonly rehashIdx: number
  readonly tables: readonly DictTableView[]
}

/** inspect(null): one db's keyspace. */
export interface KeyspaceView {
  readonly kind: 'keyspace'
  readonly db: number
  readonly keys: number
  readonly expiresCount: number
  readonly avgTtl: number
  readonly expiresCursor: number
  readonly lruclock: number
  readonly dict: DictView
  readonly expires: DictView
}

export type ContainerInspector = (o: ContainerObject, key: string, limit: number) => InspectView

/** A view of a string value with a structure inside, or null for other strings. */
export type StringInspector = (s: Sds, key: string) => InspectView | null

// --- Registry ---

const inspectors = new Map<ContainerEncoding, ContainerInspector>()

/** Registers the view builder for a container encoding (called by the owning module). */
export function registerInspector(encoding: ContainerEncoding, fn: ContainerInspector): void {
  inspectors.set(encoding, fn)
}

const stringInspectors: StringInspector[] = []

/** Registers a view builder for raw strings that hold a structure (called once per module). */
export function registerStringInspector(fn: StringInspector): void {
  stringInspectors.push(fn)
}

/** A view of a container with a structure on top (a geo set), or null for the others. */
export type ContainerOverlay = (
  o: ContainerObject,
  key: string,
  limit: number,
) => InspectView | null

const containerOverlays: ContainerOverlay[] = []

/** Registers a view builder for containers that hold a structure (called once per module). */
export function registerContainerOverlay(fn: ContainerOverlay): void {
  containerOverlays.push(fn)
}

// --- Views ---

/**
 * A summarised view of a dict, walked without rehash steps: the first `limit` non-empty
 * buckets of each table, or every non-empty bucket in `range` when one is given. When the
 * list is cut, the view also carries each bucket's chain length for the overview.
 */
export function dictView<V>(
  d: Dict<V>,
  limit: number,
  range?: readonly [number, number],
): DictView {
  const tables: DictTableView[] = []
  for (const t of [0, 1] as const) {
    const table = d.table[t]
    if (table === null) continue
    const buckets: { index: number; keys: string[] }[] = []
    let truncated = false
    const from = range ? Math.max(0, range[0]) : 0
    const to = range ? Math.min(table.length, range[1]) : table.length
    for (let i = from; i < to; i++) {
      let e = table[i] as number
      if (e === NO_ENTRY) continue
      if (range === undefined && buckets.length >= limit) {
        truncated = true
        break
      }
      const keys: string[] = []
      while (e !== NO_ENTRY) {
        if (keys.length >= limit) {
          truncated = true
          break
        }
        keys.push(dictGetKey(d, e))
        e = dictNextEntry(d, e)
      }
      buckets.push({ index: i, keys })
    }
    const view: DictTableView = {
      table: t,
      exp: d.sizeExp[t],
      size: table.length,
      used: d.used[t],
      buckets,
      truncated,
    }
    tables.push(truncated || range ? { ...view, occupancy: occupancyOf(d, table) } : view)
  }
  return {
    ref: d.ref,
    size: dictSize(d),
    buckets: dictBuckets(d),
    rehashIdx: d.rehashIdx,
    tables,
  }
}

/** Chain length per bucket, capped at 65535. */
function occupancyOf<V>(d: Dict<V>, table: DictTable): Uint16Array {
  const out = new Uint16Array(table.length)
  for (let i = 0; i < table.length; i++) {
    let n = 0
    for (let e = table[i] as number; e !== NO_ENTRY && n < 65535; e = dictNextEntry(d, e)) n++
    out[i] = n
  }
  return out
}

/** The keyspace view of one db: both dicts. */
export function inspectKeyspace(
  srv: ServerState,
  db: RedisDb,
  limit: number,
  range?: readonly [number, number],
): KeyspaceView {
  return {
    kind: 'keyspace',
    db: db.id,
    keys: dictSize(db.dict),
    expiresCount: dictSize(db.expires),
    avgTtl: Number(db.avgTtl),
    expiresCursor: db.expiresCursor,
    lruclock: srv.lruclock,
    dict: dictView(db.dict, limit, range),
    expires: dictView(db.expires, limit, range),
  }
}

/** Finds a key's object without side effects (no rehash step, no expiry, no LRU). */
export function peekKey<V>(d: Dict<V>, key: string): V | undefined {
  for (const t of [0, 1] as const) {
    const table = d.table[t]
    if (table === null) continue
    for (let e = table[dictBucketOf(d, key, t)] as number; e !== NO_ENTRY; e = dictNextEntry(d, e))
      if (dictGetKey(d, e) === key) return dictGetVal(d, e)
  }
  return undefined
}

/** The view of one object's header and payload. */
export function objectView(o: RedisObject, key: string, limit: number): InspectView {
  const header = { type: o.type, encoding: o.encoding, refcount: o.refcount, lru: o.lru }
  if (o.type === 'string') {
    // allocations: what the string costs the allocator, as the string panel draws it
    // (int: the robj alone; embstr: robj + sdshdr8 + bytes + NUL in one block; raw: two).
    if (o.encoding === 'int')
      return { kind: 'string', key, ...header, value: o.ptr.toString(), allocations: [16] }
    const embstr = o.encoding === 'embstr'
    const sds = stringObjectSds(o)
    const plain: InspectView = {
      kind: 'string',
      key,
      ...header,
      sds: { type: sds.type, len: sds.buf.length, alloc: sds.alloc },
      allocations: embstr ? [embstrZmallocSize(sds.buf.length)] : [16, sdsZmallocSize(sds)],
      value: sds.buf.length > limit ? sds.buf.slice(0, limit) : sds.buf,
      truncated: sds.buf.length > limit,
    }
    for (const fn of stringInspectors) {
      const special = fn(sds, key)
      if (special !== null) return { ...special, header, string: plain }
    }
    return plain
  }
  const fn = inspectors.get(o.encoding)
  if (fn === undefined) return { kind: o.encoding, key, ...header, pending: true }
  const view = { ...fn(o, key, limit), header }
  for (const overlay of containerOverlays) {
    const special = overlay(o, key, limit)
    if (special !== null) return { ...special, header, [o.type]: view }
  }
  return view
}

/** The view of one key, with its TTL; null when missing (expired keys still show). */
export function inspectKey(
  _srv: ServerState,
  db: RedisDb,
  key: string,
  limit: number,
): InspectView | null {
  const o = peekKey(db.dict, key)
  if (o === undefined) return null
  const when = peekKey(db.expires, key)
  return { ...objectView(o, key, limit), db: db.id, expireAt: when ?? null }
}
