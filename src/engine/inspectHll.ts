/**
 * The inspect() view of a HyperLogLog: a raw string whose bytes start with "HYLL" and pass
 * isHLLObjectOrReply's checks. The panel draws the encoding, the sparse opcodes (run
 * lengths), all 16384 registers, the cached cardinality in the header and whether it is
 * valid, and hllCount's estimate. Built from a copy of the bytes: inspecting changes
 * nothing (PFCOUNT would write the cache; this does not). A corrupt sparse HLL keeps the
 * plain string view.
 */
import type { HllOp } from './events.ts'
import { registerStringInspector } from './inspect.ts'
import {
  HLL_DENSE,
  HLL_REGISTERS,
  hllCount,
  hllEncoding,
  hllFromSds,
  hllIsValidString,
  hllMerge,
  hllSparseOps,
} from './structures/hyperloglog.ts'
import type { Sds } from './structures/sds.ts'

export interface HyperLogLogView {
  readonly kind: 'hyperloglog'
  readonly key: string
  readonly encoding: 'sparse' | 'dense'
  /** The string's length: 16 header bytes and the opcodes, or 12304 when dense. */
  readonly bytes: number
  /** The sparse opcodes in order; null when dense. */
  readonly ops: readonly HllOp[] | null
  /** Every register's value (0–51), register 0 first. */
  readonly registers: Uint8Array
  /** The cardinality cached in the header (its stale bit cleared) and whether it is valid. */
  readonly cachedCard: number
  readonly cacheValid: boolean
  /** What PFCOUNT would answer now (hllCount). */
  readonly estimate: number
}

/** The HLL view of a string, or null when the string is not a valid HLL. */
export function hyperLogLogView(s: Sds, key: string): HyperLogLogView | null {
  if (!hllIsValidString(s.buf)) return null
  const h = hllFromSds(s)
  const registers = new Uint8Array(HLL_REGISTERS)
  const estimate = hllCount(h)
  if (estimate === null || !hllMerge(registers, h)) return null
  let cachedCard = (s.buf.charCodeAt(15) & 0x7f) * 2 ** 56
  for (let i = 14; i >= 8; i--) cachedCard += s.buf.charCodeAt(i) * 2 ** (8 * (i - 8))
  const dense = hllEncoding(h) === HLL_DENSE
  return {
    kind: 'hyperloglog',
    key,
    encoding: dense ? 'dense' : 'sparse',
    bytes: s.buf.length,
    ops: dense ? null : hllSparseOps(h),
    registers,
    cachedCard,
    cacheValid: (s.buf.charCodeAt(15) & 0x80) === 0,
    estimate,
  }
}

registerStringInspector((s, key) => {
  const v = hyperLogLogView(s, key)
  return v === null ? null : { ...v }
})
