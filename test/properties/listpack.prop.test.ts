import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import {
  LP_SILENT,
  lpAppend,
  lpBytes,
  lpDelete,
  lpDeleteRange,
  lpEntries,
  lpEntrySizeOf,
  lpFirst,
  lpFind,
  lpGet,
  lpInsertString,
  lpLength,
  lpNew,
  lpPrepend,
  lpReplace,
  lpSeek,
  lpValidate,
} from '../../src/engine/structures/listpack.ts'

// Elements biased towards encoding boundaries: small and large integers, non-canonical
// numbers, and strings around the 64- and 4096-byte length thresholds.
const element = fc.oneof(
  fc.integer({ min: -5000, max: 5000 }).map(String),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
  fc.constantFrom('007', '-0', '', '127', '128', '-4097', '8388608', '9223372036854775808'),
  fc.string({ unit: 'binary-ascii', maxLength: 10 }),
  fc.constantFrom(63, 64, 65, 127, 128, 4095, 4096).map((n) => 'z'.repeat(n)),
)

type Op =
  | { kind: 'append'; ele: string }
  | { kind: 'prepend'; ele: string }
  | { kind: 'insert'; at: number; ele: string; where: 'before' | 'after' }
  | { kind: 'replace'; at: number; ele: string }
  | { kind: 'delete'; at: number }
  | { kind: 'deleteRange'; at: number; num: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), ele: element }),
  fc.record({ kind: fc.constant('prepend' as const), ele: element }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.integer({ min: -40, max: 40 }),
    ele: element,
    where: fc.constantFrom('before' as const, 'after' as const),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.integer({ min: -40, max: 40 }),
    ele: element,
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.integer({ min: -40, max: 40 }) }),
  fc.record({
    kind: fc.constant('deleteRange' as const),
    at: fc.integer({ min: -40, max: 40 }),
    num: fc.integer({ min: 0, max: 6 }),
  }),
)

function norm(index: number, len: number): number | null {
  const i = index < 0 ? len + index : index
  return i >= 0 && i < len ? i : null
}

test.prop([fc.array(op, { maxLength: 60 })])(
  'listpack bytes parse back to the model and the sizes add up',
  (ops) => {
    const lp = lpNew()
    const model: string[] = []
    for (const o of ops) {
      if (o.kind === 'append') {
        lpAppend(LP_SILENT, lp, o.ele, 'k')
        model.push(o.ele)
      } else if (o.kind === 'prepend') {
        lpPrepend(LP_SILENT, lp, o.ele, 'k')
        model.unshift(o.ele)
      } else {
        const i = norm(o.at, model.length)
        const p = lpSeek(lp, o.at)
        expect(p === null).toBe(i === null)
        if (p === null || i === null) continue
        if (o.kind === 'insert') {
          lpInsertString(LP_SILENT, lp, o.ele, p, o.where, 'k')
          model.splice(o.where === 'before' ? i : i + 1, 0, o.ele)
        } else if (o.kind === 'replace') {
          lpReplace(LP_SILENT, lp, p, o.ele, 'k')
          model[i] = o.ele
        } else if (o.kind === 'delete') {
          lpDelete(LP_SILENT, lp, p, 'k')
          model.splice(i, 1)
        } else {
          lpDeleteRange(LP_SILENT, lp, o.at, o.num, 'k')
          model.splice(i, o.num)
        }
      }
      expect(lpValidate(lp)).toEqual([])
      expect(lpEntries(lp)).toEqual(model)
      expect(lpLength(lp)).toBe(model.length)
      expect(lpBytes(lp)).toBe(7 + model.reduce((n, e) => n + lpEntrySizeOf(e), 0))
    }
    for (const e of model) {
      const p = lpFind(lp, lpFirst(lp), e, 0)
      expect(p === null ? null : lpGet(lp, p)).toBe(e)
    }
  },
)
