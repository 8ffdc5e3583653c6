import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import {
  addReplyDoubleText,
  d2string,
  formatG,
  ld2stringHuman,
  ldAdd,
  ldFromLL,
  ldIsNanOrInf,
  ldMulCeilToLL,
  ll2string,
  string2d,
  string2l,
  string2ld,
  string2ll,
  strtodErange,
  strtoullErange,
  strtoulCursor,
  X87_EXTENDED as X87,
} from '../../../src/engine/util/numbers.ts'
import { ERANGE, libc } from '../../../src/engine/util/errno.ts'

/** INCRBYFLOAT on text values, as Redis computes it; expected values come from redis 7.0.15. */
function incrbyfloat(a: string, b: string): string {
  const va = string2ld(a)
  const vb = string2ld(b)
  if (va === null || vb === null) return 'ERR value is not a valid float'
  const sum = ldAdd(va, vb)
  return ldIsNanOrInf(sum) ? 'ERR increment would produce NaN or Infinity' : ld2stringHuman(sum)
}

describe('string2ll', () => {
  it('accepts canonical decimal integers in the 64-bit range', () => {
    expect(string2ll('0')).toBe(0n)
    expect(string2ll('-1')).toBe(-1n)
    expect(string2ll('12345')).toBe(12345n)
    expect(string2ll('9223372036854775807')).toBe(9223372036854775807n)
    expect(string2ll('-9223372036854775808')).toBe(-9223372036854775808n)
  })
  it('rejects what util.c rejects', () => {
    for (const s of [
      '',
      '-',
      '+1',
      '01',
      '-0',
      ' 1',
      '1 ',
      '1a',
      '0x10',
      '1.0',
      '9223372036854775808',
      '-9223372036854775809',
      '00',
      '123456789012345678901',
      '\u00001',
    ])
      expect(string2ll(s), s).toBeNull()
  })
  it('string2l is the same on 64-bit', () => {
    expect(string2l('-42')).toBe(-42n)
    expect(string2l('042')).toBeNull()
  })
  test.prop([fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })])(
    'round-trips ll2string',
    (v) => {
      expect(string2ll(ll2string(v))).toBe(v)
    },
  )
})

describe('strtoulCursor', () => {
  it('parses like strtoul with Redis checks', () => {
    expect(strtoulCursor('0')).toBe(0n)
    expect(strtoulCursor('')).toBe(0n)
    expect(strtoulCursor('+5')).toBe(5n)
    expect(strtoulCursor('007')).toBe(7n)
    expect(strtoulCursor('-1')).toBe(18446744073709551615n)
    expect(strtoulCursor('18446744073709551615')).toBe(18446744073709551615n)
    expect(strtoulCursor('18446744073709551616')).toBeNull()
    expect(strtoulCursor(' 1')).toBeNull()
    expect(strtoulCursor('1x')).toBeNull()
    expect(strtoulCursor('+')).toBeNull()
    expect(strtoulCursor('12\u0000zz')).toBe(12n)
  })
})

describe('string2ld / ld2stringHuman (INCRBYFLOAT)', () => {
  it('matches redis-server 7.0.15 replies', () => {
    expect(incrbyfloat('1.1', '0.2')).toBe('1.3')
    expect(incrbyfloat('10.5', '0.1')).toBe('10.6')
    expect(incrbyfloat('5.0e3', '2.0e2')).toBe('5200')
    expect(incrbyfloat('0', '0x1p-3')).toBe('0.125')
    expect(incrbyfloat('0', '1.00000762939453125')).toBe('1.00000762939453125')
    expect(incrbyfloat('0', '-0.0')).toBe('0')
    expect(incrbyfloat('10.5', '1e-20')).toBe('10.5')
    expect(incrbyfloat('0', '0e-5000')).toBe('0')
    expect(incrbyfloat('0', '3.0e3')).toBe('3000')
    expect(incrbyfloat('9223372036854775807', '19e16')).toBe('9413372036854775807')
    expect(incrbyfloat('-436.600942541326617', '4e2')).toBe('-36.60094254132661701')
    expect(incrbyfloat('0.6250876396886123', '-188.4213')).toBe('-187.79621236031138769')
    expect(incrbyfloat('33e-11', '0xc7c4bp12')).toBe('3351556096.00000000023283064')
    expect(incrbyfloat('34681161911058833000', '1e+5')).toBe('34681161911058933000')
    expect(incrbyfloat('0', '1e400').slice(0, 40)).toBe('1000000000000000000028188068394758651458')
  })
  it('rejects invalid floats and NaN/Infinity results with Redis errors', () => {
    for (const s of ['', ' 1', '1 ', 'abc', '1e', '0x', '.', 'nan', '1e-5000', '1e5000', '1,5'])
      expect(incrbyfloat('0', s), s).toBe('ERR value is not a valid float')
    expect(incrbyfloat('1', 'inf')).toBe('ERR increment would produce NaN or Infinity')
    expect(incrbyfloat('1', '-infinity')).toBe('ERR increment would produce NaN or Infinity')
    expect(incrbyfloat('1e4932', '1e4932')).toBe('ERR increment would produce NaN or Infinity')
  })
  it('accepts long double range beyond double and hex syntax', () => {
    expect(string2ld('1e4000')).not.toBeNull()
    expect(string2ld('1e-4940')).not.toBeNull()
    expect(string2ld('+.5')).not.toBeNull()
    expect(incrbyfloat('0', '0x.8p1')).toBe('1')
    expect(incrbyfloat('0', '-0X1.8P+1')).toBe('-3')
  })
  it('returns "" when the text would not fit 5 KiB (ld2string fails)', () => {
    const big = string2ld('1e4931')
    expect(big).not.toBeNull()
    if (big !== null) expect(ld2stringHuman(big)).toHaveLength(4932)
    const huge = string2ld(`${'9'.repeat(10)}e4920`)
    if (huge === null) throw new Error('parse')
    expect(ld2stringHuman(ldAdd(huge, huge))).toHaveLength(4931)
  })
  it('converts int64 exactly', () => {
    expect(ld2stringHuman(ldFromLL(-9223372036854775808n))).toBe('-9223372036854775808')
  })
  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])(
    'round-trips every double through the human format exactly',
    (d) => {
      const v = string2ld(formatG(d, 17))
      if (v === null) throw new Error('parse')
      const text = ld2stringHuman(v)
      // 17 fraction digits lose tiny values; everything else is exact up to 17 digits.
      if (Math.abs(d) >= 1e-3)
        expect(Number(text)).toBeCloseTo(d, 10 - Math.ceil(Math.log10(Math.abs(d) + 1)))
      expect(string2ld(text)).not.toBeNull()
    },
  )
})

describe('ldMulCeilToLL (blocking timeouts: (long long) ceill(t * 1000))', () => {
  const ms = (t: string): bigint => {
    const v = string2ld(t)
    if (v === null) throw new Error(`parse ${t}`)
    return ldMulCeilToLL(v, 1000n)
  }
  it('matches redis-server 7.0.15 (timeout is negative below 0, forever at 0)', () => {
    expect(ms('0')).toBe(0n)
    expect(ms('0.01')).toBe(10n)
    expect(ms('1e-320')).toBe(1n)
    expect(ms('0.0000001')).toBe(1n)
    expect(ms('-0.0001')).toBe(0n)
    // The long double nearest -0.001 is just above it: times 1000, just above -1, ceil 0.
    expect(ms('-0.001')).toBe(0n)
    expect(ms('-0.0011')).toBe(-1n)
    expect(ms('-1e-320')).toBe(0n)
    expect(ms('9223372036854775')).toBe(9223372036854775000n)
    // Past LLONG_MAX, and infinities, the x87 cast gives LLONG_MIN: "timeout is negative".
    expect(ms('9223372036854776')).toBe(-9223372036854775808n)
    expect(ms('1e20')).toBe(-9223372036854775808n)
    expect(ms('inf')).toBe(-9223372036854775808n)
    expect(ms('0x10')).toBe(16000n)
  })
  test.prop([fc.double({ noNaN: true, min: -1e12, max: 1e12 })])(
    'is the ceiling of t * 1000 for doubles well inside the range',
    (d) => {
      const v = string2ld(formatG(d, 17))
      if (v === null) throw new Error('parse')
      const got = ldMulCeilToLL(v, 1000n)
      const approx = Math.ceil(d * 1000)
      // The long double product is exact to 64 bits; the double product may round across
      // an integer boundary, so allow one step.
      expect(Math.abs(Number(got) - (Object.is(approx, -0) ? 0 : approx))).toBeLessThanOrEqual(1)
      expect(Number(got)).toBeGreaterThanOrEqual(d * 1000 - 1)
      expect(Number(got)).toBeLessThanOrEqual(d * 1000 + 1)
    },
  )
})

describe('string2d', () => {
  it('follows util.c string2d', () => {
    expect(string2d('1.5')).toBe(1.5)
    expect(string2d('inf')).toBe(Infinity)
    expect(string2d('+inf')).toBe(Infinity)
    expect(string2d('-INF')).toBe(-Infinity)
    expect(string2d('0x1p3')).toBe(8)
    expect(string2d('0e-400')).toBe(0)
    expect(string2d('-0')).toBe(-0)
    for (const s of ['', ' 1', '1 ', 'nan', '1e400', '1e-400', 'abc', '1e', '--1'])
      expect(string2d(s), s).toBeNull()
  })
  test.prop([fc.double({ noNaN: true })])('round-trips %.17g text', (d) => {
    const parsed = string2d(formatG(d, 17))
    expect(Object.is(parsed, d) || (d === 0 && parsed === 0)).toBe(true)
  })
})

describe('formatG / addReplyDoubleText / d2string', () => {
  it('prints %.17g as glibc does (verified on redis 7.0.15 ZSCORE)', () => {
    expect(addReplyDoubleText(0.1)).toBe('0.10000000000000001')
    expect(addReplyDoubleText(1e-5)).toBe('1.0000000000000001e-05')
    expect(addReplyDoubleText(1e17)).toBe('1e+17')
    expect(addReplyDoubleText(123456789012345680)).toBe('1.2345678901234568e+17')
    expect(addReplyDoubleText(1.00000762939453125)).toBe('1.0000076293945312') // tie → even
    expect(addReplyDoubleText(1.5e300)).toBe('1.5000000000000001e+300')
    expect(addReplyDoubleText(64.18)).toBe('64.180000000000007')
    expect(addReplyDoubleText(3)).toBe('3')
    expect(addReplyDoubleText(Infinity)).toBe('inf')
    expect(addReplyDoubleText(-Infinity)).toBe('-inf')
    expect(addReplyDoubleText(-0)).toBe('-0')
    expect(formatG(5e-324)).toBe('4.9406564584124654e-324')
    expect(formatG(1e16)).toBe('10000000000000000')
    expect(formatG(0.0001)).toBe('0.0001')
  })
  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 20 })])(
    'the toExponential fast path agrees with the exact BigInt path',
    (d, precision) => {
      expect(formatG(d, precision)).toBe(formatG(d, precision, true))
    },
  )
  it('takes ties to even on both paths (values whose expansion ends in 5 after 17 digits)', () => {
    for (const d of [1.00000762939453125, 1 + 2 ** -20, 1 + 2 ** -19, 2.5, 0.125, 1e23])
      for (const p of [1, 2, 3, 17]) expect(formatG(d, p)).toBe(formatG(d, p, true))
    expect(formatG(2.5, 1)).toBe('2')
    expect(formatG(3.5, 1)).toBe('4')
    expect(formatG(0.125, 2)).toBe('0.12')
  })
  it('d2string prints integral values as integers up to 2^62', () => {
    expect(d2string(3)).toBe('3')
    expect(d2string(-0)).toBe('-0')
    expect(d2string(2 ** 62)).toBe('4611686018427387904')
    expect(d2string(2 ** 63)).toBe('9.2233720368547758e+18')
    expect(d2string(1.5)).toBe('1.5')
    expect(d2string(NaN)).toBe('nan')
  })
})

describe('strtodErange / strtoullErange (what glibc leaves in errno)', () => {
  it('matches glibc strtod: overflow, underflow to zero, inexact subnormals', () => {
    for (const s of ['1e400', '-1e400', '1e-400', '1e-310', '4.9406564584124654e-324'])
      expect(strtodErange(s), s).toBe(true)
    for (const s of ['1', 'inf', 'nan', 'abc', '', '0e-99999', '2.2250738585072014e-308'])
      expect(strtodErange(s), s).toBe(false)
    // Exact hex subnormals are not an error; inexact ones are.
    expect(strtodErange('0x1p-1074')).toBe(false)
    expect(strtodErange('0x1.8p-1074')).toBe(true)
    // The longest prefix strtod reads, after leading whitespace, up to a NUL.
    expect(strtodErange(' 1e400')).toBe(true)
    expect(strtodErange('1e400abc')).toBe(true)
    expect(strtodErange('1\x001e400')).toBe(false)
  })

  it('long double overflows and underflows much further out', () => {
    expect(strtodErange('1e400', X87)).toBe(false)
    expect(strtodErange('1e5000', X87)).toBe(true)
    expect(strtodErange('1e-4950', X87)).toBe(true)
  })

  it('strtoull: digits past 2^64 - 1', () => {
    expect(strtoullErange('18446744073709551615')).toBe(false)
    expect(strtoullErange('18446744073709551616')).toBe(true)
    expect(strtoullErange(' -000018446744073709551616x')).toBe(true)
    expect(strtoullErange('abc')).toBe(false)
  })

  it('string2d and string2ld clear errno before their own conversion', () => {
    libc.errno = ERANGE
    expect(string2d('1')).toBe(1)
    expect(libc.errno).toBe(0)
    expect(string2d('1e400')).toBeNull()
    expect(libc.errno).toBe(ERANGE)
    expect(string2d('abc')).toBeNull()
    expect(libc.errno).toBe(0)
    expect(string2d('1e-310')).toBe(1e-310)
    expect(libc.errno).toBe(ERANGE)
    expect(string2ld('1e400')).not.toBeNull()
    expect(libc.errno).toBe(0)
  })
})
