/**
 * The hash type against a Map model: random HSET/HSETNX/HDEL/HINCRBY sequences with small
 * thresholds (CONFIG SET) so listpack → hashtable conversions happen often. After every
 * step: the reply matches the model, the structure validates, and the encoding is the one
 * Redis's rules give (hashtable once any rule fired, never back).
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import {
  hashTypeEntries,
  hashTypeValidate,
  type HashObject,
} from '../../src/engine/types/t_hash.ts'
import { createTypeHarness, flat } from '../engine/types/typeHarness.ts'

const field = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', '1', '2', '-3'),
  fc.string({ maxLength: 9 }),
)
const value = fc.oneof(
  fc.constantFrom('1', '-5', 'x', '', '9223372036854775807'),
  fc.string({ maxLength: 9 }),
)
const op = fc.oneof(
  fc.record({
    cmd: fc.constant('HSET' as const),
    pairs: fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ cmd: fc.constant('HSETNX' as const), f: field, v: value }),
  fc.record({
    cmd: fc.constant('HDEL' as const),
    fs: fc.array(field, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ cmd: fc.constant('HINCRBY' as const), f: field, n: fc.integer({ min: -5, max: 5 }) }),
)

test.prop([
  fc.array(op, { maxLength: 60 }),
  fc.integer({ min: 1, max: 6 }),
  fc.integer({ min: 1, max: 8 }),
])(
  'hash commands match a Map and conversions follow the thresholds',
  (ops, maxEntries, maxValue) => {
    const t = createTypeHarness(3, 'summary')
    t.exec('CONFIG', 'SET', 'hash-max-listpack-entries', String(maxEntries))
    t.exec('CONFIG', 'SET', 'hash-max-listpack-value', String(maxValue))
    const model = new Map<string, string>()
    let converted = false
    for (const o of ops) {
      let args: string[] = []
      switch (o.cmd) {
        case 'HSET': {
          args = o.pairs.flat()
          let created = 0
          for (const [f, v] of o.pairs) {
            if (!model.has(f)) created++
            model.set(f, v)
          }
          expect(flat(t.exec('HSET', 'h', ...args))).toBe(created)
          break
        }
        case 'HSETNX': {
          args = model.has(o.f) ? [] : [o.f, o.v]
          const had = model.has(o.f)
          if (!had) model.set(o.f, o.v)
          expect(flat(t.exec('HSETNX', 'h', o.f, o.v))).toBe(had ? 0 : 1)
          break
        }
        case 'HDEL': {
          let n = 0
          for (const f of o.fs) if (model.delete(f)) n++
          expect(flat(t.exec('HDEL', 'h', ...o.fs))).toBe(n)
          break
        }
        case 'HINCRBY': {
          const cur = model.get(o.f) ?? '0'
          const reply = t.exec('HINCRBY', 'h', o.f, String(o.n))
          if (
            !/^(0|-?[1-9][0-9]*)$/.test(cur) ||
            BigInt(cur) + BigInt(o.n) > 9223372036854775807n
          ) {
            expect(reply.type).toBe('error')
          } else {
            const next = (BigInt(cur) + BigInt(o.n)).toString()
            model.set(o.f, next)
            args = [o.f, next]
            expect(flat(reply)).toBe(
              BigInt(next) === BigInt(Number(next)) ? Number(next) : BigInt(next),
            )
          }
          break
        }
      }
      const obj = t.obj('h') as HashObject | undefined
      if (model.size === 0) {
        expect(obj).toBeUndefined()
        converted = false
        continue
      }
      if (obj === undefined) throw new Error('hash missing')
      if (args.some((a) => a.length > maxValue) || model.size > maxEntries) converted = true
      expect(obj.encoding).toBe(converted ? 'hashtable' : 'listpack')
      expect(hashTypeValidate(obj)).toEqual([])
      expect(new Map(hashTypeEntries(obj))).toEqual(model)
    }
  },
)
