/**
 * The HyperLogLog panel's model and layout (pure). An HLL is a string: a 16-byte header
 * ("HYLL", the encoding, the cached cardinality with a stale bit) and 16384 registers. An
 * element's 64-bit hash picks a register with its low 14 bits; the run of zeros above them,
 * plus one, is the candidate value, and a register only ever grows. Sparse HLLs store the
 * registers as run-length opcodes (ZERO, XZERO, VAL); dense ones as 6-bit fields.
 *
 * The model folds hll/* events onto the view before the command (applyHllEvent): a register
 * update splices the opcode that covered it into up to three, a merge joins two VAL
 * opcodes, a promotion drops the opcodes for the dense array. Folding a PFADD's events gives
 * the engine's view after it; PFMERGE's registers are only known from the after-view.
 */
import type { HllOp, StepEvent } from '../../engine/events.ts'
import type { HyperLogLogView } from '../../engine/inspectHll.ts'

/** The view without its kind: what the fold tracks. */
export type HllModel = Omit<HyperLogLogView, 'kind'>

export const HLL_REGISTERS = 16384
export const HLL_INDEX_BITS = 14
const HLL_HDR = 16
/** 16 header bytes + 16384 × 6 bits. */
export const HLL_DENSE_BYTES = HLL_HDR + (HLL_REGISTERS * 6) / 8

/** Bytes an opcode takes: XZERO two, ZERO and VAL one. */
export function opBytes(op: HllOp): number {
  return op.op === 'XZERO' ? 2 : 1
}

function sparseBytes(ops: readonly HllOp[]): number {
  return ops.reduce((n, op) => n + opBytes(op), HLL_HDR)
}

/** Builds the model from the engine's view. */
export function hllModelFromView(v: HyperLogLogView): HllModel {
  return {
    key: v.key,
    encoding: v.encoding,
    bytes: v.bytes,
    ops: v.ops,
    registers: v.registers,
    cachedCard: v.cachedCard,
    cacheValid: v.cacheValid,
    estimate: v.estimate,
  }
}

/** A new HLL as PFADD creates it (createHLLObject): sparse, one XZERO of 16384, cache valid. */
export function emptyHllModel(key: string): HllModel {
  const ops: HllOp[] = [{ op: 'XZERO', len: HLL_REGISTERS, value: 0 }]
  return {
    key,
    encoding: 'sparse',
    bytes: sparseBytes(ops),
    ops,
    registers: new Uint8Array(HLL_REGISTERS),
    cachedCard: 0,
    cacheValid: true,
    estimate: 0,
  }
}

/** Applies one event to the model (other keys and events leave it as is). */
export function applyHllEvent(m: HllModel, e: StepEvent): HllModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'hll/registerUpdated': {
      const registers = m.registers.slice()
      registers[e.index] = e.new
      if (e.sparse === null || m.ops === null) return { ...m, registers, estimate: e.estimate }
      const ops = [...m.ops]
      ops.splice(e.sparse.at, 1, ...e.sparse.inserted)
      return { ...m, registers, ops, bytes: sparseBytes(ops), estimate: e.estimate }
    }
    case 'hll/opcodesMerged': {
      if (m.ops === null) return m
      const ops = [...m.ops]
      ops.splice(e.at, 2, { op: 'VAL', len: e.len, value: e.value })
      return { ...m, ops, bytes: sparseBytes(ops) }
    }
    case 'hll/sparseToDense':
      return { ...m, encoding: 'dense', ops: null, bytes: HLL_DENSE_BYTES }
    case 'hll/cacheInvalidated':
      return { ...m, cacheValid: false }
    case 'hll/cardinalityCached':
      return { ...m, cachedCard: e.card, cacheValid: true }
    default:
      return m
  }
}

// --- Layout ---

/** One opcode as drawn: PFDEBUG DECODE's label, the registers it covers, its byte offset. */
export interface OpBox {
  readonly index: number
  readonly op: HllOp
  readonly first: number
  readonly offset: number
  readonly label: string
  readonly x: number
  readonly w: number
}

/** Pixels per opcode byte. */
export const OP_BYTE_PX = 46

/** PFDEBUG DECODE's notation: Z:n (XZERO), z:n (ZERO), v:value,len (VAL). */
export function opLabel(op: HllOp): string {
  if (op.op === 'XZERO') return `Z:${String(op.len)}`
  if (op.op === 'ZERO') return `z:${String(op.len)}`
  return `v:${String(op.value)},${String(op.len)}`
}

/**
 * Lays out at most `max` opcodes around opcode `focus` (the one a step changed): each box
 * is as wide as its bytes. `before` and `after` say how many opcodes the window leaves out.
 */
export function layoutOps(
  ops: readonly HllOp[],
  focus: number,
  max = 12,
): { boxes: OpBox[]; before: number; after: number } {
  const from = Math.max(0, Math.min(focus - Math.floor(max / 2), ops.length - max))
  const to = Math.min(ops.length, from + max)
  let first = 0
  let offset = HLL_HDR
  for (let i = 0; i < from; i++) {
    const op = ops[i] as HllOp
    first += op.len
    offset += opBytes(op)
  }
  const boxes: OpBox[] = []
  let x = 0
  for (let i = from; i < to; i++) {
    const op = ops[i] as HllOp
    const w = opBytes(op) * OP_BYTE_PX
    boxes.push({ index: i, op, first, offset, label: opLabel(op), x, w })
    first += op.len
    offset += opBytes(op)
    x += w
  }
  return { boxes, before: from, after: ops.length - to }
}

/** One bit of the 64-bit hash, bit 0 first, with its part in hllPatLen. */
export interface HashBit {
  readonly bit: number
  readonly value: 0 | 1
  /** index: the register (bits 0–13); run: a zero counted; stop: the 1 that ends the run. */
  readonly role: 'index' | 'run' | 'stop' | 'rest'
}

/** Splits a hash (16 hex digits) as hllPatLen reads it. */
export function hashBits(hex: string): HashBit[] {
  const hash = BigInt(`0x${hex}`)
  const out: HashBit[] = []
  let stopped = false
  for (let bit = 0; bit < 64; bit++) {
    const value = Number((hash >> BigInt(bit)) & 1n) as 0 | 1
    let role: HashBit['role'] = 'rest'
    if (bit < HLL_INDEX_BITS) role = 'index'
    else if (!stopped) {
      role = value === 1 ? 'stop' : 'run'
      if (role === 'stop') stopped = true
    }
    out.push({ bit, value, role })
  }
  return out
}

/** Registers per value (the estimator's histogram), up to the highest value present. */
export function registerHistogram(registers: Uint8Array): number[] {
  const h = new Array<number>(64).fill(0)
  let top = 0
  for (const v of registers) {
    h[v] = (h[v] ?? 0) + 1
    if (v > top) top = v
  }
  return h.slice(0, top + 1)
}

/** One bar of the register histogram: its value, its count and what the count reads. */
export interface HistogramBar {
  readonly value: number
  readonly count: number
  readonly label: string
  readonly x: number
  readonly width: number
}

/** Narrowest bar of the histogram, and the width of a label character (11 px monospace). */
export const HISTO_BAR_PX = 16
export const HISTO_CHAR_PX = 7

/**
 * Lays the histogram's bars out left to right, each as wide as the count printed under it
 * ("16.4k" for the empty registers of a small HLL would otherwise run into the next bar's
 * count).
 */
export function layoutHistogram(histo: readonly number[]): HistogramBar[] {
  let x = 0
  return histo.map((count, value) => {
    const label = count > 999 ? `${String(Math.round(count / 100) / 10)}k` : String(count)
    const width = Math.max(HISTO_BAR_PX, (label.length + 1) * HISTO_CHAR_PX)
    const bar = { value, count, label, x, width }
    x += width
    return bar
  })
}

/** Heat-map cell of a register: 128 registers a row. */
export const HEAT_COLS = 128

export function heatCell(index: number): { col: number; row: number } {
  return { col: index % HEAT_COLS, row: Math.floor(index / HEAT_COLS) }
}
