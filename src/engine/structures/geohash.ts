/**
 * Geohash — follows redis/src/geohash.c and geohash_helper.c (7.0.15).
 *
 * Design: a position becomes two cell numbers, each the offset of the coordinate in its
 * range scaled to 2^step cells and truncated (geohashEncode does it with one
 * multiplication; the bits are exactly those of `step` halvings of the range, 1 for the
 * upper half). The two numbers are interleaved, latitude on the even bits and longitude on
 * the odd ones, so a 52-bit geohash (step 26) is also a sort key: points in one cell of any
 * coarser step have consecutive scores. Redis's WGS84 latitude range stops at ±85.05112878
 * (Web Mercator); the standard base32 geohash (GEOHASH) re-encodes on -90..90.
 *
 * 64-bit work (a score is cast to uint64_t, whatever it holds) is done in BigInt.
 *
 * Invariants (geohashValidate): a step is 1..26, a cell number fits in `step` bits, and a
 * cell's area lies inside the ranges it was decoded from.
 */

import { libmAsin, libmCos, libmSin } from '../util/libm.ts'

export const GEO_STEP_MAX = 26
export const GEO_LAT_MIN = -85.05112878
export const GEO_LAT_MAX = 85.05112878
export const GEO_LONG_MIN = -180
export const GEO_LONG_MAX = 180
/** geohash_helper.c: the earth's radius the distances use, and the degree-radian factor. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856
export const D_R = Math.PI / 180
/** geohash_helper.c MERCATOR_MAX: half the Web Mercator world's width in metres. */
export const MERCATOR_MAX = 20037726.37

export interface GeoRange {
  readonly min: number
  readonly max: number
}

export const WGS84_LONG: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX }
export const WGS84_LAT: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX }
/** The ranges of the standard geohash (GEOHASH's re-encoding). */
export const STANDARD_LONG: GeoRange = { min: -180, max: 180 }
export const STANDARD_LAT: GeoRange = { min: -90, max: 90 }

/** A cell's bounds in degrees (GeoHashArea). */
export interface GeoArea {
  readonly lonMin: number
  readonly lonMax: number
  readonly latMin: number
  readonly latMax: number
}

/** interleave64: x's bits on the even positions, y's on the odd ones. */
export function interleave64(x: number, y: number): bigint {
  let bits = 0n
  for (let i = 31; i >= 0; i--) {
    bits = (bits << 2n) | BigInt((((y >>> i) & 1) << 1) | ((x >>> i) & 1))
  }
  return bits
}

/** deinterleave64: the even bits (low word) and the odd bits (high word), as uint32s. */
export function deinterleave64(bits: bigint): [number, number] {
  let x = 0
  let y = 0
  for (let i = 31; i >= 0; i--) {
    const pair = Number((bits >> BigInt(2 * i)) & 3n)
    x = x * 2 + (pair & 1)
    y = y * 2 + (pair >> 1)
  }
  return [x, y]
}

/** A C double → uint32_t cast of a value known to be in 0..2^32 (truncation). */
function toUint32(d: number): number {
  return Math.trunc(d) >>> 0
}

/**
 * The two cell numbers geohashEncode computes (latitude's, longitude's), or null where
 * Redis returns 0 (outside the supported coordinates or the given ranges).
 */
export function geohashCells(
  lon: GeoRange,
  lat: GeoRange,
  longitude: number,
  latitude: number,
  step: number,
): { latCell: number; lonCell: number } | null {
  if (
    longitude > GEO_LONG_MAX ||
    longitude < GEO_LONG_MIN ||
    latitude > GEO_LAT_MAX ||
    latitude < GEO_LAT_MIN
  )
    return null
  if (latitude < lat.min || latitude > lat.max || longitude < lon.min || longitude > lon.max)
    return null
  const latOffset = ((latitude - lat.min) / (lat.max - lat.min)) * 2 ** step
  const longOffset = ((longitude - lon.min) / (lon.max - lon.min)) * 2 ** step
  return { latCell: toUint32(latOffset), lonCell: toUint32(longOffset) }
}

/** geohashEncode: the interleaved bits, or null where Redis returns 0. */
export function geohashEncode(
  lon: GeoRange,
  lat: GeoRange,
  longitude: number,
  latitude: number,
  step: number,
): bigint | null {
  const c = geohashCells(lon, lat, longitude, latitude, step)
  return c === null ? null : interleave64(c.latCell, c.lonCell)
}

/**
 * (uint64_t)score as x86-64 gcc computes it: in range it truncates; negative values wrap
 * (cvttsd2si); values past the signed range come back as 2^63 or 0, like the hardware's.
 */
export function scoreToUint64(d: number): bigint {
  const TWO63 = 2 ** 63
  if (d < TWO63) {
    if (!(d > -TWO63)) return 1n << 63n
    return BigInt.asUintN(64, BigInt(Math.trunc(d)))
  }
  const y = d - TWO63
  if (!(y < TWO63)) return 0n
  return BigInt(Math.trunc(y)) ^ (1n << 63n)
}

/** geohashDecode over the WGS84 ranges: the bounds of cell `bits` at `step`. */
export function geohashDecodeArea(bits: bigint, step: number): GeoArea {
  const [ilato, ilono] = deinterleave64(bits)
  const cells = 2 ** step
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN
  const longScale = GEO_LONG_MAX - GEO_LONG_MIN
  return {
    latMin: GEO_LAT_MIN + (ilato / cells) * latScale,
    latMax: GEO_LAT_MIN + (((ilato + 1) >>> 0) / cells) * latScale,
    lonMin: GEO_LONG_MIN + (ilono / cells) * longScale,
    lonMax: GEO_LONG_MIN + (((ilono + 1) >>> 0) / cells) * longScale,
  }
}

/** decodeGeohash + geohashDecodeToLongLatWGS84: the centre of the score's cell, clamped. */
export function decodeGeohash(score: number): [number, number] {
  const a = geohashDecodeArea(scoreToUint64(score), GEO_STEP_MAX)
  const x = Math.min(GEO_LONG_MAX, Math.max(GEO_LONG_MIN, (a.lonMin + a.lonMax) / 2))
  const y = Math.min(GEO_LAT_MAX, Math.max(GEO_LAT_MIN, (a.latMin + a.latMax) / 2))
  return [x, y]
}

/** geohashGetDistance: haversine on a sphere of EARTH_RADIUS_IN_METERS. */
export function geohashGetDistance(
  lon1d: number,
  lat1d: number,
  lon2d: number,
  lat2d: number,
): number {
  const lon1r = lon1d * D_R
  const lon2r = lon2d * D_R
  const v = libmSin((lon2r - lon1r) / 2)
  if (v === 0) return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R)
  const lat1r = lat1d * D_R
  const lat2r = lat2d * D_R
  const u = libmSin((lat2r - lat1r) / 2)
  const a = u * u + libmCos(lat1r) * libmCos(lat2r) * v * v
  return 2.0 * EARTH_RADIUS_IN_METERS * libmAsin(Math.sqrt(a))
}

/**
 * geohashEstimateStepsByRadius: double the radius until it passes MERCATOR_MAX, counting
 * steps; two fewer, and one or two fewer again near the poles, clamped to 1..26.
 */
export function geohashEstimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26
  let step = 1
  let r = rangeMeters
  while (r < MERCATOR_MAX) {
    r *= 2
    step++
  }
  step -= 2
  if (lat > 66 || lat < -66) {
    step--
    if (lat > 80 || lat < -80) step--
  }
  return Math.min(26, Math.max(1, step))
}

const EVEN = 0x5555555555555555n
const ODD = 0xaaaaaaaaaaaaaaaan
const U64 = (v: bigint): bigint => BigInt.asUintN(64, v)

/** geohash_move_x / geohash_move_y on a (bits, step) cell: dx, dy in -1..1. */
export function geohashMove(bits: bigint, step: number, dx: number, dy: number): bigint {
  let x = bits & ODD
  let y = bits & EVEN
  const shift = BigInt(64 - step * 2)
  if (dx !== 0) {
    const zz = EVEN >> shift
    if (dx > 0) x = U64(x + (zz + 1n))
    else x = U64((x | zz) - (zz + 1n))
    x &= ODD >> shift
  }
  if (dy !== 0) {
    const zz = ODD >> shift
    if (dy > 0) y = U64(y + (zz + 1n))
    else y = U64((y | zz) - (zz + 1n))
    y &= EVEN >> shift
  }
  return x | y
}

/**
 * The nine cells membersOfAllNeighbors walks, in its order, as (dx, dy) moves from the
 * centre cell: centre, N, S, E, W, NE, NW, SE, SW.
 */
export const NEIGHBOUR_MOVES: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, -1],
  [1, 0],
  [-1, 0],
  [1, 1],
  [-1, 1],
  [1, -1],
  [-1, -1],
]

/** geohashNeighbors: the centre cell and its 8 neighbours, in NEIGHBOUR_MOVES order. */
export function geohashNeighbors(hash: bigint, step: number): bigint[] {
  return NEIGHBOUR_MOVES.map(([dx, dy]) =>
    dx === 0 && dy === 0 ? hash : geohashMove(hash, step, dx, dy),
  )
}

/**
 * The cell of a geohash score at a coarser step (0..26): its latitude and longitude cell
 * numbers, in plain numbers (no BigInt: the inspector counts big sets with it). The score
 * must be an integer in [0, 2^54); a cell number past the last cell (a coordinate at the
 * top of its range: cell 2^26) counts as the last one.
 */
export function geohashCellAtStep(
  score: number,
  step: number,
): { latCell: number; lonCell: number } {
  let prefix = Math.floor(score / 2 ** (2 * (GEO_STEP_MAX - step)))
  let latCell = 0
  let lonCell = 0
  for (let i = 0; i <= step; i++) {
    const pair = prefix % 4
    prefix = Math.floor(prefix / 4)
    latCell += (pair & 1) * 2 ** i
    lonCell += (pair >> 1) * 2 ** i
  }
  const last = 2 ** step - 1
  return { latCell: Math.min(latCell, last), lonCell: Math.min(lonCell, last) }
}

/** Broken invariants of a cell (bits, step) decoded over the WGS84 ranges: [] when sound. */
export function geohashValidate(bits: bigint, step: number): string[] {
  const errors: string[] = []
  if (!Number.isInteger(step) || step < 1 || step > GEO_STEP_MAX)
    errors.push(`step ${String(step)} outside 1..26`)
  if (bits < 0n || bits >= 1n << BigInt(2 * step))
    errors.push(`bits ${bits.toString()} do not fit ${String(2 * step)} bits`)
  const a = geohashDecodeArea(bits, step)
  if (a.lonMin < GEO_LONG_MIN || a.lonMax > GEO_LONG_MAX || a.lonMin >= a.lonMax)
    errors.push('longitude bounds outside -180..180')
  if (a.latMin < GEO_LAT_MIN - 1e-9 || a.latMax > GEO_LAT_MAX + 1e-9 || a.latMin >= a.latMax)
    errors.push('latitude bounds outside the WGS84 range')
  return errors
}
