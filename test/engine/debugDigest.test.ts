import { describe, expect, it } from 'vitest'
import { sha1 } from '../../src/engine/debugDigest.ts'

const hex = (d: Uint8Array) => Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')

describe('sha1 (DEBUG DIGEST)', () => {
  it('matches the FIPS 180 test vectors, on strings and on bytes', () => {
    expect(hex(sha1(''))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709')
    expect(hex(sha1('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
    const two = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'
    expect(hex(sha1(two))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1')
    expect(hex(sha1(Array.from(two, (c) => c.charCodeAt(0))))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    )
    expect(hex(sha1('a'.repeat(1000000)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f')
  })

  it('gives strings and their bytes the same digest at every block boundary', () => {
    for (const n of [55, 56, 57, 63, 64, 65, 119, 120, 128]) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 37) & 0xff)).join('')
      expect(hex(sha1(s))).toBe(hex(sha1(Array.from(s, (c) => c.charCodeAt(0)))))
    }
  })
})
