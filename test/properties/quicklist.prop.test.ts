import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { createExecContext } from '../../src/engine/context.ts'
import { rngCreate } from '../../src/engine/rng.ts'
import {
  quicklistCreate,
  quicklistDelEntry,
  quicklistDelRange,
  quicklistGetIterator,
  quicklistGetIteratorAtIdx,
  quicklistGetIteratorEntryAtIdx,
  quicklistIndex,
  quicklistInsertAfter,
  quicklistInsertBefore,
  quicklistNext,
  quicklistPop,
  quicklistPushHead,
  quicklistPushTail,
  quicklistReleaseIterator,
  quicklistReplaceAtIndex,
  quicklistToArray,
  quicklistValidate,
} from '../../src/engine/structures/quicklist.ts'

// Short values, numbers (stored as listpack integers), repeated text that LZF compresses,
// and a few long ones so that byte limits and PLAIN nodes (threshold lowered to 1500) come
// into play.
const value = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 4 }), weight: 4 },
  { arbitrary: fc.integer({ min: -70000, max: 70000 }).map(String), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('ab', 'hello-', 'xyz'), fc.integer({ min: 4, max: 30 }), fc.nat(99))
      .map(([w, k, i]) => `${w.repeat(k)}${String(i)}`),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(300, 900, 1600).map((n) => 'v'.repeat(n)), weight: 1 },
)
const index = fc.integer({ min: -30, max: 30 })

type Op =
  | { k: 'pushHead' | 'pushTail'; v: string }
  | { k: 'popHead' | 'popTail' }
  | { k: 'insBefore' | 'insAfter'; i: number; v: string }
  | { k: 'replace'; i: number; v: string }
  | { k: 'delRange'; i: number; n: number }
  | { k: 'remove'; v: string; fromTail: boolean }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      k: fc.constantFrom('pushHead' as const, 'pushTail' as const),
      v: value,
    }),
    weight: 5,
  },
  fc.record({ k: fc.constantFrom('popHead' as const, 'popTail' as const) }),
  {
    arbitrary: fc.record({
      k: fc.constantFrom('insBefore' as const, 'insAfter' as const),
      i: index,
      v: value,
    }),
    weight: 3,
  },
  fc.record({ k: fc.constant('replace' as const), i: index, v: value }),
  fc.record({ k: fc.constant('delRange' as const), i: index, n: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ k: fc.constant('remove' as const), v: value, fromTail: fc.boolean() }),
)

const fill = fc.constantFrom(-1, -2, 1, 2, 3, 5, 16)
/** list-compress-depth: 0 (off) or 1..3 nodes kept raw at each end. */
const depth = fc.constantFrom(0, 1, 1, 2, 3)

function norm(i: number, len: number): number | null {
  const j = i < 0 ? len + i : i
  return j >= 0 && j < len ? j : null
}

test.prop([fill, depth, fc.array(op, { maxLength: 80 })])(
  'quicklist matches an array model and keeps its node and compression rules',
  (f, d, ops) => {
    const ctx = createExecContext(rngCreate(1), manualClock(), 'full')
    const ql = quicklistCreate(f, d)
    ql.packedThreshold = 1500
    let model: string[] = []
    let bytesRuleHolds = true
    for (const o of ops) {
      switch (o.k) {
        case 'pushHead':
          quicklistPushHead(ctx, ql, o.v, 'l')
          model.unshift(o.v)
          break
        case 'pushTail':
          quicklistPushTail(ctx, ql, o.v, 'l')
          model.push(o.v)
          break
        case 'popHead':
          expect(quicklistPop(ctx, ql, 'head', 'l')).toBe(model.shift() ?? null)
          break
        case 'popTail':
          expect(quicklistPop(ctx, ql, 'tail', 'l')).toBe(model.pop() ?? null)
          break
        case 'insBefore':
        case 'insAfter': {
          const j = norm(o.i, model.length)
          const found = quicklistGetIteratorEntryAtIdx(ql, o.i)
          expect(found === null).toBe(j === null)
          if (found === null || j === null) break
          if (o.k === 'insBefore') quicklistInsertBefore(ctx, ql, found.entry, o.v, 'l')
          else quicklistInsertAfter(ctx, ql, found.entry, o.v, 'l')
          model.splice(o.k === 'insBefore' ? j : j + 1, 0, o.v)
          bytesRuleHolds = false
          break
        }
        case 'replace': {
          const j = norm(o.i, model.length)
          expect(quicklistReplaceAtIndex(ctx, ql, o.i, o.v, 'l')).toBe(j !== null)
          if (j !== null) model[j] = o.v
          bytesRuleHolds = false
          break
        }
        case 'delRange': {
          const j = norm(o.i, model.length)
          const deleted = quicklistDelRange(ctx, ql, o.i, o.n, 'l')
          expect(deleted).toBe(j !== null && o.n > 0)
          if (j !== null) model.splice(j, o.n)
          break
        }
        case 'remove': {
          const it = quicklistGetIterator(ql, o.fromTail ? 'tail' : 'head')
          for (let e = quicklistNext(it); e; e = quicklistNext(it)) {
            if (e.value === o.v) quicklistDelEntry(ctx, it, e, 'l')
          }
          quicklistReleaseIterator(it)
          model = model.filter((x) => x !== o.v)
          break
        }
      }
      const rules = { fillCount: true, fillBytes: bytesRuleHolds, compress: true }
      expect(quicklistValidate(ql, rules)).toEqual([])
      expect(quicklistToArray(ql)).toEqual(model)
    }
    // Index lookups from both ends and reverse iteration agree with the model.
    model.forEach((v, i) => {
      expect(quicklistIndex(ql, i)).toBe(v)
      expect(quicklistIndex(ql, i - model.length)).toBe(v)
    })
    expect(quicklistValidate(ql, { compress: true })).toEqual([])
    const back: string[] = []
    const it = quicklistGetIteratorAtIdx(ql, 'tail', -1)
    for (let e = it && quicklistNext(it); e; e = it && quicklistNext(it)) back.push(e.value)
    expect(back).toEqual([...model].reverse())
  },
)
