/**
 * Pure layout of a string value as memory: the robj header (type, encoding, lru, refcount,
 * ptr) and the SDS (header fields for its type, the bytes, the terminating NUL, the free
 * space that greedy growth preallocated, and the allocator's slack up to the jemalloc size
 * class). `int` lives in the pointer itself; `embstr` is one allocation; `raw` is two.
 *
 * Fields have stable ids (`robj:ptr`, `sds:len`, `buf:17`, `free`), so the panel animates an
 * APPEND by moving and growing the same elements.
 */

// --- Types ---

/** The engine's inspect() view of a string key (see engine/inspect.ts objectView). */
export interface StringView {
  readonly kind: 'string'
  readonly key: string
  readonly encoding: 'int' | 'embstr' | 'raw'
  readonly refcount: number
  readonly lru: number
  readonly value: string
  readonly truncated?: boolean
  readonly sds?: {
    readonly type: 5 | 8 | 16 | 32 | 64
    readonly len: number
    readonly alloc: number
  }
  /** Usable size of each allocation (jemalloc class). */
  readonly allocations: readonly number[]
}

export type FieldKind = 'robj' | 'hdr' | 'buf' | 'nul' | 'free' | 'slack'

export interface Field {
  readonly id: string
  readonly kind: FieldKind
  /** Short label: a header field's name, or the byte shown. */
  readonly label: string
  /** The value shown under the label, if any. */
  readonly value: string
  readonly bytes: number
  readonly x: number
  readonly w: number
}

export interface Block {
  readonly id: string
  readonly usable: number
  readonly y: number
  readonly fields: readonly Field[]
  readonly width: number
}

export interface StringLayout {
  readonly blocks: readonly Block[]
  /** An arrow from the robj's ptr to the sds block (raw only). */
  readonly pointer: { readonly from: string; readonly to: string } | null
  readonly shared: boolean
  readonly height: number
}

// --- Constants ---

export const BYTE_W = 16
export const BLOCK_H = 44
const BLOCK_GAP = 28
/** Bytes of the buffer drawn one by one; the rest collapse into one field. */
export const MAX_BYTES_SHOWN = 32
/** Free space drawn byte by byte up to this; past it one field. */
const MAX_FREE_SHOWN = 16
export const OBJ_SHARED_REFCOUNT = 2147483647

const SDS_FIELDS: Readonly<Record<5 | 8 | 16 | 32 | 64, readonly (readonly [string, number])[]>> = {
  5: [['flags', 1]],
  8: [
    ['len', 1],
    ['alloc', 1],
    ['flags', 1],
  ],
  16: [
    ['len', 2],
    ['alloc', 2],
    ['flags', 1],
  ],
  32: [
    ['len', 4],
    ['alloc', 4],
    ['flags', 1],
  ],
  64: [
    ['len', 8],
    ['alloc', 8],
    ['flags', 1],
  ],
}

/** The sds header size in bytes for a type (sdsHdrSize). */
export function sdsHeaderBytes(type: 5 | 8 | 16 | 32 | 64): number {
  return SDS_FIELDS[type].reduce((s, [, b]) => s + b, 0)
}

/** Shows one byte: printable ASCII as itself, else \xHH. */
export function showByte(code: number): string {
  return code >= 0x21 && code <= 0x7e
    ? String.fromCharCode(code)
    : `\\x${code.toString(16).padStart(2, '0')}`
}

// --- Layout ---

class Row {
  readonly fields: Field[] = []
  x = 0
  push(
    id: string,
    kind: FieldKind,
    label: string,
    value: string,
    bytes: number,
    drawnBytes = bytes,
  ): void {
    const w = Math.max(1, drawnBytes) * BYTE_W
    this.fields.push({ id, kind, label, value, bytes, x: this.x, w })
    this.x += w
  }
}

function robjFields(row: Row, v: StringView): void {
  row.push('robj:type', 'robj', 'type|enc|lru', `string|${v.encoding}|${v.lru}`, 4)
  row.push(
    'robj:refcount',
    'robj',
    'refcount',
    v.refcount === OBJ_SHARED_REFCOUNT ? 'INT_MAX' : String(v.refcount),
    4,
  )
  row.push('robj:ptr', 'robj', 'ptr', v.encoding === 'int' ? v.value : '→', 8)
}

function sdsFields(row: Row, v: StringView): number {
  const sds = v.sds
  if (sds === undefined) return 0
  const typeBits = { 5: 0, 8: 1, 16: 2, 32: 3, 64: 4 }[sds.type]
  for (const [name, bytes] of SDS_FIELDS[sds.type]) {
    const value =
      name === 'len'
        ? String(sds.len)
        : name === 'alloc'
          ? String(sds.alloc)
          : sds.type === 5
            ? `len ${sds.len}<<3|${typeBits}`
            : `type ${typeBits}`
    row.push(
      `sds:${name}`,
      'hdr',
      name,
      value,
      bytes,
      Math.max(bytes, name === 'flags' && sds.type === 5 ? 7 : 3),
    )
  }
  const shown = Math.min(v.value.length, MAX_BYTES_SHOWN)
  for (let i = 0; i < shown; i++)
    row.push(`buf:${i}`, 'buf', showByte(v.value.charCodeAt(i)), '', 1)
  if (sds.len > shown) row.push('buf:rest', 'buf', `… +${sds.len - shown}`, '', sds.len - shown, 4)
  row.push('nul', 'nul', '\\0', '', 1)
  const free = sds.type === 5 ? 0 : sds.alloc - sds.len
  if (free > 0) row.push('free', 'free', `free ${free}`, '', free, Math.min(free, MAX_FREE_SHOWN))
  return sdsHeaderBytes(sds.type) + (sds.type === 5 ? sds.len : sds.alloc) + 1
}

/** Lays out the allocations of a string value, one row per allocation. */
export function layoutString(v: StringView): StringLayout {
  const blocks: Block[] = []
  const first = new Row()
  robjFields(first, v)
  let used = 16
  if (v.encoding === 'embstr') used += sdsFields(first, v)
  const slack0 = (v.allocations[0] ?? used) - used
  if (slack0 > 0)
    first.push('slack:0', 'slack', `slack ${slack0}`, '', slack0, Math.min(slack0, MAX_FREE_SHOWN))
  blocks.push({
    id: 'alloc:0',
    usable: v.allocations[0] ?? used,
    y: 0,
    fields: first.fields,
    width: first.x,
  })
  let pointer: StringLayout['pointer'] = null
  if (v.encoding === 'raw') {
    const second = new Row()
    const asked = sdsFields(second, v)
    const slack = (v.allocations[1] ?? asked) - asked
    if (slack > 0)
      second.push('slack:1', 'slack', `slack ${slack}`, '', slack, Math.min(slack, MAX_FREE_SHOWN))
    blocks.push({
      id: 'alloc:1',
      usable: v.allocations[1] ?? asked,
      y: BLOCK_H + BLOCK_GAP,
      fields: second.fields,
      width: second.x,
    })
    pointer = { from: 'robj:ptr', to: 'alloc:1' }
  }
  return {
    blocks,
    pointer,
    shared: v.refcount === OBJ_SHARED_REFCOUNT,
    height: blocks.length * BLOCK_H + (blocks.length - 1) * BLOCK_GAP,
  }
}
