/**
 * Seeded pseudo-random numbers — the engine's only source of randomness.
 *
 * Redis draws randomness from `random()` (skiplist levels, dictGetRandomKey, eviction
 * samples, SPOP) and from a SipHash seed chosen at startup. Here every one of those comes
 * from this generator, so the same seed and command log replay bit for bit.
 *
 * The generator is xoshiro128** (public domain, Blackman & Vigna): 128 bits of state held
 * as four uint32 words in a plain object, so it survives structuredClone and snapshots.
 */

// --- Types ---

/** The full state of a generator; plain data so a snapshot can copy it. */
export interface Rng {
  s0: number
  s1: number
  s2: number
  s3: number
}

// --- API ---

/**
 * Creates a generator from a seed, spreading it with splitmix32. A 32-bit integer (signed or
 * not) is used as it is; any other number (a fraction such as a browser's random seed, an integer past
 * 32 bits) has its 64 bits folded to 32, so that two different seeds rarely meet.
 */
export function rngCreate(seed: number): Rng {
  let x = seedBits(seed)
  const next = (): number => {
    x = (x + 0x9e3779b9) >>> 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  const r = { s0: next(), s1: next(), s2: next(), s3: next() }
  if ((r.s0 | r.s1 | r.s2 | r.s3) === 0) r.s0 = 1
  return r
}

function seedBits(seed: number): number {
  if (Number.isInteger(seed) && seed >= -0x80000000 && seed <= 0xffffffff) return seed >>> 0
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, seed)
  return (view.getUint32(0) ^ Math.imul(view.getUint32(4), 0x9e3779b1)) >>> 0
}

/** Returns the next uniformly distributed uint32. */
export function rngNextU32(r: Rng): number {
  const result = Math.imul(rotl(Math.imul(r.s1, 5), 7), 9) >>> 0
  const t = (r.s1 << 9) >>> 0
  r.s2 ^= r.s0
  r.s3 ^= r.s1
  r.s1 ^= r.s2
  r.s0 ^= r.s3
  r.s2 ^= t
  r.s3 = rotl(r.s3, 11)
  r.s0 >>>= 0
  r.s1 >>>= 0
  r.s2 >>>= 0
  r.s3 >>>= 0
  return result
}

/** Returns a float uniformly distributed in [0, 1). */
export function rngNextFloat(r: Rng): number {
  return rngNextU32(r) / 4294967296
}

/** Returns an integer uniformly distributed in [0, n) for 0 < n <= 2^32. */
export function rngNextInt(r: Rng, n: number): number {
  return Math.floor(rngNextFloat(r) * n)
}

/**
 * Returns what C's `random()` would: a non-negative 31-bit integer. Redis code paths that
 * do `random() % n` or `(random() & 0xFFFF)` keep their exact arithmetic with this.
 */
export function rngRandom(r: Rng): number {
  return rngNextU32(r) >>> 1
}

/** Copies a generator's state (for checkpoints). */
export function rngClone(r: Rng): Rng {
  return { s0: r.s0, s1: r.s1, s2: r.s2, s3: r.s3 }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
