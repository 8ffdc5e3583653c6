/**
 * HyperLogLog — follows redis/src/hyperloglog.c (7.0.15), byte for byte.
 *
 * An HLL is a string value: a 16-byte header ("HYLL", encoding, 3 unused bytes, the cached
 * cardinality as 8 little-endian bytes whose top bit marks it stale) and then registers.
 * 16384 registers (P = 14) of 6 bits each. Sparse encoding: run-length opcodes — ZERO
 * (00xxxxxx: 1–64 zero registers), XZERO (01xxxxxx xxxxxxxx: 1–16384 zero registers), VAL
 * (1vvvvvxx: 1–4 registers of value 1–32); a new HLL is two XZERO opcodes of 16384 (one, as
 * 16384 fits). Dense encoding: 12288 bytes of packed 6-bit registers, register 0 in the low
 * bits of byte 0. A register update that a VAL opcode cannot hold (value > 32), or that would
 * grow the sparse string past hll-sparse-max-bytes, promotes the HLL to dense for good.
 *
 * An element goes to register hash & 16383 with the length of the run of zero bits (plus
 * one) above those 14 bits of MurmurHash64A(element, seed 0xadc83b19). The estimate is
 * Otmar Ertl's improved estimator (hllTau / hllSigma over the register histogram).
 *
 * Here the string's bytes are edited in a Uint8Array copy (HllBuf) that carries the sds's
 * length, capacity and header type, so that the value's memory (sdsMakeRoomFor's growth)
 * follows Redis's; hllFromString / hllToString convert at the edges of a command.
 *
 * Events: given an HllTracer (the command's context and key), hllAdd reports
 * `hll/elementHashed` (full), and register changes report `hll/registerUpdated` with the
 * sparse opcode that split and the estimate after it, `hll/opcodesMerged` and
 * `hll/sparseToDense`. The estimate comes from a register histogram the tracer builds once
 * per command and keeps up to date; nothing is computed when not tracing.
 */
import type { ExecContext } from '../context.ts'
import type { HllOp, KeyName } from '../events.ts'
import { sdsNewLen, sdsRoomFor, type Sds, type SdsType } from './sds.ts'

// --- Layout ---

export const HLL_P = 14
const HLL_Q = 64 - HLL_P
export const HLL_REGISTERS = 1 << HLL_P
const HLL_P_MASK = HLL_REGISTERS - 1
const HLL_BITS = 6
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1
export const HLL_HDR_SIZE = 16
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3)
export const HLL_DENSE = 0
export const HLL_SPARSE = 1
/** Internal only: one byte per register (PFCOUNT of several keys). */
const HLL_RAW = 255
const HLL_MAX_ENCODING = 1

const HLL_SPARSE_XZERO_BIT = 0x40
const HLL_SPARSE_VAL_BIT = 0x80
const HLL_SPARSE_VAL_MAX_VALUE = 32
const HLL_SPARSE_VAL_MAX_LEN = 4
const HLL_SPARSE_ZERO_MAX_LEN = 64
const HLL_SPARSE_XZERO_MAX_LEN = 16384
/** 0.5 / ln 2 (HLL_ALPHA_INF, as a double). */
const HLL_ALPHA_INF = 0.7213475204444817

/** The largest a sparse HLL can be (one VAL opcode per register) plus slack for edits. */
const MAX_SPARSE_BYTES = HLL_HDR_SIZE + HLL_REGISTERS + 16

// --- Types ---

/** An HLL string being edited: bytes[0, len) are the value; the rest is zero. */
export interface HllBuf {
  bytes: Uint8Array
  len: number
  /** The sds's capacity and header type (sdsMakeRoomFor growth). */
  alloc: number
  type: SdsType
}

/**
 * Who to report an HLL's changes to: the command's context and the key. `registers` false
 * reports promotions only (PFMERGE sets every register; it reports one hll/merged instead).
 */
export interface HllTracer {
  readonly ctx: ExecContext
  readonly key: KeyName
  readonly registers: boolean
  /** Registers per value, built at the first reported update (the estimate's input). */
  histo: Int32Array | null
}

/** A tracer for `key` when the context traces, else null. */
export function hllTracer(ctx: ExecContext, key: KeyName, registers: boolean): HllTracer | null {
  return ctx.tracing ? { ctx, key, registers, histo: null } : null
}

// --- Conversion ---

/** A working copy of an sds holding an HLL. */
export function hllFromSds(s: Sds): HllBuf {
  const len = s.buf.length
  const bytes = new Uint8Array(Math.max(len, MAX_SPARSE_BYTES, HLL_DENSE_SIZE) + 8)
  for (let i = 0; i < len; i++) bytes[i] = s.buf.charCodeAt(i)
  return { bytes, len, alloc: s.alloc, type: s.type }
}

/** The sds for an edited HLL. */
export function hllToSds(h: HllBuf): Sds {
  let buf = ''
  for (let i = 0; i < h.len; i += 8192)
    buf += String.fromCharCode(...h.bytes.subarray(i, Math.min(h.len, i + 8192)))
  return { buf, alloc: h.type === 5 ? h.len : h.alloc, type: h.type }
}

/** createHLLObject's string: an empty sparse HLL, sdsnewlen-sized (18 bytes, type 5). */
export function hllCreateSds(): Sds {
  const bytes = new Uint8Array(HLL_HDR_SIZE + 2)
  bytes.set([0x48, 0x59, 0x4c, 0x4c, HLL_SPARSE])
  let p = HLL_HDR_SIZE
  for (let aux = HLL_REGISTERS; aux > 0;) {
    const xzero = Math.min(HLL_SPARSE_XZERO_MAX_LEN, aux)
    p = xzeroSet(bytes, p, xzero)
    aux -= xzero
  }
  return sdsNewLen(String.fromCharCode(...bytes))
}

/** isHLLObjectOrReply's checks on the bytes: magic, a known encoding, the dense size. */
export function hllIsValidString(s: string): boolean {
  if (s.length < HLL_HDR_SIZE || !s.startsWith('HYLL')) return false
  const encoding = s.charCodeAt(4)
  if (encoding > HLL_MAX_ENCODING) return false
  return encoding !== HLL_DENSE || s.length === HLL_DENSE_SIZE
}

export function hllEncoding(h: HllBuf): number {
  return h.bytes[4] as number
}

// --- Hashing ---

const M = 0xc6a4a7935bd1e995n
const MASK64 = (1n << 64n) - 1n

/** MurmurHash64A as Redis runs it (little-endian words, the tail in the top-down switch). */
export function murmurHash64A(s: string, seed: number): bigint {
  const len = s.length
  let h = (BigInt(seed) ^ ((BigInt(len) * M) & MASK64)) & MASK64
  const end = len - (len & 7)
  for (let i = 0; i < end; i += 8) {
    let k = 0n
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(s.charCodeAt(i + j))
    k = (k * M) & MASK64
    k ^= k >> 47n
    k = (k * M) & MASK64
    h ^= k
    h = (h * M) & MASK64
  }
  const rest = len & 7
  if (rest !== 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(s.charCodeAt(end + j)) << BigInt(8 * j)
    h = (h * M) & MASK64
  }
  h ^= h >> 47n
  h = (h * M) & MASK64
  h ^= h >> 47n
  return h
}

const HLL_HASH_SEED = 0xadc83b19

/** hllPatLen: the element's register and the length of its 000…1 pattern (1–51). */
export function hllPatLen(ele: string): { index: number; count: number } {
  return patLenOf(murmurHash64A(ele, HLL_HASH_SEED))
}

function patLenOf(hash: bigint): { index: number; count: number } {
  const index = Number(hash & BigInt(HLL_P_MASK))
  // The 50 bits above the index, with bit 50 set so the run ends: fits a double exactly.
  let rest = Number(hash >> BigInt(HLL_P)) + 2 ** HLL_Q
  let count = 1
  while (rest % 2 === 0) {
    count++
    rest /= 2
  }
  return { index, count }
}

// --- Dense ---

/** HLL_DENSE_GET_REGISTER over bytes from `base`. */
function denseGet(b: Uint8Array, base: number, regnum: number): number {
  const byte = base + ((regnum * HLL_BITS) >> 3)
  const fb = (regnum * HLL_BITS) & 7
  return (((b[byte] as number) >> fb) | ((b[byte + 1] as number) << (8 - fb))) & HLL_REGISTER_MAX
}

/** HLL_DENSE_SET_REGISTER. */
function denseSetRegister(b: Uint8Array, base: number, regnum: number, val: number): void {
  const byte = base + ((regnum * HLL_BITS) >> 3)
  const fb = (regnum * HLL_BITS) & 7
  const fb8 = 8 - fb
  b[byte] = ((b[byte] as number) & ~(HLL_REGISTER_MAX << fb)) | (val << fb)
  b[byte + 1] = ((b[byte + 1] as number) & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8)
}

/** hllDenseSet: raise register `index` to `count`; 1 if it changed. */
function hllDenseSet(h: HllBuf, index: number, count: number, tr: HllTracer | null): number {
  const old = denseGet(h.bytes, HLL_HDR_SIZE, index)
  if (count <= old) return 0
  if (tr !== null) histoReady(tr, h)
  denseSetRegister(h.bytes, HLL_HDR_SIZE, index, count)
  if (tr !== null) traceRegister(tr, index, old, count, null)
  return 1
}

// --- Tracing ---

/** Builds the tracer's register histogram from `h` (before its first reported change). */
function histoReady(tr: HllTracer, h: HllBuf): void {
  if (!tr.registers || tr.histo !== null) return
  const histo = new Int32Array(64)
  if (hllEncoding(h) === HLL_DENSE)
    for (let j = 0; j < HLL_REGISTERS; j++) histo[denseGet(h.bytes, HLL_HDR_SIZE, j)]! += 1
  else
    sparseRuns(h, (_first, runlen, value) => {
      histo[value]! += runlen
      return true
    })
  tr.histo = histo
}

/** Reports a register raised from `old` to `val` (the histogram follows). */
function traceRegister(
  tr: HllTracer,
  index: number,
  old: number,
  val: number,
  sparse: { at: number; inserted: HllOp[] } | null,
): void {
  const histo = tr.histo
  if (histo === null) return
  histo[old]! -= 1
  histo[val]! += 1
  tr.ctx.emit({
    type: 'hll/registerUpdated',
    key: tr.key,
    index,
    old,
    new: val,
    encoding: sparse === null ? 'dense' : 'sparse',
    sparse,
    estimate: countFromHistogram(histo),
  })
}

/** The opcodes in bytes[from, to). */
function decodeOps(b: ArrayLike<number>, from: number, to: number): HllOp[] {
  const out: HllOp[] = []
  for (let p = from; p < to;) {
    const op = b[p] as number
    if (isZero(op)) {
      out.push({ op: 'ZERO', len: zeroLen(op), value: 0 })
      p++
    } else if (isXzero(op)) {
      out.push({ op: 'XZERO', len: xzeroLen(op, b[p + 1] as number), value: 0 })
      p += 2
    } else {
      out.push({ op: 'VAL', len: valLen(op), value: valValue(op) })
      p++
    }
  }
  return out
}

/** The value of register `index` of a dense HLL (PFDEBUG GETREG). */
export function hllDenseRegister(h: HllBuf, index: number): number {
  return denseGet(h.bytes, HLL_HDR_SIZE, index)
}

// --- Sparse ---

const isZero = (op: number): boolean => (op & 0xc0) === 0
const isXzero = (op: number): boolean => (op & 0xc0) === HLL_SPARSE_XZERO_BIT
const zeroLen = (op: number): number => (op & 0x3f) + 1
const xzeroLen = (op: number, next: number): number => (((op & 0x3f) << 8) | next) + 1
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1
const valLen = (op: number): number => (op & 0x3) + 1
const valOp = (val: number, len: number): number =>
  ((val - 1) << 2) | (len - 1) | HLL_SPARSE_VAL_BIT

function xzeroSet(b: Uint8Array, p: number, len: number): number {
  const l = len - 1
  b[p] = (l >> 8) | HLL_SPARSE_XZERO_BIT
  b[p + 1] = l & 0xff
  return p + 2
}

/** Calls fn(first register, run length, value) for each opcode; false if malformed. */
function sparseRuns(
  h: HllBuf,
  fn: (first: number, runlen: number, value: number) => boolean,
): boolean {
  const b = h.bytes
  let idx = 0
  let p = HLL_HDR_SIZE
  while (p < h.len) {
    const op = b[p] as number
    let runlen: number
    let value = 0
    if (isZero(op)) {
      runlen = zeroLen(op)
      p++
    } else if (isXzero(op)) {
      runlen = xzeroLen(op, b[p + 1] as number)
      p += 2
    } else {
      runlen = valLen(op)
      value = valValue(op)
      p++
    }
    if (!fn(idx, runlen, value)) return false
    idx += runlen
  }
  return idx === HLL_REGISTERS
}

/**
 * hllSparseToDense: rewrite a sparse HLL as dense (header and cached cardinality kept, a
 * fresh sdsnewlen of 12304 bytes). False, leaving it unchanged, if the sparse form is bad.
 */
export function hllSparseToDense(h: HllBuf): boolean {
  if (hllEncoding(h) === HLL_DENSE) return true
  const dense = new Uint8Array(h.bytes.length)
  dense.set(h.bytes.subarray(0, HLL_HDR_SIZE))
  dense[4] = HLL_DENSE
  const ok = sparseRuns(h, (first, runlen, value) => {
    if (value === 0) return true
    if (first + runlen > HLL_REGISTERS) return false
    for (let i = 0; i < runlen; i++) denseSetRegister(dense, HLL_HDR_SIZE, first + i, value)
    return true
  })
  if (!ok) return false
  const fresh = sdsNewLen('\0'.repeat(HLL_DENSE_SIZE))
  h.bytes = dense
  h.len = HLL_DENSE_SIZE
  h.alloc = fresh.alloc
  h.type = fresh.type
  return true
}

/**
 * hllSparseSet: raise register `index` to `count` in a sparse HLL, splitting the opcode
 * that covers it and merging equal neighbours after; promotes to dense when the value does
 * not fit a VAL opcode or the string would pass `sparseMaxBytes`. 1 if the register
 * changed, 0 if not, -1 if the representation is bad.
 */
export function hllSparseSet(
  h: HllBuf,
  index: number,
  count: number,
  sparseMaxBytes: number,
  tr: HllTracer | null = null,
): number {
  if (count > HLL_SPARSE_VAL_MAX_VALUE)
    return promote(h, index, count, tr, 'valueTooBig', h.len, sparseMaxBytes)
  // sdsMakeRoomFor(o->ptr, 3): an XZERO split into XZERO-VAL-XZERO grows by 3 bytes.
  const room = sdsRoomFor(h.len, h.alloc, h.type, 3)
  h.alloc = room.alloc
  h.type = room.type
  const b = h.bytes
  const sparse = HLL_HDR_SIZE
  let end = h.len
  let p = sparse
  let first = 0
  let prev = -1
  let span = 0
  let at = 0 // the opcode's position in the list (for the trace)
  while (p < end) {
    const op = b[p] as number
    let oplen = 1
    if (isZero(op)) span = zeroLen(op)
    else if (op & HLL_SPARSE_VAL_BIT) span = valLen(op)
    else {
      span = xzeroLen(op, b[p + 1] as number)
      oplen = 2
    }
    if (index <= first + span - 1) break
    prev = p
    p += oplen
    first += span
    at++
  }
  if (span === 0 || p >= end) return -1
  const op = b[p] as number
  let next = isXzero(op) ? p + 2 : p + 1
  if (next >= end) next = -1
  const opZero = isZero(op)
  const opXzero = isXzero(op)
  const runlen = opZero ? zeroLen(op) : opXzero ? xzeroLen(op, b[p + 1] as number) : valLen(op)
  const oldValue = opZero || opXzero ? 0 : valValue(op)
  if (oldValue >= count) return 0
  if (tr !== null) histoReady(tr, h)
  let updated = false
  if ((!opZero && !opXzero && runlen === 1) || (opZero && runlen === 1)) {
    b[p] = valOp(count, 1)
    updated = true
    if (tr !== null)
      traceRegister(tr, index, oldValue, count, { at, inserted: decodeOps(b, p, p + 1) })
  }
  if (!updated) {
    // The general case: the opcode becomes up to three (before, this register, after).
    const seq: number[] = []
    const last = first + span - 1
    const zeros = (len: number): void => {
      if (len > HLL_SPARSE_ZERO_MAX_LEN)
        seq.push(((len - 1) >> 8) | HLL_SPARSE_XZERO_BIT, (len - 1) & 0xff)
      else seq.push(len - 1)
    }
    if (opZero || opXzero) {
      if (index !== first) zeros(index - first)
      seq.push(valOp(count, 1))
      if (index !== last) zeros(last - index)
    } else {
      const curval = valValue(op)
      if (index !== first) seq.push(valOp(curval, index - first))
      seq.push(valOp(count, 1))
      if (index !== last) seq.push(valOp(curval, last - index))
    }
    const oldlen = opXzero ? 2 : 1
    const deltalen = seq.length - oldlen
    if (deltalen > 0 && h.len + deltalen > sparseMaxBytes)
      return promote(h, index, count, tr, 'sparseTooBig', h.len + deltalen, sparseMaxBytes)
    if (deltalen !== 0 && next !== -1) b.copyWithin(next + deltalen, next, end)
    h.len += deltalen
    b.set(seq, p)
    end += deltalen
    // Bytes past the end stay zero (the sds's terminator and beyond).
    if (deltalen < 0) b.fill(0, end, end - deltalen)
    if (tr !== null)
      traceRegister(tr, index, oldValue, count, { at, inserted: decodeOps(seq, 0, seq.length) })
  }
  // Merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from prev.
  p = prev !== -1 ? prev : sparse
  at = prev !== -1 ? at - 1 : 0
  let scanlen = 5
  while (p < end && scanlen-- > 0) {
    const cur = b[p] as number
    if (isXzero(cur)) {
      p += 2
      at++
      continue
    } else if (isZero(cur)) {
      p++
      at++
      continue
    }
    const nxt = b[p + 1] as number
    if (p + 1 < end && nxt & HLL_SPARSE_VAL_BIT) {
      const v1 = valValue(cur)
      if (v1 === valValue(nxt)) {
        const len = valLen(cur) + valLen(nxt)
        if (len <= HLL_SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len)
          b.copyWithin(p, p + 1, end + 1)
          h.len--
          end--
          b[end] = 0
          if (tr?.registers)
            tr.ctx.emit({ type: 'hll/opcodesMerged', key: tr.key, at, value: v1, len })
          continue
        }
      }
    }
    p++
    at++
  }
  hllInvalidateCache(h)
  return 1
}

function promote(
  h: HllBuf,
  index: number,
  count: number,
  tr: HllTracer | null,
  reason: 'valueTooBig' | 'sparseTooBig',
  bytes: number,
  limit: number,
): number {
  if (!hllSparseToDense(h)) return -1
  if (tr !== null) hllTraceToDense(tr, reason, count, bytes, limit)
  return hllDenseSet(h, index, count, tr)
}

/** Reports hllSparseToDense (the caller checks the tracer). */
export function hllTraceToDense(
  tr: HllTracer,
  reason: 'valueTooBig' | 'sparseTooBig' | 'merge' | 'debug',
  value: number,
  bytes: number,
  limit: number,
): void {
  tr.ctx.emit({ type: 'hll/sparseToDense', key: tr.key, reason, value, bytes, limit })
}

// --- Adding, counting, merging ---

/** hllAdd: 1 if a register changed, 0 if not, -1 for a bad representation. */
export function hllAdd(
  h: HllBuf,
  ele: string,
  sparseMaxBytes: number,
  tr: HllTracer | null = null,
): number {
  const hash = murmurHash64A(ele, HLL_HASH_SEED)
  const { index, count } = patLenOf(hash)
  if (tr?.ctx.full) {
    const hex = hash.toString(16).padStart(16, '0')
    tr.ctx.emit({ type: 'hll/elementHashed', key: tr.key, element: ele, hash: hex, index, count })
  }
  return hllAddPat(h, index, count, sparseMaxBytes, tr)
}

/** hllAdd once the element is hashed: raise register `index` to `count`. */
function hllAddPat(
  h: HllBuf,
  index: number,
  count: number,
  sparseMaxBytes: number,
  tr: HllTracer | null,
): number {
  const encoding = hllEncoding(h)
  if (encoding === HLL_DENSE) return hllDenseSet(h, index, count, tr)
  if (encoding === HLL_SPARSE) return hllSparseSet(h, index, count, sparseMaxBytes, tr)
  return -1
}

/** HLL_INVALIDATE_CACHE: the top bit of the cached cardinality's last byte. */
export function hllInvalidateCache(h: HllBuf): void {
  h.bytes[15] = (h.bytes[15] as number) | 0x80
}

/**
 * The cached cardinality in an HLL string's header, or null when stale (HLL_VALID_CACHE).
 * Read from the string itself: a fresh cache needs no working copy.
 */
export function hllCachedCard(s: string): bigint | null {
  if (s.charCodeAt(15) & 0x80) return null
  let card = 0n
  for (let i = 15; i >= 8; i--) card = (card << 8n) | BigInt(s.charCodeAt(i))
  return card
}

/** Stores the cardinality in the header (valid). */
export function hllSetCachedCard(h: HllBuf, card: number): void {
  let v = BigInt(card)
  for (let i = 8; i < 16; i++) {
    h.bytes[i] = Number(v & 0xffn)
    v >>= 8n
  }
}

function hllSigma(x: number): number {
  if (x === 1) return Infinity
  let zPrime: number
  let y = 1
  let z = x
  do {
    x *= x
    zPrime = z
    z += x * y
    y += y
  } while (zPrime !== z)
  return z
}

function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0
  let zPrime: number
  let y = 1.0
  let z = 1 - x
  do {
    x = Math.sqrt(x)
    zPrime = z
    y *= 0.5
    const d = 1 - x
    z -= d * d * y
  } while (zPrime !== z)
  return z / 3
}

/** hllCount over a register histogram (reghisto[v] = registers holding v). */
function countFromHistogram(reghisto: Int32Array): number {
  const m = HLL_REGISTERS
  let z = m * hllTau((m - (reghisto[HLL_Q + 1] as number)) / m)
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j] as number
    z *= 0.5
  }
  z += m * hllSigma((reghisto[0] as number) / m)
  // llroundl: half away from zero (the value is positive).
  return Math.round((HLL_ALPHA_INF * m * m) / z)
}

/** hllCount of a dense or sparse HLL; null when the sparse form is bad. */
export function hllCount(h: HllBuf): number | null {
  const reghisto = new Int32Array(64)
  if (hllEncoding(h) === HLL_DENSE) {
    for (let j = 0; j < HLL_REGISTERS; j++) reghisto[denseGet(h.bytes, HLL_HDR_SIZE, j)]! += 1
  } else {
    const ok = sparseRuns(h, (_first, runlen, value) => {
      reghisto[value]! += runlen
      return true
    })
    if (!ok) return null
  }
  return countFromHistogram(reghisto)
}

/** hllCount with the HLL_RAW encoding: one byte per register. */
export function hllCountRaw(registers: Uint8Array): number {
  const reghisto = new Int32Array(64)
  for (const v of registers) reghisto[v]! += 1
  return countFromHistogram(reghisto)
}

/** hllMerge: raise each of `max`'s registers to the HLL's; false for a bad sparse form. */
export function hllMerge(max: Uint8Array, h: HllBuf): boolean {
  if (hllEncoding(h) === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(h.bytes, HLL_HDR_SIZE, i)
      if (val > (max[i] as number)) max[i] = val
    }
    return true
  }
  return sparseRuns(h, (first, runlen, value) => {
    if (value === 0) return true
    if (first + runlen > HLL_REGISTERS) return false
    for (let i = first; i < first + runlen; i++) if (value > (max[i] as number)) max[i] = value
    return true
  })
}

/** hllSparseSet / hllDenseSet of a register, for PFMERGE's copy into the target. */
export function hllSet(
  h: HllBuf,
  index: number,
  count: number,
  sparseMaxBytes: number,
  tr: HllTracer | null = null,
): void {
  if (hllEncoding(h) === HLL_DENSE) hllDenseSet(h, index, count, tr)
  else hllSparseSet(h, index, count, sparseMaxBytes, tr)
}

/** The sparse opcodes of a sparse HLL (inspect). */
export function hllSparseOps(h: HllBuf): HllOp[] {
  return decodeOps(h.bytes, HLL_HDR_SIZE, h.len)
}

/** PFDEBUG DECODE: the sparse opcodes as "z:n", "Z:n", "v:value,len", space separated. */
export function hllSparseDecode(h: HllBuf): string {
  const b = h.bytes
  const out: string[] = []
  let p = HLL_HDR_SIZE
  while (p < h.len) {
    const op = b[p] as number
    if (isZero(op)) {
      out.push(`z:${String(zeroLen(op))}`)
      p++
    } else if (isXzero(op)) {
      out.push(`Z:${String(xzeroLen(op, b[p + 1] as number))}`)
      p += 2
    } else {
      out.push(`v:${String(valValue(op))},${String(valLen(op))}`)
      p++
    }
  }
  return out.join(' ')
}

export { HLL_RAW }

// --- Self-test (PFSELFTEST) ---

/** hyperloglog.c HLL_TEST_CYCLES: rounds of the register access test. */
const HLL_TEST_CYCLES = 1000

/** The number of trailing zero bits of a non-zero uint32. */
const ctz32 = (x: number): number => 31 - Math.clz32(x & -x)

/** The 64-bit product a * b mod 2^64 of [hi, lo] uint32 pairs, into out. */
function mul64(ah: number, al: number, bh: number, bl: number, out: Uint32Array): void {
  // al * bl in full from 16-bit halves; the cross terms only reach the high word.
  const a0 = al & 0xffff
  const a1 = al >>> 16
  const b0 = bl & 0xffff
  const b1 = bl >>> 16
  const low = a0 * b0
  const mid = a1 * b0 + a0 * b1 + Math.floor(low / 65536)
  const lo = ((mid & 0xffff) * 65536 + (low & 0xffff)) >>> 0
  const carry = a1 * b1 + Math.floor(mid / 65536)
  out[0] = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0
  out[1] = lo
}

/**
 * MurmurHash64A of one 8-byte little-endian word [hi, lo] with the HLL seed, in 32-bit
 * halves (murmurHash64A on an 8-byte string, without BigInt: the self-test hashes 10^7).
 * Leaves the hash in out as [hi, lo].
 */
export function murmurHash64AWord(hi: number, lo: number, out: Uint32Array): void {
  const mh = 0xc6a4a793
  const ml = 0x5bd1e995
  // h = seed ^ (8 * m)
  mul64(0, 8, mh, ml, out)
  let h0 = out[0] as number
  let h1 = ((out[1] as number) ^ HLL_HASH_SEED) >>> 0
  mul64(hi, lo, mh, ml, out)
  let k0 = out[0] as number
  let k1 = out[1] as number
  // k ^= k >> 47: the high word shifted right by 15 lands in the low word.
  k1 = (k1 ^ (k0 >>> 15)) >>> 0
  mul64(k0, k1, mh, ml, out)
  k0 = out[0] as number
  k1 = out[1] as number
  mul64((h0 ^ k0) >>> 0, (h1 ^ k1) >>> 0, mh, ml, out)
  h0 = out[0] as number
  h1 = ((out[1] as number) ^ (h0 >>> 15)) >>> 0
  mul64(h0, h1, mh, ml, out)
  out[1] = ((out[1] as number) ^ ((out[0] as number) >>> 15)) >>> 0
}

/**
 * hyperloglog.c pfselftestCommand: (1) registers written with random values read back the
 * same, 1000 times over; (2) 10^7 distinct elements (j XOR a random 64-bit seed, as 8 raw
 * bytes) go into a dense HLL and into an HLL object that starts sparse; at each power of
 * ten the object must still be sparse below hll-sparse-max-bytes / 2 elements, both must
 * count the same, and the estimate must be within 6 standard errors (1 at 10 elements).
 * `rand` is C's rand(). Null on success, else the TESTFAILED error text.
 */
export function hllSelfTest(rand: () => number, sparseMaxBytes: number): string | null {
  const bitcounters = new Uint8Array(HLL_DENSE_SIZE + 8)
  const bytecounters = new Uint8Array(HLL_REGISTERS)
  for (let j = 0; j < HLL_TEST_CYCLES; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = rand() & HLL_REGISTER_MAX
      bytecounters[i] = r
      denseSetRegister(bitcounters, HLL_HDR_SIZE, i, r)
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(bitcounters, HLL_HDR_SIZE, i)
      if (val !== bytecounters[i])
        return `TESTFAILED Register ${String(i)} should be ${String(bytecounters[i])} but is ${String(val)}`
    }
  }

  // sdsnewlen(NULL, HLL_DENSE_SIZE): zeros, so its encoding byte says dense.
  bitcounters.fill(0, HLL_HDR_SIZE)
  const dense = hllFromSds(sdsNewLen('\0'.repeat(HLL_DENSE_SIZE)))
  dense.bytes = bitcounters
  const o = hllFromSds(hllCreateSds())
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS)
  let checkpoint = 1
  // uint64_t seed = rand() | rand() << 32 (the second rand() is shifted as a 64-bit value).
  const seedLo = rand() >>> 0
  const seedHi = rand() >>> 0
  const hash = new Uint32Array(2)
  for (let j = 1; j <= 10_000_000; j++) {
    murmurHash64AWord(seedHi, (j ^ seedLo) >>> 0, hash)
    const lo = hash[1] as number
    const hi = hash[0] as number
    const index = lo & HLL_P_MASK
    // The run of zeros above the index bits, with bit 50 set so that it ends (as patLenOf).
    const above = lo >>> HLL_P
    const count = above !== 0 ? ctz32(above) + 1 : hi !== 0 ? 32 - HLL_P + ctz32(hi) + 1 : HLL_Q + 1
    if (count > denseGet(bitcounters, HLL_HDR_SIZE, index))
      denseSetRegister(bitcounters, HLL_HDR_SIZE, index, count)
    hllAddPat(o, index, count, sparseMaxBytes, null)
    if (j !== checkpoint) continue
    if (j < sparseMaxBytes / 2 && hllEncoding(o) !== HLL_SPARSE)
      return 'TESTFAILED sparse encoding not used'
    const card = hllCount(dense)
    if (card !== hllCount(o)) return 'TESTFAILED dense/sparse disagree'
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint)
    const abserr = Math.abs(checkpoint - (card ?? 0))
    if (abserr > maxerr)
      return `TESTFAILED Too big error. card:${String(checkpoint)} abserr:${String(abserr)}`
    checkpoint *= 10
  }
  return null
}
