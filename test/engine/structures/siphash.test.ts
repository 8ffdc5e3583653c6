import { fc, test } from '@fast-check/vitest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  hashSeedBytes,
  hashSeedFromBytes,
  hashSeedFromRng,
  siphash12,
  siphash12Js,
  siphash12Low,
  siphash12Wasm,
  type HashSeed,
} from '../../../src/engine/structures/siphash.ts'
import {
  SIPHASH_WASM_MAX_LEN,
  siphashWasmBytes,
  siphashWasmCreate,
} from '../../../src/engine/structures/siphashWasm.ts'

// --- Slow reference: SipHash-c-d over BigInt, straight from the paper ---

const M64 = (1n << 64n) - 1n
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64

function le64(bytes: string, at: number): bigint {
  let v = 0n
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(at + i))
  return v
}

function sipRef(key: string, msg: string, c: number, d: number): bigint {
  const k0 = le64(key, 0)
  const k1 = le64(key, 8)
  let v0 = 0x736f6d6570736575n ^ k0
  let v1 = 0x646f72616e646f6dn ^ k1
  let v2 = 0x6c7967656e657261n ^ k0
  let v3 = 0x7465646279746573n ^ k1
  const round = (): void => {
    v0 = (v0 + v1) & M64
    v1 = rotl(v1, 13n) ^ v0
    v0 = rotl(v0, 32n)
    v2 = (v2 + v3) & M64
    v3 = rotl(v3, 16n) ^ v2
    v0 = (v0 + v3) & M64
    v3 = rotl(v3, 21n) ^ v0
    v2 = (v2 + v1) & M64
    v1 = rotl(v1, 17n) ^ v2
    v2 = rotl(v2, 32n)
  }
  const full = msg.length - (msg.length % 8)
  const words: bigint[] = []
  for (let i = 0; i < full; i += 8) words.push(le64(msg, i))
  let b = BigInt(msg.length & 0xff) << 56n
  for (let i = full; i < msg.length; i++) b |= BigInt(msg.charCodeAt(i)) << BigInt(8 * (i - full))
  words.push(b)
  for (const m of words) {
    v3 ^= m
    for (let r = 0; r < c; r++) round()
    v0 ^= m
  }
  v2 ^= 0xffn
  for (let r = 0; r < d; r++) round()
  return v0 ^ v1 ^ v2 ^ v3
}

const bytesOf = (n: number, f: (i: number) => number): string =>
  String.fromCharCode(...Array.from({ length: n }, (_, i) => f(i)))
const hex = ([lo, hi]: [number, number]): string =>
  hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0')

const KEY_0_15 = bytesOf(16, (i) => i)
const IN_0_63 = bytesOf(64, (i) => i)

describe('reference implementation', () => {
  it('reproduces the standard SipHash-2-4 vectors (siphash.c vectors_sip64)', () => {
    // First bytes of vectors_sip64[0], [1], [7], [15] (little-endian output).
    const want: [number, string][] = [
      [0, '726fdb47dd0e0e31'],
      [1, '74f839c593dc67fd'],
      [7, 'ab0200f58b01d137'],
      [15, 'a129ca6149be45e5'],
    ]
    for (const [n, h] of want) {
      expect(sipRef(KEY_0_15, IN_0_63.slice(0, n), 2, 4).toString(16).padStart(16, '0')).toBe(h)
    }
  })
})

describe('siphash12', () => {
  it('matches redis siphash.c (1-2 rounds) on fixed inputs', () => {
    // Produced by compiling redis 7.0.15 src/siphash.c.
    const seed = hashSeedFromBytes(KEY_0_15)
    const want = [
      'cea28b51565c12e2',
      '94aaf38c34ce7ba6',
      'fe7a42c2c5fab434',
      '1c0d255229c3364c',
      '8be7847a474dfdf5',
      '2858f0420f752296',
      'e61a8a7d8ac52626',
      'f03c4cbcf492b05a',
      '606845b4d093af74',
      'e304e78271c74a56',
      'c936e00e33b32633',
      '226212e5f29ab45c',
      'a4377b74fbbfe0da',
      '624317667190806f',
      '4a72ad78e3e197d7',
      'ec8f61bc1c8966a6',
      '1311f4dfe747a751',
    ]
    const s2 = hashSeedFromBytes('1234567812345678')
    // Each implementation: the default (WebAssembly here), the JS fallback, the module itself.
    const impls: [string, (seed: HashSeed, s: string) => [number, number] | null][] = [
      ['siphash12', siphash12],
      ['siphash12Js', siphash12Js],
      ['siphash12Wasm', siphash12Wasm],
    ]
    for (const [name, f] of impls) {
      const hx = (seed: HashSeed, s: string): string => hex(f(seed, s) ?? [0, 0])
      want.forEach((h, n) => expect(hx(seed, IN_0_63.slice(0, n)), `${name} len ${n}`).toBe(h))
      expect(hx(s2, 'hello world'), name).toBe('89cb5e38dae0f000')
      expect(hx(s2, 'foo'), name).toBe('b39945f7308e4314')
      expect(hx(s2, ''), name).toBe('e978c7b39cae6be8')
    }
  })

  it('returns the low half from siphash12Low', () => {
    const seed = hashSeedFromBytes(KEY_0_15)
    expect(siphash12Low(seed, 'abc')).toBe(siphash12(seed, 'abc')[0])
  })

  it('round-trips seeds through bytes', () => {
    const seed = hashSeedFromRng(rngCreate(3))
    expect(hashSeedFromBytes(hashSeedBytes(seed))).toEqual(seed)
  })

  const byteString = fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 })
    .map((a) => String.fromCharCode(...a))
  const key16 = fc
    .array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 })
    .map((a) => String.fromCharCode(...a))

  test.prop([key16, byteString], { numRuns: 300 })(
    'agrees with the BigInt reference (c=1, d=2) on random keys and messages',
    (key, msg) => {
      const [lo, hi] = siphash12(hashSeedFromBytes(key), msg)
      const ref = sipRef(key, msg, 1, 2)
      expect(lo).toBe(Number(ref & 0xffffffffn))
      expect(hi).toBe(Number(ref >> 32n))
    },
  )

  // Short messages exercise every tail length and the 0–8 block counts densely; the seed is
  // drawn as four uint32 words (HashSeed's own form, including words with the top bit set).
  const shortBytes = fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 })
    .map((a) => String.fromCharCode(...a))
  const u32 = fc.integer({ min: 0, max: 0xffffffff })
  const seedWords = fc
    .tuple(u32, u32, u32, u32)
    .map(([k0, k1, k2, k3]): HashSeed => ({ k0, k1, k2, k3 }))

  test.prop([seedWords, shortBytes, shortBytes], { numRuns: 500 })(
    'siphash12 (both halves) and siphash12Low match the BigInt reference on 0–64 byte messages',
    (seed, a, b) => {
      const key = hashSeedBytes(seed)
      // a twice in a row: the second siphash12Low is answered by the one-entry memo; b then
      // replaces the memo and a is hashed again.
      for (const msg of [a, a, b, a]) {
        const ref = sipRef(key, msg, 1, 2)
        expect(siphash12Low(seed, msg)).toBe(Number(ref & 0xffffffffn))
        expect(siphash12(seed, msg)).toEqual([Number(ref & 0xffffffffn), Number(ref >> 32n)])
      }
    },
  )

  it('siphash12Low matches the reference for every length 0–64 and the same key under two seeds', () => {
    const seeds = [hashSeedFromBytes(KEY_0_15), hashSeedFromRng(rngCreate(7))]
    for (let n = 0; n <= 64; n++) {
      const msg = bytesOf(n, (i) => (i * 37 + n * 11 + 0xf0) & 0xff)
      for (const seed of seeds) {
        const ref = sipRef(hashSeedBytes(seed), msg, 1, 2)
        expect(siphash12Low(seed, msg), `len ${n}`).toBe(Number(ref & 0xffffffffn))
      }
    }
  })

  test.prop([seedWords, fc.uint8Array({ maxLength: 200 })], { numRuns: 1000 })(
    'the WebAssembly module and the JS code agree on random 0–200 byte messages',
    (seed, a) => {
      const msg = String.fromCharCode(...a)
      const js = siphash12Js(seed, msg)
      expect(siphash12Wasm(seed, msg)).toEqual(js)
      expect(siphash12(seed, msg)).toEqual(js)
      expect(siphash12Low(seed, msg)).toBe(js[0])
    },
  )

  it('hashes messages past the module memory in JS, and up to its limit in the module', () => {
    const seed = hashSeedFromRng(rngCreate(11))
    const atLimit = bytesOf(SIPHASH_WASM_MAX_LEN, (i) => (i * 131) & 0xff)
    const past = atLimit + '\xff'
    expect(siphash12Wasm(seed, atLimit)).toEqual(siphash12Js(seed, atLimit))
    expect(siphash12Wasm(seed, past)).toBeNull()
    const ref = sipRef(hashSeedBytes(seed), past, 1, 2)
    const want: [number, number] = [Number(ref & 0xffffffffn), Number(ref >> 32n)]
    expect(siphash12Js(seed, past)).toEqual(want)
    expect(siphash12(seed, past)).toEqual(want)
    expect(siphash12Low(seed, past)).toBe(want[0])
  })
})

describe('siphashWasmCreate', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('compiles in this runtime', () => {
    expect(siphashWasmCreate()).not.toBeNull()
    expect(siphash12Wasm(hashSeedFromBytes(KEY_0_15), 'abc')).not.toBeNull()
  })

  it('returns null without WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined)
    expect(siphashWasmCreate()).toBeNull()
  })

  it('returns null when compiling is refused (a CSP without wasm-unsafe-eval)', () => {
    const Real = WebAssembly
    vi.stubGlobal('WebAssembly', {
      ...Real,
      Module: function Module(): never {
        throw new Real.CompileError('WebAssembly.Module(): Refused to compile')
      },
    })
    expect(siphashWasmCreate()).toBeNull()
  })

  it('builds a module that validates', () => {
    expect(WebAssembly.validate(siphashWasmBytes())).toBe(true)
  })
})
