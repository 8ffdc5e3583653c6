/**
 * Pure layout of the dict panel: where each table, bucket, entry and the rehashidx marker
 * go, in abstract units of a given box. No DOM; d3-scale only. Keys are stable semantic ids
 * (`bucket:<table>:<index>`, `entry:<key>`), so the renderer moves the same element rather
 * than replacing it.
 *
 * Past DETAIL_LIMIT drawn elements the detailed view would be too heavy for SVG; the panel
 * then switches to the overview (canvas, bucket occupancy) and the user zooms into a bucket
 * range, which is laid out here again with `range`.
 */
import { scaleBand } from 'd3-scale'
import type { DictModel } from './dictModel.ts'

// --- Types ---

export interface Box {
  readonly width: number
  readonly height: number
}

export interface BucketSlot {
  readonly id: string
  readonly table: 0 | 1
  readonly index: number
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly chainLen: number
  /** Table 0 buckets below rehashidx are known empty (already moved). */
  readonly done: boolean
}

export interface EntryBox {
  readonly id: string
  readonly key: string
  readonly table: 0 | 1
  readonly bucket: number
  readonly pos: number
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export interface DictLayout {
  readonly tables: readonly {
    readonly table: 0 | 1
    readonly x: number
    readonly size: number
    readonly used: number
  }[]
  readonly buckets: readonly BucketSlot[]
  readonly entries: readonly EntryBox[]
  /** y of the rehashidx marker beside table 0, or null when not rehashing. */
  readonly rehashY: number | null
  readonly height: number
  /** Buckets shown: [from, to) of each table (the zoom range). */
  readonly range: readonly [number, number]
}

// --- Constants ---

/** Max drawn elements (buckets + entries) for the detailed SVG view. */
export const DETAIL_LIMIT = 1500
export const ROW_H = 26
export const SLOT_W = 44
export const ENTRY_W = 64
export const ENTRY_GAP = 10
const HEADER_H = 28
/** Chain entries drawn per bucket before a "+n" marker. */
export const MAX_CHAIN_SHOWN = 6

// --- API ---

/** Counts the elements a detailed view of the given range would draw. */
export function detailCost(m: DictModel, range?: readonly [number, number]): number {
  let n = 0
  for (const t of m.tables) {
    if (t === null) continue
    const [from, to] = clampRange(t.size, range)
    n += to - from
    for (const [i, chain] of t.chains)
      if (i >= from && i < to) n += Math.min(chain.length, MAX_CHAIN_SHOWN)
  }
  return n
}

/** Tells whether the model fits the detailed view (else the overview is shown). */
export function fitsDetail(m: DictModel, range?: readonly [number, number]): boolean {
  return detailCost(m, range) <= DETAIL_LIMIT
}

/**
 * Lays out both tables side by side: table 0 on the left, table 1 (while rehashing) on the
 * right; each bucket a slot, each chain a row of entries, head first.
 */
export function layoutDict(m: DictModel, box: Box, range?: readonly [number, number]): DictLayout {
  const present = ([0, 1] as const).filter((t) => m.tables[t] !== null)
  const columns = scaleBand<number>()
    .domain(present.map(String).map(Number))
    .range([0, box.width])
    .paddingInner(0.06)
  const buckets: BucketSlot[] = []
  const entries: EntryBox[] = []
  let maxRows = 0
  const tables: { table: 0 | 1; x: number; size: number; used: number }[] = []
  let shown: [number, number] = [0, 0]
  for (const t of present) {
    const table = m.tables[t]
    if (table === null) continue
    const x = Math.max(0, Math.round(columns(t) ?? 0))
    tables.push({ table: t, x, size: table.size, used: table.used })
    const [from, to] = clampRange(table.size, range)
    if (t === 0) shown = [from, to]
    maxRows = Math.max(maxRows, to - from)
    for (let i = from; i < to; i++) {
      const y = HEADER_H + (i - from) * ROW_H
      const chain = table.chains.get(i) ?? []
      buckets.push({
        id: `bucket:${t}:${i}`,
        table: t,
        index: i,
        x,
        y,
        w: SLOT_W,
        h: ROW_H - 4,
        chainLen: chain.length,
        done: t === 0 && m.rehashIdx >= 0 && i < m.rehashIdx,
      })
      chain.slice(0, MAX_CHAIN_SHOWN).forEach((key, pos) => {
        entries.push({
          id: `entry:${key}`,
          key,
          table: t,
          bucket: i,
          pos,
          x: x + SLOT_W + ENTRY_GAP + pos * (ENTRY_W + ENTRY_GAP),
          y,
          w: ENTRY_W,
          h: ROW_H - 4,
        })
      })
    }
  }
  const rehashY =
    m.rehashIdx >= 0 && m.rehashIdx >= shown[0] && m.rehashIdx < shown[1]
      ? HEADER_H + (m.rehashIdx - shown[0]) * ROW_H
      : null
  return { tables, buckets, entries, rehashY, height: HEADER_H + maxRows * ROW_H, range: shown }
}

/** Bucket occupancy for the overview: chain length per bucket of one table. */
export function occupancy(m: DictModel, table: 0 | 1): Uint16Array {
  const t = m.tables[table]
  if (t === null) return new Uint16Array(0)
  const out = new Uint16Array(t.size)
  for (const [i, chain] of t.chains) out[i] = Math.min(chain.length, 65535)
  return out
}

function clampRange(size: number, range?: readonly [number, number]): [number, number] {
  if (range === undefined) return [0, size]
  const from = Math.max(0, Math.min(size, range[0]))
  return [from, Math.max(from, Math.min(size, range[1]))]
}
