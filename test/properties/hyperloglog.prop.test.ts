/**
 * HyperLogLog (structures/hyperloglog.ts) against a plain model: the registers an element
 * set leaves are the per-register maximum of hllPatLen over the elements, whatever the
 * encoding. A sparse HLL (edited in place, opcodes split and merged) and one promoted to
 * dense from the start end with the same registers and the same count, and merging two
 * HLLs gives the registers of the union.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import {
  HLL_REGISTERS,
  hllAdd,
  hllCount,
  hllCountRaw,
  hllCreateSds,
  hllDenseRegister,
  hllFromSds,
  hllMerge,
  hllPatLen,
  hllSparseToDense,
} from '../../src/engine/structures/hyperloglog.ts'

/** The model: register index → max pattern length. */
function modelRegisters(elements: readonly string[]): Uint8Array {
  const regs = new Uint8Array(HLL_REGISTERS)
  for (const e of elements) {
    const { index, count } = hllPatLen(e)
    if (count > (regs[index] as number)) regs[index] = count
  }
  return regs
}

/** Registers that differ (a count, so a failure says how far apart, cheaply). */
function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0
  for (let i = 0; i < HLL_REGISTERS; i++) if (a[i] !== b[i]) n++
  return n
}

const elements = fc.array(fc.string({ maxLength: 12 }), { maxLength: 400 })

test.prop([elements], { numRuns: 60 })(
  'sparse and dense HLLs hold the model registers and agree on the count',
  (els) => {
    const sparse = hllFromSds(hllCreateSds())
    const dense = hllFromSds(hllCreateSds())
    expect(hllSparseToDense(dense)).toBe(true)
    for (const e of els) {
      hllAdd(sparse, e, 1_000_000)
      hllAdd(dense, e, 1_000_000)
    }
    const want = modelRegisters(els)
    const merged = new Uint8Array(HLL_REGISTERS)
    expect(hllMerge(merged, sparse)).toBe(true)
    expect(differing(merged, want)).toBe(0)
    const denseRegs = Uint8Array.from({ length: HLL_REGISTERS }, (_, i) =>
      hllDenseRegister(dense, i),
    )
    expect(differing(denseRegs, want)).toBe(0)
    expect(hllCount(sparse)).toBe(hllCount(dense))
    expect(hllCountRaw(want)).toBe(hllCount(dense))
    expect(hllSparseToDense(sparse)).toBe(true)
    expect(hllCount(sparse)).toBe(hllCount(dense))
  },
)

test.prop([elements, elements], { numRuns: 60 })(
  'merging two HLLs gives the registers of the union',
  (a, b) => {
    const ha = hllFromSds(hllCreateSds())
    const hb = hllFromSds(hllCreateSds())
    for (const e of a) hllAdd(ha, e, 3000)
    for (const e of b) hllAdd(hb, e, 3000)
    const max = new Uint8Array(HLL_REGISTERS)
    expect(hllMerge(max, ha) && hllMerge(max, hb)).toBe(true)
    expect(differing(max, modelRegisters([...a, ...b]))).toBe(0)
  },
)
