/**
 * Pure animation of one dict step: keyframes between the layout before an event and the
 * layout after it, and the frame at any t in [0, 1]. No timers: the frame clock supplies t,
 * so pause, scrub and reduced motion (t jumps to 1) all work the same way.
 */
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import type { DictLayout, EntryBox } from './dictLayout.ts'

// --- Types ---

export interface EntryFrame {
  readonly id: string
  readonly key: string
  readonly x: number
  readonly y: number
  readonly opacity: number
  /** Where the entry is going (or where it was, for one that leaves). */
  readonly table: 0 | 1
  readonly bucket: number
  /** Entries the step is about (moved, added, deleted) are highlighted. */
  readonly active: boolean
}

export interface DictKeyframes {
  readonly before: DictLayout
  readonly after: DictLayout
  readonly tracks: readonly {
    readonly id: string
    readonly key: string
    readonly from: EntryBox | null
    readonly to: EntryBox | null
  }[]
}

// --- API ---

/** Pairs every entry of the two layouts by id: moves, entries that appear and that leave. */
export function dictKeyframes(before: DictLayout, after: DictLayout): DictKeyframes {
  const from = new Map(before.entries.map((e) => [e.id, e]))
  const to = new Map(after.entries.map((e) => [e.id, e]))
  const ids = new Set([...from.keys(), ...to.keys()])
  const tracks = [...ids].map((id) => {
    const a = from.get(id) ?? null
    const b = to.get(id) ?? null
    return { id, key: (a ?? b)?.key ?? id, from: a, to: b }
  })
  return { before, after, tracks }
}

/** The entries' positions and opacity at time t (eased). */
export function dictFrameAt(kf: DictKeyframes, t: number): readonly EntryFrame[] {
  const k = easeCubicInOut(Math.max(0, Math.min(1, t)))
  return kf.tracks.map(({ id, key, from, to }) => {
    if (from !== null && to !== null) {
      const moved = from.x !== to.x || from.y !== to.y
      return {
        id,
        key,
        x: interpolateNumber(from.x, to.x)(k),
        y: interpolateNumber(from.y, to.y)(k),
        opacity: 1,
        table: to.table,
        bucket: to.bucket,
        active: moved && from.table !== to.table,
      }
    }
    if (to !== null)
      return {
        id,
        key,
        x: to.x,
        y: to.y,
        opacity: k,
        table: to.table,
        bucket: to.bucket,
        active: true,
      }
    const gone = from as EntryBox
    return {
      id,
      key,
      x: gone.x,
      y: gone.y,
      opacity: 1 - k,
      table: gone.table,
      bucket: gone.bucket,
      active: true,
    }
  })
}
