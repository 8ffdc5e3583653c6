/**
 * The geo/* events: what GEOADD, GEOSEARCH / GEORADIUS*, GEOHASH, GEOPOS and GEODIST report,
 * checked against the replies and against the geohash math (structures/geohash.ts), and the
 * inspector's geo view of a sorted set of geohashes.
 */
import { describe, expect, it } from 'vitest'
import type { StepEvent, StepEventOf } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { GeoView } from '../../../src/engine/inspectGeo.ts'
import { looksLikeGeoSet } from '../../../src/engine/inspectGeo.ts'
import {
  deinterleave64,
  geohashCellAtStep,
  geohashDecodeArea,
  geohashValidate,
  interleave64,
} from '../../../src/engine/structures/geohash.ts'

const CITIES = [
  ['13.361389', '38.115556', 'Palermo'],
  ['15.087269', '37.502669', 'Catania'],
  ['12.496366', '41.902782', 'Rome'],
  ['14.268124', '40.851775', 'Naples'],
] as const

function setup(trace: 'off' | 'summary' | 'full' = 'full') {
  const s = createServer({ seed: 3, clock: manualClock(), trace })
  s.call(['GEOADD', 'cities', ...CITIES.flat()])
  return s
}

function geo<T extends StepEvent['type']>(events: readonly StepEvent[], type: T) {
  return events.filter((e): e is StepEventOf<T> => e.type === type)
}

describe('geo/memberEncoded', () => {
  it('reports each member’s cell numbers, the interleaved score ZADD stores, and its outcome', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    const t = s.execute(['GEOADD', 'g', ...CITIES.flat()])
    const enc = geo(t.events, 'geo/memberEncoded')
    expect(enc.map((e) => e.member)).toEqual(['Palermo', 'Catania', 'Rome', 'Naples'])
    for (const e of enc) {
      expect(e.outcome).toBe('added')
      expect(e.old).toBeNull()
      expect(e.score).toBe(Number(interleave64(e.latCell, e.lonCell)))
      const z = s.call(['ZSCORE', 'g', e.member])
      expect(z).toEqual({ type: 'bulk', value: String(e.score) })
      const pos = s.call(['GEOPOS', 'g', e.member])
      if (pos.type !== 'array' || pos.value === null) throw new Error('no position')
      const [lon] = pos.value
      expect(lon).toMatchObject({ type: 'array' })
      // The decoded centre is within half a step-26 cell of the given coordinates.
      expect(Math.abs(e.decoded[0] - e.longitude)).toBeLessThan(360 / 2 ** 26)
      expect(Math.abs(e.decoded[1] - e.latitude)).toBeLessThan(171 / 2 ** 26)
    }
    // Palermo: the well-known geohash score of Redis's documentation.
    expect(enc[0]?.score).toBe(3479099956230698)
    // The encodings come before ZADD's own listpack steps.
    const firstLp = t.events.findIndex((e) => e.type === 'listpack/entryInserted')
    expect(t.events.findIndex((e) => e.type === 'geo/memberEncoded')).toBeLessThan(firstLp)
  })

  it('says updated, unchanged or skipped under NX / XX, a repeated member seeing the first', () => {
    const s = setup()
    const moved = ['13', '38', 'Palermo']
    let t = s.execute(['GEOADD', 'cities', 'NX', ...moved, '10', '40', 'New'])
    expect(geo(t.events, 'geo/memberEncoded').map((e) => e.outcome)).toEqual(['skipped', 'added'])
    t = s.execute(['GEOADD', 'cities', 'XX', ...moved, '11', '40', 'Other'])
    expect(geo(t.events, 'geo/memberEncoded').map((e) => e.outcome)).toEqual(['updated', 'skipped'])
    t = s.execute(['GEOADD', 'cities', 'CH', ...moved, '1', '1', 'Twice', '1', '1', 'Twice'])
    expect(geo(t.events, 'geo/memberEncoded').map((e) => e.outcome)).toEqual([
      'unchanged',
      'added',
      'unchanged',
    ])
    expect(t.reply).toEqual({ type: 'integer', value: 1 })
  })

  it('reports nothing for a key of another type (ZADD answers WRONGTYPE)', () => {
    const s = setup()
    s.call(['SET', 'str', 'x'])
    const t = s.execute(['GEOADD', 'str', '1', '1', 'a'])
    expect(t.reply.type).toBe('error')
    expect(geo(t.events, 'geo/memberEncoded')).toEqual([])
  })

  it('is kept at summary level; the reading steps are full only', () => {
    const s = setup('summary')
    expect(
      geo(s.execute(['GEOADD', 'cities', '1', '2', 'x']).events, 'geo/memberEncoded'),
    ).toHaveLength(1)
    const t = s.execute(['GEOSEARCH', 'cities', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'])
    expect(t.events.filter((e) => e.type.startsWith('geo/'))).toEqual([])
  })
})

describe('geo search events', () => {
  it('GEOSEARCH BYRADIUS: plan, the walked cells’ score ranges, every candidate, the cut', () => {
    const s = setup()
    const t = s.execute([
      'GEOSEARCH',
      'cities',
      'FROMLONLAT',
      '15',
      '37',
      'BYRADIUS',
      '200',
      'km',
      'ASC',
      'COUNT',
      '1',
    ])
    expect(t.reply).toEqual({ type: 'array', value: [{ type: 'bulk', value: 'Catania' }] })
    const [plan] = geo(t.events, 'geo/searchPlanned')
    if (!plan) throw new Error('no plan')
    expect(plan.shape).toEqual({ type: 'radius', radius: 200 })
    expect(plan.unit).toBe('km')
    expect(plan.radiusMeters).toBe(200000)
    // geohashEstimateStepsByRadius(200 km): 200000·2^n passes 20037726.37 at n = 7 → 8 − 2.
    expect(plan.estimatedStep).toBe(6)
    expect(plan.cells.map((c) => c.dir)).toEqual([
      'center',
      'north',
      'south',
      'east',
      'west',
      'northEast',
      'northWest',
      'southEast',
      'southWest',
    ])
    for (const c of plan.cells) {
      expect(geohashValidate(BigInt(c.hash), plan.step)).toEqual([])
      expect(c.area).toEqual(geohashDecodeArea(BigInt(c.hash), plan.step))
    }
    const centre = plan.cells[0]
    if (!centre) throw new Error('no centre')
    expect(centre.pruned).toBe(false)
    expect(15).toBeGreaterThanOrEqual(centre.area.lonMin)
    expect(15).toBeLessThan(centre.area.lonMax)
    const scanned = geo(t.events, 'geo/cellScanned')
    expect(scanned.map((c) => c.index)).toEqual(plan.cells.flatMap((c, i) => (c.pruned ? [] : [i])))
    const shift = 2 ** (52 - 2 * plan.step)
    for (const c of scanned) {
      expect(c.min).toBe((plan.cells[c.index]?.hash ?? -1) * shift)
      expect(c.max).toBe(c.min + shift)
    }
    const cands = geo(t.events, 'geo/candidateChecked')
    expect(cands.length).toBeGreaterThan(0)
    for (const c of cands) {
      const cell = scanned.find((x) => x.index === c.index)
      if (!cell) throw new Error('candidate outside a walked cell')
      expect(c.score).toBeGreaterThanOrEqual(cell.min)
      expect(c.score).toBeLessThan(cell.max)
      expect(c.kept).toBe(c.distance <= 200000)
    }
    const [res] = geo(t.events, 'geo/resultsSorted')
    expect(res?.found).toBe(cands.filter((c) => c.kept).length)
    expect(res?.sort).toBe('asc')
    expect(res?.algorithm).toBe('pqsort')
    expect(res?.returned.map((r) => r.member)).toEqual(['Catania'])
  })

  it('GEORADIUSBYMEMBER decodes the centre member; BYBOX reports the box', () => {
    const s = setup()
    let t = s.execute(['GEORADIUSBYMEMBER', 'cities', 'Rome', '300', 'km'])
    const [dec] = geo(t.events, 'geo/positionDecoded')
    expect(dec?.member).toBe('Rome')
    const [plan] = geo(t.events, 'geo/searchPlanned')
    expect(plan?.center).toEqual([dec?.longitude, dec?.latitude])
    t = s.execute(['GEOSEARCH', 'cities', 'FROMMEMBER', 'Rome', 'BYBOX', '400', '400', 'km'])
    const [box] = geo(t.events, 'geo/searchPlanned')
    expect(box?.shape).toEqual({ type: 'box', width: 400, height: 400 })
    expect(box?.radiusMeters).toBeCloseTo(Math.sqrt(2) * 200000, 6)
    const kept = geo(t.events, 'geo/candidateChecked').filter((c) => c.kept)
    const reply = t.reply.type === 'array' ? (t.reply.value ?? []) : []
    expect(kept.map((c) => c.member).sort()).toEqual(
      reply.map((r) => (r.type === 'bulk' ? r.value : '')).sort(),
    )
  })

  it('a huge radius walks repeated cells once: the repeat is reported as skipped', () => {
    const s = setup()
    const t = s.execute(['GEOSEARCH', 'cities', 'FROMLONLAT', '0', '0', 'BYRADIUS', '9000', 'km'])
    const [plan] = geo(t.events, 'geo/searchPlanned')
    expect(plan?.step).toBe(1)
    const dup = geo(t.events, 'geo/cellScanned').filter((c) => c.skipped === 'duplicate')
    expect(dup.length).toBeGreaterThan(0)
  })

  it('GEOSEARCHSTORE reports the stored members with their scores', () => {
    const s = setup()
    const t = s.execute([
      'GEOSEARCHSTORE',
      'near',
      'cities',
      'FROMLONLAT',
      '15',
      '37',
      'BYRADIUS',
      '200',
      'km',
    ])
    const [st] = geo(t.events, 'geo/resultsStored')
    expect(st?.key).toBe('near')
    expect(st?.source).toBe('cities')
    for (const m of st?.members ?? [])
      expect(s.call(['ZSCORE', 'near', m.member])).toEqual({
        type: 'bulk',
        value: String(m.score),
      })
  })
})

describe('GEOHASH, GEOPOS, GEODIST events', () => {
  it('GEOHASH re-encodes on -90..90 and reports the 11 characters it answers', () => {
    const s = setup()
    const t = s.execute(['GEOHASH', 'cities', 'Palermo', 'missing'])
    expect(t.reply).toEqual({
      type: 'array',
      value: [
        { type: 'bulk', value: 'sqc8b49rny0' },
        { type: 'bulk', value: null },
      ],
    })
    const [h] = geo(t.events, 'geo/hashEncoded')
    expect(h?.geohash).toBe('sqc8b49rny0')
    const [d] = geo(t.events, 'geo/positionDecoded')
    // Re-encoded on a wider latitude range: a different latitude cell, the same longitude's.
    expect(h?.lonCell).toBe(d?.lonCell)
    expect(h?.latCell).not.toBe(d?.latCell)
  })

  it('GEODIST decodes both members and reports the haversine distance', () => {
    const s = setup()
    const t = s.execute(['GEODIST', 'cities', 'Palermo', 'Catania', 'km'])
    expect(t.reply).toEqual({ type: 'bulk', value: '166.2742' })
    const [m] = geo(t.events, 'geo/distanceMeasured')
    expect(m?.unit).toBe('km')
    expect((m?.meters ?? 0) / 1000).toBeCloseTo(166.2742, 4)
    expect(geo(t.events, 'geo/positionDecoded').map((e) => e.member)).toEqual([
      'Palermo',
      'Catania',
    ])
  })
})

describe('tracing changes nothing', () => {
  it('gives the same replies and dataset at every trace level', () => {
    const script = [
      ['GEOADD', 'g', ...CITIES.flat()],
      ['GEOADD', 'g', 'XX', 'CH', '13', '38', 'Palermo', '1', '1', 'nope'],
      ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km', 'WITHDIST', 'ASC'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'Rome', 'BYBOX', '500', '900', 'km', 'COUNT', '2', 'ANY'],
      ['GEORADIUS', 'g', '15', '37', '500', 'km', 'STOREDIST', 'd'],
      ['GEOSEARCHSTORE', 'h', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '9000', 'km'],
      ['GEOHASH', 'g', 'Rome', 'x'],
      ['GEOPOS', 'g', 'Naples'],
      ['GEODIST', 'g', 'Rome', 'Naples', 'mi'],
      ['DEBUG', 'DIGEST'],
    ]
    const run = (trace: 'off' | 'summary' | 'full') => {
      const s = createServer({ seed: 11, clock: manualClock(), trace, enableDebugCommand: 'yes' })
      return script.map((argv) => s.call(argv))
    }
    const off = run('off')
    expect(run('summary')).toEqual(off)
    expect(run('full')).toEqual(off)
  })
})

describe('the geo view', () => {
  it('shows a zset of geohashes as a geo set carrying the zset’s own view', () => {
    const s = setup()
    const v = s.inspect('cities') as unknown as GeoView & { zset: { kind: string } }
    expect(v.kind).toBe('geo')
    expect(v.size).toBe(4)
    expect(v.points.map((p) => p.member)).toEqual(['Palermo', 'Catania', 'Rome', 'Naples'])
    expect(v.zset.kind).toBe('listpack')
    expect(v.density).toBeNull()
  })

  it('leaves other zsets alone: small or fractional scores are not positions', () => {
    const s = setup()
    s.call(['ZADD', 'ranks', '1', 'a', '2', 'b'])
    s.call(['ZADD', 'frac', '5000000000.5', 'a'])
    expect(s.inspect('ranks')?.kind).toBe('listpack')
    expect(s.inspect('frac')?.kind).toBe('listpack')
    expect(looksLikeGeoSet([])).toBe(false)
    expect(looksLikeGeoSet([['a', 2 ** 54]])).toBe(false)
    // A longitude at the top of its range gets cell 2^26: a score past 2^52, still geo.
    s.call(['GEOADD', 'edge', '179.99999999999997', '0', 'a'])
    expect(s.call(['ZSCORE', 'edge', 'a'])).toEqual({ type: 'bulk', value: '10133099161583616' })
    expect(s.inspect('edge')?.kind).toBe('geo')
    expect(geohashCellAtStep(10133099161583616, 6)).toEqual({ latCell: 32, lonCell: 63 })
  })

  it('past the limit lists the first points and counts all of them per step-6 cell', () => {
    const s = setup()
    const args: string[] = []
    for (let i = 0; i < 300; i++)
      args.push(String(-170 + i), String(-60 + (i % 120)), `m${String(i)}`)
    s.call(['GEOADD', 'many', ...args])
    const v = s.inspect('many', { limit: 50 }) as unknown as GeoView
    expect(v.kind).toBe('geo')
    expect(v.points).toHaveLength(50)
    expect(v.truncated).toBe(true)
    expect(v.density?.step).toBe(6)
    expect(v.density?.counts.reduce((a, b) => a + b, 0)).toBe(300)
  })

  it('geohashCellAtStep reads a score’s top bits as deinterleave64 does', () => {
    for (const score of [0, 1, 3479099956230698, 2 ** 52 - 1, 123456789012345]) {
      const [lat, lon] = deinterleave64(BigInt(score))
      expect(geohashCellAtStep(score, 26)).toEqual({ latCell: lat, lonCell: lon })
      expect(geohashCellAtStep(score, 6)).toEqual({
        latCell: Math.floor(lat / 2 ** 20),
        lonCell: Math.floor(lon / 2 ** 20),
      })
    }
  })
})
