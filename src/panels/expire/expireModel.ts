/**
 * The expiry panel's model and layout (pure). Keys with a TTL live in the db's `expires`
 * dict (key → unix ms). Redis removes them two ways:
 *  - lazily: a command that touches an expired key deletes it first (expireIfNeeded);
 *  - actively: serverCron's activeExpireCycle walks the expires dict from a persistent
 *    cursor (db.expires_cursor), a bucket at a time, sampling up to 20 keys per loop and
 *    deleting the expired ones; it repeats while more than 10 % of the sample had expired
 *    and stops at its time limit.
 *
 * The model keeps what the events can tell: the keys in the expires dict, the cursor, and
 * the last sampling loop, the keys expired so far in the item and the cycle's summary.
 */
import type { StepEvent, StepEventOf } from '../../engine/events.ts'
import type { KeyspaceView } from '../../engine/inspect.ts'

export interface SampleLoop {
  readonly buckets: readonly number[]
  readonly sampled: readonly string[]
  readonly expired: readonly string[]
}

export interface ExpireModel {
  readonly db: number
  /** Keys in the expires dict, sorted (as far as the view lists them). */
  readonly keys: readonly string[]
  readonly cursor: number
  /** Bucket count of the expires dict's table 0 (0 when it has none). */
  readonly size: number
  readonly lastLoop: SampleLoop | null
  /** Loops of the cycle under way (since the last expire/cycleRan). */
  readonly loops: number
  /** Loops of the last finished cycle (`cycle`): a tick runs several cycles. */
  readonly cycleLoops: number
  readonly expiredActively: readonly string[]
  readonly expiredLazily: readonly { readonly key: string; readonly lateMs: number }[]
  readonly cycle: StepEventOf<'expire/cycleRan'> | null
  /**
   * The item's last cycle so far that ran out of time (timelimit_exit): a tick's later cycles
   * finish the work and end "done", and the one that stopped must stay in sight.
   */
  readonly timeLimited: StepEventOf<'expire/cycleRan'> | null
}

/** All keys listed in the expires dict's view (both tables while rehashing), sorted. */
export function expiresKeysOf(v: KeyspaceView): string[] {
  const keys: string[] = []
  for (const t of v.expires.tables) for (const b of t.buckets) keys.push(...b.keys)
  return keys.sort()
}

/** Builds the model from the keyspace view. */
export function expireModelFromView(v: KeyspaceView): ExpireModel {
  return {
    db: v.db,
    keys: expiresKeysOf(v),
    cursor: v.expiresCursor,
    size: v.expires.tables[0]?.size ?? 0,
    lastLoop: null,
    loops: 0,
    cycleLoops: 0,
    expiredActively: [],
    expiredLazily: [],
    cycle: null,
    timeLimited: null,
  }
}

function without(keys: readonly string[], key: string): readonly string[] {
  return keys.includes(key) ? keys.filter((k) => k !== key) : keys
}

/** Applies one event of this db; the dict's own key events keep the key set exact. */
export function applyExpireEvent(m: ExpireModel, e: StepEvent): ExpireModel {
  const expires = `db:${String(m.db)}:expires`
  switch (e.type) {
    case 'expire/keyExpiredActively':
      if (e.db !== m.db) return m
      return {
        ...m,
        keys: without(m.keys, e.key),
        expiredActively: [...m.expiredActively, e.key],
      }
    case 'expire/keyExpiredLazily':
      if (e.db !== m.db) return m
      return {
        ...m,
        keys: without(m.keys, e.key),
        expiredLazily: [...m.expiredLazily, { key: e.key, lateMs: e.now - e.when }],
      }
    case 'expire/bucketsSampled':
      if (e.db !== m.db) return m
      return {
        ...m,
        cursor: e.cursor,
        loops: m.loops + 1,
        lastLoop: { buckets: e.buckets, sampled: e.sampled, expired: e.expired },
      }
    case 'expire/cycleRan':
      return {
        ...m,
        cycle: e,
        cycleLoops: m.loops,
        loops: 0,
        timeLimited: e.stopReason === 'timeLimit' ? e : m.timeLimited,
      }
    case 'dict/keyAdded':
      if (e.dict !== expires || m.keys.includes(e.key)) return m
      return { ...m, keys: [...m.keys, e.key].sort() }
    case 'dict/keyDeleted':
      return e.dict === expires ? { ...m, keys: without(m.keys, e.key) } : m
    case 'dict/tableCreated':
      return e.dict === expires && m.size === 0 ? { ...m, size: 2 ** e.exp } : m
    case 'dict/rehashCompleted':
      return e.dict === expires ? { ...m, size: 2 ** e.exp } : m
    default:
      return m
  }
}

/** Whether an event belongs to the expiry panel. */
export function isExpireStep(e: StepEvent): boolean {
  return e.type.startsWith('expire/')
}

/**
 * Whether an item's events give the expiry panel something to show: a key expired, a loop
 * sampled, or a cycle that sampled keys or ran out of time. Not a tick whose cycles found no
 * key with a TTL (they all report "0 sampled"), which would push the panel the item is about
 * (the keyspace dict shrinking in the same cron run) below an empty expiry panel.
 */
export function expireDidSomething(events: readonly StepEvent[]): boolean {
  return events.some(
    (e) =>
      isExpireStep(e) &&
      !(e.type === 'expire/cycleRan' && e.sampled === 0 && e.stopReason !== 'timeLimit'),
  )
}

// --- Layout: a strip of the expires table's buckets around the cursor ---

/**
 * A bucket's cell: wide enough for a three-digit index at the 11 units of every diagram's
 * labels (8 units came out 12 px on a projector, under its 16 px floor), as tall as before.
 */
export const EX_CELL = 26
export const EX_CELL_H = 18
export const EX_MAX_CELLS = 32

export interface ExCell {
  readonly id: string
  readonly index: number
  readonly x: number
  readonly sampled: boolean
  readonly cursor: boolean
}

/**
 * The buckets drawn: all of them when the table has at most EX_MAX_CELLS, else a window of
 * EX_MAX_CELLS starting a quarter-window before the cursor (masked to the table).
 */
export function layoutExpireStrip(m: ExpireModel): ExCell[] {
  const size = m.size
  if (size <= 0) return []
  const n = Math.min(size, EX_MAX_CELLS)
  const cur = m.cursor % size
  const first = size <= EX_MAX_CELLS ? 0 : (cur - Math.floor(n / 4) + size) % size
  const sampled = new Set((m.lastLoop?.buckets ?? []).map((b) => b % size))
  const cells: ExCell[] = []
  for (let i = 0; i < n; i++) {
    const index = (first + i) % size
    cells.push({
      id: `exbucket:${String(index)}`,
      index,
      x: i * EX_CELL,
      sampled: sampled.has(index),
      cursor: index === cur,
    })
  }
  return cells
}
