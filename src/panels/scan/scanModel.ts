/**
 * Pure model of a SCAN in progress: why the reverse-binary cursor misses nothing.
 *
 * Teacher's note. dictScan visits bucket `v & mask`, then advances the cursor by setting the
 * bits above the mask, reversing the word, adding one and reversing back: it counts upward in
 * the *high* bits of the bucket index. For 8 buckets the order is 0 4 2 6 1 5 3 7. A bucket b
 * has been visited exactly when rev(b) < rev(cursor) (bits reversed within the table's
 * width). When the table grows from 2^n to 2^m buckets, bucket b splits into the buckets
 * whose low n bits equal b, and those are exactly the ones with rev below the same cursor, so
 * nothing is skipped and nothing is visited again. When it shrinks, buckets merge, and keys
 * of a merged bucket can come back a second time, but never go missing.
 */
import type { StepEvent } from '../../engine/events.ts'

// --- Types ---

export type BucketState = 'visited' | 'next' | 'pending'

/** One dictScan call as the engine reported it. */
export interface ScanCall {
  readonly dict: string
  readonly cursor: number
  readonly next: number
  readonly buckets: readonly { readonly table: 0 | 1; readonly bucket: number }[]
  readonly keys: readonly string[]
  readonly sizes: readonly [number, number]
}

/** A whole scan, from cursor 0 to cursor 0 (or still running). */
export interface ScanSession {
  readonly dict: string
  readonly calls: readonly ScanCall[]
  readonly complete: boolean
  /** Keys returned more than once so far (possible after a shrink). */
  readonly duplicates: readonly string[]
  /** Table sizes seen during the scan, in order, without repeats (a resize shows as two). */
  readonly sizesSeen: readonly number[]
}

// --- Bits ---

/** Reverses the low `bits` bits of v. */
export function revBits(v: number, bits: number): number {
  let r = 0
  for (let i = 0; i < bits; i++) r = (r << 1) | ((v >>> i) & 1)
  return r >>> 0
}

/** log2 of a power of two. */
export function log2(size: number): number {
  return Math.round(Math.log2(size))
}

/** The order dictScan visits the buckets of a table of `size` buckets. */
export function scanOrder(size: number): number[] {
  const bits = log2(size)
  const order = new Array<number>(size)
  for (let i = 0; i < size; i++) order[i] = revBits(i, bits)
  return order
}

/** The next cursor after visiting `v` in a table of `size` buckets (dictScan's step). */
export function nextCursor(v: number, size: number): number {
  const bits = log2(size)
  const r = revBits(v & (size - 1), bits) + 1
  return r >= size ? 0 : revBits(r, bits)
}

/**
 * Classifies every bucket of a table of `size` buckets for a scan whose next cursor is
 * `cursor`: visited (rev(b) < rev(cursor)), the next one, or still pending. A finished scan
 * (`complete`) has visited everything.
 */
export function bucketStates(cursor: number, size: number, complete: boolean): BucketState[] {
  const bits = log2(size)
  const rc = revBits(cursor & (size - 1), bits)
  const out = new Array<BucketState>(size)
  for (let b = 0; b < size; b++) {
    if (complete) out[b] = 'visited'
    else {
      const rb = revBits(b, bits)
      out[b] = rb < rc ? 'visited' : rb === rc ? 'next' : 'pending'
    }
  }
  return out
}

// --- Sessions ---

/** Collects the dictScan calls in a list of events (one command's, or many). */
export function scanCalls(events: readonly StepEvent[]): ScanCall[] {
  const out: ScanCall[] = []
  for (const e of events) if (e.type === 'dict/scanned') out.push(e)
  return out
}

/**
 * Groups calls into the scan sessions they form: a session starts at cursor 0 and ends when
 * a call returns 0. Returns the sessions in order (the last one may be unfinished).
 */
export function scanSessions(calls: readonly ScanCall[]): ScanSession[] {
  const sessions: ScanCall[][] = []
  for (const c of calls) {
    const last = sessions[sessions.length - 1]
    const open = last !== undefined && last.length > 0 && (last[last.length - 1]?.next ?? 0) !== 0
    if (open && last[0]?.dict === c.dict && c.cursor !== 0) last.push(c)
    else sessions.push([c])
  }
  return sessions.map((cs) => {
    const seen = new Map<string, number>()
    for (const c of cs) for (const k of c.keys) seen.set(k, (seen.get(k) ?? 0) + 1)
    const sizesSeen: number[] = []
    for (const c of cs) {
      const size = Math.max(c.sizes[0], c.sizes[1])
      if (sizesSeen[sizesSeen.length - 1] !== size) sizesSeen.push(size)
    }
    return {
      dict: cs[0]?.dict ?? '',
      calls: cs,
      complete: (cs[cs.length - 1]?.next ?? 1) === 0,
      duplicates: [...seen].filter(([, n]) => n > 1).map(([k]) => k),
      sizesSeen,
    }
  })
}
