/**
 * The eviction panel's model and layout (pure). With maxmemory set, every command first
 * calls performEvictions: while used memory is over the limit it picks a victim and deletes
 * it. The LRU, LFU and volatile-ttl policies sample maxmemory-samples keys from each db,
 * score them (idle time, 255 − frequency, or how soon they expire) and keep the best in a
 * 16-slot pool sorted by score (worst on the left, best on the right); the victim is the
 * rightmost. The random policies pick a random key. With noeviction, or nothing left to
 * evict, a command that may grow memory is rejected with an OOM error.
 */
import type { EvictionCandidate, MaxmemoryPolicy, StepEvent } from '../../engine/events.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'

export interface Victim extends EvictionCandidate {
  readonly freed: number
}

export interface EvictionModel {
  readonly policy: MaxmemoryPolicy | null
  /** The last sample, in sampling order. */
  readonly sampled: readonly EvictionCandidate[]
  readonly sampledDb: number | null
  /** Occupied pool slots, left (worst) to right (best). */
  readonly pool: readonly EvictionCandidate[]
  readonly victims: readonly Victim[]
  readonly freed: number
  readonly oom: { readonly used: number; readonly maxmemory: number } | null
  /** How many times eviction ran out of time (each pass of the time proc may). */
  readonly outOfTime: number
}

/** Size of Redis's eviction pool (EVPOOL_SIZE). */
export const EVPOOL_SIZE = 16

export const EMPTY_EVICTION: EvictionModel = {
  policy: null,
  sampled: [],
  sampledDb: null,
  pool: [],
  victims: [],
  freed: 0,
  oom: null,
  outOfTime: 0,
}

/** Whether an event belongs to the eviction panel. */
export function isEvictionStep(e: StepEvent): boolean {
  return e.type.startsWith('evict/') || e.type.startsWith('memory/')
}

/** Applies one event. */
export function applyEvictionEvent(m: EvictionModel, e: StepEvent): EvictionModel {
  switch (e.type) {
    case 'evict/keysSampled':
      return { ...m, policy: e.policy, sampled: e.sampled, sampledDb: e.db }
    case 'evict/poolUpdated':
      return { ...m, pool: e.pool }
    case 'evict/keyPicked': {
      // The victim's slot is emptied, and so are slots right of it (ghosts: keys deleted
      // since they were sampled, which performEvictions skipped).
      // A key can sit in the pool twice (sampled twice); the rightmost copy is the one taken.
      let at = m.pool.length - 1
      while (at >= 0 && !(m.pool[at]?.key === e.key && m.pool[at]?.db === e.db)) at--
      const pool = at < 0 ? m.pool : m.pool.slice(0, at)
      return {
        ...m,
        pool,
        victims: [...m.victims, { db: e.db, key: e.key, score: e.score, freed: e.freed }],
        freed: m.freed + e.freed,
      }
    }
    case 'memory/oomRejected':
      return { ...m, oom: { used: e.used, maxmemory: e.maxmemory } }
    case 'evict/timeLimitReached':
      return { ...m, outOfTime: m.outOfTime + 1 }
    default:
      return m
  }
}

// --- Layout ---

export const EV_SLOT_W = 34
export const EV_SLOT_H = 34
export const EV_GAP = 2
export const EV_BAR_W = 300

export interface EvSlot {
  readonly id: string
  readonly index: number
  readonly x: number
  readonly candidate: EvictionCandidate | null
  /** The rightmost occupied slot: the next victim. */
  readonly best: boolean
}

/** The 16 pool slots, occupied ones from the left, best (rightmost occupied) marked. */
export function layoutPool(m: EvictionModel): EvSlot[] {
  const slots: EvSlot[] = []
  for (let i = 0; i < EVPOOL_SIZE; i++) {
    const c = m.pool[i] ?? null
    slots.push({
      id: `evslot:${String(i)}`,
      index: i,
      x: i * (EV_SLOT_W + EV_GAP),
      candidate: c,
      best: c !== null && i === Math.min(m.pool.length, EVPOOL_SIZE) - 1,
    })
  }
  return slots
}

/** Character cells a pool slot's label holds (a wide CJK character takes two). */
const EV_LABEL_CHARS = 5

/**
 * Cells a label's natural width stays inside its slot in: five cells of the panels' 11 px
 * monospace are ~33 px from x = 3, on the right border of a 34 px slot.
 */
const EV_LABEL_FITS = 4

/** Cells a character takes in monospace: two for East Asian wide and full-width ones. */
function cells(ch: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(
    ch,
  )
    ? 2
    : 1
}

/**
 * The length (SVG textLength, px) a slot's label is drawn in when its natural width would
 * reach the slot's border ("11000", the idle ms of keys idle 11 s, ran 2 px past it);
 * undefined when it fits as it is.
 */
export function slotTextLength(label: string): number | undefined {
  let n = 0
  for (const ch of label) n += cells(ch)
  return n > EV_LABEL_FITS ? EV_SLOT_W - 6 : undefined
}

/** `chars` cut to at most EV_LABEL_CHARS cells, with '…' where it was cut. */
function cutToSlot(chars: readonly string[]): string {
  let n = 0
  for (const ch of chars) n += cells(ch)
  if (n <= EV_LABEL_CHARS) return chars.join('')
  let out = ''
  n = 1 // the ellipsis
  for (const ch of chars) {
    if (n + cells(ch) > EV_LABEL_CHARS) break
    out += ch
    n += cells(ch)
  }
  return `${out}…`
}

/**
 * The slots' labels: each key as text without the prefix every occupied slot shares (up to
 * and including a separator such as ':'), cut to what a slot holds. Sampled keys often share a long prefix ("key:2340", "key:27535" from
 * DEBUG POPULATE, "session:…"), and cut from the left every slot read the same "key:…".
 */
export function poolLabels(slots: readonly EvSlot[]): {
  readonly prefix: string
  readonly labels: readonly string[]
} {
  const keys = slots.flatMap((s) => (s.candidate ? [Array.from(bytesToUtf8(s.candidate.key))] : []))
  let n = 0
  const first = keys[0] ?? []
  if (keys.length > 1)
    while (n < first.length - 1 && keys.every((k) => k.length > n + 1 && k[n] === first[n])) n++
  // Up to a separator: "key:2340" and "key:27535" share "key:2", but the 2 is their number.
  while (n > 0 && !/[^\p{L}\p{N}]/u.test(first[n - 1] ?? '')) n--
  const cut = n >= 2 ? n : 0
  const prefix = first.slice(0, cut).join('')
  const labels = slots.map((s) => {
    if (!s.candidate) return ''
    return cutToSlot(Array.from(bytesToUtf8(s.candidate.key)).slice(cut))
  })
  return { prefix, labels }
}

/**
 * A pool slot's score as it fits the slot (EV_LABEL_CHARS): as it is when short (LRU idle
 * ms, 255 − LFU counter), else in powers of ten ("9e15": volatile-ttl scores are
 * ULLONG_MAX minus the expire time, 16 digits or more). The slot's tooltip has the full value.
 */
export function poolScoreLabel(score: number): string {
  const plain = String(score)
  if (plain.length <= EV_LABEL_CHARS) return plain
  return score.toExponential(0).replace('e+', 'e')
}

/**
 * The memory bar: used and the limit on one scale (the larger of the two fills `width`).
 * Returns pixel widths of the used part and the x of the maxmemory line.
 */
export function layoutMemoryBar(
  used: number,
  maxmemory: number,
  width = EV_BAR_W,
): { readonly used: number; readonly limit: number; readonly over: boolean } {
  const top = Math.max(used, maxmemory, 1)
  return {
    used: Math.round((used / top) * width),
    limit: Math.round((maxmemory / top) * width),
    over: used > maxmemory,
  }
}
