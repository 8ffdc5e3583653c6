/**
 * The dict panel's model, and how each dict event changes it.
 *
 * The engine's inspect() gives a DictView (both tables, non-empty buckets with their chains,
 * rehashidx). The panel folds the command's step events into that model one at a time, so
 * every step can be drawn from the one before. Folding the whole trace from the "before"
 * view must give the "after" view: the animation cannot lie (checked in tests).
 */
import type { DictView } from '../../engine/inspect.ts'
import type { DictRef, StepEvent } from '../../engine/events.ts'

// --- Types ---

export interface DictTableModel {
  readonly exp: number
  readonly size: number
  readonly used: number
  /** bucket index → chain keys, head first. Only non-empty buckets appear. */
  readonly chains: ReadonlyMap<number, readonly string[]>
}

export interface DictModel {
  readonly ref: DictRef
  readonly rehashIdx: number
  readonly tables: readonly [DictTableModel | null, DictTableModel | null]
}

// --- Building ---

/** Builds the panel model from the engine's view of a dict. */
export function dictModelFromView(view: DictView): DictModel {
  const tables: [DictTableModel | null, DictTableModel | null] = [null, null]
  for (const t of view.tables) {
    tables[t.table] = {
      exp: t.exp,
      size: t.size,
      used: t.used,
      chains: new Map(t.buckets.map((b) => [b.index, b.keys])),
    }
  }
  return { ref: view.ref, rehashIdx: view.rehashIdx, tables }
}

/** An empty table of 2^exp buckets. */
function emptyTable(exp: number): DictTableModel {
  return { exp, size: 2 ** exp, used: 0, chains: new Map() }
}

// --- Folding ---

/**
 * Applies one step event to the model. Events for other dicts, and events that change
 * nothing structural (lookups, scans), return the model unchanged.
 */
export function applyDictEvent(m: DictModel, e: StepEvent): DictModel {
  if (!('dict' in e) || e.dict !== m.ref) return m
  if (e.type === 'dict/keyFound' || e.type === 'dict/scanned') return m
  return foldDictEvents(m, [e])
}

/** A table being folded in place: its chains map is the fold's own copy. */
interface TableInPlace {
  exp: number
  size: number
  used: number
  chains: Map<number, readonly string[]>
}

function tableInPlace(t: DictTableModel | null): TableInPlace | null {
  return t === null ? null : { exp: t.exp, size: t.size, used: t.used, chains: new Map(t.chains) }
}

/**
 * Folds a sequence of events into a copy of the model, built in place. Event by event, each
 * added key copied the table's chains map: an SADD of 100,000 members (converted to a
 * hashtable, then every member added) froze the page for most of a second folding its
 * trace, O(n²) in the keys.
 */
export function foldDictEvents(m: DictModel, events: readonly StepEvent[]): DictModel {
  let rehashIdx = m.rehashIdx
  let t0 = tableInPlace(m.tables[0])
  let t1 = tableInPlace(m.tables[1])
  const table = (which: 0 | 1) => (which === 0 ? t0 : t1)
  for (const e of events) {
    if (!('dict' in e) || e.dict !== m.ref) continue
    switch (e.type) {
      case 'dict/tableCreated':
        t0 = tableInPlace(emptyTable(e.exp))
        rehashIdx = -1
        break
      case 'dict/expandStarted':
      case 'dict/shrinkStarted':
        t1 = tableInPlace(emptyTable(e.toExp))
        rehashIdx = 0
        break
      case 'dict/keyAdded': {
        const t = table(e.table)
        if (t === null) break
        t.chains.set(e.bucket, [e.key, ...(t.chains.get(e.bucket) ?? [])])
        t.used++
        break
      }
      case 'dict/keyDeleted': {
        const t = table(e.table)
        if (t === null) break
        const chain = (t.chains.get(e.bucket) ?? []).filter((k) => k !== e.key)
        if (chain.length === 0) t.chains.delete(e.bucket)
        else t.chains.set(e.bucket, chain)
        t.used--
        break
      }
      case 'dict/bucketRehashed': {
        // The chain the model holds, not the moves: at trace level "summary" keyAdded is not
        // recorded, so the model may not know every key the bucket held. Redis moves the
        // chain entry by entry, each to the head of its target bucket.
        if (t0 === null || t1 === null) break
        t0.used -= t0.chains.get(e.from)?.length ?? 0
        t0.chains.delete(e.from)
        for (const mv of e.moves) {
          t1.chains.set(mv.to, [mv.key, ...(t1.chains.get(mv.to) ?? [])])
          t1.used++
        }
        rehashIdx = e.rehashIdx
        break
      }
      case 'dict/emptyBucketsSkipped':
        rehashIdx = e.to
        break
      case 'dict/rehashCompleted':
        rehashIdx = -1
        t0 = t1
        t1 = null
        break
      case 'dict/keyFound':
      case 'dict/scanned':
        break
    }
  }
  return { ref: m.ref, rehashIdx, tables: [t0, t1] }
}

/** Tells whether two models describe the same dict state (for the "cannot lie" check). */
export function dictModelsEqual(a: DictModel, b: DictModel): boolean {
  if (a.ref !== b.ref || a.rehashIdx !== b.rehashIdx) return false
  for (const i of [0, 1] as const) {
    const x = a.tables[i]
    const y = b.tables[i]
    if (x === null || y === null) {
      if (x !== y) return false
      continue
    }
    if (x.size !== y.size || x.used !== y.used || x.chains.size !== y.chains.size) return false
    for (const [bucket, chain] of x.chains) {
      const other = y.chains.get(bucket)
      if (other === undefined || other.length !== chain.length) return false
      if (chain.some((k, j) => k !== other[j])) return false
    }
  }
  return true
}

/** Load factor, and the rule that will fire next (for the panel's live caption). */
export function dictLoadInfo(m: DictModel): {
  readonly used: number
  readonly size: number
  readonly load: number
  readonly next: 'expandAtNextAdd' | 'expandLater' | 'shrinkInCron' | 'rehashing' | 'none'
  readonly addsUntilExpand: number
} {
  const t0 = m.tables[0]
  const t1 = m.tables[1]
  const used = (t0?.used ?? 0) + (t1?.used ?? 0)
  const size = (t0?.size ?? 0) + (t1?.size ?? 0)
  const load = size === 0 ? 0 : used / size
  if (m.rehashIdx >= 0) return { used, size, load, next: 'rehashing', addsUntilExpand: 0 }
  if (size === 0) return { used, size, load, next: 'none', addsUntilExpand: 0 }
  const addsUntilExpand = Math.max(0, size - used)
  if (addsUntilExpand === 0)
    return { used, size, load, next: 'expandAtNextAdd', addsUntilExpand: 0 }
  if (size > 4 && (used * 100) / size < 10)
    return { used, size, load, next: 'shrinkInCron', addsUntilExpand }
  return { used, size, load, next: 'expandLater', addsUntilExpand }
}
