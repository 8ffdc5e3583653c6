/**
 * The listpack panel's model and layout (pure): the byte ribbon of one listpack. A 6-byte
 * header (total bytes u32, element count u16), then each entry as encoding + data + backlen
 * (the backlen lets Redis walk backwards), then the 0xFF terminator. Inserting in the middle
 * shifts every later byte (memmove), which is why listpacks are kept small.
 */
import type { StepEvent } from '../../engine/events.ts'
import type { ListpackView } from '../../engine/inspectContainers.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'

export interface LpCell {
  /** Stable id so an entry keeps its element while others move around it. */
  readonly uid: number
  readonly value: string
  /** encoding + data + backlen bytes. */
  readonly size: number
  readonly encoding: string | null
}

export interface ListpackModel {
  readonly key: string
  readonly cells: readonly LpCell[]
  readonly totalBytes: number
  readonly nextUid: number
}

export interface LpBox {
  readonly id: string
  readonly kind: 'header' | 'entry' | 'end'
  readonly label: string
  readonly offset: number
  readonly size: number
  readonly x: number
  readonly w: number
}

export const LP_HEADER = 6
/** Pixels per byte; long entries are capped so one big value does not take the ribbon. */
export const LP_BYTE_PX = 8
const MAX_ENTRY_PX = 200
/** Width of one character of the 11px monospace labels. */
const CHAR_PX = 7
/** Longest value shown in a box; longer ones are cut with '…'. */
const MAX_LABEL = 12

/** Cuts a value to what a box shows. */
function shortLabel(value: string): string {
  return value.length > MAX_LABEL ? `${value.slice(0, MAX_LABEL - 1)}…` : value
}

/**
 * A box's width: its bytes at LP_BYTE_PX (capped), widened when its label or its
 * "offset+size" line would not fit, so small entries ("33", the 0xFF end) stay legible.
 */
function boxWidth(bytesPx: number, label: string, offset: number, size: number): number {
  const text = Math.max(label.length, `${String(offset)}+${String(size)}`.length) * CHAR_PX + 7
  return Math.max(bytesPx, text)
}

/** Builds the model from the engine's view. */
export function listpackModelFromView(v: ListpackView): ListpackModel {
  const cells = v.entries.map((e, i) => ({
    uid: i,
    value: e.value,
    size: e.encodedSize + e.backlenSize,
    encoding: e.encoding,
  }))
  return { key: v.key, cells, totalBytes: v.totalBytes, nextUid: cells.length }
}

/** A fresh listpack (lpNew): the 6-byte header and the 0xFF terminator, no entries. */
export function emptyListpackModel(key: string): ListpackModel {
  return { key, cells: [], totalBytes: LP_HEADER + 1, nextUid: 0 }
}

/**
 * The model to show at an item's last step: the engine's view `truth`, with the folded
 * model's stable ids kept where the entries line up (same values in the same order), so the
 * last tween moves the same boxes. Entries that do not line up (a fold that missed steps)
 * get fresh ids: they fade in as the engine's state rather than morph from the wrong box.
 */
export function settleListpack(folded: ListpackModel, truth: ListpackModel): ListpackModel {
  const same =
    folded.cells.length === truth.cells.length &&
    folded.cells.every((c, i) => c.value === truth.cells[i]?.value)
  const cells = truth.cells.map((c, i) => ({
    ...c,
    uid: same ? (folded.cells[i]?.uid ?? i) : folded.nextUid + i,
  }))
  return { ...truth, cells, nextUid: folded.nextUid + (same ? 0 : cells.length) }
}

/** Applies a listpack event of this key (quicklist nodes' events carry a node and are skipped). */
export function applyListpackEvent(m: ListpackModel, e: StepEvent): ListpackModel {
  if (!('key' in e) || e.key !== m.key || ('node' in e && e.node !== undefined)) return m
  switch (e.type) {
    case 'listpack/entryInserted': {
      const cells = [...m.cells]
      cells.splice(e.index, 0, { uid: m.nextUid, value: e.value, size: e.size, encoding: null })
      return { ...m, cells, totalBytes: e.totalBytes, nextUid: m.nextUid + 1 }
    }
    case 'listpack/entryDeleted': {
      const cells = [...m.cells]
      cells.splice(e.index, 1)
      return { ...m, cells, totalBytes: e.totalBytes }
    }
    case 'listpack/entryReplaced': {
      const cells = m.cells.map((c, i) =>
        i === e.index ? { ...c, value: e.value, size: e.size, encoding: null } : c,
      )
      return { ...m, cells, totalBytes: e.totalBytes }
    }
    default:
      return m
  }
}

/** Lays out the ribbon: header, entries at their byte offsets, terminator. */
export function layoutListpack(m: ListpackModel): LpBox[] {
  const header = `${m.totalBytes}B · ${m.cells.length}`
  const headerW = boxWidth(LP_HEADER * LP_BYTE_PX, header, 0, LP_HEADER)
  const boxes: LpBox[] = [
    {
      id: 'lp:header',
      kind: 'header',
      label: header,
      offset: 0,
      size: LP_HEADER,
      x: 0,
      w: headerW,
    },
  ]
  let offset = LP_HEADER
  let x = headerW
  for (const c of m.cells) {
    const label = shortLabel(bytesToUtf8(c.value))
    const w = boxWidth(Math.min(MAX_ENTRY_PX, c.size * LP_BYTE_PX), label, offset, c.size)
    boxes.push({ id: `lp:${c.uid}`, kind: 'entry', label, offset, size: c.size, x, w })
    offset += c.size
    x += w
  }
  const endW = boxWidth(LP_BYTE_PX * 2, 'FF', offset, 1)
  boxes.push({ id: 'lp:end', kind: 'end', label: 'FF', offset, size: 1, x, w: endW })
  return boxes
}
