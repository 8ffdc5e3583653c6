/**
 * SHA-256 (FIPS 180-4) over a byte string — what redis/src/sha256.c computes for acl.c's
 * ACLHashPassword: passwords are kept only as the 64 lowercase hex digits of their hash.
 *
 * Input is an engine byte string (one code unit per byte, 0–255, see bytes.ts). The message
 * is padded with 0x80, zeros and the 64-bit bit length, then processed in 64-byte blocks by
 * the 64-round compression function. All arithmetic is 32-bit (`>>> 0`, `| 0`).
 */

// --- Constants ---

/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

/** The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]

// --- Compression ---

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n))
}

/** One 64-byte block at `off` of `buf` into the running state `h`. */
function sha256Transform(h: Uint32Array, buf: Uint8Array, off: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4
    w[i] =
      (((buf[j] ?? 0) << 24) |
        ((buf[j + 1] ?? 0) << 16) |
        ((buf[j + 2] ?? 0) << 8) |
        (buf[j + 3] ?? 0)) >>>
      0
  }
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15] ?? 0
    const w2 = w[i - 2] ?? 0
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3)
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10)
    w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) >>> 0
  }
  let a = h[0] ?? 0
  let b = h[1] ?? 0
  let c = h[2] ?? 0
  let d = h[3] ?? 0
  let e = h[4] ?? 0
  let f = h[5] ?? 0
  let g = h[6] ?? 0
  let hh = h[7] ?? 0
  for (let i = 0; i < 64; i++) {
    const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
    const ch = (e & f) ^ (~e & g)
    const t1 = (hh + s1 + ch + (K[i] ?? 0) + (w[i] ?? 0)) | 0
    const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
    const maj = (a & b) ^ (a & c) ^ (b & c)
    const t2 = (s0 + maj) | 0
    hh = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  h[0] = ((h[0] ?? 0) + a) >>> 0
  h[1] = ((h[1] ?? 0) + b) >>> 0
  h[2] = ((h[2] ?? 0) + c) >>> 0
  h[3] = ((h[3] ?? 0) + d) >>> 0
  h[4] = ((h[4] ?? 0) + e) >>> 0
  h[5] = ((h[5] ?? 0) + f) >>> 0
  h[6] = ((h[6] ?? 0) + g) >>> 0
  h[7] = ((h[7] ?? 0) + hh) >>> 0
}

// --- API ---

/** Computes the SHA-256 digest of a byte string: 32 bytes. */
export function sha256(data: string): Uint8Array {
  const len = data.length
  // Message, 0x80, zeros to 56 mod 64, then the 64-bit big-endian length in bits.
  const total = (((len + 9 + 63) >>> 6) << 6) >>> 0
  const buf = new Uint8Array(total)
  for (let i = 0; i < len; i++) buf[i] = data.charCodeAt(i) & 0xff
  buf[len] = 0x80
  const bits = len * 8
  const hi = Math.floor(bits / 0x100000000)
  const lo = bits >>> 0
  buf[total - 8] = (hi >>> 24) & 0xff
  buf[total - 7] = (hi >>> 16) & 0xff
  buf[total - 6] = (hi >>> 8) & 0xff
  buf[total - 5] = hi & 0xff
  buf[total - 4] = (lo >>> 24) & 0xff
  buf[total - 3] = (lo >>> 16) & 0xff
  buf[total - 2] = (lo >>> 8) & 0xff
  buf[total - 1] = lo & 0xff
  const h = new Uint32Array(H0)
  const w = new Uint32Array(64)
  for (let off = 0; off < total; off += 64) sha256Transform(h, buf, off, w)
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const v = h[i] ?? 0
    out[i * 4] = v >>> 24
    out[i * 4 + 1] = (v >>> 16) & 0xff
    out[i * 4 + 2] = (v >>> 8) & 0xff
    out[i * 4 + 3] = v & 0xff
  }
  return out
}

/** Computes SHA-256 of a byte string as 64 lowercase hex digits (acl.c ACLHashPassword). */
export function sha256Hex(data: string): string {
  let s = ''
  for (const b of sha256(data)) s += b.toString(16).padStart(2, '0')
  return s
}
