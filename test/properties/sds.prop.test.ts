import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { jemallocIsSizeClass } from '../../src/engine/structures/jemalloc.ts'
import {
  SDS_MAX_PREALLOC,
  sdsAvail,
  sdsCatLen,
  sdsGrowZero,
  sdsHdrSize,
  sdsMakeRoomFor,
  sdsNewLen,
  sdsRemoveFreeSpace,
  sdsReqType,
  sdsValidate,
  sdsZmallocSize,
  type Sds,
} from '../../src/engine/structures/sds.ts'

type Op =
  | { kind: 'cat'; n: number }
  | { kind: 'trim'; regrow: boolean }
  | { kind: 'growzero'; extra: number }
  | { kind: 'room'; n: number; greedy: boolean }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('cat' as const),
      n: fc.integer({ min: 0, max: 3000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trim' as const), regrow: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('growzero' as const),
      extra: fc.integer({ min: 0, max: 500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('room' as const),
      n: fc.integer({ min: 0, max: 70_000 }),
      greedy: fc.boolean(),
    }),
  },
)

test.prop([fc.integer({ min: 0, max: 400 }), fc.array(opArb, { maxLength: 60 })], { numRuns: 200 })(
  'keeps the bytes of a plain string model and its invariants under any edit sequence',
  (initial, ops) => {
    let model = 'i'.repeat(initial)
    let s: Sds = sdsNewLen(model)
    let byte = 0
    for (const op of ops) {
      const before = s
      switch (op.kind) {
        case 'cat': {
          const t = String.fromCharCode(byte++ & 0xff).repeat(op.n)
          s = sdsCatLen(s, t)
          model += t
          if (sdsAvail(before) < op.n) {
            // Greedy: room for at least double (below 1 MiB) or +1 MiB, never type 5.
            const need = before.buf.length + op.n
            const want = need < SDS_MAX_PREALLOC ? need * 2 : need + SDS_MAX_PREALLOC
            expect(s.type).toBe(Math.max(8, sdsReqType(want)))
            expect(s.alloc).toBeGreaterThanOrEqual(Math.min(want, 255))
          } else {
            expect(s.alloc).toBe(before.alloc)
            expect(s.type).toBe(before.type)
          }
          break
        }
        case 'trim':
          s = sdsRemoveFreeSpace(s, op.regrow)
          expect(s.alloc).toBe(model.length)
          // Already tight (type 5 records alloc == len): returned unchanged, as in C.
          if (before.alloc === model.length) expect(s).toBe(before)
          else if (op.regrow) expect(s.type).not.toBe(5)
          break
        case 'growzero':
          s = sdsGrowZero(s, model.length + op.extra)
          model += '\0'.repeat(op.extra)
          break
        case 'room': {
          const r = sdsMakeRoomFor(s, op.n, op.greedy)
          s = r.sds
          expect(sdsAvail(s)).toBeGreaterThanOrEqual(op.n)
          if (r.rule === 'fits') expect(s).toBe(before)
          break
        }
      }
      expect(s.buf).toBe(model)
      expect(sdsValidate(s)).toEqual([])
      expect(jemallocIsSizeClass(sdsZmallocSize(s))).toBe(true)
      expect(sdsZmallocSize(s)).toBeGreaterThanOrEqual(sdsHdrSize(s.type) + s.alloc + 1)
    }
  },
)

test.prop([fc.integer({ min: 0, max: 100_000 })])(
  'sdsNewLen takes the whole usable size unless the header type caps it',
  (len) => {
    const s = sdsNewLen('z'.repeat(len))
    const hdr = sdsHdrSize(s.type)
    const usable = sdsZmallocSize(s)
    expect(usable).toBeGreaterThanOrEqual(hdr + len + 1)
    if (s.type !== 5 && s.alloc < 255) expect(hdr + s.alloc + 1).toBe(usable)
    expect(sdsValidate(s)).toEqual([])
  },
)
