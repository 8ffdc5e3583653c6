/**
 * The inspect() view of a geo set: a sorted set whose scores are 52-bit geohashes. Redis
 * does not mark a geo set (GEOADD is ZADD with computed scores), so any zset whose scores
 * are all integers in [0, 2^54) (see GEO_SCORE_END), at least one of them past 2^32 (small ranks and counters
 * are not positions), is shown as one. Its view replaces the zset's, which it carries as
 * `zset`: the panel keeps the listpack / skiplist view as a tab.
 *
 * The view lists the first `limit` points in zset order with the positions GEOPOS would
 * answer (the centres of their cells); past `limit` it also counts every point per geohash
 * cell of step DENSITY_STEP (a 64 × 64 grid over the WGS84 ranges), read from the score's
 * top bits without decoding, for the panel's density map.
 */
import { registerContainerOverlay } from './inspect.ts'
import { decodeGeohash, geohashCellAtStep } from './structures/geohash.ts'
import { zsetEntries, type ZsetObject } from './types/t_zset.ts'
import { keepingErrno } from './util/errno.ts'

export interface GeoPointView {
  readonly member: string
  readonly score: number
  readonly longitude: number
  readonly latitude: number
}

export interface GeoView {
  readonly kind: 'geo'
  readonly key: string
  readonly size: number
  /** The first `limit` points in zset (score) order. */
  readonly points: readonly GeoPointView[]
  readonly truncated: boolean
  /**
   * When truncated: points per cell of step `step`, row latCell × 2^step + lonCell (row 0
   * the southernmost); null otherwise.
   */
  readonly density: { readonly step: number; readonly counts: Uint32Array } | null
}

/** The geohash step the density map counts at: 64 × 64 cells. */
export const DENSITY_STEP = 6
/**
 * Scores reach past 2^52 at the ranges' upper edges: a coordinate that rounds to the top
 * of its range gets cell 2^26, one bit more (GEOADD 180 0 stores 10133099161583616, as in
 * Redis), so geohash scores are the integers below 2^54.
 */
const GEO_SCORE_END = 2 ** 54
const TWO32 = 2 ** 32

/** Whether one score can be a geohash (an integer in [0, 2^54)). */
function isGeohashScore(s: number): boolean {
  return Number.isInteger(s) && s >= 0 && s < GEO_SCORE_END
}

/** Whether a zset's scores are all geohashes (see the design comment). */
export function looksLikeGeoSet(entries: readonly (readonly [string, number])[]): boolean {
  if (entries.length === 0) return false
  let high = false
  for (const [, s] of entries) {
    if (!isGeohashScore(s)) return false
    if (s >= TWO32) high = true
  }
  return high
}

/**
 * Calls fn on each (member, score) in zset order until it returns false, without building
 * the entry list of a big skiplist (inspect() runs on every key a command touches).
 */
function forEachZsetEntry(zobj: ZsetObject, fn: (member: string, score: number) => boolean): void {
  if (zobj.encoding === 'listpack') {
    // Reading scores back may set errno (zzlStrtod); Redis makes no such walk.
    for (const [m, sc] of keepingErrno(() => zsetEntries(zobj))) if (!fn(m, sc)) return
    return
  }
  for (
    let x = zobj.ptr.zsl.header.level[0]?.forward ?? null;
    x !== null;
    x = x.level[0]?.forward ?? null
  )
    if (!fn(x.ele ?? '', x.score)) return
}

/** The geo view of a zset, or null when its scores are not geohashes. */
export function geoView(zobj: ZsetObject, key: string, limit: number): GeoView | null {
  // One pass that stops at the first score that is not a geohash (most zsets: at once).
  let size = 0
  let geo = true
  let high = false
  const points: GeoPointView[] = []
  forEachZsetEntry(zobj, (member, score) => {
    if (!isGeohashScore(score)) return (geo = false)
    if (score >= TWO32) high = true
    if (size < limit) {
      const [longitude, latitude] = decodeGeohash(score)
      points.push({ member, score, longitude, latitude })
    }
    size++
    return true
  })
  if (!geo || !high) return null
  const truncated = size > limit
  let density: GeoView['density'] = null
  if (truncated) {
    const side = 2 ** DENSITY_STEP
    const counts = new Uint32Array(side * side)
    forEachZsetEntry(zobj, (_m, score) => {
      const { latCell, lonCell } = geohashCellAtStep(score, DENSITY_STEP)
      const i = latCell * side + lonCell
      counts[i] = (counts[i] ?? 0) + 1
      return true
    })
    density = { step: DENSITY_STEP, counts }
  }
  return { kind: 'geo', key, size, points, truncated, density }
}

registerContainerOverlay((o, key, limit) => {
  if (o.type !== 'zset') return null
  const v = geoView(o as ZsetObject, key, limit)
  return v === null ? null : { ...v }
})
