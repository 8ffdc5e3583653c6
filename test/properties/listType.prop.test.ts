/**
 * The list type against an array model: random pushes, pops (with counts), LINSERT, LSET,
 * LREM, LTRIM with a small list-max-listpack-size so nodes split and merge often. After
 * every step the replies match, the quicklist validates and holds the model's elements.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { quicklistToArray } from '../../src/engine/structures/quicklist.ts'
import { listTypeValidate, type ListObject } from '../../src/engine/types/t_list.ts'
import { createTypeHarness, flat } from '../engine/types/typeHarness.ts'

const ele = fc.oneof(
  fc.constantFrom('a', 'b', '1', '-7', '300', 'zz'),
  fc.string({ maxLength: 12 }),
)
const op = fc.oneof(
  fc.record({
    cmd: fc.constantFrom('LPUSH' as const, 'RPUSH' as const),
    es: fc.array(ele, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    cmd: fc.constantFrom('LPOP' as const, 'RPOP' as const),
    n: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ cmd: fc.constant('LINSERT' as const), after: fc.boolean(), pivot: ele, e: ele }),
  fc.record({ cmd: fc.constant('LSET' as const), i: fc.integer({ min: -6, max: 6 }), e: ele }),
  fc.record({ cmd: fc.constant('LREM' as const), n: fc.integer({ min: -2, max: 2 }), e: ele }),
  fc.record({
    cmd: fc.constant('LTRIM' as const),
    s: fc.integer({ min: -4, max: 4 }),
    e: fc.integer({ min: -4, max: 8 }),
  }),
)

function norm(len: number, s: number, e: number): [number, number] | null {
  if (s < 0) s += len
  if (e < 0) e += len
  if (s < 0) s = 0
  if (s > e || s >= len) return null
  return [s, Math.min(e, len - 1)]
}

test.prop([fc.array(op, { maxLength: 60 }), fc.constantFrom(-1, 1, 2, 3, 5)])(
  'list commands match an array and the quicklist stays valid',
  (ops, fill) => {
    const t = createTypeHarness(11, 'summary')
    t.exec('CONFIG', 'SET', 'list-max-listpack-size', String(fill))
    let model: string[] = []
    for (const o of ops) {
      switch (o.cmd) {
        case 'LPUSH':
          for (const e of o.es) model.unshift(e)
          expect(flat(t.exec('LPUSH', 'l', ...o.es))).toBe(model.length)
          break
        case 'RPUSH':
          model.push(...o.es)
          expect(flat(t.exec('RPUSH', 'l', ...o.es))).toBe(model.length)
          break
        case 'LPOP':
        case 'RPOP': {
          const exists = model.length > 0
          const popped = o.cmd === 'LPOP' ? model.splice(0, o.n) : model.splice(-o.n).reverse()
          const reply = flat(t.exec(o.cmd, 'l', String(o.n)))
          expect(reply).toEqual(exists ? popped : null)
          break
        }
        case 'LINSERT': {
          const at = model.indexOf(o.pivot)
          const reply = flat(t.exec('LINSERT', 'l', o.after ? 'AFTER' : 'BEFORE', o.pivot, o.e))
          if (model.length === 0) expect(reply).toBe(0)
          else if (at < 0) expect(reply).toBe(-1)
          else {
            model.splice(o.after ? at + 1 : at, 0, o.e)
            expect(reply).toBe(model.length)
          }
          break
        }
        case 'LSET': {
          const reply = t.exec('LSET', 'l', String(o.i), o.e)
          const idx = o.i < 0 ? model.length + o.i : o.i
          if (model.length === 0 || idx < 0 || idx >= model.length) expect(reply.type).toBe('error')
          else {
            model[idx] = o.e
            expect(reply.type).toBe('simple')
          }
          break
        }
        case 'LREM': {
          const limit = Math.abs(o.n)
          const idxs = model.map((v, i) => (v === o.e ? i : -1)).filter((i) => i >= 0)
          const pick = o.n < 0 ? idxs.reverse() : idxs
          const drop = new Set(limit === 0 ? pick : pick.slice(0, limit))
          const removed = drop.size
          model = model.filter((_, i) => !drop.has(i))
          expect(flat(t.exec('LREM', 'l', String(o.n), o.e))).toBe(removed)
          break
        }
        case 'LTRIM': {
          const r = norm(model.length, o.s, o.e)
          model = r === null ? [] : model.slice(r[0], r[1] + 1)
          t.exec('LTRIM', 'l', String(o.s), String(o.e))
          break
        }
      }
      const obj = t.obj('l') as ListObject | undefined
      if (model.length === 0) {
        expect(obj).toBeUndefined()
        continue
      }
      if (obj === undefined) throw new Error('list missing')
      expect(listTypeValidate(obj)).toEqual([])
      expect(quicklistToArray(obj.ptr)).toEqual(model)
    }
  },
)
