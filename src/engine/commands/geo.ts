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
 * Here: GEOADD, GEOPOS, GEODIST, GEOHASH. Not yet: the GEOSEARCH / GEORADIUS family.
 */
import { cstr } from '../bytes.ts'
import {
  ERR_NOT_FLOAT,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  NIL,
  NIL_ARRAY,
  array,
  bulk,
  error,
  type Reply,
} from '../reply.ts'
import { valueRefOf } from '../types/container.ts'
import { zsetScore, type ZsetObject } from '../types/t_zset.ts'
import { formatFixed, string2d } from '../util/numbers.ts'
import { isToken, lookupOfType } from './common.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { zsetCommands } from './zset.ts'

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

/** addReplyHumanLongDouble of a double: "%.17Lf" with trailing zeros (and a bare point) cut. */
function humanDouble(d: number): Reply {
  let s = formatFixed(d, 17)
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return bulk(s === '-0' ? '0' : s)
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
    const x = string2d(argv[i] ?? '')
    if (x === null) return ERR_NOT_FLOAT
    const y = string2d(argv[i + 1] ?? '')
    if (y === null) return ERR_NOT_FLOAT
    if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX)
      return error(`ERR invalid longitude,latitude pair ${printfF(x)},${printfF(y)}`)
    const bits = geohashEncode(WGS84_LONG, WGS84_LAT, x, y, GEO_STEP_MAX) ?? 0n
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
  return array(xys.map((xy) => (xy === null ? NIL_ARRAY : array(xy.map(humanDouble)))))
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

/** GEODIST key member1 member2 [M|KM|FT|MI]: "%.4f" of the distance, nil if one is missing. */
function geodistCommand(c: CommandCall): Reply {
  const { argv } = c
  let toMeter = 1
  if (argv.length === 5) {
    const u = unitToMeters(argv[4] ?? '')
    if (u === null) return error('ERR unsupported unit provided. please use M, KM, FT, MI')
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

export const geoCommands: readonly CommandSpec[] = [
  defineCommand('geoadd', geoaddCommand),
  defineCommand('geopos', geoposCommand),
  defineCommand('geohash', geohashCommand),
  defineCommand('geodist', geodistCommand),
]
