/**
 * The set type against a Set model: random SADD/SREM/SPOP/SMOVE-free sequences with a small
 * set-max-intset-entries, crossing intset → hashtable often. After every step: replies
 * match, the structure validates, the encoding follows Redis's rules.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { setTypeMembers, setTypeValidate, type SetObject } from '../../src/engine/types/t_set.ts'
import { createTypeHarness, flat } from '../engine/types/typeHarness.ts'

const member = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('70000', '-5000000000', '9223372036854775807', '007', '+1', 'x', 'abc'),
)
const op = fc.oneof(
  fc.record({
    cmd: fc.constant('SADD' as const),
    ms: fc.array(member, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    cmd: fc.constant('SREM' as const),
    ms: fc.array(member, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ cmd: fc.constant('SPOP' as const), n: fc.integer({ min: 1, max: 4 }) }),
)
const isInt = (m: string): boolean =>
  /^(0|-?[1-9][0-9]*)$/.test(m) &&
  BigInt(m) <= 9223372036854775807n &&
  BigInt(m) >= -9223372036854775808n

test.prop([fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 8 })])(
  'set commands match a Set and conversions follow the thresholds',
  (ops, maxEntries) => {
    const t = createTypeHarness(5, 'summary')
    t.exec('CONFIG', 'SET', 'set-max-intset-entries', String(maxEntries))
    const model = new Set<string>()
    let expectHt = false
    for (const o of ops) {
      switch (o.cmd) {
        case 'SADD': {
          const fresh = model.size === 0
          let added = 0
          if (fresh) expectHt = !isInt(o.ms[0] ?? '')
          for (const m of o.ms) {
            if (!model.has(m)) {
              added++
              model.add(m)
              if (!isInt(m) || model.size > maxEntries) expectHt = true
            }
          }
          expect(flat(t.exec('SADD', 's', ...o.ms))).toBe(added)
          break
        }
        case 'SREM': {
          let n = 0
          for (const m of o.ms) if (model.delete(m)) n++
          expect(flat(t.exec('SREM', 's', ...o.ms))).toBe(n)
          break
        }
        case 'SPOP': {
          const popped = flat(t.exec('SPOP', 's', String(o.n))) as string[]
          expect(popped.length).toBe(Math.min(o.n, model.size))
          for (const m of popped) expect(model.delete(m)).toBe(true)
          // Popping most members rebuilds the rest as a new set (intset if all integers).
          const obj = t.obj('s') as SetObject | undefined
          if (obj !== undefined && obj.encoding === 'intset') expectHt = false
          break
        }
      }
      const obj = t.obj('s') as SetObject | undefined
      if (model.size === 0) {
        expect(obj).toBeUndefined()
        continue
      }
      if (obj === undefined) throw new Error('set missing')
      expect(obj.encoding).toBe(expectHt ? 'hashtable' : 'intset')
      expect(setTypeValidate(obj)).toEqual([])
      expect(new Set(setTypeMembers(obj))).toEqual(model)
    }
  },
)
