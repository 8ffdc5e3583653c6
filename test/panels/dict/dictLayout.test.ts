import { describe, expect, it } from 'vitest'
import { dictModelFromView } from '../../../src/panels/dict/dictModel.ts'
import {
  DETAIL_LIMIT,
  ENTRY_GAP,
  ENTRY_W,
  SLOT_W,
  fitsDetail,
  layoutDict,
  occupancy,
} from '../../../src/panels/dict/dictLayout.ts'
import { dictFrameAt, dictKeyframes } from '../../../src/panels/dict/dictTimeline.ts'

const rehashing = dictModelFromView({
  ref: 'd',
  size: 3,
  buckets: 12,
  rehashIdx: 1,
  tables: [
    {
      table: 0,
      exp: 2,
      size: 4,
      used: 2,
      buckets: [{ index: 2, keys: ['a', 'b'] }],
      truncated: false,
    },
    { table: 1, exp: 3, size: 8, used: 1, buckets: [{ index: 4, keys: ['c'] }], truncated: false },
  ],
})

describe('layoutDict(model, box)', () => {
  const l = layoutDict(rehashing, { width: 1000, height: 600 })

  it('draws both tables side by side, table 0 at x = 0', () => {
    expect(l.tables.map((t) => t.table)).toEqual([0, 1])
    expect(l.tables[0]?.x).toBe(0)
    expect(l.tables[1]?.x).toBeGreaterThan(400)
    expect(l.buckets).toHaveLength(12)
  })

  it('places chain entries to the right of their bucket, head first', () => {
    const a = l.entries.find((e) => e.key === 'a')
    const b = l.entries.find((e) => e.key === 'b')
    expect(a?.x).toBe(SLOT_W + ENTRY_GAP)
    expect(b?.x).toBe(SLOT_W + ENTRY_GAP + ENTRY_W + ENTRY_GAP)
    expect(a?.y).toBe(b?.y)
  })

  it('marks table 0 buckets below rehashidx as done and places the marker at rehashidx', () => {
    expect(l.buckets.find((b) => b.id === 'bucket:0:0')?.done).toBe(true)
    expect(l.buckets.find((b) => b.id === 'bucket:0:1')?.done).toBe(false)
    expect(l.rehashY).toBe(l.buckets.find((b) => b.id === 'bucket:0:1')?.y)
  })

  it('lays out only the zoomed bucket range', () => {
    const z = layoutDict(rehashing, { width: 1000, height: 600 }, [2, 3])
    expect(z.buckets.map((b) => b.id)).toEqual(['bucket:0:2', 'bucket:1:2'])
    expect(z.entries.map((e) => e.key)).toEqual(['a', 'b'])
  })
})

describe('fitsDetail and occupancy', () => {
  it('switches to the overview past the element budget', () => {
    const big = dictModelFromView({
      ref: 'd',
      size: 0,
      buckets: DETAIL_LIMIT * 2,
      rehashIdx: -1,
      tables: [{ table: 0, exp: 12, size: 4096, used: 0, buckets: [], truncated: false }],
    })
    expect(fitsDetail(big)).toBe(false)
    expect(fitsDetail(big, [0, 64])).toBe(true)
    expect(fitsDetail(rehashing)).toBe(true)
  })

  it('counts chain lengths per bucket', () => {
    expect([...occupancy(rehashing, 0)]).toEqual([0, 0, 2, 0])
  })
})

describe('dictKeyframes / dictFrameAt', () => {
  const before = layoutDict(rehashing, { width: 1000, height: 600 })
  const moved = dictModelFromView({
    ref: 'd',
    size: 3,
    buckets: 12,
    rehashIdx: 3,
    tables: [
      { table: 0, exp: 2, size: 4, used: 0, buckets: [], truncated: false },
      {
        table: 1,
        exp: 3,
        size: 8,
        used: 3,
        buckets: [
          { index: 2, keys: ['b', 'a'] },
          { index: 4, keys: ['c'] },
        ],
        truncated: false,
      },
    ],
  })
  const after = layoutDict(moved, { width: 1000, height: 600 })
  const kf = dictKeyframes(before, after)

  it('starts at the old positions and ends at the new ones', () => {
    const a0 = dictFrameAt(kf, 0).find((f) => f.key === 'a')
    const a1 = dictFrameAt(kf, 1).find((f) => f.key === 'a')
    const from = before.entries.find((e) => e.key === 'a')
    const to = after.entries.find((e) => e.key === 'a')
    expect([a0?.x, a0?.y]).toEqual([from?.x, from?.y])
    expect([a1?.x, a1?.y]).toEqual([to?.x, to?.y])
    expect(a1?.active).toBe(true)
  })

  it('is halfway at t = 0.5 (cubic in-out is symmetric)', () => {
    const mid = dictFrameAt(kf, 0.5).find((f) => f.key === 'a')
    const from = before.entries.find((e) => e.key === 'a')
    const to = after.entries.find((e) => e.key === 'a')
    expect(mid?.x).toBeCloseTo(((from?.x ?? 0) + (to?.x ?? 0)) / 2)
  })

  it('keeps entries that did not move still and inactive', () => {
    const c = dictFrameAt(kf, 0.5).find((f) => f.key === 'c')
    expect(c?.active).toBe(false)
  })
})
