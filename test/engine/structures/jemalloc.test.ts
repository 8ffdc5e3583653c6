import { describe, expect, it } from 'vitest'
import {
  JEMALLOC_MAX_MAPPABLE,
  JEMALLOC_PAGE,
  jemallocIsSizeClass,
  jemallocSizeClass,
  jemallocTryAlloc,
} from '../../../src/engine/structures/jemalloc.ts'

/** The classes listed in redis-internals §14.2 (64-bit jemalloc 5.3, 4 KiB pages). */
const CLASSES = [
  8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
  1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336,
  16384, 20480, 24576, 28672, 32768, 40960, 49152, 57344, 65536, 81920,
]

describe('jemallocSizeClass', () => {
  it('rounds the sizes verified through MEMORY USAGE on redis 7.0.15', () => {
    const verified: [number, number][] = [
      [21, 32],
      [33, 48],
      [44, 48],
      [49, 64],
      [104, 112],
      [204, 224],
      [306, 320],
      [1006, 1024],
      [5006, 5120],
      [14006, 14336],
      [20006, 20480],
    ]
    for (const [n, c] of verified) expect(jemallocSizeClass(n), `${n}`).toBe(c)
  })

  it('maps every listed class to itself and the byte after it to the next class', () => {
    for (let i = 0; i < CLASSES.length; i++) {
      const c = CLASSES[i]!
      expect(jemallocSizeClass(c)).toBe(c)
      expect(jemallocIsSizeClass(c)).toBe(true)
      if (i + 1 < CLASSES.length) {
        expect(jemallocSizeClass(c + 1)).toBe(CLASSES[i + 1])
        expect(jemallocIsSizeClass(c + 1)).toBe(false)
      }
    }
  })

  it('serves 0..8 bytes from the 8-byte class', () => {
    expect([0, 1, 7, 8, 9].map(jemallocSizeClass)).toEqual([8, 8, 8, 8, 16])
  })

  it('continues four classes per doubling beyond 80 KiB, page multiples from 16 KiB', () => {
    expect(jemallocSizeClass(81921)).toBe(98304)
    expect(jemallocSizeClass(131073)).toBe(163840)
    expect(jemallocSizeClass(1048577)).toBe(1310720)
    expect(jemallocSizeClass(2000010)).toBe(2097152)
    expect(jemallocSizeClass(3145729)).toBe(3670016)
    for (let n = 16385; n < 2_000_000; n = Math.floor(n * 1.37)) {
      expect(jemallocSizeClass(n) % JEMALLOC_PAGE).toBe(0)
    }
  })

  it('never rounds down and wastes less than a quarter above 128 bytes', () => {
    for (let n = 129; n < 300_000; n += 997) {
      const c = jemallocSizeClass(n)
      expect(c).toBeGreaterThanOrEqual(n)
      expect(c - n).toBeLessThan(n / 4)
    }
  })
})

describe('jemallocTryAlloc', () => {
  it('refuses only what is past the 80 TiB class (XAUTOCLAIM COUNT on redis 7.0.15)', () => {
    // 80 TiB is a class (2^46 + 2^44): the largest that fits; the next one is 96 TiB.
    expect(jemallocIsSizeClass(Number(JEMALLOC_MAX_MAPPABLE))).toBe(true)
    expect(jemallocSizeClass(Number(JEMALLOC_MAX_MAPPABLE) + 1)).toBe(96 * 2 ** 40)
    // COUNT 5497558138880 (x 16 bytes) was served, 5497558138881 refused.
    expect(jemallocTryAlloc(5497558138880n * 16n)).toBe(true)
    expect(jemallocTryAlloc(5497558138881n * 16n)).toBe(false)
    expect(jemallocTryAlloc(16n * 10n ** 10n)).toBe(true)
  })
})
