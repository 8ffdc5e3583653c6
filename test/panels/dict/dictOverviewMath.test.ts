import { describe, expect, it } from 'vitest'
import { overviewColumns } from '../../../src/panels/dict/dictOverviewMath.ts'

describe('overviewColumns(occ, width)', () => {
  it('bins buckets evenly into columns with max and mean', () => {
    const cols = overviewColumns(Uint16Array.from([0, 2, 1, 1, 0, 0, 3, 1]), 4)
    expect(cols.map((c) => [c.from, c.to, c.max, c.mean])).toEqual([
      [0, 2, 2, 1],
      [2, 4, 1, 1],
      [4, 6, 0, 0],
      [6, 8, 3, 2],
    ])
  })

  it('never makes more columns than buckets', () => {
    expect(overviewColumns(Uint16Array.from([1, 2]), 1000)).toHaveLength(2)
  })

  it('covers a million buckets exactly once', () => {
    const occ = new Uint16Array(1 << 20).fill(1)
    const cols = overviewColumns(occ, 1000)
    expect(cols).toHaveLength(1000)
    expect(cols.reduce((s, c) => s + (c.to - c.from), 0)).toBe(1 << 20)
    expect(cols.every((c) => c.mean === 1)).toBe(true)
  })
})
