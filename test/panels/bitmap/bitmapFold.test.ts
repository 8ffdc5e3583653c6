/**
 * "The animation cannot lie" for bitmaps: folding SETBIT and BITFIELD's bitmap/* events onto
 * the string before the command (applyBitmapEvent) gives the engine's string view after it,
 * zero padding included; and the pure helpers the panel draws with.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import {
  applyBitmapEvent,
  bitmapModelFromView,
  byteWindow,
  emptyBitmapModel,
  highlightOf,
  inRange,
  writeBits,
  type BitmapModel,
} from '../../../src/panels/bitmap/bitmapModel.ts'
import type { StringView } from '../../../src/panels/string/stringLayout.ts'

function modelOf(s: ReturnType<typeof createServer>, key: string): BitmapModel | null {
  const v = s.inspect(key)
  return v?.kind === 'string' ? bitmapModelFromView(v as unknown as StringView) : null
}

const setbit = fc.tuple(
  fc.constant('SETBIT'),
  fc.integer({ min: 0, max: 4000 }),
  fc.constantFrom(0, 1),
)
const field = fc.tuple(
  fc.constant('BITFIELD'),
  fc.constantFrom('SET', 'INCRBY', 'GET'),
  fc.constantFrom('u1', 'u8', 'i5', 'i16', 'u63', 'i64'),
  fc.integer({ min: 0, max: 3900 }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom('WRAP', 'SAT', 'FAIL'),
)

describe('applyBitmapEvent', () => {
  test.prop(
    [
      fc.array(fc.oneof(setbit, field), { minLength: 1, maxLength: 15 }),
      fc.constantFrom('summary', 'full'),
      fc.boolean(),
    ],
    { numRuns: 60 },
  )('folds SETBIT / BITFIELD onto the before view into the after view', (cmds, level, startInt) => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: level as 'summary' | 'full' })
    if (startInt) s.call(['SET', 'b', '12345'])
    for (const c of cmds) {
      const before = modelOf(s, 'b') ?? emptyBitmapModel('b')
      const argv =
        c[0] === 'SETBIT'
          ? ['SETBIT', 'b', String(c[1]), String(c[2])]
          : [
              'BITFIELD',
              'b',
              'OVERFLOW',
              c[5],
              c[1],
              c[2],
              String(c[3]),
              ...(c[1] === 'GET' ? [] : [String(c[4])]),
            ]
      const t = s.execute(argv)
      expect(t.reply.type).not.toBe('error')
      expect(t.events.reduce(applyBitmapEvent, before)).toEqual(
        modelOf(s, 'b') ?? emptyBitmapModel('b'),
      )
    }
  })
})

describe('bitmap helpers', () => {
  it('writeBits writes MSB first across a byte boundary', () => {
    expect(writeBits('\0\0', 6, 4, 0b1011n)).toBe('\x02\xc0')
  })

  it('inRange leaves out the edge bits of a BIT range', () => {
    const r = { start: 0, end: 1, firstMask: 0xf8, lastMask: 0x03 }
    expect([4, 5, 13, 14].map((p) => inRange(r, p))).toEqual([false, true, true, false])
  })

  it('highlightOf lights a SETBIT’s bit and its padding; byteWindow keeps the focus in view', () => {
    const h = highlightOf({
      type: 'bitmap/bitSet',
      key: 'b',
      offset: 19,
      byte: 2,
      bit: 3,
      old: 0,
      value: 1,
      fromLen: 1,
      toLen: 3,
    })
    expect(h).toEqual({ bits: [19, 19], range: null, padded: [1, 3] })
    expect(byteWindow(100, 90, 32)).toEqual([68, 100])
    expect(byteWindow(10, 3, 32)).toEqual([0, 10])
  })
})
