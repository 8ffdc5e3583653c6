/**
 * The sorted-set type against a sorted-array model: random ZADD (with flags)/ZINCRBY/ZREM/
 * ZREMRANGEBYSCORE/ZPOPMIN sequences with a small zset-max-listpack-entries, so listpack →
 * skiplist conversions happen often. After every step: replies match the model, the
 * structure validates, and the encoding follows Redis's rules.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { zsetEntries, zsetValidate, type ZsetObject } from '../../src/engine/types/t_zset.ts'
import { createTypeHarness, flat } from '../engine/types/typeHarness.ts'

const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '1', '10', 'xyzw')
const score = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, -1.25, 1e20))
const op = fc.oneof(
  fc.record({
    cmd: fc.constant('ZADD' as const),
    flag: fc.constantFrom('', 'NX', 'XX', 'GT', 'LT'),
    pairs: fc.array(fc.tuple(score, member), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ cmd: fc.constant('ZINCRBY' as const), by: score, m: member }),
  fc.record({
    cmd: fc.constant('ZREM' as const),
    ms: fc.array(member, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    cmd: fc.constant('ZREMRANGEBYSCORE' as const),
    lo: fc.integer({ min: -5, max: 5 }),
    w: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ cmd: fc.constant('ZPOPMIN' as const), n: fc.integer({ min: 1, max: 3 }) }),
)

function sorted(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

test.prop([
  fc.array(op, { maxLength: 50 }),
  fc.integer({ min: 1, max: 6 }),
  fc.integer({ min: 1, max: 4 }),
])(
  'zset commands match a sorted model and conversions follow the thresholds',
  (ops, maxEntries, maxValue) => {
    const t = createTypeHarness(9, 'summary')
    t.exec('CONFIG', 'SET', 'zset-max-listpack-entries', String(maxEntries))
    t.exec('CONFIG', 'SET', 'zset-max-listpack-value', String(maxValue))
    const model = new Map<string, number>()
    let skiplist = false
    const adding = (m: string): void => {
      if (model.size === 0) skiplist = m.length > maxValue
      else if (!model.has(m) && (model.size + 1 > maxEntries || m.length > maxValue))
        skiplist = true
    }
    for (const o of ops) {
      if (o.cmd === 'ZADD') {
        const args: string[] = o.flag === '' ? [] : [o.flag]
        let added = 0
        for (const [s, m] of o.pairs) {
          args.push(String(s), m)
          const cur = model.get(m)
          if (cur === undefined) {
            if (o.flag === 'XX') continue
            adding(m)
            model.set(m, s)
            added++
          } else if (
            o.flag !== 'NX' &&
            !(o.flag === 'GT' && s <= cur) &&
            !(o.flag === 'LT' && s >= cur)
          )
            model.set(m, s)
        }
        if (model.size === 0 && o.flag === 'XX') skiplist = false
        expect(flat(t.exec('ZADD', 'z', ...args))).toBe(added)
      } else if (o.cmd === 'ZINCRBY') {
        if (!model.has(o.m)) adding(o.m)
        const next = (model.get(o.m) ?? 0) + o.by
        model.set(o.m, next)
        expect(Number(flat(t.exec('ZINCRBY', 'z', String(o.by), o.m)))).toBe(next)
      } else if (o.cmd === 'ZREM') {
        let n = 0
        for (const m of o.ms) if (model.delete(m)) n++
        expect(flat(t.exec('ZREM', 'z', ...o.ms))).toBe(n)
      } else if (o.cmd === 'ZREMRANGEBYSCORE') {
        let n = 0
        for (const [m, s] of [...model])
          if (s >= o.lo && s <= o.lo + o.w) n += model.delete(m) ? 1 : 0
        expect(flat(t.exec('ZREMRANGEBYSCORE', 'z', String(o.lo), String(o.lo + o.w)))).toBe(n)
      } else {
        const expected = sorted(model).slice(0, o.n)
        for (const [m] of expected) model.delete(m)
        const reply = flat(t.exec('ZPOPMIN', 'z', String(o.n))) as string[]
        expect(reply.filter((_, i) => i % 2 === 0)).toEqual(expected.map(([m]) => m))
      }
      const obj = t.obj('z') as ZsetObject | undefined
      if (model.size === 0) {
        expect(obj).toBeUndefined()
        continue
      }
      if (obj === undefined) throw new Error('zset missing')
      expect(obj.encoding).toBe(skiplist ? 'skiplist' : 'listpack')
      expect(zsetValidate(obj)).toEqual([])
      expect(zsetEntries(obj)).toEqual(sorted(model))
    }
  },
)
