/**
 * Bitmap commands: what the RESP replies cannot show (events, WATCH signalling of no-op
 * writes) and the bit helpers against naive models. Replies themselves are compared with
 * redis-server by test/conformance/scripts/bitops.redis.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bitpos,
  checkSignedBitfieldOverflow,
  checkUnsignedBitfieldOverflow,
  getSignedBitfield,
  getUnsignedBitfield,
  popcount,
  setUnsignedBitfield,
} from '../../../src/engine/commands/bitops.ts'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

const WRAP = 0
const SAT = 1
const FAIL = 2

/** The bit at `i` (MSB first), 0 past the end. */
function bitAt(s: string, i: number): number {
  const byte = Math.floor(i / 8)
  return byte < s.length ? (s.charCodeAt(byte) >> (7 - (i % 8))) & 1 : 0
}

const byteString = fc
  .array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 })
  .map((a) => String.fromCharCode(...a))

describe('bit helpers', () => {
  it('popcount and bitpos agree with a bit-by-bit scan', () => {
    fc.assert(
      fc.property(byteString, fc.nat(30), fc.nat(30), fc.constantFrom(0, 1), (s, a, n, bit) => {
        const start = Math.min(a, s.length)
        const count = Math.min(n, s.length - start)
        let ones = 0
        let first = -1
        for (let i = start * 8; i < (start + count) * 8; i++) {
          ones += bitAt(s, i)
          if (first < 0 && bitAt(s, i) === bit) first = i - start * 8
        }
        expect(popcount(s, start, count)).toBe(ones)
        expect(bitpos(s, start, count, bit)).toBe(first >= 0 ? first : bit ? -1 : count * 8)
      }),
    )
  })

  it('set then get a field round-trips and leaves the other bits alone', () => {
    fc.assert(
      fc.property(
        byteString.filter((s) => s.length >= 9),
        fc.integer({ min: 1, max: 64 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.nat(7),
        (s, bits, value, offset) => {
          const next = setUnsignedBitfield(s, offset, bits, value)
          const low = value & ((1n << BigInt(bits)) - 1n)
          expect(getUnsignedBitfield(next, offset, bits)).toBe(low)
          expect(getSignedBitfield(next, offset, bits)).toBe(BigInt.asIntN(bits, low))
          for (let i = 0; i < s.length * 8; i++)
            if (i < offset || i >= offset + bits) expect(bitAt(next, i)).toBe(bitAt(s, i))
        },
      ),
    )
  })

  it('reads bytes past the end as zeros', () => {
    expect(getUnsignedBitfield('\xff', 4, 8)).toBe(0xf0n)
    expect(getSignedBitfield('\xff', 4, 8)).toBe(-16n)
  })

  it('checks overflow with C 64-bit wrap-around', () => {
    expect(checkUnsignedBitfieldOverflow(250n, 10n, 8, WRAP)).toEqual({ dir: 1, limit: 4n })
    expect(checkUnsignedBitfieldOverflow(250n, 10n, 8, SAT)).toEqual({ dir: 1, limit: 255n })
    expect(checkUnsignedBitfieldOverflow(5n, -10n, 8, SAT)).toEqual({ dir: -1, limit: 0n })
    expect(checkUnsignedBitfieldOverflow(5n, -10n, 8, WRAP)).toEqual({ dir: -1, limit: 251n })
    expect(checkUnsignedBitfieldOverflow(5n, 10n, 8, FAIL).dir).toBe(0)
    // SET u8 -1: the value seen as unsigned 64-bit is above the maximum.
    expect(checkUnsignedBitfieldOverflow((1n << 64n) - 1n, 0n, 8, SAT).limit).toBe(255n)
    expect(checkSignedBitfieldOverflow(127n, 1n, 8, WRAP)).toEqual({ dir: 1, limit: -128n })
    expect(checkSignedBitfieldOverflow(-128n, -1n, 8, SAT)).toEqual({ dir: -1, limit: -128n })
    // SET i8 INT64_MIN: max - value wraps negative, so the "above" test fires first.
    const min64 = -(1n << 63n)
    expect(checkSignedBitfieldOverflow(min64, 0n, 8, SAT)).toEqual({ dir: 1, limit: 127n })
    expect(checkSignedBitfieldOverflow((1n << 63n) - 1n, 1n, 64, WRAP).limit).toBe(min64)
  })
})

describe('bitmap commands', () => {
  it('SETBIT unshares an embstr value and grows it greedily, with events', () => {
    const t = createTestEngine()
    t.exec('SET', 'e', 'hello')
    expect(t.exec('SETBIT', 'e', '80', '1')).toEqual(r.int(0))
    expect(t.eventsOfType('object/encodingConverted')).toEqual([
      {
        type: 'object/encodingConverted',
        key: 'e',
        from: 'embstr',
        to: 'raw',
        reason: 'setbit',
        params: { len: 5, shared: 0 },
      },
    ])
    // key, fromLen, toLen, fromAlloc, toAlloc, fromType, toType, rule (redis: avail 17).
    const grown = t
      .eventsOfType('sds/grown')
      .map((g) => [g.key, g.fromLen, g.toLen, g.fromAlloc, g.toAlloc, g.fromType, g.toType, g.rule])
    expect(grown).toEqual([['e', 5, 11, 5, 28, 5, 8, 'doubled']])
    expect(t.exec('OBJECT', 'ENCODING', 'e')).toEqual(r.bulk('raw'))
    // Longer but within the preallocated room: 'fits'; inside the string: no event.
    t.exec('SETBIT', 'e', '100', '1')
    expect(t.eventsOfType('sds/grown').map((g) => [g.toLen, g.toAlloc, g.rule])).toEqual([
      [13, 28, 'fits'],
    ])
    t.exec('SETBIT', 'e', '0', '1')
    expect(t.eventsOfType('sds/grown')).toEqual([])
  })

  it('BITFIELD growth is reported like SETBIT, and BITOP stores a raw string', () => {
    const t = createTestEngine()
    t.exec('SET', 'n', '7')
    t.exec('BITFIELD', 'n', 'SET', 'u8', '#4', '1')
    expect(t.eventsOfType('object/encodingConverted')[0]?.reason).toBe('bitfield')
    expect(t.eventsOfType('sds/grown')[0]?.toLen).toBe(5)
    t.exec('BITOP', 'NOT', 'd', 'n')
    expect(t.eventsOfType('object/created')).toEqual([
      { type: 'object/created', key: 'd', objType: 'string', encoding: 'raw', shared: false },
    ])
  })

  it('a write that changes no bit does not touch WATCHed keys', () => {
    const t = createTestEngine()
    const other = t.newClient()
    t.exec('SETBIT', 'k', '3', '1')
    t.exec('WATCH', 'k')
    t.execOn(other, 'SETBIT', 'k', '3', '1')
    t.execOn(other, 'BITFIELD', 'k', 'SET', 'u4', '0', '1')
    t.execOn(other, 'BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u4', '0', '100')
    t.exec('MULTI')
    t.exec('GETBIT', 'k', '3')
    expect(t.exec('EXEC')).toEqual(r.arr([r.int(1)]))
    t.exec('WATCH', 'k')
    t.execOn(other, 'SETBIT', 'k', '3', '0')
    t.exec('MULTI')
    t.exec('GETBIT', 'k', '3')
    expect(t.exec('EXEC')).toEqual(r.arr(null))
  })
})
