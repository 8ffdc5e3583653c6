/**
 * The legacy ziplist lesson's view model: what the lesson panel draws at each step of one
 * operation, as a pure function of the operation's result (engine/ziplistLesson.ts) and the
 * step (the store's ziplistLessonSteps).
 *
 * Steps of an insert or delete: 0, the structures before; 1, the operation done, with every
 * entry the cascade will reach still as it was (the first of them "stale": its prevlen no
 * longer records its neighbour's length); 1 + k, the k-th cascade entry's prevlen grown from
 * 1 to 5 bytes, the next one stale; last, the summary. Redis 7.0's __ziplistCascadeUpdate
 * measures the whole chain first and reallocates once; Redis 3.2–6.0 reallocated for each
 * entry. Either way each entry is rewritten in turn, and that is what the steps show. The
 * listpack beside it shows the same operation at step 1 and nothing more: no entry records
 * its neighbour's length, so no other entry changes.
 *
 * Widths are in CSS pixels: each header byte (prevlen, encoding, backlen) a fixed cell, so a
 * prevlen growing from 1 to 5 bytes visibly grows; the data a block scaled to its length.
 */
import type {
  ZiplistLessonEntry,
  ZiplistLessonLpEntry,
  ZiplistLessonResult,
} from '../../engine/ziplistLesson.ts'
import type { MessageKey } from '../../i18n/index.ts'
import { ziplistLessonSteps } from '../../state/ziplistLesson.ts'

// --- Types ---

/**
 * plain: unchanged; new: the inserted entry; removing: the entry about to be deleted;
 * stale: its prevlen no longer fits its neighbour's length; growing: its prevlen grows at this
 * step; grown: its prevlen grew at an earlier step.
 */
export type ZlCellState = 'plain' | 'new' | 'removing' | 'stale' | 'growing' | 'grown'

export type ZlFieldKind = 'prevlen' | 'encoding' | 'data' | 'backlen'

export interface ZlFieldView {
  readonly kind: ZlFieldKind
  readonly bytes: number
  /** Width in px. */
  readonly w: number
  /** What the field holds: a prevlen's bytes in hex, the data's length. */
  readonly text: string
}

export interface ZlCellView {
  /** Stable within one operation: `b<index before>` or `new`. */
  readonly id: string
  readonly index: number
  readonly offset: number
  readonly size: number
  /** The element, short: "a×247", "short". */
  readonly label: string
  readonly state: ZlCellState
  /** The prevlen this entry records (ziplist) or null (listpack). */
  readonly prevlen: number | null
  readonly fields: readonly ZlFieldView[]
  /** Sum of the fields' widths. */
  readonly w: number
}

export interface ZlCaption {
  readonly key: MessageKey
  readonly params: Readonly<Record<string, string | number>>
}

export interface ZlStructureFrame {
  readonly totalBytes: number
  readonly count: number
  /** ziplist: zltail; listpack: null. */
  readonly tail: number | null
  readonly headerSize: number
  readonly cells: readonly ZlCellView[]
}

export interface ZlLessonFrame {
  readonly step: number
  readonly steps: number
  readonly ziplist: ZlStructureFrame
  readonly listpack: ZlStructureFrame
  readonly caption: ZlCaption
  readonly listpackCaption: ZlCaption
  /** Entries whose prevlen the cascade has grown so far (besides the inserted one). */
  readonly rewritten: number
  /** Byte counts before and after the whole operation. */
  readonly totals: {
    readonly ziplist: readonly [number, number]
    readonly listpack: readonly [number, number]
    /** Entries the cascade rewrote in all. */
    readonly rewritten: number
  }
}

// --- Constants ---

/** Width of one header byte. */
export const BYTE_W = 9
/** Data block width: px per data byte, clamped. */
const DATA_PX_PER_BYTE = 0.25
const DATA_MIN_W = 24
const DATA_MAX_W = 90

// --- Fields ---

/** The bytes of a prevlen field in hex: "FA", or "FE 2F 01 00 00" (0xFE, then u32 LE). */
export function prevlenHex(size: number, prevlen: number): string {
  const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0')
  if (size === 1) return hex(prevlen)
  const le = [0, 8, 16, 24].map((s) => hex((prevlen >>> s) & 0xff))
  return ['FE', ...le].join(' ')
}

/** Width of a data block of `len` bytes. */
export function dataWidth(len: number): number {
  return Math.max(DATA_MIN_W, Math.min(DATA_MAX_W, Math.round(len * DATA_PX_PER_BYTE)))
}

/** A short label for an element: a run of one character as "a×247", else the text. */
export function elementLabel(value: string): string {
  const c = value.charAt(0)
  if (value.length > 8 && value === c.repeat(value.length)) return `${c}×${String(value.length)}`
  return value.length > 8 ? `${value.slice(0, 7)}…` : value
}

function field(kind: ZlFieldKind, bytes: number, text: string): ZlFieldView {
  return { kind, bytes, w: kind === 'data' ? dataWidth(bytes) : bytes * BYTE_W, text }
}

function cell(
  e: { readonly offset: number; readonly size: number; readonly value: string },
  index: number,
  id: string,
  state: ZlCellState,
  prevlen: number | null,
  fields: readonly ZlFieldView[],
): ZlCellView {
  const w = fields.reduce((n, f) => n + f.w, 0)
  return {
    id,
    index,
    offset: e.offset,
    size: e.size,
    label: elementLabel(e.value),
    state,
    prevlen,
    fields,
    w,
  }
}

function zlCell(e: ZiplistLessonEntry, index: number, id: string, state: ZlCellState): ZlCellView {
  return cell(e, index, id, state, e.prevlen, [
    field('prevlen', e.prevlenSize, prevlenHex(e.prevlenSize, e.prevlen)),
    field('encoding', e.encodingSize, ''),
    field('data', e.dataLen, String(e.dataLen)),
  ])
}

function lpCell(
  e: ZiplistLessonLpEntry,
  index: number,
  id: string,
  state: ZlCellState,
): ZlCellView {
  return cell(e, index, id, state, null, [
    field('encoding', e.encodingSize, ''),
    field('data', e.dataLen, String(e.dataLen)),
    field('backlen', e.backlenSize, ''),
  ])
}

/** Recomputes offsets from the sizes, after `headerSize` bytes of header. */
function placed(cells: readonly ZlCellView[], headerSize: number): ZlCellView[] {
  let offset = headerSize
  return cells.map((c) => {
    const out = { ...c, offset }
    offset += c.size
    return out
  })
}

function structure(
  cells: readonly ZlCellView[],
  headerSize: number,
  ziplist: boolean,
): ZlStructureFrame {
  const at = placed(cells, headerSize)
  const body = at.reduce((n, c) => n + c.size, 0)
  const last = at.at(-1)
  return {
    totalBytes: headerSize + body + 1,
    count: at.length,
    tail: ziplist ? (last?.offset ?? headerSize) : null,
    headerSize,
    cells: at,
  }
}

// --- Frames ---

/**
 * The before index of each after entry (null: the inserted one), from the operation:
 * an insert at i shifts the entries from i on by one, a delete at i pulls them back.
 */
function beforeIndexOf(result: ZiplistLessonResult, after: number): number | null {
  const op = result.op
  if (op.kind === 'insert') return after < op.index ? after : after === op.index ? null : after - 1
  if (op.kind === 'delete') return after < op.index ? after : after + 1
  return after
}

/** The lesson panel's frame at `step` of `result` (clamped to its steps). */
export function ziplistLessonFrame(result: ZiplistLessonResult, step: number): ZlLessonFrame {
  const steps = ziplistLessonSteps(result)
  const s = Math.max(0, Math.min(steps, step))
  const { before, after, op } = result
  const cascade = result.cascade.map((c) => c.index)
  const zlBefore = before.ziplist
  const zlAfter = after.ziplist
  const lpBefore = before.listpack
  const lpAfter = after.listpack
  const totals = {
    ziplist: [zlBefore.zlbytes, zlAfter.zlbytes] as const,
    listpack: [lpBefore.totalBytes, lpAfter.totalBytes] as const,
    rewritten: cascade.length,
  }
  const lpCaption = listpackCaption(result, s)

  // Step 0 (and the starting chain): the structures as they were.
  if (s === 0 || op.kind === 'chain') {
    const shown = op.kind === 'chain' ? after : before
    const removing = op.kind === 'delete' ? op.index : -1
    const zCells = shown.ziplist.entries.map((e, i) =>
      zlCell(e, i, `b${String(i)}`, i === removing ? 'removing' : 'plain'),
    )
    const lCells = shown.listpack.entries.map((e, i) =>
      lpCell(e, i, `b${String(i)}`, i === removing ? 'removing' : 'plain'),
    )
    return {
      step: s,
      steps,
      ziplist: structure(zCells, zlBefore.headerSize, true),
      listpack: structure(lCells, lpBefore.headerSize, false),
      caption: beforeCaption(result),
      listpackCaption: lpCaption,
      rewritten: 0,
      totals,
    }
  }

  // Steps 1..steps: cascade entries up to `grown` show their new prevlen; the rest as before.
  const grown = Math.min(cascade.length, s - 1)
  const done = s === steps
  const zCells = zlAfter.entries.map((e, i) => {
    const b = beforeIndexOf(result, i)
    const id = b === null ? 'new' : `b${String(b)}`
    const k = cascade.indexOf(i)
    if (b === null) return zlCell(e, i, id, 'new')
    if (k >= 0 && k >= grown) {
      // Not reached yet: as it was before, stale when it is the next one to grow.
      const old = zlBefore.entries[b] ?? e
      return zlCell(old, i, id, k === grown && !done ? 'stale' : 'plain')
    }
    if (k >= 0) return zlCell(e, i, id, k === grown - 1 && !done ? 'growing' : 'grown')
    return zlCell(e, i, id, 'plain')
  })
  const lCells = lpAfter.entries.map((e, i) => {
    const b = beforeIndexOf(result, i)
    return lpCell(e, i, b === null ? 'new' : `b${String(b)}`, b === null ? 'new' : 'plain')
  })
  return {
    step: s,
    steps,
    ziplist: structure(zCells, zlAfter.headerSize, true),
    listpack: structure(lCells, lpAfter.headerSize, false),
    caption: done
      ? doneCaption(result)
      : grown === 0
        ? opCaption(result)
        : grewCaption(result, grown),
    listpackCaption: lpCaption,
    rewritten: grown,
    totals,
  }
}

// --- Captions ---

function beforeCaption(result: ZiplistLessonResult): ZlCaption {
  const { op, before, after } = result
  const zl = (op.kind === 'chain' ? after : before).ziplist
  const base = { count: zl.zllen, bytes: zl.zlbytes }
  if (op.kind === 'insert') {
    const size = after.ziplist.entries[op.index]?.size ?? 0
    return { key: 'zl.caption.beforeInsert', params: { ...base, size, index: op.index } }
  }
  if (op.kind === 'delete') {
    const size = before.ziplist.entries[op.index]?.size ?? 0
    return { key: 'zl.caption.beforeDelete', params: { ...base, size, index: op.index } }
  }
  return { key: 'zl.caption.chain', params: base }
}

function opCaption(result: ZiplistLessonResult): ZlCaption {
  const { op, after, before, cascade } = result
  const first = cascade[0]
  if (op.kind === 'insert') {
    const size = after.ziplist.entries[op.index]?.size ?? 0
    const params = { index: op.index, size }
    if (first !== undefined)
      return { key: 'zl.caption.inserted', params: { ...params, next: first.index } }
    return {
      key:
        op.index + 1 >= after.ziplist.entries.length
          ? 'zl.caption.insertedLast'
          : 'zl.caption.insertedFits',
      params,
    }
  }
  if (op.kind === 'delete') {
    const prev = before.ziplist.entries[op.index]?.prevlen ?? 0
    if (first !== undefined)
      return { key: 'zl.caption.deleted', params: { index: op.index, next: first.index, prev } }
    return { key: 'zl.caption.deletedFits', params: { index: op.index } }
  }
  return beforeCaption(result)
}

/** The caption after the k-th cascade entry grew (k from 1). */
function grewCaption(result: ZiplistLessonResult, k: number): ZlCaption {
  const { cascade, after, before } = result
  const index = cascade[k - 1]?.index ?? 0
  const entry = after.ziplist.entries[index]
  const b = beforeIndexOf(result, index)
  const old = b === null ? 0 : (before.ziplist.entries[b]?.size ?? 0)
  const size = entry?.size ?? 0
  const params = { index, size, old, prevlen: entry?.prevlen ?? 0, next: index + 1 }
  if (cascade[k]?.index === index + 1) return { key: 'zl.caption.grew', params }
  const next = after.ziplist.entries[index + 1]
  if (next === undefined) return { key: 'zl.caption.grewLast', params }
  if (size < 254) return { key: 'zl.caption.grewSmall', params }
  return { key: 'zl.caption.grewFits', params }
}

function doneCaption(result: ZiplistLessonResult): ZlCaption {
  return {
    key: 'zl.caption.done',
    params: {
      rewritten: result.cascade.length,
      zlBefore: result.before.ziplist.zlbytes,
      zlAfter: result.after.ziplist.zlbytes,
      lpBefore: result.before.listpack.totalBytes,
      lpAfter: result.after.listpack.totalBytes,
    },
  }
}

function listpackCaption(result: ZiplistLessonResult, step: number): ZlCaption {
  const { op, before, after } = result
  if (step === 0 || op.kind === 'chain')
    return { key: 'zl.caption.lpBefore', params: { bytes: before.listpack.totalBytes } }
  if (op.kind === 'insert') {
    const size = after.listpack.entries[op.index]?.size ?? 0
    return {
      key: 'zl.caption.lpInserted',
      params: { index: op.index, size, bytes: after.listpack.totalBytes },
    }
  }
  return {
    key: 'zl.caption.lpDeleted',
    params: { index: op.index, bytes: after.listpack.totalBytes },
  }
}
