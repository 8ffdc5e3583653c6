/**
 * The bitmap view of a string (pure): its bytes as bits, bit 0 the most significant bit of
 * byte 0, as SETBIT / GETBIT / BITCOUNT / BITPOS / BITFIELD address them. A write past the
 * end grows the string with zero bytes up to the byte the bit lands in.
 *
 * The model folds bitmap/bitSet and bitmap/fieldAccessed (SETBIT, BITFIELD SET / INCRBY)
 * onto the string before the command (applyBitmapEvent) and equals the engine's string view
 * after it; readings (GETBIT, BITCOUNT, BITPOS, BITFIELD GET) only highlight bits
 * (highlightOf).
 */
import type { StepEvent } from '../../engine/events.ts'
import type { StringView } from '../string/stringLayout.ts'

export interface BitmapModel {
  readonly key: string
  /** The bytes known (the view's first `limit` bytes), one code unit each. */
  readonly bytes: string
  /** The string's full length. */
  readonly length: number
  readonly truncated: boolean
}

/** Builds the model from the engine's string view. */
export function bitmapModelFromView(v: StringView): BitmapModel {
  return {
    key: v.key,
    bytes: v.value,
    length: v.sds?.len ?? v.value.length,
    truncated: v.truncated ?? false,
  }
}

/** A missing key: no bytes. */
export function emptyBitmapModel(key: string): BitmapModel {
  return { key, bytes: '', length: 0, truncated: false }
}

/** Grows the known bytes with zeros to `len` (within the known window when truncated). */
function padTo(m: BitmapModel, len: number): BitmapModel {
  if (len <= m.length) return m
  const known = m.truncated ? m.bytes : m.bytes + '\0'.repeat(len - m.bytes.length)
  return { ...m, bytes: known, length: len }
}

/** Writes `bits` bits of `value` (unsigned, MSB first) at bit `offset` of the known bytes. */
export function writeBits(bytes: string, offset: number, bits: number, value: bigint): string {
  const a = Array.from(bytes, (ch) => ch.charCodeAt(0))
  for (let i = 0; i < bits; i++) {
    const pos = offset + i
    const byte = Math.floor(pos / 8)
    if (byte >= a.length) break
    const mask = 0x80 >> (pos & 7)
    const on = (value >> BigInt(bits - 1 - i)) & 1n
    a[byte] = on ? (a[byte] ?? 0) | mask : (a[byte] ?? 0) & ~mask
  }
  return String.fromCharCode(...a)
}

/** Applies one event to the model (other keys and events leave it as is). */
export function applyBitmapEvent(m: BitmapModel, e: StepEvent): BitmapModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'bitmap/bitSet': {
      const g = padTo(m, e.toLen)
      return { ...g, bytes: writeBits(g.bytes, e.offset, 1, BigInt(e.value)) }
    }
    case 'bitmap/fieldAccessed': {
      // The command grew the string for its writes before any ran, even one FAIL refuses.
      const g = padTo(m, e.toLen)
      if (e.stored === null) return g
      return { ...g, bytes: writeBits(g.bytes, e.offset, e.bits, BigInt(e.stored)) }
    }
    default:
      return m
  }
}

/** What a step points at: bits lit, bytes counted, bytes just padded. */
export interface Highlight {
  /** Bit positions [from, to] lit (a SETBIT's bit, a BITFIELD's field, BITPOS's answer). */
  readonly bits: readonly [number, number] | null
  /** Bytes [from, to] a BITCOUNT / BITPOS range covers, and the edge bits left out. */
  readonly range: {
    readonly start: number
    readonly end: number
    readonly firstMask: number
    readonly lastMask: number
  } | null
  /** Bytes [from, to) zero-padded by the write. */
  readonly padded: readonly [number, number] | null
}

const NONE: Highlight = { bits: null, range: null, padded: null }

/** The highlight of one event. */
export function highlightOf(e: StepEvent | undefined): Highlight {
  if (e === undefined) return NONE
  switch (e.type) {
    case 'bitmap/bitSet':
      return {
        bits: [e.offset, e.offset],
        range: null,
        padded: e.toLen > e.fromLen ? [e.fromLen, e.toLen] : null,
      }
    case 'bitmap/bitRead':
      return { bits: [e.offset, e.offset], range: null, padded: null }
    case 'bitmap/bitsCounted':
      return {
        bits: null,
        range: { start: e.start, end: e.end, firstMask: e.firstMask, lastMask: e.lastMask },
        padded: null,
      }
    case 'bitmap/bitFound':
      return {
        bits: e.pos >= 0 ? [e.pos, e.pos] : null,
        range: { start: e.start, end: e.end, firstMask: 0, lastMask: 0 },
        padded: null,
      }
    case 'bitmap/fieldAccessed':
      return {
        bits: [e.offset, e.offset + e.bits - 1],
        range: null,
        padded: e.toLen > e.fromLen ? [e.fromLen, e.toLen] : null,
      }
    default:
      return NONE
  }
}

/** The byte a highlight centres on (0 when none). */
export function focusByte(h: Highlight): number {
  if (h.bits) return Math.floor(h.bits[0] / 8)
  if (h.range) return h.range.start
  if (h.padded) return h.padded[0]
  return 0
}

/** Bytes [from, to) of a window of at most `max` bytes around `focus`. */
export function byteWindow(length: number, focus: number, max = 32): [number, number] {
  const from = Math.max(0, Math.min(focus - Math.floor(max / 2), length - max))
  return [from, Math.min(length, from + max)]
}

/** Whether bit `pos` (0 = MSB of byte 0) is inside a counted range (edge masks left out). */
export function inRange(h: Highlight['range'], pos: number): boolean {
  if (h === null) return false
  const byte = Math.floor(pos / 8)
  if (byte < h.start || byte > h.end) return false
  const mask = 0x80 >> (pos & 7)
  if (byte === h.start && h.firstMask & mask) return false
  if (byte === h.end && h.lastMask & mask) return false
  return true
}

/** Set bits of a byte. */
export function popcount8(b: number): number {
  let n = 0
  for (let v = b; v; v &= v - 1) n++
  return n
}
