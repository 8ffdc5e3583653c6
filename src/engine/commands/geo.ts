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
  zzlFind,
  type ZsetObject,
} from '../types/t_zset.ts'
import { noteObjectCreated } from '../types/container.ts'
import type { ContainerObject } from '../types/object.ts'
import { dbDelete, setKey, signalModifiedKey } from '../keyspace/db.ts'
import { rewriteCommandVector } from '../replication.ts'
import { NOTIFY_GENERIC, NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { formatFixed, string2d } from '../util/numbers.ts'
import { libmCos } from '../util/libm.ts'
import { integerLL, isToken, lookupOfType, peekLiveKey } from './common.ts'
import { getLongLongOrReply } from './parse.ts'
import type { ExecContext } from '../context.ts'
import type { GeoCellArea, GeoDirection, KeyName } from '../events.ts'
import { peekKey } from '../inspect.ts'
import {
  decodeGeohash,
  deinterleave64,
  EARTH_RADIUS_IN_METERS,
  D_R,
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  GEO_STEP_MAX,
  geohashCells,
  geohashDecodeArea,
  geohashEncode,
  geohashEstimateStepsByRadius,
  geohashGetDistance,
  geohashNeighbors,
  interleave64,
  scoreToUint64,
  STANDARD_LAT,
  STANDARD_LONG,
  WGS84_LAT,
  WGS84_LONG,
} from '../structures/geohash.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { zsetCommands, zsetInsertNew } from './zset.ts'
import '../inspectGeo.ts'

/** (long long)score on x86-64: truncation, or LLONG_MIN outside the range (cvttsd2si). */
function scoreToLongLong(d: number): bigint {
  return d >= -(2 ** 63) && d < 2 ** 63 ? BigInt(Math.trunc(d)) : -(1n << 63n)
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
 * A member's score in a zset, looked up without side effects (no rehash step): what the
 * trace reads, so that tracing changes nothing.
 */
function peekScore(zobj: ZsetObject, member: string): number | null {
  if (zobj.encoding === 'listpack') return zzlFind(zobj.ptr, member)?.score ?? null
  return peekKey(zobj.ptr.dict, member) ?? null
}

/**
 * Reports GEOADD's encodings (geo/memberEncoded) before its ZADD runs: for each member the
 * cell numbers, the score, and what ZADD will do with it under NX/XX (members repeated in
 * one call see the earlier ones). Nothing is reported when ZADD will answer WRONGTYPE.
 */
function traceGeoadd(
  c: CommandCall,
  pairs: readonly { member: string; xy: [number, number] }[],
  nx: boolean,
  xx: boolean,
): void {
  const key = c.argv[1] ?? ''
  const o = peekLiveKey(c, key)
  if (o !== undefined && o.type !== 'zset') return
  const zobj = o === undefined ? null : (o as ZsetObject)
  const pending = new Map<string, number>()
  for (const { member, xy } of pairs) {
    const cells = geohashCells(WGS84_LONG, WGS84_LAT, xy[0], xy[1], GEO_STEP_MAX)
    const latCell = cells?.latCell ?? 0
    const lonCell = cells?.lonCell ?? 0
    const score = Number(interleave64(latCell, lonCell))
    const old = pending.has(member)
      ? (pending.get(member) ?? null)
      : zobj === null
        ? null
        : peekScore(zobj, member)
    let outcome: 'added' | 'updated' | 'unchanged' | 'skipped'
    if ((nx && old !== null) || (xx && old === null)) outcome = 'skipped'
    else if (old === null) outcome = 'added'
    else outcome = old === score ? 'unchanged' : 'updated'
    if (outcome !== 'skipped') pending.set(member, score)
    c.ctx.emit({
      type: 'geo/memberEncoded',
      key,
      member,
      longitude: xy[0],
      latitude: xy[1],
      lonCell,
      latCell,
      score,
      decoded: decodeGeohash(score),
      old,
      outcome,
    })
  }
}

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
  const pairs: { member: string; xy: [number, number] }[] = []
  for (let i = longidx; i < argv.length; i += 3) {
    const xy = extractLongLat(argv, i)
    if (!Array.isArray(xy)) return xy
    const bits = geohashEncode(WGS84_LONG, WGS84_LAT, xy[0], xy[1], GEO_STEP_MAX) ?? 0n
    zargv.push(bits.toString(), argv[i + 2] ?? '')
    if (c.ctx.tracing) pairs.push({ member: argv[i + 2] ?? '', xy })
  }
  if (zaddHandler === undefined) throw new Error('geoadd: no zadd handler')
  if (c.ctx.tracing) traceGeoadd(c, pairs, nx, xx)
  // replaceClientCommandVector: it propagates as the zadd it runs.
  rewriteCommandVector(c.srv, zargv)
  return zaddHandler({ ...c, argv: zargv })
}

/** Reports a score read back to a position (geo/positionDecoded), at full trace level. */
function traceDecoded(ctx: ExecContext, key: KeyName, member: string, score: number): void {
  if (!ctx.full) return
  const [latCell, lonCell] = deinterleave64(scoreToUint64(score))
  const [longitude, latitude] = decodeGeohash(score)
  ctx.emit({
    type: 'geo/positionDecoded',
    key,
    member,
    score,
    lonCell,
    latCell,
    cell: geohashDecodeArea(scoreToUint64(score), GEO_STEP_MAX),
    longitude,
    latitude,
  })
}

/**
 * The decoded position of each member named from argv[2] on (null for a missing member or
 * key), or WRONGTYPE: what GEOPOS and GEOHASH both start from.
 */
function memberPositions(c: CommandCall): ([number, number] | null)[] | Reply {
  const zobj = lookupGeoRead(c)
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const key = c.argv[1] ?? ''
  const ref = valueRefOf(c, key)
  return c.argv.slice(2).map((m) => {
    const score = zobj === null ? null : zsetScore(ref, zobj, m)
    if (score === null) return null
    traceDecoded(c.ctx, key, m, score)
    return decodeGeohash(score)
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
  const key = c.argv[1] ?? ''
  return array(
    xys.map((xy, k) => {
      if (xy === null) return NIL
      const cells = geohashCells(STANDARD_LONG, STANDARD_LAT, xy[0], xy[1], GEO_STEP_MAX)
      const bits = cells === null ? 0n : interleave64(cells.latCell, cells.lonCell)
      let s = ''
      for (let i = 0; i < 11; i++) {
        const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)
        s += GEOALPHABET[idx] ?? '0'
      }
      if (c.ctx.full)
        c.ctx.emit({
          type: 'geo/hashEncoded',
          key,
          member: c.argv[k + 2] ?? '',
          longitude: xy[0],
          latitude: xy[1],
          lonCell: cells?.lonCell ?? 0,
          latCell: cells?.latCell ?? 0,
          geohash: s,
        })
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

/** A unit argument known to be valid, in lower case. */
function unitName(u: string): 'm' | 'km' | 'ft' | 'mi' {
  const unit = cstr(u).toLowerCase()
  return unit === 'km' || unit === 'ft' || unit === 'mi' ? unit : 'm'
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
  const meters = geohashGetDistance(x1, y1, x2, y2)
  if (c.ctx.full) {
    const key = argv[1] ?? ''
    traceDecoded(c.ctx, key, argv[2] ?? '', s1)
    traceDecoded(c.ctx, key, argv[3] ?? '', s2)
    c.ctx.emit({
      type: 'geo/distanceMeasured',
      key,
      from: argv[2] ?? '',
      to: argv[3] ?? '',
      meters,
      unit: unitName(argv.length === 5 ? (argv[4] ?? '') : 'm'),
    })
  }
  return bulk(formatFixed(meters / toMeter, 4))
}

// --- Searches (georadiusGeneric) ---

interface GeoShape {
  circular: boolean
  xy: [number, number]
  conversion: number
  unit: 'm' | 'km' | 'ft' | 'mi'
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

const DIRECTIONS: readonly GeoDirection[] = [
  'center',
  'north',
  'south',
  'east',
  'west',
  'northEast',
  'northWest',
  'southEast',
  'southWest',
]

interface SearchAreas {
  /** The nine cells in membersOfAllNeighbors' order; null where pruned (GZERO). */
  readonly cells: (bigint | null)[]
  readonly step: number
  readonly estimatedStep: number
  readonly bounds: GeoCellArea
  readonly radiusMeters: number
  /** Every cell before pruning, for the trace. */
  readonly all: bigint[]
}

/**
 * geohashCalculateAreasByShapeWGS84: the shape's bounding box (geohashBoundingBox), the
 * step from the radius, one step less when a neighbour does not reach the box's edge, and
 * the centre cell with its 8 neighbours; with step >= 2, the neighbours on a side the centre
 * cell already covers past the box are not needed (null).
 */
function areasByShape(shape: GeoShape): SearchAreas {
  const [longitude, latitude] = shape.xy
  const height = shape.conversion * (shape.circular ? shape.radius : shape.height / 2)
  const width = shape.conversion * (shape.circular ? shape.radius : shape.width / 2)
  const latDelta = height / EARTH_RADIUS_IN_METERS / D_R
  const longDeltaTop = width / EARTH_RADIUS_IN_METERS / libmCos((latitude + latDelta) * D_R) / D_R
  const longDeltaBottom =
    width / EARTH_RADIUS_IN_METERS / libmCos((latitude - latDelta) * D_R) / D_R
  const south = latitude < 0
  const minLon = south ? longitude - longDeltaBottom : longitude - longDeltaTop
  const maxLon = south ? longitude + longDeltaBottom : longitude + longDeltaTop
  const minLat = latitude - latDelta
  const maxLat = latitude + latDelta
  let radiusMeters = shape.circular
    ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))
  radiusMeters *= shape.conversion
  const estimatedStep = geohashEstimateStepsByRadius(radiusMeters, latitude)
  let steps = estimatedStep
  let hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? 0n
  let n = geohashNeighbors(hash, steps)
  const north = geohashDecodeArea(n[1] ?? 0n, steps)
  const southA = geohashDecodeArea(n[2] ?? 0n, steps)
  const east = geohashDecodeArea(n[3] ?? 0n, steps)
  const west = geohashDecodeArea(n[4] ?? 0n, steps)
  const decrease =
    north.latMax < maxLat || southA.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon
  if (steps > 1 && decrease) {
    steps--
    hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? 0n
    n = geohashNeighbors(hash, steps)
  }
  const area = geohashDecodeArea(hash, steps)
  const cells: (bigint | null)[] = [...n]
  if (steps >= 2) {
    const zero = (...idx: number[]) => idx.forEach((k) => (cells[k] = null))
    if (area.latMin < minLat) zero(2, 8, 7)
    if (area.latMax > maxLat) zero(1, 5, 6)
    if (area.lonMin < minLon) zero(4, 8, 6)
    if (area.lonMax > maxLon) zero(3, 7, 5)
  }
  const bounds = { lonMin: minLon, lonMax: maxLon, latMin: minLat, latMax: maxLat }
  return { cells, step: steps, estimatedStep, bounds, radiusMeters, all: n }
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

/** Reports the search's plan (geo/searchPlanned), at full trace level. */
function traceSearchPlanned(ctx: ExecContext, key: KeyName, shape: GeoShape, a: SearchAreas) {
  ctx.emit({
    type: 'geo/searchPlanned',
    key,
    shape: shape.circular
      ? { type: 'radius', radius: shape.radius }
      : { type: 'box', width: shape.width, height: shape.height },
    unit: shape.unit,
    center: [shape.xy[0], shape.xy[1]],
    bounds: a.bounds,
    radiusMeters: a.radiusMeters,
    estimatedStep: a.estimatedStep,
    step: a.step,
    stepDecreased: a.step !== a.estimatedStep,
    cells: a.all.map((bits, i) => ({
      dir: DIRECTIONS[i] ?? 'center',
      hash: Number(bits),
      area: geohashDecodeArea(bits, a.step),
      pruned: a.cells[i] === null,
    })),
  })
}

/**
 * membersOfAllNeighbors: every point of the cells inside the shape, stopping at `limit`.
 * Each cell is the score range [bits << (52 - 2·step), (bits + 1) << (52 - 2·step)): the
 * points of one cell are consecutive in the zset (geoGetPointsInRange).
 */
function membersOfAllNeighbors(
  ctx: ExecContext,
  key: KeyName,
  zobj: ZsetObject,
  shape: GeoShape,
  limit: number,
): GeoPoint[] {
  const areas = areasByShape(shape)
  const { cells, step } = areas
  if (ctx.full) traceSearchPlanned(ctx, key, shape, areas)
  const entries = zsetEntries(zobj)
  const out: GeoPoint[] = []
  let last = -1
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]
    if (cell === null || cell === undefined) continue
    const shift = BigInt(52 - step * 2)
    const min = Number(cell << shift)
    const max = Number((cell + 1n) << shift)
    const dir = DIRECTIONS[i] ?? 'center'
    // HASHISZERO is bits == 0 && step == 0: a real cell never is.
    if (last > 0 && cell === cells[last]) {
      if (ctx.full)
        ctx.emit({ type: 'geo/cellScanned', key, index: i, dir, min, max, skipped: 'duplicate' })
      continue
    }
    if (out.length > 0 && limit > 0 && out.length >= limit) break
    if (ctx.full) ctx.emit({ type: 'geo/cellScanned', key, index: i, dir, min, max, skipped: null })
    for (const [member, score] of entries) {
      if (score < min) continue
      if (!(score < max)) break
      const [x, y] = decodeGeohash(score)
      const dist = withinShape(shape, x, y)
      if (dist !== null) out.push({ member, score, dist, x, y })
      if (ctx.full)
        ctx.emit({
          type: 'geo/candidateChecked',
          key,
          index: i,
          member,
          score,
          longitude: x,
          latitude: y,
          distance: dist ?? geohashGetDistance(shape.xy[0], shape.xy[1], x, y),
          kept: dist !== null,
        })
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
  shape.unit = unitName(argv[i + 1] ?? '')
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
  shape.unit = unitName(argv[i + 2] ?? '')
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
    if (score === null) return null
    traceDecoded(c.ctx, srcKey, m, score)
    return decodeGeohash(score)
  }
  let storekey: string | null = null
  let storedist = false
  let baseArgs: number
  const shape: GeoShape = {
    circular: true,
    xy: [0, 0],
    conversion: 1,
    unit: 'm',
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
  const ga = membersOfAllNeighbors(c.ctx, srcKey, zobj, shape, limit)
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
  if (c.ctx.full)
    c.ctx.emit({
      type: 'geo/resultsSorted',
      key: srcKey,
      found: total,
      sort,
      algorithm: sort === 'none' ? 'none' : returned === total ? 'qsort' : 'pqsort',
      count: count === 0n ? null : Number(count),
      any,
      returned: ga.slice(0, returned).map((gp) => ({ member: gp.member, distance: gp.dist })),
    })
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
    if (c.ctx.tracing)
      c.ctx.emit({
        type: 'geo/resultsStored',
        key: storekey,
        source: srcKey,
        storedist,
        members: ga.slice(0, returned).map((gp) => ({
          member: gp.member,
          score: storedist ? gp.dist / shape.conversion : gp.score,
          longitude: gp.x,
          latitude: gp.y,
        })),
      })
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
