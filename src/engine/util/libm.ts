/**
 * sin, cos and asin as the oracle's C library computes them — for geohash_helper.c, whose
 * haversine distances Redis compares with the search radius, sorts, and stores with all 17
 * significant digits (GEOSEARCHSTORE ... STOREDIST).
 *
 * Design: glibc's libm (Debian bookworm, 2.36) returns the correctly rounded result of these
 * functions in all but a few cases in a thousand; V8's Math.sin, Math.cos and Math.asin
 * (fdlibm) are within one ulp but differ from it in several percent of arguments, enough that
 * a stored distance differed in its last digit. Here each function is evaluated in
 * double-double arithmetic (a value is an unevaluated sum hi + lo of two doubles, about 106
 * significant bits) and rounded once to the nearest double, which is glibc's answer wherever
 * glibc is correctly rounded. sin and cos reduce the argument by a multiple of π/2 (π/2 in
 * three doubles) and sum Taylor series on |r| ≤ π/4; asin refines Math.asin with one Newton
 * step on sin(y) = x, through asin(x) = π/2 − 2·asin(√((1 − x)/2)) above 0.5 where the step
 * would lose precision. Arguments past 2^20 (never a geohash angle) fall back to Math.*.
 */

/** Veltkamp's splitter for 53-bit doubles: 2^27 + 1. */
const SPLITTER = 134217729

/** π/2 as three doubles (about 159 bits). */
const PIO2_1 = 1.5707963267948966
const PIO2_2 = 6.123233995736766e-17
const PIO2_3 = -1.4973849048591698e-33

/** Beyond this many radians the reduction below loses bits: use V8's. */
const REDUCE_LIMIT = 1048576

// --- Double-double arithmetic ---
//
// A double-double is an unevaluated sum hi + lo with |lo| ≤ half an ulp of hi. Each operation
// below leaves its result in R (no allocation: a geo search runs these per point).

/** The result register: hi at 0, lo at 1. */
const R: [number, number] = [0, 0]

/**
 * (ah + al)·(bh + bl) + (ch + cl): Dekker's exact product of the highs plus the cross terms,
 * then a sum of two double-doubles (twoSum of the highs and of the lows), normalised. The
 * one operation everything below is built from.
 */
function mulAdd(ah: number, al: number, bh: number, bl: number, ch: number, cl: number): void {
  const p = ah * bh
  let t = SPLITTER * ah
  const ahh = t - (t - ah)
  const ahl = ah - ahh
  t = SPLITTER * bh
  const bhh = t - (t - bh)
  const bhl = bh - bhh
  const pe = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl + (ah * bl + al * bh)
  const mh = p + pe
  const ml = pe - (mh - p)
  let s = mh + ch
  let bb = s - mh
  let e = mh - (s - bb) + (ch - bb)
  t = ml + cl
  bb = t - ml
  const f = ml - (t - bb) + (cl - bb)
  e += t
  const s2 = s + e
  e = e - (s2 - s) + f
  s = s2 + e
  R[0] = s
  R[1] = e - (s - s2)
}

/** (ah + al)·(bh + bl). */
function mul(ah: number, al: number, bh: number, bl: number): void {
  mulAdd(ah, al, bh, bl, 0, 0)
}

/** (ah + al) + (bh + bl). */
function add(ah: number, al: number, bh: number, bl: number): void {
  mulAdd(ah, al, 1, 0, bh, bl)
}

/** (ah + al) / (bh + bl): three quotient digits, each from the remainder of the last. */
function div(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh
  mul(bh, bl, q1, 0)
  add(ah, al, -R[0], -R[1])
  const rh = R[0]
  const rl = R[1]
  const q2 = rh / bh
  mul(bh, bl, q2, 0)
  add(rh, rl, -R[0], -R[1])
  const q3 = R[0] / bh
  const s = q1 + q2
  add(s, q2 - (s - q1), q3, 0)
}

/** √v for a double v ≥ 0, one correction step from the rounded root. */
function sqrtOf(v: number): void {
  const s = Math.sqrt(v)
  if (s === 0) {
    R[0] = s
    R[1] = 0
    return
  }
  mul(s, 0, s, 0)
  const e = (v - R[0] - R[1]) / (2 * s)
  R[0] = s + e
  R[1] = e - (R[0] - s)
}

// --- Kernels on |r| ≤ π/4 ---

/** Terms of the Taylor series kept: (π/4)^(2·TERMS)/(2·TERMS)! is below 2^-120. */
const TERMS = 16

/**
 * The Taylor coefficients (−1)^k/(2k + 1)! (sin) and (−1)^k/(2k)! (cos), k < TERMS, in
 * double-double (hi at 2k, lo at 2k + 1): each 1/n! is the previous one divided by n.
 */
const SIN_COEFFS = new Float64Array(2 * TERMS)
const COS_COEFFS = new Float64Array(2 * TERMS)
{
  let fh = 1
  let fl = 0
  for (let n = 0; n < 2 * TERMS; n++) {
    if (n > 0) {
      div(fh, fl, n, 0)
      fh = R[0]
      fl = R[1]
    }
    const sign = (n >> 1) % 2 === 0 ? 1 : -1
    const table = n % 2 === 0 ? COS_COEFFS : SIN_COEFFS
    table[n & ~1] = sign * fh
    table[(n & ~1) + 1] = sign * fl
  }
}

/**
 * sin (odd = true) or cos of |r| ≤ π/4 by Horner's rule on r², with only the terms that
 * still count for this r (a small r needs few).
 */
function series(rh: number, rl: number, odd: boolean): void {
  mul(rh, rl, rh, rl)
  const r2h = R[0]
  const r2l = R[1]
  const c = odd ? SIN_COEFFS : COS_COEFFS
  let n = 1
  for (let t = r2h; n < TERMS && t > 1e-36; n++) t *= r2h / ((2 * n + 1) * (2 * n + 2))
  let ph = c[2 * n - 2] ?? 0
  let pl = c[2 * n - 1] ?? 0
  for (let k = n - 2; k >= 0; k--) {
    mulAdd(ph, pl, r2h, r2l, c[2 * k] ?? 0, c[2 * k + 1] ?? 0)
    ph = R[0]
    pl = R[1]
  }
  if (odd) mul(ph, pl, rh, rl)
  else {
    R[0] = ph
    R[1] = pl
  }
}

/**
 * sin (cosine = false) or cos of x: x − k·π/2 in double-double, k the nearest integer to
 * x·2/π (|x| < REDUCE_LIMIT), then the kernel of the quadrant.
 */
function sinCos(x: number, cosine: boolean): number {
  const k = Math.round(x * (2 / Math.PI))
  let rh = x
  let rl = 0
  if (k !== 0) {
    mul(k, 0, PIO2_1, 0)
    add(x, 0, -R[0], -R[1])
    rh = R[0]
    rl = R[1]
    mul(k, 0, PIO2_2, 0)
    add(rh, rl, -R[0], -R[1])
    add(R[0], R[1], -k * PIO2_3, 0)
    rh = R[0]
    rl = R[1]
  }
  const q = (((k % 4) + 4 + (cosine ? 1 : 0)) % 4) | 0
  series(rh, rl, q % 2 === 0)
  return q >= 2 ? -R[0] : R[0]
}

// --- Public functions ---

/** sin(x) rounded to nearest, as glibc's. */
export function libmSin(x: number): number {
  if (x === 0 || !(Math.abs(x) < REDUCE_LIMIT)) return Math.sin(x)
  return sinCos(x, false)
}

/** cos(x) rounded to nearest, as glibc's. */
export function libmCos(x: number): number {
  if (!(Math.abs(x) < REDUCE_LIMIT)) return Math.cos(x)
  return sinCos(x, true)
}

/** asin of a double-double 0 ≤ x ≤ 0.5 into R[0], R[1]: one Newton step on sin(y) − x. */
function asinNewton(xh: number, xl: number): void {
  const y0 = Math.asin(xh)
  series(y0, 0, false)
  const ch = R[0]
  const cl = R[1]
  series(y0, 0, true)
  add(xh, xl, -R[0], -R[1])
  div(R[0], R[1], ch, cl)
  add(y0, 0, R[0], R[1])
}

/** asin(x) rounded to nearest, as glibc's. */
export function libmAsin(x: number): number {
  const a = Math.abs(x)
  if (x === 0 || !(a <= 1)) return Math.asin(x)
  if (a <= 0.5) {
    asinNewton(a, 0)
  } else {
    // 1 − a is exact (Sterbenz) and so is the halving: asin(a) = π/2 − 2·asin(√((1 − a)/2)).
    sqrtOf((1 - a) / 2)
    asinNewton(R[0], R[1])
    add(PIO2_1, PIO2_2, -2 * R[0], -2 * R[1])
  }
  return x < 0 ? -R[0] : R[0]
}
