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

function withChain(
  t: DictTableModel,
  bucket: number,
  chain: readonly string[],
  usedDelta: number,
): DictTableModel {
  const chains = new Map(t.chains)
  if (chain.length === 0) chains.delete(bucket)
  else chains.set(bucket, chain)
  return { ...t, used: t.used + usedDelta, chains }
}

function setTable(m: DictModel, which: 0 | 1, t: DictTableModel | null): DictModel {
  const tables: [DictTableModel | null, DictTableModel | null] =
    which === 0 ? [t, m.tables[1]] : [m.tables[0], t]
  return { ...m, tables }
}

// --- Folding ---

/**
 * Applies one step event to the model. Events for other dicts, and events that change
 * nothing structural (lookups, scans), return the model unchanged.
 */
export function applyDictEvent(m: DictModel, e: StepEvent): DictModel {
  if (!('dict' in e) || e.dict !== m.ref) return m
  switch (e.type) {
    case 'dict/tableCreated':
      return { ...setTable(m, 0, emptyTable(e.exp)), rehashIdx: -1 }
    case 'dict/expandStarted':
    case 'dict/shrinkStarted':
      return { ...setTable(m, 1, emptyTable(e.toExp)), rehashIdx: 0 }
    case 'dict/keyAdded': {
      const t = m.tables[e.table]
      if (t === null) return m
      const chain = t.chains.get(e.bucket) ?? []
      return setTable(m, e.table, withChain(t, e.bucket, [e.key, ...chain], 1))
    }
    case 'dict/keyDeleted': {
      const t = m.tables[e.table]
      if (t === null) return m
      const chain = (t.chains.get(e.bucket) ?? []).filter((k) => k !== e.key)
      return setTable(m, e.table, withChain(t, e.bucket, chain, -1))
    }
    case 'dict/bucketRehashed': {
      let t0 = m.tables[0]
      let t1 = m.tables[1]
      if (t0 === null || t1 === null) return m
      // The chain the model holds, not the moves: at trace level "summary" keyAdded is not
      // recorded, so the model may not know every key the bucket held.
      t0 = withChain(t0, e.from, [], -(t0.chains.get(e.from)?.length ?? 0))
      // Redis moves the chain entry by entry, each to the head of its target bucket.
      for (const mv of e.moves)
        t1 = withChain(t1, mv.to, [mv.key, ...(t1.chains.get(mv.to) ?? [])], 1)
      return { ...m, rehashIdx: e.rehashIdx, tables: [t0, t1] }
    }
    case 'dict/emptyBucketsSkipped':
      return { ...m, rehashIdx: e.to }
    case 'dict/rehashCompleted':
      return { ...m, rehashIdx: -1, tables: [m.tables[1], null] }
    case 'dict/keyFound':
    case 'dict/scanned':
      return m
  }
}

/** Folds a sequence of events. */
export function foldDictEvents(m: DictModel, events: readonly StepEvent[]): DictModel {
  return events.reduce(applyDictEvent, m)
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
