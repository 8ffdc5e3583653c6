/**
 * The bitmap/* events of SETBIT, GETBIT, BITCOUNT, BITPOS and BITFIELD, checked against the
 * replies; and tracing changes no reply.
 */
import { describe, expect, it } from 'vitest'
import type { StepEvent, StepEventOf } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'

function setup(trace: 'off' | 'summary' | 'full' = 'full') {
  return createServer({ seed: 3, clock: manualClock(), trace, enableDebugCommand: 'yes' })
}

function of<T extends StepEvent['type']>(events: readonly StepEvent[], type: T) {
  return events.filter((e): e is StepEventOf<T> => e.type === type)
}

describe('bitmap events', () => {
  it('SETBIT reports the byte, the bit from the left, old → new and the zero padding', () => {
    const s = setup()
    let t = s.execute(['SETBIT', 'b', '19', '1'])
    expect(of(t.events, 'bitmap/bitSet')).toEqual([
      {
        type: 'bitmap/bitSet',
        key: 'b',
        offset: 19,
        byte: 2,
        bit: 3,
        old: 0,
        value: 1,
        fromLen: 0,
        toLen: 3,
      },
    ])
    expect(s.call(['GET', 'b'])).toEqual({ type: 'bulk', value: '\0\0\x10' })
    t = s.execute(['SETBIT', 'b', '19', '0'])
    expect(of(t.events, 'bitmap/bitSet')[0]).toMatchObject({
      old: 1,
      value: 0,
      fromLen: 3,
      toLen: 3,
    })
    expect(t.reply).toEqual({ type: 'integer', value: 1 })
  })

  it('GETBIT, BITCOUNT and BITPOS report what they read (full level only)', () => {
    const s = setup()
    s.call(['SET', 'k', '\xff\xf0\x00'])
    let t = s.execute(['GETBIT', 'k', '12'])
    expect(of(t.events, 'bitmap/bitRead')[0]).toMatchObject({
      byte: 1,
      bit: 4,
      value: 0,
      length: 3,
    })
    t = s.execute(['GETBIT', 'k', '100'])
    expect(of(t.events, 'bitmap/bitRead')[0]).toMatchObject({ byte: 12, value: 0 })
    t = s.execute(['BITCOUNT', 'k', '5', '13', 'BIT'])
    expect(t.reply).toEqual({ type: 'integer', value: 7 })
    expect(of(t.events, 'bitmap/bitsCounted')[0]).toMatchObject({
      start: 0,
      end: 1,
      firstMask: 0xf8,
      lastMask: 0x03,
      count: 7,
    })
    t = s.execute(['BITPOS', 'k', '0'])
    expect(t.reply).toEqual({ type: 'integer', value: 12 })
    expect(of(t.events, 'bitmap/bitFound')[0]).toMatchObject({ bit: 0, start: 0, end: 2, pos: 12 })
    t = s.execute(['BITPOS', 'k', '1', '2'])
    expect(of(t.events, 'bitmap/bitFound')[0]).toMatchObject({ pos: -1 })
    const summary = setup('summary')
    summary.call(['SET', 'k', 'x'])
    expect(
      summary.execute(['BITCOUNT', 'k']).events.filter((e) => e.type.startsWith('bitmap/')),
    ).toEqual([])
  })

  it('BITFIELD reports each operation: old, new, the bits stored, FAIL refusing', () => {
    const s = setup()
    const t = s.execute([
      'BITFIELD',
      'f',
      'SET',
      'u8',
      '8',
      '255',
      'INCRBY',
      'u8',
      '8',
      '10',
      'OVERFLOW',
      'FAIL',
      'INCRBY',
      'i4',
      '0',
      '9',
      'GET',
      'u16',
      '0',
    ])
    const ops = of(t.events, 'bitmap/fieldAccessed')
    expect(ops.map((o) => [o.op, o.old, o.value, o.stored, o.overflow])).toEqual([
      ['set', '0', '255', '255', 'wrap'],
      ['incrby', '255', '9', '9', 'wrap'],
      ['incrby', '0', null, null, 'fail'],
      ['get', '9', null, null, 'fail'],
    ])
    expect(ops[0]).toMatchObject({ fromLen: 0, toLen: 2, bits: 8, offset: 8, signed: false })
    expect(t.reply).toEqual({
      type: 'array',
      value: [
        { type: 'integer', value: 0 },
        { type: 'integer', value: 9 },
        { type: 'bulk', value: null },
        { type: 'integer', value: 9 },
      ],
    })
  })

  it('tracing changes no reply', () => {
    const script = [
      ['SETBIT', 'a', '100', '1'],
      ['SETBIT', 'a', '7', '1'],
      ['GETBIT', 'a', '7'],
      ['BITCOUNT', 'a'],
      ['BITCOUNT', 'a', '1', '-1', 'BIT'],
      ['BITPOS', 'a', '1'],
      ['BITPOS', 'a', '0', '0', '-1', 'BIT'],
      ['BITFIELD', 'a', 'SET', 'i5', '3', '-7', 'INCRBY', 'u3', '#2', '9', 'GET', 'i8', '0'],
      ['BITFIELD_RO', 'a', 'GET', 'u4', '0'],
      ['SET', 'n', '12'],
      ['SETBIT', 'n', '0', '1'],
      ['GET', 'n'],
      ['DEBUG', 'DIGEST'],
    ]
    const run = (level: 'off' | 'summary' | 'full') => {
      const s = setup(level)
      return script.map((argv) => s.call(argv))
    }
    const off = run('off')
    expect(run('summary')).toEqual(off)
    expect(run('full')).toEqual(off)
  })
})
