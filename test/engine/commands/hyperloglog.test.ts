/**
 * HyperLogLog (hyperloglog.c): the exact bytes of a new and a small HLL (the same commands run
 * against redis-server 7.0.15 in test/conformance/scripts/hyperloglog.redis), promotion to
 * dense, and properties of merging and counting.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { r } from '../../harness/TestEngine.ts'
import { createTypeHarness } from '../types/typeHarness.ts'
import { murmurHash64A, murmurHash64AWord } from '../../../src/engine/structures/hyperloglog.ts'

const HEADER_SPARSE = 'HYLL\x01\x00\x00\x00'

describe('HyperLogLog', () => {
  it('creates a sparse HLL with a valid cached cardinality of 0', () => {
    const t = createTypeHarness()
    expect(t.exec('PFADD', 'h')).toEqual(r.int(1))
    // The cache is invalidated by the update (top bit of the last card byte).
    expect(t.exec('GET', 'h')).toEqual(r.bulk(`${HEADER_SPARSE}\0\0\0\0\0\0\0\x80\x7f\xff`))
    expect(t.exec('PFCOUNT', 'h')).toEqual(r.int(0))
    expect(t.exec('GET', 'h')).toEqual(r.bulk(`${HEADER_SPARSE}\0\0\0\0\0\0\0\0\x7f\xff`))
    expect(t.exec('PFADD', 'h')).toEqual(r.int(0))
  })

  it('counts, caches, and promotes to dense past hll-sparse-max-bytes', () => {
    const t = createTypeHarness()
    expect(t.exec('PFADD', 'h', 'a', 'b', 'c')).toEqual(r.int(1))
    expect(t.exec('PFADD', 'h', 'a')).toEqual(r.int(0))
    expect(t.exec('PFCOUNT', 'h')).toEqual(r.int(3))
    t.exec('CONFIG', 'SET', 'hll-sparse-max-bytes', '30')
    t.exec('PFADD', 's', '1', '2', '3', '4', '5', '6', '7', '8')
    expect(t.exec('STRLEN', 's')).toEqual(r.int(12304))
    expect(t.exec('PFCOUNT', 's')).toEqual(r.int(8))
  })

  it('refuses strings that are not HLLs', () => {
    const t = createTypeHarness()
    t.exec('SET', 's', 'foo')
    expect(t.exec('PFADD', 's', 'a')).toEqual(
      r.err('WRONGTYPE Key is not a valid HyperLogLog string value.'),
    )
    // A valid cached cardinality is answered without reading the registers.
    t.exec('SET', 'bad', 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f')
    expect(t.exec('PFCOUNT', 'bad')).toEqual(r.int(0))
    t.exec('SET', 'bad', 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f')
    expect(t.exec('PFCOUNT', 'bad')).toEqual(r.err('INVALIDOBJ Corrupted HLL object detected'))
  })

  test.prop([
    fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 60 }),
    fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 60 }),
  ])('PFMERGE counts what PFCOUNT over both keys counts; small sets count exactly', (a, b) => {
    const t = createTypeHarness()
    t.exec('PFADD', 'a', ...a)
    t.exec('PFADD', 'b', ...b)
    const both = t.exec('PFCOUNT', 'a', 'b')
    expect(t.exec('PFMERGE', 'm', 'a', 'b')).toEqual(r.ok)
    expect(t.exec('PFCOUNT', 'm')).toEqual(both)
    // Well below the register count, the estimate of distinct elements is exact or
    // off by one at most.
    const distinct = new Set([...a, ...b]).size
    const n = both.type === 'integer' ? Number(both.value) : -1
    expect(Math.abs(n - distinct)).toBeLessThanOrEqual(1)
  })
})

describe('PFSELFTEST', () => {
  test.prop([fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })])(
    'hashes an 8-byte word as murmurHash64A hashes its little-endian bytes',
    (word) => {
      let bytes = ''
      for (let i = 0n; i < 64n; i += 8n) bytes += String.fromCharCode(Number((word >> i) & 0xffn))
      const out = new Uint32Array(2)
      murmurHash64AWord(Number(word >> 32n), Number(word & 0xffffffffn), out)
      expect((BigInt(out[0] ?? 0) << 32n) | BigInt(out[1] ?? 0)).toBe(
        murmurHash64A(bytes, 0xadc83b19),
      )
    },
  )

  it('passes its register and approximation tests, as in Redis', () => {
    const t = createTypeHarness()
    expect(t.exec('PFSELFTEST')).toEqual(r.simple('OK'))
  })
})
