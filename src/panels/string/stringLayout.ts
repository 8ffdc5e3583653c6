/**
 * Pure layout of a string value as memory: the robj header (type, encoding, lru, refcount,
 * ptr) and the SDS (header fields for its type, the bytes, the terminating NUL, the free
 * space that greedy growth preallocated, and the allocator's slack up to the jemalloc size
 * class). `int` lives in the pointer itself; `embstr` is one allocation; `raw` is two.
 *
 * Fields have stable ids (`robj:ptr`, `sds:len`, `buf:17`, `free`), so the panel animates an
 * APPEND by moving and growing the same elements.
 */

import { bytesToUtf8, utf8ToBytes } from '../../state/bytes.ts'

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
  /** Top of the field's row inside its block (long allocations wrap onto more rows). */
  readonly y: number
  readonly w: number
}

export interface Block {
  readonly id: string
  readonly usable: number
  /** "allocation 160 bytes", drawn above the block's rows, from x 0. */
  readonly title: string
  /** How wide the title is drawn, at most. */
  readonly titleW: number
  /** Top of the block: its title, then its rows from y + TITLE_H. */
  readonly y: number
  readonly fields: readonly Field[]
  /** Widest row. */
  readonly width: number
  /** Height of the block's rows plus its title. */
  readonly height: number
}

export interface StringLayout {
  readonly blocks: readonly Block[]
  /**
   * An arrow from the robj's ptr to the sds block (raw only): `points`, in the diagram's
   * coordinates, run from the bottom of ptr to the top of the sds block's first row, clear of
   * that block's title.
   */
  readonly pointer: {
    readonly from: string
    readonly to: string
    readonly points: readonly (readonly [number, number])[]
  } | null
  readonly shared: boolean
  readonly height: number
}

// --- Constants ---

export const BYTE_W = 16
/** Height of one row of fields. */
export const FIELD_H = 30
const ROW_GAP = 6
/** Block height with one row: the row and the block's title above it. */
export const BLOCK_H = FIELD_H + 14
const BLOCK_GAP = 28
/** Height of a block's title, above its rows. */
export const TITLE_H = 16
/** Room between the pointer and the title it passes. */
const POINTER_CLEAR = 8
/** Rows wrap past this width, so a long value stays readable instead of shrinking to fit. */
export const MAX_ROW_W = 36 * BYTE_W
/** Width of one character of the 11px monospace labels, with room for the 3px inset. */
const CHAR_W = 7
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

/**
 * The character a UTF-8 sequence starting at byte `i` of `bytes` (code units 0–255) encodes,
 * shown under its first byte, so "张三" reads as two characters of 3 bytes each (STRLEN 6);
 * '' for an ASCII byte, a continuation byte or bytes that are not valid UTF-8.
 */
export function utf8CharAt(bytes: string, i: number): string {
  const lead = bytes.charCodeAt(i)
  const n = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0
  if (n === 0) return ''
  const seq = bytes.slice(i, i + n)
  const ch = bytesToUtf8(seq)
  // One character that encodes back to the same bytes: not cut short, not overlong.
  return Array.from(ch).length === 1 && utf8ToBytes(ch) === seq ? ch : ''
}

// --- Layout ---

/** Fields laid out left to right, wrapping onto a new row past MAX_ROW_W. */
interface Row {
  readonly fields: Field[]
  x: number
  y: number
  width: number
}

function newRow(): Row {
  return { fields: [], x: 0, y: 0, width: 0 }
}

/**
 * Appends a field `bytes` long, drawn `drawnBytes` wide, or wider when its label or value
 * would not fit (a header field, an escaped byte such as \x00, "slack 262134").
 */
function push(
  row: Row,
  id: string,
  kind: FieldKind,
  label: string,
  value: string,
  bytes: number,
  drawnBytes = bytes,
): void {
  const text = Math.max(textColumns(label), textColumns(value)) * CHAR_W + 4
  const w = Math.max(1, drawnBytes, Math.ceil(text / BYTE_W)) * BYTE_W
  if (row.x > 0 && row.x + w > MAX_ROW_W) {
    row.x = 0
    row.y += FIELD_H + ROW_GAP
  }
  row.fields.push({ id, kind, label, value, bytes, x: row.x, y: row.y, w })
  row.x += w
  row.width = Math.max(row.width, row.x)
}

/** Columns a label takes in the monospace font: a CJK character is two. */
function textColumns(s: string): number {
  let n = 0
  for (const ch of s)
    n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1
  return n
}

/** The words for the fields that are no Redis name: sds's free space, the allocator's slack. */
export interface FieldWords {
  readonly free: string
  readonly slack: string
  /** A block's title: "allocation", its usable size, "bytes". */
  readonly allocation: string
  readonly bytes: string
}

export const ENGLISH_FIELD_WORDS: FieldWords = {
  free: 'free',
  slack: 'slack',
  allocation: 'allocation',
  bytes: 'bytes',
}

/** A block's title and how wide it is drawn. */
function blockTitle(usable: number, words: FieldWords): { title: string; titleW: number } {
  const title = `${words.allocation} ${String(usable)} ${words.bytes}`
  return { title, titleW: textColumns(title) * CHAR_W }
}

function robjFields(row: Row, v: StringView): void {
  // One 4-byte word holds type (4 bits), encoding (4 bits) and lru (24 bits).
  push(row, 'robj:type', 'robj', 'type', 'string', 0.5)
  push(row, 'robj:encoding', 'robj', 'enc', v.encoding, 0.5)
  push(row, 'robj:lru', 'robj', 'lru', String(v.lru), 3)
  push(
    row,
    'robj:refcount',
    'robj',
    'refcount',
    v.refcount === OBJ_SHARED_REFCOUNT ? 'INT_MAX' : String(v.refcount),
    4,
  )
  push(row, 'robj:ptr', 'robj', 'ptr', v.encoding === 'int' ? v.value : '→', 8)
}

function sdsFields(row: Row, v: StringView, words: FieldWords): number {
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
    push(
      row,
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
    push(row, `buf:${i}`, 'buf', showByte(v.value.charCodeAt(i)), utf8CharAt(v.value, i), 1)
  if (sds.len > shown) push(row, 'buf:rest', 'buf', `… +${sds.len - shown}`, '', sds.len - shown, 4)
  push(row, 'nul', 'nul', '\\0', '', 1)
  const free = sds.type === 5 ? 0 : sds.alloc - sds.len
  if (free > 0)
    push(row, 'free', 'free', `${words.free} ${free}`, '', free, Math.min(free, MAX_FREE_SHOWN))
  return sdsHeaderBytes(sds.type) + (sds.type === 5 ? sds.len : sds.alloc) + 1
}

/** Appends allocation `alloc`'s slack (the allocator's rounding), if it has any. */
function pushSlack(row: Row, alloc: number, slack: number, words: FieldWords): void {
  if (slack > 0)
    push(
      row,
      `slack:${String(alloc)}`,
      'slack',
      `${words.slack} ${String(slack)}`,
      '',
      slack,
      Math.min(slack, MAX_FREE_SHOWN),
    )
}

/**
 * The pointer's path from the bottom of ptr (in the first block, at y 0) down to the top of
 * `to`'s first row: straight down when that passes right of `to`'s title, else across the
 * gap between the blocks to just past the title and down (a line to the block's corner
 * crossed its title, "allocation 160 bytes").
 */
function pointerPoints(ptr: Field, to: Block): [number, number][] {
  const x1 = ptr.x + ptr.w / 2
  const y1 = TITLE_H + ptr.y + FIELD_H
  const y2 = to.y + TITLE_H
  const clear = to.titleW + POINTER_CLEAR
  if (x1 >= clear)
    return [
      [x1, y1],
      [x1, y2],
    ]
  const x2 = Math.min(clear, Math.max(to.width - POINTER_CLEAR, x1))
  const mid = (y1 + to.y) / 2
  return [
    [x1, y1],
    [x1, mid],
    [x2, mid],
    [x2, y2],
  ]
}

/** The height of a block: its rows and its title. */
function blockHeight(row: Row): number {
  return row.y + BLOCK_H
}

/**
 * Lays out the allocations of a string value, one block per allocation; `words` names the
 * free space and the slack in the reader's language.
 */
export function layoutString(v: StringView, words: FieldWords = ENGLISH_FIELD_WORDS): StringLayout {
  const blocks: Block[] = []
  const first = newRow()
  robjFields(first, v)
  let used = 16
  if (v.encoding === 'embstr') used += sdsFields(first, v, words)
  pushSlack(first, 0, (v.allocations[0] ?? used) - used, words)
  blocks.push({
    id: 'alloc:0',
    usable: v.allocations[0] ?? used,
    ...blockTitle(v.allocations[0] ?? used, words),
    y: 0,
    fields: first.fields,
    width: first.width,
    height: blockHeight(first),
  })
  let pointer: StringLayout['pointer'] = null
  if (v.encoding === 'raw') {
    const second = newRow()
    const asked = sdsFields(second, v, words)
    pushSlack(second, 1, (v.allocations[1] ?? asked) - asked, words)
    const block: Block = {
      id: 'alloc:1',
      usable: v.allocations[1] ?? asked,
      ...blockTitle(v.allocations[1] ?? asked, words),
      y: blockHeight(first) + BLOCK_GAP,
      fields: second.fields,
      width: second.width,
      height: blockHeight(second),
    }
    blocks.push(block)
    const ptr = first.fields.find((f) => f.id === 'robj:ptr')
    if (ptr) pointer = { from: 'robj:ptr', to: 'alloc:1', points: pointerPoints(ptr, block) }
  }
  const last = blocks[blocks.length - 1]
  return {
    blocks,
    pointer,
    shared: v.refcount === OBJ_SHARED_REFCOUNT,
    height: last ? last.y + last.height : 0,
  }
}

// --- Summary ---

/** Bytes of the value a summary shows before its ellipsis. */
export const SUMMARY_BYTES = 24

/**
 * The start of a value as a reader sees it: printable ASCII and the characters of valid
 * UTF-8 as themselves, any other byte as \xHH, at most `max` bytes, then '…' when more
 * follow (a value the engine's view cut short counts as longer).
 */
export function previewBytes(value: string, length: number, max = SUMMARY_BYTES): string {
  let out = ''
  let i = 0
  while (i < value.length && i < max) {
    const c = value.charCodeAt(i)
    const ch = utf8CharAt(value, i)
    if (ch !== '') {
      out += ch
      i += utf8ToBytes(ch).length
    } else {
      out += c === 0x20 ? ' ' : showByte(c)
      i++
    }
  }
  return i < length ? `${out}…` : out
}

/** A string value in a few lines, for a frame too small for its byte diagram. */
export interface StringSummary {
  readonly encoding: StringView['encoding']
  readonly refcount: string
  /** The sds header: its type and fields; null for int (no sds). */
  readonly sds: { readonly type: number; readonly len: number; readonly alloc: number } | null
  /** The value's first bytes (an int: its digits). */
  readonly preview: string
  /** The value's size in bytes (an int: the digits' count, as STRLEN says). */
  readonly bytes: number
  /** The usable size of each allocation. */
  readonly allocations: readonly number[]
}

/** Summarises a string view: header fields, lengths, the first bytes and the size. */
export function summariseString(v: StringView): StringSummary {
  const bytes = v.sds?.len ?? v.value.length
  return {
    encoding: v.encoding,
    refcount: v.refcount === OBJ_SHARED_REFCOUNT ? 'INT_MAX' : String(v.refcount),
    sds: v.sds ? { type: v.sds.type, len: v.sds.len, alloc: v.sds.alloc } : null,
    preview: v.encoding === 'int' ? v.value : previewBytes(v.value, bytes),
    bytes,
    allocations: v.allocations,
  }
}
