import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { clearEvents, createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import type { TraceLevel } from '../../../src/engine/events.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  intsetAdd,
  intsetBlob,
  intsetBlobLen,
  intsetFind,
  intsetGet,
  intsetLen,
  intsetNew,
  intsetRandom,
  intsetRemove,
  intsetSearch,
  intsetToArray,
  intsetValidate,
  type Intset,
} from '../../../src/engine/structures/intset.ts'

function ctxOf(level: TraceLevel = 'full', seed = 1): ExecContext {
  return createExecContext(rngCreate(seed), manualClock(), level)
}

function build(ctx: ExecContext, values: readonly bigint[]): Intset {
  const is = intsetNew()
  for (const v of values) intsetAdd(ctx, is, v, 's')
  return is
}

describe('intsetNew', () => {
  it('starts as INT16 with length 0 and an 8-byte blob', () => {
    const is = intsetNew()
    expect(is.encoding).toBe(2)
    expect(intsetLen(is)).toBe(0)
    expect(intsetBlobLen(is)).toBe(8)
    expect([...intsetBlob(is)]).toEqual([2, 0, 0, 0, 0, 0, 0, 0])
  })
})

describe('intsetAdd', () => {
  it('keeps values sorted little-endian int16 and reports the tail move', () => {
    const ctx = ctxOf()
    const is = build(ctx, [5n, 1n])
    expect([...intsetBlob(is)]).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 5, 0])
    const inserted = ctx.events.filter((e) => e.type === 'intset/inserted')
    expect(inserted).toEqual([
      { type: 'intset/inserted', key: 's', value: '5', pos: 0, moved: 0, length: 1 },
      { type: 'intset/inserted', key: 's', value: '1', pos: 0, moved: 1, length: 2 },
    ])
  })

  it('returns false for a duplicate and leaves the set alone', () => {
    const ctx = ctxOf()
    const is = build(ctx, [1n, 2n, 3n])
    expect(intsetAdd(ctx, is, 2n, 's')).toBe(false)
    expect(intsetToArray(is)).toEqual([1n, 2n, 3n])
  })

  it('upgrades INT16 → INT32 when 70000 arrives, moving elements from the end', () => {
    const ctx = ctxOf()
    const is = build(ctx, [1n, 2n, 3n])
    clearEvents(ctx)
    expect(intsetAdd(ctx, is, 70000n, 's')).toBe(true)
    expect(is.encoding).toBe(4)
    expect(intsetBlobLen(is)).toBe(8 + 4 * 4)
    expect([...intsetBlob(is)]).toEqual([
      4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x70, 0x11, 0x01, 0x00,
    ])
    expect(ctx.events).toEqual([
      {
        type: 'intset/upgraded',
        key: 's',
        from: 2,
        to: 4,
        value: '70000',
        prepend: false,
        moves: [
          { from: 2, to: 2 },
          { from: 1, to: 1 },
          { from: 0, to: 0 },
        ],
      },
    ])
  })

  it('prepends a negative value that forces the upgrade, shifting every element right', () => {
    const ctx = ctxOf()
    const is = build(ctx, [1n, 2n])
    clearEvents(ctx)
    intsetAdd(ctx, is, -5000000000n, 's')
    expect(is.encoding).toBe(8)
    expect(intsetToArray(is)).toEqual([-5000000000n, 1n, 2n])
    expect(ctx.events[0]).toMatchObject({
      type: 'intset/upgraded',
      from: 2,
      to: 8,
      prepend: true,
      moves: [
        { from: 1, to: 2 },
        { from: 0, to: 1 },
      ],
    })
  })

  it('stores int64 extremes', () => {
    const ctx = ctxOf()
    const is = build(ctx, [9223372036854775807n, -9223372036854775808n, 0n])
    expect(intsetToArray(is)).toEqual([-9223372036854775808n, 0n, 9223372036854775807n])
    expect(intsetValidate(is)).toEqual([])
  })
})

describe('bytes observed in Redis 7.0.15 (DUMP of intset-encoded sets)', () => {
  it('matches SADD s 5 1 -2, then 70000, and SADD s2 1 2 -5000000000', () => {
    const ctx = ctxOf('off')
    const s = build(ctx, [5n, 1n, -2n])
    expect([...intsetBlob(s)]).toEqual([2, 0, 0, 0, 3, 0, 0, 0, 0xfe, 0xff, 1, 0, 5, 0])
    intsetAdd(ctx, s, 70000n, 's')
    expect([...intsetBlob(s)]).toEqual([
      4, 0, 0, 0, 4, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 1, 0, 0, 0, 5, 0, 0, 0, 0x70, 0x11, 1, 0,
    ])
    const s2 = build(ctx, [1n, 2n, -5000000000n])
    expect([...intsetBlob(s2)]).toEqual([
      8, 0, 0, 0, 3, 0, 0, 0, 0x00, 0x0e, 0xfa, 0xd5, 0xfe, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0,
      0, 2, 0, 0, 0, 0, 0, 0, 0,
    ])
  })
})

describe('intsetSearch', () => {
  it('answers from the max check alone when the value is above every element', () => {
    const ctx = ctxOf()
    const is = build(ctx, [10n, 20n, 30n, 40n])
    clearEvents(ctx)
    expect(intsetSearch(ctx, is, 50n, 's')).toEqual({ found: false, pos: 4 })
    expect(ctx.events).toEqual([
      { type: 'intset/searched', key: 's', value: '50', probes: [3], pos: 4, found: false },
    ])
  })

  it('answers from the min check when the value is below every element', () => {
    const ctx = ctxOf()
    const is = build(ctx, [10n, 20n])
    expect(intsetSearch(ctx, is, 5n, 's')).toEqual({ found: false, pos: 0 })
  })

  it('binary searches with mid = (min + max) >> 1', () => {
    const ctx = ctxOf()
    const is = build(ctx, [10n, 20n, 30n, 40n, 50n, 60n, 70n])
    clearEvents(ctx)
    expect(intsetSearch(ctx, is, 60n, 's')).toEqual({ found: true, pos: 5 })
    expect(ctx.events[0]).toMatchObject({ probes: [6, 0, 3, 5] })
    expect(intsetSearch(ctx, is, 35n, 's')).toEqual({ found: false, pos: 3 })
  })

  it('emits nothing at summary level', () => {
    const ctx = ctxOf('summary')
    const is = build(ctx, [1n])
    intsetSearch(ctx, is, 1n, 's')
    expect(ctx.events.some((e) => e.type === 'intset/searched')).toBe(false)
  })
})

describe('intsetRemove', () => {
  it('moves the tail left and never downgrades', () => {
    const ctx = ctxOf()
    const is = build(ctx, [1n, 70000n, 3n])
    expect(intsetRemove(ctx, is, 70000n, 's')).toBe(true)
    expect(is.encoding).toBe(4)
    expect(intsetToArray(is)).toEqual([1n, 3n])
    expect(intsetBlobLen(is)).toBe(16)
    expect(intsetRemove(ctx, is, 70000n, 's')).toBe(false)
    expect(ctx.events.filter((e) => e.type === 'intset/removed')).toEqual([
      { type: 'intset/removed', key: 's', value: '70000', pos: 2, length: 2 },
    ])
  })

  it('does not search for a value wider than the encoding', () => {
    const ctx = ctxOf()
    const is = build(ctx, [1n])
    clearEvents(ctx)
    expect(intsetRemove(ctx, is, 1n << 40n, 's')).toBe(false)
    expect(intsetFind(ctx, is, 1n << 40n, 's')).toBe(false)
    expect(ctx.events).toEqual([])
  })
})

describe('intsetGet / intsetRandom', () => {
  it('gets by position and null out of range', () => {
    const ctx = ctxOf()
    const is = build(ctx, [7n, 8n])
    expect(intsetGet(is, 1)).toBe(8n)
    expect(intsetGet(is, 2)).toBeNull()
  })

  it('draws rand() % length from ctx.rng deterministically', () => {
    const is = build(ctxOf(), [1n, 2n, 3n, 4n, 5n])
    const a = ctxOf('off', 42)
    const b = ctxOf('off', 42)
    const da = Array.from({ length: 20 }, () => intsetRandom(a, is))
    const db = Array.from({ length: 20 }, () => intsetRandom(b, is))
    expect(da).toEqual(db)
    expect(new Set(da).size).toBeGreaterThan(1)
  })
})

describe('intsetValidate', () => {
  it('reports unsorted contents and a wrong size', () => {
    const is = intsetNew()
    is.length = 2
    is.contents = new Uint8Array([2, 0, 1, 0])
    expect(intsetValidate(is)).toEqual(['element 1 (1) not above 2'])
    is.length = 3
    expect(intsetValidate(is)).toEqual(['contents is 4 bytes, expected 6'])
  })
})
