import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { clearEvents, createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import { rngCreate, rngNextInt, type Rng } from '../../../src/engine/rng.ts'
import {
  ziplistBlobLen,
  ziplistDelete,
  ziplistDeleteRange,
  ziplistEntries,
  ziplistGet,
  ziplistIndex,
  ziplistInsert,
  ziplistLen,
  ziplistNew,
  ziplistNext,
  ziplistPrev,
  ziplistPush,
  ziplistValidate,
  ziplistWalk,
  type Ziplist,
} from '../../../src/engine/structures/ziplist.ts'

function ctxOf(): ExecContext {
  return createExecContext(rngCreate(1), manualClock(), 'full')
}

function build(ctx: ExecContext, values: readonly string[]): Ziplist {
  const zl = ziplistNew()
  for (const v of values) ziplistPush(ctx, zl, v, 'tail', 'k')
  return zl
}

describe('ziplistNew', () => {
  it('is 11 bytes: zlbytes 11, zltail 10, zllen 0, end', () => {
    expect([...ziplistNew().buf]).toEqual([11, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0xff])
  })
})

describe('encodings', () => {
  it('writes prevlen, encoding and data for strings and small integers', () => {
    const zl = build(ctxOf(), ['hello', '5'])
    expect([...zl.buf]).toEqual([
      20, 0, 0, 0, 17, 0, 0, 0, 2, 0, 0, 0x05, 104, 101, 108, 108, 111, 7, 0xf6, 0xff,
    ])
  })

  it('uses immediates for 0..12, then int8/16/24/32/64', () => {
    const zl = build(ctxOf(), ['0', '12', '13', '-128', '128', '32768', '8388608', '2147483648'])
    expect(ziplistWalk(zl).map((e) => [e.encoding, e.len])).toEqual([
      [0xf1, 0],
      [0xfd, 0],
      [0xfe, 1],
      [0xfe, 1],
      [0xc0, 2],
      [0xf0, 3],
      [0xd0, 4],
      [0xe0, 8],
    ])
    expect(ziplistEntries(zl)).toEqual([
      '0',
      '12',
      '13',
      '-128',
      '128',
      '32768',
      '8388608',
      '2147483648',
    ])
  })

  it('stores 14-bit string lengths big-endian', () => {
    const zl = build(ctxOf(), ['x'.repeat(300)])
    expect([...zl.buf.subarray(10, 13)]).toEqual([0, 0x41, 0x2c])
    expect(ziplistGet(zl, 10)).toBe('x'.repeat(300))
  })

  it('keeps 32+ character numbers and non-canonical ones as strings', () => {
    const zl = build(ctxOf(), ['007', '1'.repeat(19)])
    expect(ziplistWalk(zl).map((e) => e.encoding)).toEqual([0x00, 0xe0])
  })
})

describe('navigation', () => {
  it('walks forward and back through prevlen, and indexes from both ends', () => {
    const zl = build(ctxOf(), ['a', 'b'.repeat(300), 'c'])
    const p1 = ziplistIndex(zl, 1) ?? -1
    expect(ziplistGet(zl, p1)).toBe('b'.repeat(300))
    expect(ziplistGet(zl, ziplistNext(zl, p1) ?? -1)).toBe('c')
    expect(ziplistGet(zl, ziplistPrev(zl, p1) ?? -1)).toBe('a')
    expect(ziplistGet(zl, ziplistIndex(zl, -1) ?? -1)).toBe('c')
    expect(ziplistGet(zl, ziplistIndex(zl, -3) ?? -1)).toBe('a')
    expect(ziplistIndex(zl, 3)).toBeNull()
    expect(ziplistIndex(zl, -4)).toBeNull()
    expect(ziplistWalk(zl)[2]?.prevrawlensize).toBe(5)
  })
})

describe('__ziplistCascadeUpdate', () => {
  // Entries of exactly 250 bytes: 1 prevlen + 2 encoding + 247 data.
  const mid = 'm'.repeat(247)

  it('grows every 250-253 byte entry when a 254+ byte entry is inserted in front', () => {
    const ctx = ctxOf()
    const zl = build(ctx, [mid, mid, mid, mid, mid])
    expect(ziplistBlobLen(zl)).toBe(11 + 5 * 250)
    clearEvents(ctx)
    ziplistPush(ctx, zl, 'B'.repeat(300), 'head', 'k')
    expect(ziplistValidate(zl)).toEqual([])
    expect(ziplistBlobLen(zl)).toBe(11 + 303 + 5 * 254)
    expect(ziplistWalk(zl).map((e) => e.prevrawlensize)).toEqual([1, 5, 5, 5, 5, 5])
    expect(ctx.events).toEqual([
      {
        type: 'ziplist/cascadeUpdated',
        key: 'k',
        entries: [
          { index: 1, offset: 10 + 303 },
          { index: 2, offset: 10 + 303 + 254 },
          { index: 3, offset: 10 + 303 + 2 * 254 },
          { index: 4, offset: 10 + 303 + 3 * 254 },
          { index: 5, offset: 10 + 303 + 4 * 254 },
        ],
      },
    ])
    expect(ziplistEntries(zl)).toEqual(['B'.repeat(300), mid, mid, mid, mid, mid])
  })

  it('stops at the first entry that does not cross 254', () => {
    const ctx = ctxOf()
    const zl = build(ctx, [mid, mid, 'short', mid])
    clearEvents(ctx)
    ziplistPush(ctx, zl, 'B'.repeat(300), 'head', 'k')
    expect(ctx.events[0]).toMatchObject({ entries: [{ index: 1 }, { index: 2 }, { index: 3 }] })
    expect(ziplistWalk(zl).map((e) => e.prevrawlensize)).toEqual([1, 5, 5, 5, 1])
    expect(ziplistValidate(zl)).toEqual([])
  })

  it('cascades on delete when a big entry becomes the predecessor', () => {
    const ctx = ctxOf()
    const zl = build(ctx, ['B'.repeat(300), 'x', mid, mid])
    clearEvents(ctx)
    ziplistDelete(ctx, zl, ziplistIndex(zl, 1) ?? -1, 'k')
    expect(ziplistEntries(zl)).toEqual(['B'.repeat(300), mid, mid])
    expect(ctx.events[0]).toMatchObject({ entries: [{ index: 1 }, { index: 2 }] })
    expect(ziplistValidate(zl)).toEqual([])
  })

  it('shrinks the next prevlen on delete but never shrinks one in the cascade', () => {
    const ctx = ctxOf()
    const zl = build(ctx, [mid, mid])
    ziplistPush(ctx, zl, 'B'.repeat(300), 'head', 'k')
    expect(ziplistWalk(zl).map((e) => e.prevrawlensize)).toEqual([1, 5, 5])
    ziplistDelete(ctx, zl, ZIP_HEAD, 'k')
    expect(ziplistWalk(zl).map((e) => [e.prevrawlensize, e.prevrawlen])).toEqual([
      [1, 0],
      [5, 250],
    ])
    expect(ziplistValidate(zl)).toEqual([])
  })
})

const ZIP_HEAD = 10

describe('random edits keep the ziplist valid', () => {
  it('matches an array model over 3000 seeded operations', () => {
    const ctx = createExecContext(rngCreate(5), manualClock(), 'off')
    const rng: Rng = rngCreate(99)
    const zl = ziplistNew()
    const model: string[] = []
    const sizes = [0, 1, 60, 247, 248, 249, 250, 251, 300]
    for (let step = 0; step < 3000; step++) {
      const r = rngNextInt(rng, 10)
      if (r < 6 || model.length === 0) {
        const v =
          rngNextInt(rng, 4) === 0
            ? String(rngNextInt(rng, 100000) - 50000)
            : 'v'.repeat(sizes[rngNextInt(rng, sizes.length)] ?? 1)
        const i = rngNextInt(rng, model.length + 1)
        const p = i === model.length ? ziplistBlobLen(zl) - 1 : (ziplistIndex(zl, i) ?? -1)
        ziplistInsert(ctx, zl, p, v, 'k')
        model.splice(i, 0, v)
      } else if (r < 9) {
        const i = rngNextInt(rng, model.length)
        ziplistDelete(ctx, zl, ziplistIndex(zl, i) ?? -1, 'k')
        model.splice(i, 1)
      } else {
        const i = rngNextInt(rng, model.length)
        const n = 1 + rngNextInt(rng, 3)
        ziplistDeleteRange(ctx, zl, i, n, 'k')
        model.splice(i, n)
      }
      expect(ziplistValidate(zl)).toEqual([])
      expect(ziplistLen(zl)).toBe(model.length)
    }
    expect(ziplistEntries(zl)).toEqual(model)
  })
})
