/**
 * The geo panel's model and layout (pure). A geo set is a sorted set whose scores are 52-bit
 * geohashes: the longitude's and latitude's 26-bit cell numbers (each bit one halving of the
 * range) interleaved, longitude bit first. The model is the set's points in zset order; it
 * folds geo/memberEncoded (GEOADD) and geo/resultsStored (GEOSEARCHSTORE) onto the view
 * before the command (applyGeoEvent) and equals the engine's view after it.
 *
 * A search is not state: searchAt(events, k) rebuilds what the first k geo events of a
 * command showed (the plan with its nine cells, the cells walked so far, each candidate
 * kept or dropped with its distance, the sort and cut), and focusAt finds the member whose
 * encoding or decoding the bit view shows.
 */
import { scaleLinear } from 'd3-scale'
import type { GeoDirection, StepEvent, StepEventOf } from '../../engine/events.ts'
import type { GeoPointView, GeoView } from '../../engine/inspectGeo.ts'

/** The view without its kind and nested zset view: what the fold tracks. */
export interface GeoModel {
  readonly key: string
  readonly size: number
  readonly points: readonly GeoPointView[]
  readonly truncated: boolean
  readonly density: GeoView['density']
}

export const LAT_MIN = -85.05112878
export const LAT_MAX = 85.05112878
export const STEP_MAX = 26

/** Builds the model from the engine's view. */
export function geoModelFromView(v: GeoView): GeoModel {
  return {
    key: v.key,
    size: v.size,
    points: v.points,
    truncated: v.truncated,
    density: v.density,
  }
}

/** An empty geo set, as GEOADD finds a missing key. */
export function emptyGeoModel(key: string): GeoModel {
  return { key, size: 0, points: [], truncated: false, density: null }
}

/** zset order: by score, then by member bytes (memcmp; members are byte strings). */
function byScore(a: GeoPointView, b: GeoPointView): number {
  if (a.score !== b.score) return a.score - b.score
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0
}

/** Applies one event to the model (other keys and events leave it as is). */
export function applyGeoEvent(m: GeoModel, e: StepEvent): GeoModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'geo/memberEncoded': {
      if (e.outcome === 'skipped' || e.outcome === 'unchanged') return m
      const size = m.size + (e.outcome === 'added' ? 1 : 0)
      // A truncated list is only a window: the after-view settles it.
      if (m.truncated) return { ...m, size }
      const point: GeoPointView = {
        member: e.member,
        score: e.score,
        longitude: e.decoded[0],
        latitude: e.decoded[1],
      }
      const points = m.points.filter((p) => p.member !== e.member)
      points.push(point)
      points.sort(byScore)
      return { ...m, size, points }
    }
    case 'geo/resultsStored': {
      if (e.storedist) return m
      const points = e.members.map((p) => ({ ...p })).sort(byScore)
      return { key: m.key, size: points.length, points, truncated: false, density: null }
    }
    default:
      return m
  }
}

// --- The search a command ran, up to a step ---

export type CellState = 'pending' | 'pruned' | 'scanning' | 'scanned' | 'duplicate'

export interface CandidateState {
  readonly member: string
  readonly longitude: number
  readonly latitude: number
  readonly distance: number
  readonly kept: boolean
  readonly cell: number
}

export interface SearchState {
  readonly plan: StepEventOf<'geo/searchPlanned'>
  /** One per cell of the plan, in its order. */
  readonly cells: readonly CellState[]
  readonly candidates: readonly CandidateState[]
  readonly result: StepEventOf<'geo/resultsSorted'> | null
}

/** The search shown after the first k of `own` (this key's geo events), or null. */
export function searchAt(own: readonly StepEvent[], k: number): SearchState | null {
  let plan: StepEventOf<'geo/searchPlanned'> | null = null
  let cells: CellState[] = []
  let candidates: CandidateState[] = []
  let result: StepEventOf<'geo/resultsSorted'> | null = null
  for (const e of own.slice(0, k)) {
    if (e.type === 'geo/searchPlanned') {
      plan = e
      cells = e.cells.map((c) => (c.pruned ? 'pruned' : 'pending'))
      candidates = []
      result = null
    } else if (e.type === 'geo/cellScanned' && plan !== null) {
      cells = cells.map((s) => (s === 'scanning' ? 'scanned' : s))
      cells[e.index] = e.skipped === 'duplicate' ? 'duplicate' : 'scanning'
    } else if (e.type === 'geo/candidateChecked') {
      candidates = [
        ...candidates,
        {
          member: e.member,
          longitude: e.longitude,
          latitude: e.latitude,
          distance: e.distance,
          kept: e.kept,
          cell: e.index,
        },
      ]
    } else if (e.type === 'geo/resultsSorted') {
      result = e
      cells = cells.map((s) => (s === 'scanning' ? 'scanned' : s))
    }
  }
  return plan === null ? null : { plan, cells, candidates, result }
}

export type FocusEvent =
  | StepEventOf<'geo/memberEncoded'>
  | StepEventOf<'geo/positionDecoded'>
  | StepEventOf<'geo/hashEncoded'>

/** The last encoding / decoding among the first k events: what the bit view shows. */
export function focusAt(own: readonly StepEvent[], k: number): FocusEvent | null {
  for (let i = Math.min(k, own.length) - 1; i >= 0; i--) {
    const e = own[i]
    if (
      e?.type === 'geo/memberEncoded' ||
      e?.type === 'geo/positionDecoded' ||
      e?.type === 'geo/hashEncoded'
    )
      return e
  }
  return null
}

// --- Bits ---

/** A cell number's bits, most significant first, `n` of them. */
export function bitsOf(cell: number, n = STEP_MAX): (0 | 1)[] {
  const out: (0 | 1)[] = []
  for (let i = n - 1; i >= 0; i--) out.push((Math.floor(cell / 2 ** i) % 2) as 0 | 1)
  return out
}

/** One bit of the 52-bit hash, most significant first: which coordinate it came from. */
export interface HashBit {
  /** Bit position in the score, 51 = most significant. */
  readonly pos: number
  readonly from: 'lon' | 'lat'
  /** The halving it records, 1 = the first. */
  readonly halving: number
  readonly value: 0 | 1
}

/** interleave64 read from the top: lon bit, lat bit, lon bit, ... (52 bits). */
export function interleavedBits(lonCell: number, latCell: number): HashBit[] {
  const lon = bitsOf(lonCell)
  const lat = bitsOf(latCell)
  const out: HashBit[] = []
  for (let i = 0; i < STEP_MAX; i++) {
    out.push({ pos: 51 - 2 * i, from: 'lon', halving: i + 1, value: lon[i] ?? 0 })
    out.push({ pos: 50 - 2 * i, from: 'lat', halving: i + 1, value: lat[i] ?? 0 })
  }
  return out
}

/** The 52-bit score of two cell numbers (what GEOADD stores), exact in a double. */
export function interleavedScore(lonCell: number, latCell: number): number {
  return interleavedBits(lonCell, latCell).reduce((s, b) => s * 2 + b.value, 0)
}

/** One halving of a coordinate's range: the range before, the bit, the half kept. */
export interface Halving {
  readonly step: number
  readonly min: number
  readonly max: number
  readonly bit: 0 | 1
}

/**
 * The 26 halvings the cell number records: each bit says whether the coordinate lies in
 * the upper half of the range so far. (geohashEncode gets the same bits with one scaled
 * truncation; the halvings are how to read them.)
 */
export function halvings(cell: number, min: number, max: number, n = STEP_MAX): Halving[] {
  const out: Halving[] = []
  let lo = min
  let hi = max
  for (const [i, bit] of bitsOf(cell, n).entries()) {
    out.push({ step: i + 1, min: lo, max: hi, bit })
    const mid = (lo + hi) / 2
    if (bit === 1) lo = mid
    else hi = mid
  }
  return out
}

/** The base32 characters of a geohash with the 5 bits each one spells. */
export function geohashChars(geohash: string): { char: string; bits: string }[] {
  const alphabet = '0123456789bcdefghjkmnpqrstuvwxyz'
  return [...geohash].map((char) => ({
    char,
    bits: Math.max(0, alphabet.indexOf(char)).toString(2).padStart(5, '0'),
  }))
}

// --- Layout (equirectangular) ---

export interface Box {
  readonly lonMin: number
  readonly lonMax: number
  readonly latMin: number
  readonly latMax: number
}

export const WORLD: Box = { lonMin: -180, lonMax: 180, latMin: LAT_MIN, latMax: LAT_MAX }

/**
 * The region to draw: the box around the points (or the search's cells when a search is
 * shown), padded by a tenth and at least `minSpan` degrees, grown to the plot's aspect so a
 * degree is as long across as up, and kept inside the world.
 */
export function fitBox(boxes: readonly Box[], width: number, height: number, minSpan = 1): Box {
  if (boxes.length === 0) return WORLD
  let lonMin = Math.min(...boxes.map((b) => b.lonMin))
  let lonMax = Math.max(...boxes.map((b) => b.lonMax))
  let latMin = Math.min(...boxes.map((b) => b.latMin))
  let latMax = Math.max(...boxes.map((b) => b.latMax))
  const padLon = Math.max((lonMax - lonMin) * 0.1, minSpan / 2)
  const padLat = Math.max((latMax - latMin) * 0.1, minSpan / 2)
  lonMin -= padLon
  lonMax += padLon
  latMin -= padLat
  latMax += padLat
  const aspect = width / height
  const spanLon = lonMax - lonMin
  const spanLat = latMax - latMin
  if (spanLon / spanLat < aspect) {
    const grow = (spanLat * aspect - spanLon) / 2
    lonMin -= grow
    lonMax += grow
  } else {
    const grow = (spanLon / aspect - spanLat) / 2
    latMin -= grow
    latMax += grow
  }
  return {
    lonMin: Math.max(-180, lonMin),
    lonMax: Math.min(180, lonMax),
    latMin: Math.max(LAT_MIN, latMin),
    latMax: Math.min(LAT_MAX, latMax),
  }
}

/** The plot's scales: longitude left to right, latitude bottom to top. */
export function projection(box: Box, width: number, height: number) {
  return {
    x: scaleLinear().domain([box.lonMin, box.lonMax]).range([0, width]),
    y: scaleLinear().domain([box.latMin, box.latMax]).range([height, 0]),
  }
}

/**
 * Grid lines of the geohash cells at `step` inside the box (each axis cut into 2^step),
 * or null when there would be more than `max` lines on an axis.
 */
export function gridLines(
  box: Box,
  step: number,
  max = 40,
): { lons: number[]; lats: number[] } | null {
  const cells = 2 ** step
  const dLon = 360 / cells
  const dLat = (LAT_MAX - LAT_MIN) / cells
  const i0 = Math.ceil((box.lonMin + 180) / dLon)
  const i1 = Math.floor((box.lonMax + 180) / dLon)
  const j0 = Math.ceil((box.latMin - LAT_MIN) / dLat)
  const j1 = Math.floor((box.latMax - LAT_MIN) / dLat)
  if (i1 - i0 > max || j1 - j0 > max) return null
  const lons: number[] = []
  const lats: number[] = []
  for (let i = i0; i <= i1; i++) lons.push(-180 + i * dLon)
  for (let j = j0; j <= j1; j++) lats.push(LAT_MIN + j * dLat)
  return { lons, lats }
}

/**
 * A circle of `meters` around a point as a polygon of degrees (the haversine distance,
 * so it widens toward the poles on this projection).
 */
export function circlePolygon(
  lon: number,
  lat: number,
  meters: number,
  n = 72,
): [number, number][] {
  const R = 6372797.560856
  const d = meters / R
  const rad = Math.PI / 180
  const lat1 = lat * rad
  const lon1 = lon * rad
  const out: [number, number][] = []
  for (let i = 0; i <= n; i++) {
    const brg = (2 * Math.PI * i) / n
    const lat2 = Math.asin(
      Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(brg),
    )
    const lon2 =
      lon1 +
      Math.atan2(
        Math.sin(brg) * Math.sin(d) * Math.cos(lat1),
        Math.cos(d) - Math.sin(lat1) * Math.sin(lat2),
      )
    out.push([lon2 / rad, lat2 / rad])
  }
  return out
}

/** Metres per unit, as GEO commands read them. */
export const UNIT_METERS: Readonly<Record<'m' | 'km' | 'ft' | 'mi', number>> = {
  m: 1,
  km: 1000,
  ft: 0.3048,
  mi: 1609.34,
}

/** Short labels of the nine directions. */
export const DIR_LABEL: Readonly<Record<GeoDirection, { en: string; zh: string }>> = {
  center: { en: 'centre', zh: '中心' },
  north: { en: 'N', zh: '北' },
  south: { en: 'S', zh: '南' },
  east: { en: 'E', zh: '东' },
  west: { en: 'W', zh: '西' },
  northEast: { en: 'NE', zh: '东北' },
  northWest: { en: 'NW', zh: '西北' },
  southEast: { en: 'SE', zh: '东南' },
  southWest: { en: 'SW', zh: '西南' },
}

/** Above this many points the plane draws a density map on canvas instead of dots. */
export const POINTS_MAX = 400

/**
 * Points per geohash cell of `step` (2^step × 2^step cells over the WGS84 ranges, row =
 * latitude cell): the density map of a set whose every point the view lists (a cut view
 * brings the engine's own counts).
 */
export function densityOf(
  points: readonly { readonly longitude: number; readonly latitude: number }[],
  step = 6,
): { step: number; counts: Uint32Array } {
  const side = 2 ** step
  const counts = new Uint32Array(side * side)
  const cell = (v: number, min: number, max: number) =>
    Math.min(side - 1, Math.max(0, Math.floor(((v - min) / (max - min)) * side)))
  for (const p of points) {
    const i = cell(p.latitude, LAT_MIN, LAT_MAX) * side + cell(p.longitude, -180, 180)
    counts[i] = (counts[i] ?? 0) + 1
  }
  return { step, counts }
}
