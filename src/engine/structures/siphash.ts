/**
 * SipHash-1-2 — follows redis/src/siphash.c.
 *
 * Redis hashes every dict key with SipHash keyed by a random 16-byte seed chosen at startup
 * (server.c main → dictSetHashFunctionSeed), so an attacker cannot craft keys that collide.
 * Redis runs the reduced 1-2 variant: one SIPROUND per 8-byte block, two at finalization
 * (antirez measured 2-4 as ~4 % slower overall). The 64-bit result's low bits pick the bucket
 * (`hash & (size - 1)`).
 *
 * JavaScript has no fast uint64, so each 64-bit lane is held as two int32 halves (hi, lo) and
 * additions carry by hand: the low words' sum wrapped iff, read as uint32, it is below an addend,
 * and `+(a < b)` turns that comparison into 0/1 without a branch (TurboFan emits cmp + setb; a
 * `? 1 : 0` becomes a branch that mispredicts half the time). No BigInt and no allocation on the
 * hot path. The input is a byte string (bytes.ts: every code unit is 0–255), read little-endian
 * like the C code on x86-64.
 *
 * Two copies of SIPROUND: one in the compression loop (the full 8-byte words, then the tail
 * word, read up front), one in the two-round finalization loop.
 * A single loop for all of it (one copy) branched three ways per round and measured ~30 %
 * slower on the 8–16-byte keys a benchmark uses (130 vs 95 ns); the hash is the larger part of
 * a dict lookup. A round helper cannot stand in for the copies: V8 will not inline it at two
 * call sites (its bytecode, ~440 bytes, exhausts TurboFan's cumulative inlining budget) nor keep
 * a state object out of memory unless every call is inlined.
 *
 * Where WebAssembly is available (siphashWasm.ts) the hash runs there instead, with native
 * 64-bit adds and rotates: the key's bytes are copied into the module's memory and one call
 * returns the low half (50k `key:<i>` keys, best of 60 rounds: siphash12Low 46 vs 63 ns per
 * key; of the module path's ~35 ns without the memo, ~20 are the charCodeAt copy and ~12 the
 * call). The JS code below is the fallback (no WebAssembly, a CSP without
 * 'wasm-unsafe-eval', keys longer than the module's one page) and the tests' second opinion.
 *
 * Seed layout: the 16 seed bytes as four little-endian uint32 words, so Redis's
 * k0 = U8TO64_LE(k) is (hi = k1, lo = k0) and k1 = U8TO64_LE(k + 8) is (hi = k3, lo = k2).
 *
 * Emits no events.
 */
import { rngNextU32, type Rng } from '../rng.ts'
import { SIPHASH_WASM_MAX_LEN, siphashWasmCreate, type SiphashWasm } from './siphashWasm.ts'

// --- Types ---

/** The SipHash key: 16 bytes as four little-endian uint32 words (k0 = bytes 0–3). */
export interface HashSeed {
  k0: number
  k1: number
  k2: number
  k3: number
}

// --- State ---

/**
 * One-entry memo of siphash12Low: a command hashes the same key several times (lookup, then
 * add, then the expires dict); the hash is a pure function of (seed, key). Fields of one
 * object: measured ~7 ns faster per miss than three module variables.
 */
const memo: { key: string; seed: HashSeed | null; hash: number } = { key: '', seed: null, hash: 0 }

/** The WebAssembly module, or null (the JS code below then hashes everything). */
const wasm: SiphashWasm | null = siphashWasmCreate()
/**
 * The module's memory as 32-bit words (the message starts at word 8), where typed arrays are
 * little-endian as WebAssembly is (every common host); null elsewhere: bytes one at a time.
 */
const wasmWords: Uint32Array | null =
  wasm !== null && new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
    ? new Uint32Array(wasm.bytes.buffer)
    : null
/** The seed whose bytes are in the module's memory. */
let wasmSeed: HashSeed | null = null

// --- API ---

/** Draws a random 16-byte seed from the server's generator (Redis: getRandomBytes at startup). */
export function hashSeedFromRng(rng: Rng): HashSeed {
  return { k0: rngNextU32(rng), k1: rngNextU32(rng), k2: rngNextU32(rng), k3: rngNextU32(rng) }
}

/**
 * Hashes a byte string with SipHash-1-2 and returns the low 32 bits of the 64-bit result as a
 * uint32 (enough for any bucket index).
 */
export function siphash12Low(seed: HashSeed, s: string): number {
  if (s === memo.key && seed === memo.seed) return memo.hash
  const h =
    wasm !== null && s.length <= SIPHASH_WASM_MAX_LEN
      ? wasmHash(wasm, seed, s)
      : siphash12Half(seed, s, false)
  memo.key = s
  memo.seed = seed
  memo.hash = h
  return h
}

/** Hashes a byte string with SipHash-1-2 and returns the 64-bit result as [low32, high32]. */
export function siphash12(seed: HashSeed, s: string): [number, number] {
  return siphash12Wasm(seed, s) ?? siphash12Js(seed, s)
}

/** siphash12 computed in JS (the fallback), whether or not WebAssembly is available. */
export function siphash12Js(seed: HashSeed, s: string): [number, number] {
  return [siphash12Half(seed, s, false), siphash12Half(seed, s, true)]
}

/** siphash12 computed by the WebAssembly module; null where it is unavailable or `s` too long. */
export function siphash12Wasm(seed: HashSeed, s: string): [number, number] | null {
  if (wasm === null || s.length > SIPHASH_WASM_MAX_LEN) return null
  const lo = wasmHash(wasm, seed, s)
  const b = wasm.bytes
  return [
    lo,
    ((b[20] as number) |
      ((b[21] as number) << 8) |
      ((b[22] as number) << 16) |
      ((b[23] as number) << 24)) >>>
      0,
  ]
}

// --- The WebAssembly path ---

/** Copies the seed (if another) and the key's bytes into the module's memory and hashes. */
function wasmHash(w: SiphashWasm, seed: HashSeed, s: string): number {
  const b = w.bytes
  if (seed !== wasmSeed) {
    const words = [seed.k0, seed.k1, seed.k2, seed.k3]
    for (let i = 0; i < 16; i++) b[i] = ((words[i >> 2] as number) >>> ((i & 3) * 8)) & 0xff
    wasmSeed = seed
  }
  const len = s.length
  let i = 0
  // Four bytes a store where the host is little-endian like WebAssembly's memory: one
  // typed-array store instead of four (a 16-byte key hashed ~10 ns faster, 48 vs 57 ns).
  if (wasmWords !== null)
    for (; i + 4 <= len; i += 4)
      wasmWords[8 + (i >> 2)] =
        s.charCodeAt(i) |
        (s.charCodeAt(i + 1) << 8) |
        (s.charCodeAt(i + 2) << 16) |
        (s.charCodeAt(i + 3) << 24)
  for (; i < len; i++) b[32 + i] = s.charCodeAt(i)
  return w.h(len) >>> 0
}

/**
 * The whole computation, returning one 32-bit half: keeping the other half out of module
 * state keeps the hot path free of stores (measured ~13 % faster).
 */
function siphash12Half(seed: HashSeed, s: string, high: boolean): number {
  const len = s.length
  // v0 = 0x736f6d6570736575 ^ k0, v1 = 0x646f72616e646f6d ^ k1, v2 = 0x6c7967656e657261 ^ k0,
  // v3 = 0x7465646279746573 ^ k1 (k0, k1 being the two 64-bit key halves).
  let v0h = 0x736f6d65 ^ seed.k1
  let v0l = 0x70736575 ^ seed.k0
  let v1h = 0x646f7261 ^ seed.k3
  let v1l = 0x6e646f6d ^ seed.k2
  let v2h = 0x6c796765 ^ seed.k1
  let v2l = 0x6e657261 ^ seed.k0
  let v3h = 0x74656462 ^ seed.k3
  let v3l = 0x79746573 ^ seed.k2
  let t: number
  // The last word b: the len & 7 bytes past the last full word, the length in the top byte.
  // Read before the loop so that the loop body has a single branch.
  const end = len & ~7
  let bl = 0
  let bh = len << 24
  const r = len & 7
  if (r >= 7) bh |= s.charCodeAt(end + 6) << 16
  if (r >= 6) bh |= s.charCodeAt(end + 5) << 8
  if (r >= 5) bh |= s.charCodeAt(end + 4)
  if (r >= 4) bl |= s.charCodeAt(end + 3) << 24
  if (r >= 3) bl |= s.charCodeAt(end + 2) << 16
  if (r >= 2) bl |= s.charCodeAt(end + 1) << 8
  if (r >= 1) bl |= s.charCodeAt(end)
  // Compression: one SIPROUND per 8-byte word, the full words then b (at p === end).
  for (let p = 0; p <= end; p += 8) {
    let ml = bl
    let mh = bh
    if (p < end) {
      ml =
        s.charCodeAt(p) |
        (s.charCodeAt(p + 1) << 8) |
        (s.charCodeAt(p + 2) << 16) |
        (s.charCodeAt(p + 3) << 24)
      mh =
        s.charCodeAt(p + 4) |
        (s.charCodeAt(p + 5) << 8) |
        (s.charCodeAt(p + 6) << 16) |
        (s.charCodeAt(p + 7) << 24)
    }
    v3h ^= mh
    v3l ^= ml
    // v0 += v1
    t = (v0l + v1l) | 0
    v0h = (v0h + v1h + +(t >>> 0 < v0l >>> 0)) | 0
    v0l = t
    // v1 = ROTL(v1, 13); v1 ^= v0
    t = (v1h << 13) | (v1l >>> 19)
    v1l = ((v1l << 13) | (v1h >>> 19)) ^ v0l
    v1h = t ^ v0h
    // v0 = ROTL(v0, 32)
    t = v0h
    v0h = v0l
    v0l = t
    // v2 += v3
    t = (v2l + v3l) | 0
    v2h = (v2h + v3h + +(t >>> 0 < v2l >>> 0)) | 0
    v2l = t
    // v3 = ROTL(v3, 16); v3 ^= v2
    t = (v3h << 16) | (v3l >>> 16)
    v3l = ((v3l << 16) | (v3h >>> 16)) ^ v2l
    v3h = t ^ v2h
    // v0 += v3
    t = (v0l + v3l) | 0
    v0h = (v0h + v3h + +(t >>> 0 < v0l >>> 0)) | 0
    v0l = t
    // v3 = ROTL(v3, 21); v3 ^= v0
    t = (v3h << 21) | (v3l >>> 11)
    v3l = ((v3l << 21) | (v3h >>> 11)) ^ v0l
    v3h = t ^ v0h
    // v2 += v1
    t = (v2l + v1l) | 0
    v2h = (v2h + v1h + +(t >>> 0 < v2l >>> 0)) | 0
    v2l = t
    // v1 = ROTL(v1, 17); v1 ^= v2
    t = (v1h << 17) | (v1l >>> 15)
    v1l = ((v1l << 17) | (v1h >>> 15)) ^ v2l
    v1h = t ^ v2h
    // v2 = ROTL(v2, 32)
    t = v2h
    v2h = v2l
    v2l = t
    v0h ^= mh
    v0l ^= ml
  }
  // Finalization: v2 ^= 0xff, then two SIPROUNDs.
  v2l ^= 0xff
  for (let r = 0; r < 2; r++) {
    // v0 += v1
    t = (v0l + v1l) | 0
    v0h = (v0h + v1h + +(t >>> 0 < v0l >>> 0)) | 0
    v0l = t
    // v1 = ROTL(v1, 13); v1 ^= v0
    t = (v1h << 13) | (v1l >>> 19)
    v1l = ((v1l << 13) | (v1h >>> 19)) ^ v0l
    v1h = t ^ v0h
    // v0 = ROTL(v0, 32)
    t = v0h
    v0h = v0l
    v0l = t
    // v2 += v3
    t = (v2l + v3l) | 0
    v2h = (v2h + v3h + +(t >>> 0 < v2l >>> 0)) | 0
    v2l = t
    // v3 = ROTL(v3, 16); v3 ^= v2
    t = (v3h << 16) | (v3l >>> 16)
    v3l = ((v3l << 16) | (v3h >>> 16)) ^ v2l
    v3h = t ^ v2h
    // v0 += v3
    t = (v0l + v3l) | 0
    v0h = (v0h + v3h + +(t >>> 0 < v0l >>> 0)) | 0
    v0l = t
    // v3 = ROTL(v3, 21); v3 ^= v0
    t = (v3h << 21) | (v3l >>> 11)
    v3l = ((v3l << 21) | (v3h >>> 11)) ^ v0l
    v3h = t ^ v0h
    // v2 += v1
    t = (v2l + v1l) | 0
    v2h = (v2h + v1h + +(t >>> 0 < v2l >>> 0)) | 0
    v2l = t
    // v1 = ROTL(v1, 17); v1 ^= v2
    t = (v1h << 17) | (v1l >>> 15)
    v1l = ((v1l << 17) | (v1h >>> 15)) ^ v2l
    v1h = t ^ v2h
    // v2 = ROTL(v2, 32)
    t = v2h
    v2h = v2l
    v2l = t
  }
  return high ? (v0h ^ v1h ^ v2h ^ v3h) >>> 0 : (v0l ^ v1l ^ v2l ^ v3l) >>> 0
}

/** Returns the 16 seed bytes as a byte string (for display and for reference implementations). */
export function hashSeedBytes(seed: HashSeed): string {
  let out = ''
  for (const w of [seed.k0, seed.k1, seed.k2, seed.k3]) {
    out += String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff)
  }
  return out
}

/** Builds a seed from 16 bytes (a byte string), the inverse of hashSeedBytes. */
export function hashSeedFromBytes(bytes: string): HashSeed {
  const w = (i: number): number =>
    (bytes.charCodeAt(i) |
      (bytes.charCodeAt(i + 1) << 8) |
      (bytes.charCodeAt(i + 2) << 16) |
      (bytes.charCodeAt(i + 3) << 24)) >>>
    0
  return { k0: w(0), k1: w(4), k2: w(8), k3: w(12) }
}
