/**
 * GEO commands — follows redis/src/geo.c, geohash.c and geohash_helper.c (7.0.15).
 *
 * Design: a geo set is a plain sorted set whose scores are 52-bit geohashes: longitude and
 * latitude are scaled into 26-bit cells of the WGS84 ranges (longitude -180..180, latitude
 * -85.05112878..85.05112878, the Web Mercator limits) and their bits interleaved, latitude on
 * the even bits and longitude on the odd ones. GEOADD is ZADD with those scores (its reply,
 * options and encodings are ZADD's); reading a position decodes a score back to the centre of
 * its cell. 64-bit work (a score is cast to uint64_t, whatever it holds) is done in BigInt.
 *
 * Searches (GEOSEARCH, GEOSEARCHSTORE, GEORADIUS*, georadiusGeneric) cover the shape's
 * bounding box with the 3x3 cells of a step chosen from the radius, walk each cell's score
 * range in zset order, keep the points inside the shape, then sort by distance: a stable
 * sort for a full sort (glibc's qsort is a merge sort), Redis's pqsort port for a COUNT cut.
 */
import { pqsort } from '../util/pqsort.ts'
import { cstr } from '../bytes.ts'
import {
  ERR_NOT_FLOAT,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  EMPTY_ARRAY,
  NIL,
  NIL_ARRAY,
  ZERO,
  array,
  bulk,
  error,
  doubleReply,
  integer,
  type Protocol,
  type Reply,
} from '../reply.ts'
import { valueRefOf } from '../types/container.ts'
import {
  createZsetObject,
  zsetConvertToListpackIfNeeded,
  zsetEntries,
  zsetScore,
  type ZsetObject,
} from '../types/t_zset.ts'
import { noteObjectCreated } from '../types/container.ts'
import type { ContainerObject } from '../types/object.ts'
import { dbDelete, setKey, signalModifiedKey } from '../keyspace/db.ts'
import { NOTIFY_GENERIC, NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { formatFixed, string2d } from '../util/numbers.ts'
import { integerLL, isToken, lookupOfType } from './common.ts'
import { getLongLongOrReply } from './parse.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { zsetCommands, zsetInsertNew } from './zset.ts'

// --- Geohash (geohash.c) ---

const GEO_STEP_MAX = 26
const GEO_LAT_MIN = -85.05112878
const GEO_LAT_MAX = 85.05112878
const GEO_LONG_MIN = -180
const GEO_LONG_MAX = 180
/** geohash_helper.c: the earth's radius the distances use, and the degree-radian factor. */
const EARTH_RADIUS_IN_METERS = 6372797.560856
const D_R = Math.PI / 180

interface GeoRange {
  readonly min: number
  readonly max: number
}

const WGS84_LONG: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX }
const WGS84_LAT: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX }

/** interleave64: x's bits on the even positions, y's on the odd ones. */
function interleave64(x: number, y: number): bigint {
  let bits = 0n
  for (let i = 31; i >= 0; i--) {
    bits = (bits << 2n) | BigInt((((y >>> i) & 1) << 1) | ((x >>> i) & 1))
  }
  return bits
}

/** deinterleave64: the even bits (low word) and the odd bits (high word), as uint32s. */
function deinterleave64(bits: bigint): [number, number] {
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

/** geohashEncode: null where Redis returns 0 (outside the supported coordinates). */
function geohashEncode(
  lon: GeoRange,
  lat: GeoRange,
  longitude: number,
  latitude: number,
  step: number,
): bigint | null {
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
  return interleave64(toUint32(latOffset), toUint32(longOffset))
}

/**
 * (uint64_t)score as x86-64 gcc computes it: in range it truncates; negative values wrap
 * (cvttsd2si); values past the signed range come back as 2^63 or 0, like the hardware's.
 */
function scoreToUint64(d: number): bigint {
  const TWO63 = 2 ** 63
  if (d < TWO63) {
    if (!(d > -TWO63)) return 1n << 63n
    return BigInt.asUintN(64, BigInt(Math.trunc(d)))
  }
  const y = d - TWO63
  if (!(y < TWO63)) return 0n
  return BigInt(Math.trunc(y)) ^ (1n << 63n)
}

/** (long long)score on x86-64: truncation, or LLONG_MIN outside the range (cvttsd2si). */
function scoreToLongLong(d: number): bigint {
  return d >= -(2 ** 63) && d < 2 ** 63 ? BigInt(Math.trunc(d)) : -(1n << 63n)
}

/** decodeGeohash + geohashDecodeToLongLatWGS84: the centre of the score's cell, clamped. */
function decodeGeohash(score: number): [number, number] {
  const [ilato, ilono] = deinterleave64(scoreToUint64(score))
  const cells = 2 ** GEO_STEP_MAX
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN
  const longScale = GEO_LONG_MAX - GEO_LONG_MIN
  const latMin = GEO_LAT_MIN + (ilato / cells) * latScale
  const latMax = GEO_LAT_MIN + (((ilato + 1) >>> 0) / cells) * latScale
  const longMin = GEO_LONG_MIN + (ilono / cells) * longScale
  const longMax = GEO_LONG_MIN + (((ilono + 1) >>> 0) / cells) * longScale
  const x = Math.min(GEO_LONG_MAX, Math.max(GEO_LONG_MIN, (longMin + longMax) / 2))
  const y = Math.min(GEO_LAT_MAX, Math.max(GEO_LAT_MIN, (latMin + latMax) / 2))
  return [x, y]
}

/** geohashGetDistance: haversine on a sphere of EARTH_RADIUS_IN_METERS. */
function geohashGetDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = lon1d * D_R
  const lon2r = lon2d * D_R
  const v = Math.sin((lon2r - lon1r) / 2)
  if (v === 0) return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R)
  const lat1r = lat1d * D_R
  const lat2r = lat2d * D_R
  const u = Math.sin((lat2r - lat1r) / 2)
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a))
}

/**
 * addReplyHumanLongDouble of a double: "%.17Lf" with trailing zeros (and a bare point) cut;
 * a bulk in RESP2, a double in RESP3.
 */
function humanDouble(resp: Protocol, d: number): Reply {
  let s = formatFixed(d, 17)
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return doubleReply(resp, s === '-0' ? '0' : s)
}

/** printf "%f": six decimals of the exact value; "inf" / "-inf" for the infinities. */
function printfF(d: number): string {
  if (d === Infinity) return 'inf'
  if (d === -Infinity) return '-inf'
  return formatFixed(d, 6)
}

// --- Commands ---

function lookupGeoRead(c: CommandCall): ZsetObject | null | 'wrongtype' {
  return lookupOfType<ZsetObject>(c, c.argv[1] ?? '', 'zset', false)
}

const zaddHandler = zsetCommands.find((s) => s.name === 'zadd')?.handler

/**
 * GEOADD key [NX|XX] [CH] longitude latitude member [...]: checks every pair, then runs
 * ZADD with the geohashes as scores (replaceClientCommandVector + zaddCommand).
 */
function geoaddCommand(c: CommandCall): Reply {
  const { argv } = c
  let xx = false
  let nx = false
  let longidx = 2
  while (longidx < argv.length) {
    const opt = argv[longidx] ?? ''
    if (isToken(opt, 'NX')) nx = true
    else if (isToken(opt, 'XX')) xx = true
    else if (!isToken(opt, 'CH')) break
    longidx++
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) return ERR_SYNTAX
  const zargv = ['zadd', ...argv.slice(1, longidx)]
  for (let i = longidx; i < argv.length; i += 3) {
    const xy = extractLongLat(argv, i)
    if (!Array.isArray(xy)) return xy
    const bits = geohashEncode(WGS84_LONG, WGS84_LAT, xy[0], xy[1], GEO_STEP_MAX) ?? 0n
    zargv.push(bits.toString(), argv[i + 2] ?? '')
  }
  if (zaddHandler === undefined) throw new Error('geoadd: no zadd handler')
  return zaddHandler({ ...c, argv: zargv })
}

/**
 * The decoded position of each member named from argv[2] on (null for a missing member or
 * key), or WRONGTYPE: what GEOPOS and GEOHASH both start from.
 */
function memberPositions(c: CommandCall): ([number, number] | null)[] | Reply {
  const zobj = lookupGeoRead(c)
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const ref = valueRefOf(c, c.argv[1] ?? '')
  return c.argv.slice(2).map((m) => {
    const score = zobj === null ? null : zsetScore(ref, zobj, m)
    return score === null ? null : decodeGeohash(score)
  })
}

/** GEOPOS key member [...]: [longitude, latitude] per member, nil for a missing one. */
function geoposCommand(c: CommandCall): Reply {
  const xys = memberPositions(c)
  if (!Array.isArray(xys)) return xys
  const resp = c.client.resp
  return array(
    xys.map((xy) => (xy === null ? NIL_ARRAY : array(xy.map((d) => humanDouble(resp, d))))),
  )
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz'

/**
 * GEOHASH key member [...]: the standard 11-character geohash of each position, re-encoded
 * on the -90..90 latitude range (the last character is always '0': 52 bits fill 10½).
 */
function geohashCommand(c: CommandCall): Reply {
  const xys = memberPositions(c)
  if (!Array.isArray(xys)) return xys
  return array(
    xys.map((xy) => {
      if (xy === null) return NIL
      const bits =
        geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, xy[0], xy[1], GEO_STEP_MAX) ??
        0n
      let s = ''
      for (let i = 0; i < 11; i++) {
        const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)
        s += GEOALPHABET[idx] ?? '0'
      }
      return bulk(s)
    }),
  )
}

/** extractUnitOrReply: metres per unit, or null for an unknown unit. */
function unitToMeters(u: string): number | null {
  const unit = cstr(u).toLowerCase()
  if (unit === 'm') return 1
  if (unit === 'km') return 1000
  if (unit === 'ft') return 0.3048
  if (unit === 'mi') return 1609.34
  return null
}

const ERR_UNIT = error('ERR unsupported unit provided. please use M, KM, FT, MI')

/** GEODIST key member1 member2 [M|KM|FT|MI]: "%.4f" of the distance, nil if one is missing. */
function geodistCommand(c: CommandCall): Reply {
  const { argv } = c
  let toMeter = 1
  if (argv.length === 5) {
    const u = unitToMeters(argv[4] ?? '')
    if (u === null) return ERR_UNIT
    toMeter = u
  } else if (argv.length > 5) {
    return ERR_SYNTAX
  }
  const zobj = lookupGeoRead(c)
  if (zobj === null) return NIL
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const ref = valueRefOf(c, argv[1] ?? '')
  const s1 = zsetScore(ref, zobj, argv[2] ?? '')
  const s2 = zsetScore(ref, zobj, argv[3] ?? '')
  if (s1 === null || s2 === null) return NIL
  const [x1, y1] = decodeGeohash(s1)
  const [x2, y2] = decodeGeohash(s2)
  return bulk(formatFixed(geohashGetDistance(x1, y1, x2, y2) / toMeter, 4))
}

// --- Searches (georadiusGeneric) ---

interface GeoShape {
  circular: boolean
  xy: [number, number]
  conversion: number
  radius: number
  width: number
  height: number
}

interface GeoPoint {
  member: string
  score: number
  dist: number
  x: number
  y: number
}

const MERCATOR_MAX = 20037726.37

/** geohashEstimateStepsByRadius. */
function estimateSteps(rangeMeters: number, lat: number): number {
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

/** geohash_move_x / geohash_move_y on a (bits, step) cell. */
function moveCell(bits: bigint, step: number, dx: number, dy: number): bigint {
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

interface Area {
  lonMin: number
  lonMax: number
  latMin: number
  latMax: number
}

/** geohashDecode over the WGS84 ranges. */
function decodeArea(bits: bigint, step: number): Area {
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

/**
 * geohashCalculateAreasByShapeWGS84: the centre cell and its 8 neighbours (null where
 * pruned), in membersOfAllNeighbors' order: centre, N, S, E, W, NE, NW, SE, SW.
 */
function areasByShape(shape: GeoShape): { cells: (bigint | null)[]; step: number } {
  const [longitude, latitude] = shape.xy
  const height = shape.conversion * (shape.circular ? shape.radius : shape.height / 2)
  const width = shape.conversion * (shape.circular ? shape.radius : shape.width / 2)
  const latDelta = height / EARTH_RADIUS_IN_METERS / D_R
  const longDeltaTop = width / EARTH_RADIUS_IN_METERS / Math.cos((latitude + latDelta) * D_R) / D_R
  const longDeltaBottom =
    width / EARTH_RADIUS_IN_METERS / Math.cos((latitude - latDelta) * D_R) / D_R
  const south = latitude < 0
  const minLon = south ? longitude - longDeltaBottom : longitude - longDeltaTop
  const maxLon = south ? longitude + longDeltaBottom : longitude + longDeltaTop
  const minLat = latitude - latDelta
  const maxLat = latitude + latDelta
  let radiusMeters = shape.circular
    ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))
  radiusMeters *= shape.conversion
  let steps = estimateSteps(radiusMeters, latitude)
  const neighbours = (hash: bigint, step: number): bigint[] => [
    hash,
    moveCell(hash, step, 0, 1),
    moveCell(hash, step, 0, -1),
    moveCell(hash, step, 1, 0),
    moveCell(hash, step, -1, 0),
    moveCell(hash, step, 1, 1),
    moveCell(hash, step, -1, 1),
    moveCell(hash, step, 1, -1),
    moveCell(hash, step, -1, -1),
  ]
  let hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? 0n
  let n = neighbours(hash, steps)
  const north = decodeArea(n[1] ?? 0n, steps)
  const southA = decodeArea(n[2] ?? 0n, steps)
  const east = decodeArea(n[3] ?? 0n, steps)
  const west = decodeArea(n[4] ?? 0n, steps)
  const decrease =
    north.latMax < maxLat || southA.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon
  if (steps > 1 && decrease) {
    steps--
    hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? 0n
    n = neighbours(hash, steps)
  }
  const area = decodeArea(hash, steps)
  const cells: (bigint | null)[] = [...n]
  if (steps >= 2) {
    const zero = (...idx: number[]) => idx.forEach((k) => (cells[k] = null))
    if (area.latMin < minLat) zero(2, 8, 7)
    if (area.latMax > maxLat) zero(1, 5, 6)
    if (area.lonMin < minLon) zero(4, 8, 6)
    if (area.lonMax > maxLon) zero(3, 7, 5)
  }
  return { cells, step: steps }
}

/** geoWithinShape: the distance from the centre when the point is inside, else null. */
function withinShape(shape: GeoShape, x: number, y: number): number | null {
  const [cx, cy] = shape.xy
  if (shape.circular) {
    const d = geohashGetDistance(cx, cy, x, y)
    return d > shape.radius * shape.conversion ? null : d
  }
  const latDistance = EARTH_RADIUS_IN_METERS * Math.abs(cy * D_R - y * D_R)
  if (latDistance > (shape.height * shape.conversion) / 2) return null
  const lonDistance = geohashGetDistance(x, y, cx, y)
  if (lonDistance > (shape.width * shape.conversion) / 2) return null
  return geohashGetDistance(cx, cy, x, y)
}

/** membersOfAllNeighbors: every point of the cells inside the shape, stopping at `limit`. */
function membersOfAllNeighbors(zobj: ZsetObject, shape: GeoShape, limit: number): GeoPoint[] {
  const { cells, step } = areasByShape(shape)
  const entries = zsetEntries(zobj)
  const out: GeoPoint[] = []
  let last = -1
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]
    if (cell === null || cell === undefined) continue
    // HASHISZERO is bits == 0 && step == 0: a real cell never is.
    if (last > 0 && cell === cells[last]) continue
    if (out.length > 0 && limit > 0 && out.length >= limit) break
    const shift = BigInt(52 - step * 2)
    const min = Number(cell << shift)
    const max = Number((cell + 1n) << shift)
    for (const [member, score] of entries) {
      if (score < min) continue
      if (!(score < max)) break
      const [x, y] = decodeGeohash(score)
      const dist = withinShape(shape, x, y)
      if (dist !== null) out.push({ member, score, dist, x, y })
      if (out.length > 0 && limit > 0 && out.length >= limit) break
    }
    last = i
  }
  return out
}

const RADIUS_COORDS = 1
const RADIUS_MEMBER = 2
const RADIUS_NOSTORE = 4
const GEOSEARCH = 8
const GEOSEARCHSTORE = 16

/** extractDistanceOrReply: radius and unit. */
function extractDistance(argv: readonly string[], i: number, shape: GeoShape): Reply | null {
  const d = string2d(argv[i] ?? '')
  if (d === null) return error('ERR need numeric radius')
  if (d < 0) return error('ERR radius cannot be negative')
  const u = unitToMeters(argv[i + 1] ?? '')
  if (u === null) return ERR_UNIT
  shape.radius = d
  shape.conversion = u
  return null
}

/** extractBoxOrReply: width, height and unit. */
function extractBox(argv: readonly string[], i: number, shape: GeoShape): Reply | null {
  const w = string2d(argv[i] ?? '')
  if (w === null) return error('ERR need numeric width')
  const h = string2d(argv[i + 1] ?? '')
  if (h === null) return error('ERR need numeric height')
  if (h < 0 || w < 0) return error('ERR height or width cannot be negative')
  const u = unitToMeters(argv[i + 2] ?? '')
  if (u === null) return ERR_UNIT
  shape.width = w
  shape.height = h
  shape.conversion = u
  return null
}

/** extractLongLatOrReply. */
function extractLongLat(argv: readonly string[], i: number): [number, number] | Reply {
  const x = string2d(argv[i] ?? '')
  if (x === null) return ERR_NOT_FLOAT
  const y = string2d(argv[i + 1] ?? '')
  if (y === null) return ERR_NOT_FLOAT
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX)
    return error(`ERR invalid longitude,latitude pair ${printfF(x)},${printfF(y)}`)
  return [x, y]
}

const ERR_DECODE = error('ERR could not decode requested zset member')

/** georadiusGeneric. */
function georadiusGeneric(c: CommandCall, srcKeyIndex: number, flags: number): Reply {
  const { argv } = c
  const srcKey = argv[srcKeyIndex] ?? ''
  const zobj = lookupOfType<ZsetObject>(c, srcKey, 'zset', false)
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const ref = valueRefOf(c, srcKey)
  const memberXY = (m: string): [number, number] | null => {
    if (zobj === null) return null
    const score = zsetScore(ref, zobj, m)
    return score === null ? null : decodeGeohash(score)
  }
  let storekey: string | null = null
  let storedist = false
  let baseArgs: number
  const shape: GeoShape = {
    circular: true,
    xy: [0, 0],
    conversion: 1,
    radius: 0,
    width: 0,
    height: 0,
  }
  if (flags & RADIUS_COORDS) {
    baseArgs = 6
    const xy = extractLongLat(argv, 2)
    if (!Array.isArray(xy)) return xy
    shape.xy = xy
    const e = extractDistance(argv, 4, shape)
    if (e !== null) return e
  } else if (flags & RADIUS_MEMBER && zobj === null) {
    baseArgs = 5
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5
    const xy = memberXY(argv[2] ?? '')
    if (xy === null) return ERR_DECODE
    shape.xy = xy
    const e = extractDistance(argv, 3, shape)
    if (e !== null) return e
  } else {
    baseArgs = 2
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3
      storekey = argv[1] ?? ''
    }
  }
  let withdist = false
  let withhash = false
  let withcoords = false
  let frommember = false
  let fromloc = false
  let byradius = false
  let bybox = false
  let sort: 'none' | 'asc' | 'desc' = 'none'
  let any = false
  let count = 0n
  const remaining = argv.length - baseArgs
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i] ?? ''
    const at = baseArgs + i + 1
    if (isToken(arg, 'WITHDIST')) withdist = true
    else if (isToken(arg, 'WITHHASH')) withhash = true
    else if (isToken(arg, 'WITHCOORD')) withcoords = true
    else if (isToken(arg, 'ANY')) any = true
    else if (isToken(arg, 'ASC')) sort = 'asc'
    else if (isToken(arg, 'DESC')) sort = 'desc'
    else if (isToken(arg, 'COUNT') && i + 1 < remaining) {
      const n = getLongLongOrReply(argv[at] ?? '')
      if (typeof n === 'object') return n
      if (n <= 0n) return error('ERR COUNT must be > 0')
      count = n
      i++
    } else if (
      (isToken(arg, 'STORE') || isToken(arg, 'STOREDIST')) &&
      i + 1 < remaining &&
      !(flags & RADIUS_NOSTORE) &&
      !(flags & GEOSEARCH)
    ) {
      storekey = argv[at] ?? ''
      storedist = isToken(arg, 'STOREDIST')
      i++
    } else if (isToken(arg, 'STOREDIST') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storedist = true
    } else if (isToken(arg, 'FROMMEMBER') && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      if (zobj !== null) {
        const xy = memberXY(argv[at] ?? '')
        if (xy === null) return ERR_DECODE
        shape.xy = xy
      }
      frommember = true
      i++
    } else if (
      isToken(arg, 'FROMLONLAT') &&
      i + 2 < remaining &&
      flags & GEOSEARCH &&
      !frommember
    ) {
      const xy = extractLongLat(argv, at)
      if (!Array.isArray(xy)) return xy
      shape.xy = xy
      fromloc = true
      i += 2
    } else if (
      flags & GEOSEARCH &&
      ((isToken(arg, 'BYRADIUS') && i + 2 < remaining && !bybox) ||
        (isToken(arg, 'BYBOX') && i + 3 < remaining && !byradius))
    ) {
      const box = isToken(arg, 'BYBOX')
      const e = box ? extractBox(argv, at, shape) : extractDistance(argv, at, shape)
      if (e !== null) return e
      shape.circular = !box
      if (box) bybox = true
      else byradius = true
      i += box ? 3 : 2
    } else return ERR_SYNTAX
  }
  if (storekey !== null && (withdist || withhash || withcoords))
    return error(
      `ERR ${flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
    )
  if (flags & GEOSEARCH && !(frommember || fromloc))
    return error(
      `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${cstr(argv[0] ?? '')}`,
    )
  if (flags & GEOSEARCH && !(byradius || bybox))
    return error(
      `ERR exactly one of BYRADIUS and BYBOX can be specified for ${cstr(argv[0] ?? '')}`,
    )
  if (any && count === 0n) return error('ERR the ANY argument requires COUNT argument')
  if (zobj === null) {
    if (storekey !== null) {
      if (dbDelete(c.ctx, c.db, storekey)) {
        signalModifiedKey(c.srv, c.ctx, c.db, storekey)
        notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', storekey, c.db.id)
        c.srv.dirty++
      }
      return ZERO
    }
    return EMPTY_ARRAY
  }
  if (count !== 0n && sort === 'none' && !any) sort = 'asc'
  const limit = any ? Number(count) : 0
  const ga = membersOfAllNeighbors(zobj, shape, limit)
  if (ga.length === 0 && storekey === null) return EMPTY_ARRAY
  const total = ga.length
  const returned = count === 0n || BigInt(total) < count ? total : Number(count)
  if (sort !== 'none') {
    const cmp =
      sort === 'asc'
        ? (a: GeoPoint, b: GeoPoint) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1)
        : (a: GeoPoint, b: GeoPoint) => (a.dist > b.dist ? -1 : a.dist === b.dist ? 0 : 1)
    if (returned === total) ga.sort(cmp)
    else pqsort(ga, cmp, 0, returned - 1)
  }
  if (storekey === null) {
    const options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0)
    const out: Reply[] = []
    for (let i = 0; i < returned; i++) {
      const gp = ga[i] as GeoPoint
      const dist = gp.dist / shape.conversion
      if (options === 0) {
        out.push(bulk(gp.member))
        continue
      }
      const item: Reply[] = [bulk(gp.member)]
      if (withdist) item.push(bulk(formatFixed(dist, 4)))
      if (withhash) item.push(integerLL(scoreToLongLong(gp.score)))
      if (withcoords) {
        const resp = c.client.resp
        item.push(array([humanDouble(resp, gp.x), humanDouble(resp, gp.y)]))
      }
      out.push(array(item))
    }
    return array(out)
  }
  if (returned > 0) {
    const dv = valueRefOf(c, storekey)
    const dstobj = createZsetObject(dv) as ContainerObject<'zset', 'skiplist'>
    let maxelelen = 0
    let totelelen = 0
    for (let i = 0; i < returned; i++) {
      const gp = ga[i] as GeoPoint
      const score = storedist ? gp.dist / shape.conversion : gp.score
      if (gp.member.length > maxelelen) maxelelen = gp.member.length
      totelelen += gp.member.length
      zsetInsertNew(dv, dstobj.ptr, gp.member, score)
    }
    zsetConvertToListpackIfNeeded(dv, dstobj, maxelelen, totelelen)
    setKey(c.srv, c.ctx, c.db, storekey, dstobj)
    noteObjectCreated(dv, dstobj)
    const event = flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore'
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, event, storekey, c.db.id)
    c.srv.dirty += returned
  } else if (dbDelete(c.ctx, c.db, storekey)) {
    signalModifiedKey(c.srv, c.ctx, c.db, storekey)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', storekey, c.db.id)
    c.srv.dirty++
  }
  return integer(returned)
}

export const geoCommands: readonly CommandSpec[] = [
  defineCommand('geoadd', geoaddCommand),
  defineCommand('geopos', geoposCommand),
  defineCommand('geohash', geohashCommand),
  defineCommand('geodist', geodistCommand),
  defineCommand('georadius', (c) => georadiusGeneric(c, 1, RADIUS_COORDS)),
  defineCommand('georadiusbymember', (c) => georadiusGeneric(c, 1, RADIUS_MEMBER)),
  defineCommand('georadius_ro', (c) => georadiusGeneric(c, 1, RADIUS_COORDS | RADIUS_NOSTORE)),
  defineCommand('georadiusbymember_ro', (c) =>
    georadiusGeneric(c, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  ),
  defineCommand('geosearch', (c) => georadiusGeneric(c, 1, GEOSEARCH)),
  defineCommand('geosearchstore', (c) => georadiusGeneric(c, 2, GEOSEARCH | GEOSEARCHSTORE)),
]
