import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { lzf_compress, lzf_decompress } from '../../../src/engine/structures/lzf.ts'

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0))
const hex = (b: Uint8Array | null): string =>
  b === null ? 'null' : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const items = Array.from({ length: 40 }, (_, i) => `item:${String(i + 1)},`).join('')
const fox = 'The quick brown fox jumps over the lazy dog. '.repeat(2).trimEnd()

// The compressed bytes inside redis-server 7.0.15's DUMP of these strings (rdbSaveLzfBlob:
// rdbSaveRawString compresses into at most len - 4 bytes).
const VECTORS: readonly (readonly [string, string])[] = [
  ['a'.repeat(87), '016161e04a00016161'],
  [
    'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc hello hello hello hello hello world',
    '0361626361e02902052068656c6c6fe0100504776f726c64',
  ],
  [
    items,
    '076974656d3a312c6940060032800600338006003480060035800600368006003780060038800600398006013130a007a0470031a0480031a0490031a04a0031a04b0031a04c0031a04d0031a04e0031a04f0032a04f0032a04f0032a04f0032a04f0032a04f0032a04f0032a04f0032a04f0032a04f0032a04f0033a04f0033a04f0033a04f0033a04f0033a04f0033a04f0033a04f0033a04f0033a04f0033a04f0234302c',
  ],
  [
    fox,
    '1f54686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e0a6c617a7920646f672e2054200de01d2c01672e',
  ],
]

describe('lzf_compress', () => {
  it('produces the bytes liblzf produces inside Redis (known vectors)', () => {
    for (const [input, expected] of VECTORS) {
      expect(hex(lzf_compress(bytes(input), input.length - 4))).toBe(expected)
    }
  })

  it('reports incompressible input (no room in out_len) as null', () => {
    expect(lzf_compress(bytes('abcdefghijklmnopqrstuvwxyz'), 22)).toBeNull()
    expect(lzf_compress(bytes(''), 10)).toBeNull()
  })

  it('never uses the first byte as a match source (ref > in_data)', () => {
    // "aaaa": the first window at 0 is never a reference, so the run starts as literals.
    const out = lzf_compress(bytes('a'.repeat(40)), 40)
    expect(out?.[0]).toBe(1) // a literal run of 2 bytes first
  })
})

describe('lzf_decompress', () => {
  it('inverts the known vectors', () => {
    for (const [input, compressed] of VECTORS) {
      const c = Uint8Array.from(compressed.match(/../g) ?? [], (h) => parseInt(h, 16))
      const out = lzf_decompress(c, input.length)
      expect(out === null ? null : String.fromCharCode(...out)).toBe(input)
    }
  })

  it('refuses corrupt input and a wrong expected length', () => {
    expect(lzf_decompress(bytes('\x05ab'), 6)).toBeNull() // literal run past the input
    expect(lzf_decompress(bytes('\x20\x05'), 3)).toBeNull() // reference before the start
    expect(lzf_decompress(bytes('\x01ab'), 3)).toBeNull() // output shorter than expected
  })

  test.prop([fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 8 })])(
    'round-trips whatever compresses (including long repeats)',
    (data, repeat) => {
      const input = new Uint8Array(data.length * repeat)
      for (let i = 0; i < repeat; i++) input.set(data, i * data.length)
      // liblzf's worst case: one control byte per 32 literals.
      const c = lzf_compress(input, input.length + Math.ceil(input.length / 32) + 16)
      if (input.length === 0) expect(c).toBeNull()
      else expect(lzf_decompress(c ?? new Uint8Array(0), input.length)).toEqual(input)
    },
  )
})
