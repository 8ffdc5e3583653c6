/**
 * Number parsing and formatting with Redis's exact rules — follows redis/src/util.c 7.0
 * (string2ll, string2l, ll2string, string2ld, ld2string, string2d, d2string) and
 * networking.c:addReplyDouble.
 *
 * Redis is strict about integers (no '+', no leading zeros, no spaces, no "-0") and leans on
 * libc for floats: strtod/strtold (C locale, decimal or hex syntax, "inf"/"infinity", NaN
 * rejected, overflow and underflow-to-zero rejected) and printf ("%.17g", "%.17Lf").
 *
 * INCRBYFLOAT works in `long double`, which on x86-64 (the oracle's platform) is the x87
 * 80-bit extended format: a 64-bit significand, exponents down to 2^-16445 (subnormal) and
 * up to 2^16384. We emulate it exactly with BigInt: every value is sign × M × 2^E with
 * M < 2^64; parsing rounds the exact decimal (or hex) value half-to-even like glibc's
 * strtold; addition rounds the exact sum half-to-even like the FPU; "%.17Lf" prints the
 * exact binary value rounded half-to-even at 17 fraction digits like glibc's printf.
 * Limits: only addition is modelled (all Redis needs); no x87 double-rounding effects exist
 * for a single correctly rounded add, so results are bit-exact; formatting of NaN is not
 * modelled because Redis rejects NaN before printing. Doubles (scores) use the same exact
 * machinery with a 53-bit significand, so "%.17g" ties round half-to-even as glibc does
 * (Number#toPrecision would round them away from zero).
 */

import { ERANGE, libc } from './errno.ts'

// --- Constants ---

/** util.h LONG_STR_SIZE: strings this long or longer are never integers. */
export const LONG_STR_SIZE = 21
/** util.h MAX_LONG_DOUBLE_CHARS: buffer for long double text (5 KiB). */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024
export const LLONG_MAX = 9223372036854775807n
export const LLONG_MIN = -9223372036854775808n
export const ULONG_MAX = 18446744073709551615n

// --- Integers ---

/**
 * Parses a signed 64-bit integer with util.c:string2ll's strictness: optional '-', no '+',
 * no leading zeros (except "0" itself), no "-0", no spaces, no trailing bytes, length < 21,
 * in range. Returns null when the text is not such an integer.
 */
export function string2ll(s: string): bigint | null {
  const len = s.length
  if (len === 0 || len >= LONG_STR_SIZE) return null
  if (len === 1 && s === '0') return 0n
  let p = 0
  const negative = s.charCodeAt(0) === 45 /* - */
  if (negative) {
    p++
    if (p === len) return null
  }
  const first = s.charCodeAt(p)
  if (first < 49 || first > 57) return null
  for (let i = p + 1; i < len; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return null
  }
  // At most 20 digits: the value fits an unsigned long long unless it has 20 digits and is
  // larger, which the range checks below catch just the same.
  const v = BigInt(negative ? s.slice(1) : s)
  if (negative) return v > -LLONG_MIN ? null : -v
  return v > LLONG_MAX ? null : v
}

/** Parses a C `long` (64-bit on Redis's platforms): the same rules as string2ll. */
export function string2l(s: string): bigint | null {
  return string2ll(s)
}

/** Formats a 64-bit integer as util.c:ll2string does (plain decimal, '-' for negatives). */
export function ll2string(v: bigint | number): string {
  return typeof v === 'number' ? String(v) : v.toString()
}

/**
 * Parses an unsigned long the way Redis parses SCAN cursors (db.c:parseScanCursorOrReply):
 * strtoul base 10 — optional sign ('-' negates modulo 2^64), digits; a leading space,
 * trailing bytes or overflow make it invalid (null). Like strtoul, an empty string (or
 * one with no digits and nothing else) is 0, and parsing stops at a NUL byte.
 */
export function strtoulCursor(s: string): bigint | null {
  const nul = s.indexOf('\0')
  const text = nul < 0 ? s : s.slice(0, nul)
  libc.errno = strtoullErange(text) ? ERANGE : 0
  if (text.length === 0) return 0n
  if (isCSpace(text.charCodeAt(0))) return null
  const m = /^([+-]?)(\d*)$/.exec(text)
  if (m === null) return null
  const sign = m[1] ?? ''
  const digits = m[2] ?? ''
  if (digits === '') return sign === '' ? 0n : null // "+" alone: no conversion, eptr at '+'
  const v = BigInt(digits)
  if (v > ULONG_MAX) return null
  return sign === '-' ? BigInt.asUintN(64, -v) : v
}

/** Tells whether a byte is a C isspace() character in the C locale. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/**
 * Tells whether strtoull/strtoul (base 10) over the C string `s` sets ERANGE: the digits it
 * reads, after leading whitespace and a sign, are above 2^64 - 1.
 */
export function strtoullErange(s: string): boolean {
  const m = /^[ \t\n\v\f\r]*[+-]?(\d+)/.exec(s)
  if (m === null) return false
  const digits = (m[1] as string).replace(/^0+/, '')
  return digits.length > 20 || (digits.length === 20 && BigInt(digits) > ULONG_MAX)
}

// --- Exact binary floating point (shared by double and long double) ---

/** A binary floating-point format: significand bits and exponent limits (of the lsb). */
export interface FloatFormat {
  readonly mantBits: number
  /** Exponent of the lsb of the smallest subnormal (2^minExp is the smallest value). */
  readonly minExp: number
  /** Values ≥ 2^maxExp overflow to infinity. */
  readonly maxExp: number
}

export const X87_EXTENDED: FloatFormat = { mantBits: 64, minExp: -16445, maxExp: 16384 }
const IEEE_DOUBLE: FloatFormat = { mantBits: 53, minExp: -1074, maxExp: 1024 }

/**
 * A long double value: sign × m × 2^e when finite. Plain data, so it can be kept in traces.
 */
export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly m: bigint; readonly e: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' }

type Rounded = { readonly m: bigint; readonly e: number } | 'inf'

function bitLength(m: bigint): number {
  return m === 0n ? 0 : m.toString(2).length
}

/**
 * Rounds the exact value m × 2^e (plus a sticky "something below" bit) to the format,
 * half to even, with gradual underflow and overflow to infinity.
 */
function roundToFormat(f: FloatFormat, m: bigint, e: number, sticky: boolean): Rounded {
  if (m === 0n) return { m: 0n, e: 0 }
  const len = bitLength(m)
  if (len + e > f.maxExp + 1) return 'inf'
  const shift = Math.max(len - f.mantBits, f.minExp - e)
  if (shift > len) return { m: 0n, e: 0 }
  if (shift > 0) {
    const s = BigInt(shift)
    let q = m >> s
    const r = m - (q << s)
    const half = 1n << (s - 1n)
    if (r > half || (r === half && (sticky || (q & 1n) === 1n))) q += 1n
    m = q
    e += shift
  }
  if (m === 0n) return { m: 0n, e: 0 }
  if (bitLength(m) + e > f.maxExp) return 'inf'
  return { m, e }
}

function finite(neg: boolean, r: Rounded): LongDouble {
  return r === 'inf' ? { kind: 'inf', neg } : { kind: 'finite', neg, m: r.m, e: r.e }
}

/** The result of a strtod-like parse: the value or a reason it is rejected. */
type Parsed = LongDouble | 'invalid' | 'overflow' | 'underflow'

const DECIMAL_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/
const HEX_RE =
  /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/
const INF_RE = /^([+-]?)(?:inf|infinity)$/i
const NAN_RE = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?$/i

/**
 * Parses the whole of `s` as strtod/strtold would in the C locale, for format `f`.
 * 'invalid' when strtod would not consume every byte; 'overflow' / 'underflow' when it
 * would set ERANGE and return ±HUGE_VAL or zero; a NaN for "nan".
 */
function parseCFloat(s: string, f: FloatFormat): Parsed {
  let m = INF_RE.exec(s)
  if (m !== null) return { kind: 'inf', neg: m[1] === '-' }
  if (NAN_RE.test(s)) return { kind: 'nan' }
  m = DECIMAL_RE.exec(s)
  if (m !== null) {
    const neg = m[1] === '-'
    const intDigits = m[2] ?? ''
    const fracDigits = m[4] ?? m[3] ?? ''
    return parseDecimal(f, neg, intDigits + fracDigits, -fracDigits.length, m[5])
  }
  m = HEX_RE.exec(s)
  if (m !== null) {
    const neg = m[1] === '-'
    const intDigits = m[2] ?? ''
    const fracDigits = m[4] ?? m[3] ?? ''
    const p = m[5] === undefined ? 0 : Number(m[5])
    const mant = BigInt('0x' + (intDigits + fracDigits || '0'))
    if (mant === 0n) return { kind: 'finite', neg, m: 0n, e: 0 }
    const e = p - 4 * fracDigits.length
    const r = roundToFormat(f, mant, Math.max(Math.min(e, 1e9), -1e9), false)
    if (r === 'inf') return 'overflow'
    if (r.m === 0n) return 'underflow'
    return finite(neg, r)
  }
  return 'invalid'
}

function parseDecimal(
  f: FloatFormat,
  neg: boolean,
  allDigits: string,
  scale: number,
  expText: string | undefined,
): Parsed {
  const digits = allDigits.replace(/^0+/, '')
  if (digits === '') return { kind: 'finite', neg, m: 0n, e: 0 }
  const exp10 = (expText === undefined ? 0 : Number(expText)) + scale
  // value = digits × 10^exp10; its decimal magnitude decides overflow/underflow early so
  // huge exponents never build huge BigInts.
  const magnitude = digits.length + exp10 // value < 10^magnitude
  const maxDec = Math.ceil(f.maxExp * Math.LOG10E * Math.LN2) + 1
  const minDec = Math.floor(f.minExp * Math.LOG10E * Math.LN2) - 2
  if (magnitude - 1 > maxDec) return 'overflow'
  if (magnitude < minDec) return 'underflow'
  const d = BigInt(digits)
  let r: Rounded
  if (exp10 >= 0) {
    r = roundToFormat(f, d * 10n ** BigInt(exp10), 0, false)
  } else {
    const den = 10n ** BigInt(-exp10)
    // Scale so the quotient carries at least mantBits + 2 bits; the remainder is sticky.
    const k = Math.max(0, f.mantBits + 3 - (bitLength(d) - bitLength(den)))
    const num = d << BigInt(k)
    const q = num / den
    r = roundToFormat(f, q, -k, q * den !== num)
  }
  if (r === 'inf') return 'overflow'
  if (r.m === 0n) return 'underflow'
  return finite(neg, r)
}

// --- Long double (INCRBYFLOAT, HINCRBYFLOAT) ---

/**
 * Parses a long double as util.c:string2ld: rejects empty text, text of 5 KiB or more,
 * leading whitespace, trailing bytes, NaN, and ERANGE results that are ±inf or zero.
 * Explicit "inf" is accepted. Returns null when Redis replies "value is not a valid float".
 */
export function string2ld(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null
  libc.errno = strtodErange(s, X87_EXTENDED) ? ERANGE : 0
  if (isCSpace(s.charCodeAt(0))) return null
  const v = parseCFloat(s, X87_EXTENDED)
  if (typeof v === 'string' || v.kind === 'nan') return null
  return v
}

/** Converts a 64-bit integer to long double (exact: 64 significand bits). */
export function ldFromLL(v: bigint): LongDouble {
  const neg = v < 0n
  return { kind: 'finite', neg, m: neg ? -v : v, e: 0 }
}

/** Adds two long doubles with x87 round-to-nearest-even semantics (inf − inf is NaN). */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' }
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return { kind: 'nan' }
    return a.kind === 'inf' ? a : b
  }
  if (a.m === 0n && b.m === 0n) return { kind: 'finite', neg: a.neg && b.neg, m: 0n, e: 0 }
  const e = Math.min(a.e, b.e)
  const sa = (a.m << BigInt(a.e - e)) * (a.neg ? -1n : 1n)
  const sb = (b.m << BigInt(b.e - e)) * (b.neg ? -1n : 1n)
  const sum = sa + sb
  if (sum === 0n) return { kind: 'finite', neg: false, m: 0n, e: 0 }
  const neg = sum < 0n
  return finite(neg, roundToFormat(X87_EXTENDED, neg ? -sum : sum, e, false))
}

/**
 * `(long long) ceill(v * k)` on x86-64 (timeout.c getTimeoutFromObjectOrReply: seconds to
 * ms): the product rounded to long double, its ceiling, then the x87 conversion, which
 * gives LLONG_MIN ("integer indefinite") for NaN, infinities and values out of range.
 */
export function ldMulCeilToLL(v: LongDouble, k: bigint): bigint {
  if (v.kind !== 'finite') return LLONG_MIN
  const r = roundToFormat(X87_EXTENDED, v.m * k, v.e, false)
  if (r === 'inf') return LLONG_MIN
  let n: bigint
  if (r.e >= 0) n = r.m << BigInt(r.e)
  else {
    const s = BigInt(-r.e)
    const q = r.m >> s
    // ceil: toward zero for a negative value, up for a positive one with a fraction.
    n = v.neg || q << s === r.m ? q : q + 1n
  }
  if (v.neg) n = -n
  return n > LLONG_MAX || n < LLONG_MIN ? LLONG_MIN : n
}

/** Tells whether a long double is NaN or infinite (INCRBYFLOAT refuses such results). */
export function ldIsNanOrInf(v: LongDouble): boolean {
  return v.kind !== 'finite'
}

/**
 * Formats a long double as util.c:ld2string(LD_STR_HUMAN): "%.17Lf", then trailing zeros
 * after the point and a bare point removed, "-0" turned into "0"; infinities as
 * "inf"/"-inf". Returns "" when the text would not fit the 5 KiB buffer (ld2string fails and
 * createStringObjectFromLongDouble stores an empty string).
 */
export function ld2stringHuman(v: LongDouble): string {
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf'
  if (v.kind === 'nan') return 'nan'
  let text = (v.neg ? '-' : '') + fixedDigits(v.m, v.e, 17)
  if (text.length + 1 > MAX_LONG_DOUBLE_CHARS) return ''
  text = text.replace(/0+$/, '').replace(/\.$/, '')
  return text === '-0' ? '0' : text
}

/** Exact m × 2^e printed with `frac` fraction digits, rounded half to even ("%.NLf"). */
function fixedDigits(m: bigint, e: number, frac: number): string {
  const scale = 10n ** BigInt(frac)
  let q: bigint
  if (e >= 0) {
    q = (m << BigInt(e)) * scale
  } else {
    const s = BigInt(-e)
    const num = m * scale
    q = num >> s
    const r = num - (q << s)
    const half = 1n << (s - 1n)
    if (r > half || (r === half && (q & 1n) === 1n)) q += 1n
  }
  const intPart = (q / scale).toString()
  const fracPart = (q % scale).toString().padStart(frac, '0')
  return `${intPart}.${fracPart}`
}

// --- Double (sorted-set scores) ---

/**
 * Parses a double as util.c:string2d: strtod over the whole text; rejects empty text,
 * leading whitespace, trailing bytes, NaN, and overflow/underflow (ERANGE with ±HUGE_VAL or
 * zero). Accepts "inf", "+inf", "-inf", "infinity", hex floats. Null means "not a valid
 * float".
 */
export function string2d(s: string): number | null {
  const v = parseDouble(s)
  // A normal result (or an exact zero) leaves errno 0; only the rest needs strtod's rules.
  libc.errno =
    (v !== null && (v === 0 || !(Math.abs(v) < DBL_MIN))) || !strtodErange(s, IEEE_DOUBLE)
      ? 0
      : ERANGE
  return v
}

/** string2d without its effect on errno (scores Redis reads back from a listpack, etc.). */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || isCSpace(s.charCodeAt(0))) return null
  if (DECIMAL_RE.test(s)) {
    // JS number parsing of plain decimal text is correctly rounded, as glibc's strtod is.
    const v = Number(s)
    if (!Number.isFinite(v)) return null
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null
    return v
  }
  const p = parseCFloat(s, IEEE_DOUBLE)
  if (typeof p === 'string') return null
  if (p.kind === 'nan') return null
  if (p.kind === 'inf') return p.neg ? -Infinity : Infinity
  const v = Number(p.m) * 2 ** p.e
  return p.neg ? -v : v
}

/**
 * strtod over the C string `s` with the end pointer ignored: the number in its longest
 * prefix after leading whitespace (decimal, hex, inf/infinity, nan), 0 when there is none,
 * ±Infinity on overflow and 0 on underflow (what Redis's zzlStrtod reads from a listpack
 * score that is not a canonical number).
 */
export function strtodPrefix(s: string): number {
  const nul = s.indexOf('\0')
  const text = (nul < 0 ? s : s.slice(0, nul)).replace(/^[ \t\n\v\f\r]+/, '')
  const special = /^([+-]?)(?:(infinity|inf)|(nan)(?:\([0-9A-Za-z_]*\))?)/i.exec(text)
  if (special !== null) {
    if (special[3] !== undefined) return NaN
    return special[1] === '-' ? -Infinity : Infinity
  }
  const m = HEX_PREFIX_RE.exec(text) ?? DECIMAL_PREFIX_RE.exec(text)
  if (m === null) return 0
  const p = parseCFloat(m[0], IEEE_DOUBLE)
  const neg = m[0].startsWith('-')
  if (p === 'overflow') return neg ? -Infinity : Infinity
  if (p === 'underflow' || p === 'invalid') return neg ? -0 : 0
  if (p.kind === 'nan') return NaN
  if (p.kind === 'inf') return p.neg ? -Infinity : Infinity
  const v = Number(p.m) * 2 ** p.e
  return p.neg ? -v : v
}

/** DBL_MIN: the smallest normal double. */
export const DBL_MIN = 2.2250738585072014e-308

const DECIMAL_PREFIX_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const HEX_PREFIX_RE = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?/

/**
 * Tells whether glibc's strtod (or strtold, for the x87 format) over the C string `s` sets
 * ERANGE: the number it reads (the longest prefix after leading whitespace) overflows,
 * underflows to zero, or lands inexactly among the subnormals. Decimal text is taken as
 * inexact there (only a dyadic fraction written out in full is not).
 */
export function strtodErange(s: string, f: FloatFormat = IEEE_DOUBLE): boolean {
  const nul = s.indexOf('\0')
  const text = (nul < 0 ? s : s.slice(0, nul)).replace(/^[ \t\n\v\f\r]+/, '')
  const hex = HEX_PREFIX_RE.exec(text)
  const m = hex ?? DECIMAL_PREFIX_RE.exec(text)
  if (m === null) return false
  const p = parseCFloat(m[0], f)
  if (p === 'overflow' || p === 'underflow') return true
  if (typeof p === 'string' || p.kind !== 'finite' || p.m === 0n) return false
  // Subnormal: below 2^(minExp + mantBits - 1).
  if (bitLength(p.m) + p.e > f.minExp + f.mantBits - 1) return false
  if (hex === null) return true
  // A hex significand is exact when none of its bits fall below 2^minExp.
  const h = /^[+-]?0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?/.exec(m[0])
  const digits = (h?.[1] ?? '') + (h?.[2] ?? '')
  const mant = BigInt('0x' + (digits || '0'))
  let e = Number(h?.[3] ?? 0) - 4 * (h?.[2] ?? '').length
  let t = mant
  while (t !== 0n && (t & 1n) === 0n) {
    t >>= 1n
    e++
  }
  return e < f.minExp
}

/** Formats a finite double as printf "%.{frac}f" (exact value, rounded half to even). */
export function formatFixed(d: number, frac: number): string {
  const { neg, m, e } = decomposeDouble(d)
  return (neg ? '-' : '') + fixedDigits(m, e, frac)
}

/** Splits a finite double into sign, integer significand and binary exponent (exact). */
function decomposeDouble(d: number): { neg: boolean; m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, d)
  const bits = view.getBigUint64(0)
  const neg = bits >> 63n === 1n
  const biased = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & 0xfffffffffffffn
  if (biased === 0) return { neg, m: frac, e: -1074 }
  return { neg, m: frac | (1n << 52n), e: biased - 1075 }
}

/**
 * Formats a finite double as printf "%.{precision}g" (glibc: exact value, ties to even,
 * trailing zeros removed, exponent with at least two digits). `exactOnly` skips the
 * toExponential fast path (tests compare the two).
 */
export function formatG(d: number, precision = 17, exactOnly = false): string {
  if (Number.isNaN(d)) return 'nan'
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf'
  const sign = d < 0 || Object.is(d, -0) ? '-' : ''
  if (d === 0) return `${sign}0`
  const r = (exactOnly ? null : roundedDigitsFast(d, precision)) ?? roundedDigitsExact(d, precision)
  const digits = r.digits
  const scale = r.scale
  const x = digits.length - 1 + scale // decimal exponent of the first digit
  if (x < precision && x >= -4) {
    // Fixed notation with precision − 1 − x fraction digits, trailing zeros dropped.
    let text: string
    if (scale >= 0) text = digits + '0'.repeat(scale)
    else if (-scale < digits.length)
      text = `${digits.slice(0, digits.length + scale)}.${digits.slice(digits.length + scale)}`
    else text = `0.${'0'.repeat(-scale - digits.length)}${digits}`
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '')
    return sign + text
  }
  let mant = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits
  if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '')
  const ax = Math.abs(x)
  return `${sign}${mant}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`
}

/** `precision` significant digits of |d| as digits × 10^scale, rounded half to even. */
interface RoundedDigits {
  readonly digits: string
  readonly scale: number
}

/**
 * Number#toExponential rounds exactly but breaks ties away from zero, while glibc breaks
 * them to even. A tie needs the exact expansion to end with a 5 right after the kept
 * digits, which toExponential(precision + 1) then shows as "…50": only those (rare) values
 * take the exact BigInt path; the rest are formatted from toExponential directly.
 */
function roundedDigitsFast(d: number, precision: number): RoundedDigits | null {
  if (precision > 99) return null
  const wide = Math.abs(d).toExponential(precision + 1)
  if (wide.charCodeAt(precision + 1) === 53 && wide.charCodeAt(precision + 2) === 48) return null
  const text = Math.abs(d).toExponential(precision - 1)
  const ePos = text.indexOf('e')
  const digits = text.slice(0, 1) + text.slice(2, ePos)
  return { digits, scale: Number(text.slice(ePos + 1)) - (precision - 1) }
}

/** The exact path: the double's full decimal expansion, rounded half to even. */
function roundedDigitsExact(d: number, precision: number): RoundedDigits {
  const { m, e } = decomposeDouble(d)
  let digits: string
  let scale: number
  if (e >= 0) {
    digits = (m << BigInt(e)).toString()
    scale = 0
  } else {
    digits = (m * 5n ** BigInt(-e)).toString()
    scale = e
  }
  if (digits.length > precision) {
    const keep = BigInt(digits.slice(0, precision))
    const rest = digits.slice(precision)
    const first = rest.charCodeAt(0) - 48
    const restIsHalf = first === 5 && /^50*$/.test(rest)
    const up = first > 5 || (first === 5 && !restIsHalf) || (restIsHalf && (keep & 1n) === 1n)
    scale += rest.length
    digits = (up ? keep + 1n : keep).toString()
    if (digits.length > precision) {
      digits = digits.slice(0, precision)
      scale += 1
    }
  }
  return { digits, scale }
}

/**
 * Formats a double as util.c:d2string (7.0.15): "nan", "inf"/"-inf", "0"/"-0", integral
 * values with |d| ≤ 2^62 (util.c:double2ll) as plain integers, everything else "%.17g".
 * Used when Redis stores a score as text (listpack zsets).
 */
export function d2string(d: number): string {
  if (Number.isNaN(d)) return 'nan'
  if (!Number.isFinite(d)) return d < 0 ? '-inf' : 'inf'
  if (d === 0) return Object.is(d, -0) ? '-0' : '0'
  if (Math.abs(d) <= 2 ** 62 && Number.isInteger(d)) return BigInt(d).toString()
  return formatG(d, 17)
}

/**
 * Formats a double for a RESP2 reply as networking.c:addReplyDouble: "inf"/"-inf" for
 * infinities, otherwise "%.17g" (so 1.1 replies "1.1000000000000001" in 7.0).
 */
export function addReplyDoubleText(d: number): string {
  if (!Number.isFinite(d) && !Number.isNaN(d)) return d > 0 ? 'inf' : '-inf'
  return formatG(d, 17)
}
