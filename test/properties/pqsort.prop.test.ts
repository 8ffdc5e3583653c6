import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { pqsort } from '../../src/engine/util/pqsort.ts'

const byKey = (x: { k: number }, y: { k: number }) => x.k - y.k

describe('pqsort (pqsort.c)', () => {
  test.prop([
    fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }),
    fc.nat(220),
    fc.integer({ min: -1, max: 220 }),
  ])(
    'puts at lrange..rrange what a full sort puts there, smaller keys before, larger after',
    (keys, l, count) => {
      const a = keys.map((k, i) => ({ k, i }))
      const lrange = Math.min(l, a.length)
      const rrange = Math.min(count < 0 ? a.length - 1 : lrange + count - 1, a.length - 1)
      pqsort(a, byKey, lrange, rrange)
      const sorted = [...keys].sort((x, y) => x - y)
      // Still a permutation of the input.
      expect(a.map((e) => e.i).sort((x, y) => x - y)).toEqual(keys.map((_, i) => i))
      for (let j = lrange; j <= rrange; j++) expect(a[j]?.k).toBe(sorted[j])
      if (lrange <= rrange && a.length > 0) {
        const lo = a[lrange]?.k ?? 0
        const hi = a[rrange]?.k ?? 0
        for (let j = 0; j < lrange; j++) expect(a[j]?.k).toBeLessThanOrEqual(lo)
        for (let j = rrange + 1; j < a.length; j++) expect(a[j]?.k).toBeGreaterThanOrEqual(hi)
      }
    },
  )

  test.prop([fc.array(fc.integer(), { maxLength: 300 })])(
    'sorts everything when the range is the whole array',
    (keys) => {
      const a = [...keys]
      pqsort(a, (x, y) => (x < y ? -1 : x > y ? 1 : 0), 0, a.length - 1)
      expect(a).toEqual([...keys].sort((x, y) => x - y))
    },
  )

  it("leaves equal keys in the order Redis's pqsort.c leaves them (not stable)", () => {
    // Expected orders printed by pqsort.c itself (7.0.15, built beside this test once).
    const eq = Array.from({ length: 8 }, (_, i) => ({ k: 0, i }))
    pqsort(eq, byKey, 0, 2)
    expect(eq.map((e) => e.i)).toEqual([7, 1, 2, 3, 4, 5, 6, 0])
    // 50 elements (Tukey's ninther), keys 0..4, range 10..19.
    const b = Array.from({ length: 50 }, (_, i) => ({ k: (i * 7) % 5, i }))
    pqsort(b, byKey, 10, 19)
    expect(b.map((e) => e.i).join(' ')).toBe(
      '30 45 25 5 0 40 10 35 15 20 18 48 28 23 38 13 33 43 8 3 6 1 11 16 21 26 31 36 41 46 19 49 32 17 34 14 47 37 12 39 9 2 42 7 44 24 4 27 22 29',
    )
  })
})
