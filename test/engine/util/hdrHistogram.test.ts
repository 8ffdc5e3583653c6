import { describe, expect, it } from 'vitest'
import {
  hdrCreate,
  hdrLogCdf,
  hdrRecordValue,
  hdrValueAtPercentile,
} from '../../../src/engine/util/hdrHistogram.ts'
import { formatFixed } from '../../../src/engine/util/numbers.ts'

/**
 * Expected values come from Redis 7.0.15's own deps/hdr_histogram compiled with
 * hdr_init(1, 1e9, 2), the log iteration of latency.c fillCommandCDF and
 * hdr_value_at_percentile / 1000 printed with %.3f (INFO latencystats).
 */
const CASES: [number[], string][] = [
  [[0], '1 1 | 0.001 0.001 0.001 0.001 0.001 0.001'],
  [
    [5, 100, 2000, 40000, 1000000, 600000000, 1000000000],
    '1 2 2 3 66 4 1056 5 1073741 7 | 0.005 40.191 1002438.655 1002438.655 1002438.655 0.005',
  ],
  [
    [1024, 1031, 1032, 2047, 2048, 16384, 16511, 16512],
    '1 2 2 5 16 7 33 8 | 1.024 2.047 16.639 16.639 16.639 1.031',
  ],
  [
    [3000, 3000, 3000, 250000, 999999, 7, 536870912, 536870911],
    '1 1 4 4 264 5 1056 6 541065 8 | 0.007 3.007 541065.215 541065.215 541065.215 0.007',
  ],
]

describe('hdr_histogram as Redis configures it for latency tracking', () => {
  it.each(CASES)('records %j like HdrHistogram_c', (values, expected) => {
    const h = hdrCreate()
    for (const v of values) hdrRecordValue(h, v)
    const cdf = hdrLogCdf(h).flat().join(' ')
    const ps = [0, 50, 99, 99.9, 100, 12.5]
      .map((p) => formatFixed(hdrValueAtPercentile(h, p) / 1000, 3))
      .join(' ')
    expect(`${cdf} | ${ps}`).toBe(expected)
    expect(h.totalCount).toBe(values.length)
  })

  it('reports nothing for an empty histogram', () => {
    const h = hdrCreate()
    expect(hdrLogCdf(h)).toEqual([])
    expect(hdrValueAtPercentile(h, 50)).toBe(0)
  })
})
