/**
 * Pure binning for the dict overview: bucket chain lengths folded into a fixed number of
 * pixel columns (max and mean per column). Linear in the number of buckets, no allocation
 * per bucket, so a million buckets bin in a few milliseconds.
 */

export interface OverviewColumn {
  readonly from: number
  readonly to: number
  readonly max: number
  readonly mean: number
}

/** Bins `occ` (chain length per bucket) into `width` columns. */
export function overviewColumns(occ: Uint16Array, width: number): OverviewColumn[] {
  const cols: OverviewColumn[] = []
  const n = occ.length
  const w = Math.max(1, Math.min(width, n))
  for (let c = 0; c < w; c++) {
    const from = Math.floor((c * n) / w)
    const to = Math.floor(((c + 1) * n) / w)
    let max = 0
    let sum = 0
    for (let i = from; i < to; i++) {
      const v = occ[i] ?? 0
      sum += v
      if (v > max) max = v
    }
    cols.push({ from, to, max, mean: to > from ? sum / (to - from) : 0 })
  }
  return cols
}
