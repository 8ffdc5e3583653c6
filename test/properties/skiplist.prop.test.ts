import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { createExecContext } from '../../src/engine/context.ts'
import { rngCreate } from '../../src/engine/rng.ts'
import {
  zslCreate,
  zslDelete,
  zslDeleteRangeByRank,
  zslDeleteRangeByScore,
  zslGetElementByRank,
  zslGetRank,
  zslInsert,
  zslNodes,
  zslUpdateScore,
  zslValidate,
} from '../../src/engine/structures/skiplist.ts'

interface Entry {
  score: number
  ele: string
}

const cmp = (a: Entry, b: Entry): number =>
  a.score - b.score || (a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0)

const member = fc.string({ unit: 'binary-ascii', maxLength: 3 })
const score = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(-Infinity, Infinity, 0.5))

type Op =
  | { kind: 'add'; ele: string; score: number }
  | { kind: 'del'; ele: string }
  | { kind: 'incr'; ele: string; score: number }
  | { kind: 'delRank'; start: number; len: number }
  | { kind: 'delScore'; min: number; max: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('add' as const), ele: member, score }), weight: 4 },
  fc.record({ kind: fc.constant('del' as const), ele: member }),
  fc.record({ kind: fc.constant('incr' as const), ele: member, score }),
  fc.record({ kind: fc.constant('delRank' as const), start: fc.nat(20), len: fc.nat(3) }),
  fc.record({
    kind: fc.constant('delScore' as const),
    min: fc.integer({ min: -5, max: 5 }),
    max: fc.integer({ min: -5, max: 5 }),
  }),
)

test.prop([fc.array(op, { maxLength: 80 }), fc.integer()])(
  'skiplist matches a sorted array; spans sum to ranks at every level',
  (ops, seed) => {
    const ctx = createExecContext(rngCreate(seed), manualClock(), 'off')
    const zsl = zslCreate()
    let model: Entry[] = []
    for (const o of ops) {
      const existing = model.find((e) => 'ele' in o && e.ele === o.ele)
      if (o.kind === 'add' && existing === undefined) {
        zslInsert(ctx, zsl, o.score, o.ele, 'z')
        model.push({ score: o.score, ele: o.ele })
      } else if (o.kind === 'del' && existing !== undefined) {
        expect(zslDelete(ctx, zsl, existing.score, existing.ele, 'z')?.ele).toBe(o.ele)
        model = model.filter((e) => e !== existing)
      } else if (o.kind === 'incr' && existing !== undefined) {
        zslUpdateScore(ctx, zsl, existing.score, existing.ele, o.score, 'z')
        existing.score = o.score
      } else if (o.kind === 'delRank') {
        model.sort(cmp)
        const start = o.start + 1
        const end = start + o.len
        const n = zslDeleteRangeByRank(ctx, zsl, start, end, 'z')
        const removed = model.splice(start - 1, o.len + 1)
        expect(n).toBe(removed.length)
      } else if (o.kind === 'delScore') {
        const range = { min: o.min, max: o.max, minex: false, maxex: true }
        const n = zslDeleteRangeByScore(ctx, zsl, range, 'z')
        const keep = model.filter((e) => !(e.score >= o.min && e.score < o.max))
        expect(n).toBe(model.length - keep.length)
        model = keep
      }
      model.sort(cmp)
      expect(zslValidate(zsl)).toEqual([])
      expect(zslNodes(zsl).map((n) => [n.score, n.ele])).toEqual(model.map((e) => [e.score, e.ele]))
      model.forEach((e, i) => {
        expect(zslGetRank(ctx, zsl, e.score, e.ele, 'z')).toBe(i + 1)
        expect(zslGetElementByRank(ctx, zsl, i + 1, 'z')?.ele).toBe(e.ele)
      })
    }
  },
)

test.prop([fc.array(fc.tuple(score, member), { maxLength: 40 }), fc.integer()])(
  'the same seed and inserts give deep-equal traces, and tracing does not change the levels',
  (pairs, seed) => {
    const run = (level: 'off' | 'full') => {
      const ctx = createExecContext(rngCreate(seed), manualClock(), level)
      const zsl = zslCreate()
      const seen = new Set<string>()
      for (const [s, m] of pairs) {
        if (seen.has(m)) continue
        seen.add(m)
        zslInsert(ctx, zsl, s, m, 'z')
      }
      return { events: ctx.events, levels: zslNodes(zsl).map((n) => n.level.length) }
    }
    const a = run('full')
    const b = run('full')
    const c = run('off')
    expect(a.events).toEqual(b.events)
    expect(c.levels).toEqual(a.levels)
    expect(c.events).toEqual([])
  },
)
