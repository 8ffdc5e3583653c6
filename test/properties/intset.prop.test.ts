import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { createExecContext } from '../../src/engine/context.ts'
import { rngCreate } from '../../src/engine/rng.ts'
import {
  intsetAdd,
  intsetBlobLen,
  intsetFind,
  intsetNew,
  intsetRemove,
  intsetToArray,
  intsetValidate,
  intsetValueEncoding,
} from '../../src/engine/structures/intset.ts'

// Values biased to cross the int16 / int32 / int64 boundaries.
const value = fc.oneof(
  fc.bigInt({ min: -40n, max: 40n }),
  fc.constantFrom(32767n, 32768n, -32768n, -32769n, 2147483647n, 2147483648n, -2147483649n),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
)
const op = fc.record({ add: fc.boolean(), v: value })

test.prop([fc.array(op, { maxLength: 120 })])(
  'intset matches a sorted unique array and its encoding is the widest ever needed',
  (ops) => {
    const ctx = createExecContext(rngCreate(7), manualClock(), 'full')
    const is = intsetNew()
    let model: bigint[] = []
    let widest = 2
    for (const { add, v } of ops) {
      if (add) {
        const had = model.includes(v)
        expect(intsetAdd(ctx, is, v, 's')).toBe(!had)
        if (!had) model = [...model, v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        widest = Math.max(widest, intsetValueEncoding(v))
      } else {
        const had = model.includes(v)
        expect(intsetRemove(ctx, is, v, 's')).toBe(had)
        model = model.filter((x) => x !== v)
      }
      expect(intsetValidate(is)).toEqual([])
      expect(intsetToArray(is)).toEqual(model)
      expect(is.encoding).toBe(widest)
      expect(intsetBlobLen(is)).toBe(8 + model.length * widest)
      expect(intsetFind(ctx, is, v, 's')).toBe(model.includes(v))
    }
  },
)
