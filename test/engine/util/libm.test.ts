import { describe, expect, it } from 'vitest'
import { libmAsin, libmCos, libmSin } from '../../../src/engine/util/libm.ts'

// Expected values are glibc 2.36's (Python's math module on the oracle's machine), for
// arguments where V8's Math.sin / Math.cos / Math.asin return a neighbouring double.
describe('libm (glibc-rounded sin, cos, asin)', () => {
  it('rounds asin as glibc does', () => {
    expect(libmAsin(0.571294819489576)).toBe(0.60808260558846)
    expect(libmAsin(0.573025940277384)).toBe(0.6101933645713232)
    expect(libmAsin(0.5154914330707784)).toBe(0.5415810549826551)
    expect(libmAsin(0.5282573950421248)).toBe(0.5565469174696219)
    expect(libmAsin(0.9999999)).toBe(1.5703491131957876)
    expect(libmAsin(-0.25)).toBe(-0.25268025514207865)
  })

  it('rounds sin and cos as glibc does', () => {
    expect(libmSin(-0.40167082093854933)).toBe(-0.3909567260287968)
    expect(libmSin(-0.517367872361997)).toBe(-0.4945942084180259)
    expect(libmSin(-2.114433151028595)).toBe(-0.8558331910202113)
    expect(libmSin(100000)).toBe(0.03574879797201651)
    expect(libmCos(0.5315348995914233)).toBe(0.8620301115499532)
    expect(libmCos(2.1955468967366336)).toBe(-0.5848949761633954)
    expect(libmCos(-2.390777969516135)).toBe(-0.731133305878823)
  })

  it('keeps the special values', () => {
    expect(Object.is(libmSin(-0), -0)).toBe(true)
    expect(libmCos(0)).toBe(1)
    expect(libmAsin(1)).toBe(Math.PI / 2)
    expect(libmAsin(-1)).toBe(-Math.PI / 2)
    expect(Object.is(libmAsin(-0), -0)).toBe(true)
    expect(libmAsin(1.5)).toBeNaN()
    expect(libmSin(Infinity)).toBeNaN()
    expect(libmCos(NaN)).toBeNaN()
  })

  it('is odd (sin, asin) and even (cos)', () => {
    for (const x of [1e-300, 0.1, 0.5, 0.75, 1, 2.5, 3.14159, 1e4]) {
      expect(libmSin(-x)).toBe(-libmSin(x))
      expect(libmCos(-x)).toBe(libmCos(x))
      if (x <= 1) expect(libmAsin(-x)).toBe(-libmAsin(x))
    }
  })
})
