import { describe, expect, it } from 'vitest'
import {
  SDS_MAX_PREALLOC,
  sdsAllocSize,
  sdsAvail,
  sdsCat,
  sdsCatLen,
  sdsDup,
  sdsEmpty,
  sdsGrowZero,
  sdsHdrSize,
  sdsMakeRoomFor,
  sdsNewLen,
  sdsRemoveFreeSpace,
  sdsReqType,
  sdsResize,
  sdsValidate,
  sdsZmallocSize,
  sdstrim,
  type Sds,
} from '../../../src/engine/structures/sds.ts'

const x = (n: number, c = 'x'): string => c.repeat(n)

describe('sdsReqType / sdsHdrSize', () => {
  it('picks the smallest header for the length', () => {
    expect([0, 31, 32, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32].map(sdsReqType)).toEqual([
      5, 5, 8, 8, 16, 16, 32, 32, 64,
    ])
    expect(([5, 8, 16, 32, 64] as const).map(sdsHdrSize)).toEqual([1, 3, 5, 9, 17])
  })
})

describe('sdsNewLen', () => {
  it('creates an empty string as type 8 with the 8-byte class slack (alloc 4)', () => {
    expect(sdsEmpty()).toEqual({ buf: '', alloc: 4, type: 8 })
    expect(sdsZmallocSize(sdsEmpty())).toBe(8)
  })

  it('creates short strings as type 5 with no free space', () => {
    const s = sdsNewLen('hello')
    expect(s).toEqual({ buf: 'hello', alloc: 5, type: 5 })
    expect(sdsAvail(s)).toBe(0)
    expect(sdsAllocSize(s)).toBe(7)
    expect(sdsZmallocSize(s)).toBe(8)
  })

  it('records the jemalloc usable size as capacity', () => {
    // 50 bytes: sdshdr8 3 + 50 + 1 = 54 → class 64 → alloc 60.
    expect(sdsNewLen(x(50))).toEqual({ buf: x(50), alloc: 60, type: 8 })
    // 300 bytes: sdshdr16 5 + 300 + 1 = 306 → class 320 → alloc 314.
    expect(sdsNewLen(x(300)).alloc).toBe(314)
    // 253 bytes: 3 + 253 + 1 = 257 → class 320, but type 8 caps alloc at 255.
    const capped = sdsNewLen(x(253))
    expect(capped).toEqual({ buf: x(253), alloc: 255, type: 8 })
    expect(sdsZmallocSize(capped)).toBe(320)
    expect(sdsDup(capped)).toEqual(capped)
  })
})

describe('sdsMakeRoomFor', () => {
  it('returns the sds unchanged when the free space suffices', () => {
    const s = sdsEmpty()
    const r = sdsMakeRoomFor(s, 4)
    expect(r.rule).toBe('fits')
    expect(r.sds).toBe(s)
  })

  it('doubles below 1 MiB, never uses type 5, and adds 1 MiB above', () => {
    expect(sdsMakeRoomFor(sdsNewLen(x(10)), 1)).toEqual({
      sds: { buf: x(10), alloc: 28, type: 8 },
      rule: 'doubled',
    })
    // 2,000,000 bytes: type 32, 9 + 2,000,000 + 1 → class 2,097,152 → alloc 2,097,142.
    const big = sdsNewLen(x(2_000_000))
    expect(big.alloc).toBe(2_097_142)
    const r = sdsMakeRoomFor(big, 97_143)
    expect(r.rule).toBe('plus1mb')
    // newlen 2,097,143 + 1 MiB = 3,145,719 → 3,145,729 bytes → class 3,670,016.
    expect(r.sds.alloc).toBe(3_670_016 - 10)
    expect(r.sds.type).toBe(32)
  })

  it('grows exactly when not greedy', () => {
    expect(sdsMakeRoomFor(sdsNewLen(x(10)), 30, false)).toEqual({
      // newlen 40 → 3 + 40 + 1 = 44 → class 48 → alloc 44.
      sds: { buf: x(10), alloc: 44, type: 8 },
      rule: 'exact',
    })
    expect(SDS_MAX_PREALLOC).toBe(1_048_576)
  })
})

describe('sdsCatLen (APPEND growth)', () => {
  it('follows the sequence observed with DEBUG SDSLEN on redis 7.0.15', () => {
    // APPEND s xxxxxxxxxx (embstr) then APPEND a / 62 b / 315 c: the value is unshared into a
    // raw sds (sdsnewlen of the 10 bytes, type 5) and grown greedily.
    let s: Sds = sdsNewLen(x(10))
    const seen: [number, number, number, number][] = []
    for (const add of ['a', x(62, 'b'), x(315, 'c')]) {
      s = sdsCatLen(s, add)
      seen.push([s.buf.length, sdsAvail(s), sdsZmallocSize(s), s.type])
      expect(sdsValidate(s)).toEqual([])
    }
    expect(seen).toEqual([
      [11, 17, 32, 8],
      [73, 83, 160, 8],
      [388, 502, 896, 16],
    ])
    // SET big (50 × y, trimmed to fit) then APPEND z: len 51, avail 57, zmalloc 112.
    const t = sdsCat(sdsRemoveFreeSpace(sdsNewLen(x(50, 'y'))), 'z')
    expect([t.buf.length, sdsAvail(t), sdsZmallocSize(t)]).toEqual([51, 57, 112])
    // SET e "" then APPEND e q: an empty raw sds (alloc 4) takes one byte in place.
    const e = sdsCat(sdsNewLen(''), 'q')
    expect([e.buf, sdsAvail(e), sdsZmallocSize(e)]).toEqual(['q', 3, 8])
  })

  it('sdsGrowZero pads with NUL bytes and grows greedily', () => {
    const s = sdsGrowZero(sdsNewLen('ab'), 5)
    expect(s.buf).toBe('ab\0\0\0')
    expect(s.type).toBe(8)
    // newlen 5 → 10 → 3 + 10 + 1 = 14 → class 16 → alloc 12.
    expect(s.alloc).toBe(12)
    expect(sdsGrowZero(s, 3)).toBe(s)
  })
})

describe('sdsRemoveFreeSpace / sdsResize', () => {
  it('shrinks to the length, dropping to type 5 for short strings', () => {
    const s = sdsCat(sdsNewLen(x(10)), 'a')
    expect(sdsRemoveFreeSpace(s)).toEqual({ buf: x(10) + 'a', alloc: 11, type: 5 })
    expect(sdsRemoveFreeSpace(s, true)).toEqual({ buf: x(10) + 'a', alloc: 11, type: 8 })
  })

  it('keeps the old header when shrinking to a type above 8, and alloc becomes exact', () => {
    const s = sdsNewLen(x(70_000)) // type 32
    const r = sdsResize(s, 1000)
    expect(r).toEqual({ buf: x(1000), alloc: 1000, type: 32 })
    // type 16 → type 8 is a real move to a smaller header.
    const t = sdsRemoveFreeSpace(sdsCat(sdsNewLen(x(100)), x(200)))
    expect(t.type).toBe(16)
    expect(sdsResize(t, 100)).toEqual({ buf: x(100), alloc: 100, type: 8 })
  })

  it('returns the same sds when already tight', () => {
    const s = sdsRemoveFreeSpace(sdsNewLen(x(50)))
    expect(sdsRemoveFreeSpace(s)).toBe(s)
  })
})

describe('sdsValidate', () => {
  it('reports broken capacity, type and byte invariants', () => {
    expect(sdsValidate({ buf: 'abc', alloc: 2, type: 8 })).toEqual(['alloc 2 < len 3'])
    expect(sdsValidate({ buf: 'abc', alloc: 4, type: 5 })).toEqual([
      'type 5 records no capacity, but alloc 4 != len 3',
    ])
    expect(sdsValidate({ buf: x(40), alloc: 40, type: 5 })).toEqual([
      'len 40 exceeds type 5 max 31',
    ])
    expect(sdsValidate({ buf: 'é€', alloc: 2, type: 8 })).toEqual(['code unit 1 is not a byte'])
  })
})

describe('sdstrim', () => {
  it('cuts the given characters from both ends only', () => {
    expect(sdstrim('\t user alice on \r\n', ' \t\r\n')).toBe('user alice on')
    expect(sdstrim('xxhixyx', 'xy')).toBe('hi')
    expect(sdstrim(' a b ', '\t')).toBe(' a b ')
    expect(sdstrim('  \r\n', ' \r\n')).toBe('')
    expect(sdstrim('', ' ')).toBe('')
  })
})
