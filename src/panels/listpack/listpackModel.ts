/**
 * The listpack panel's model and layout (pure): the byte ribbon of one listpack. A 6-byte
 * header (total bytes u32, element count u16), then each entry as encoding + data + backlen
 * (the backlen lets Redis walk backwards), then the 0xFF terminator. Inserting in the middle
 * shifts every later byte (memmove), which is why listpacks are kept small.
 */
import type { StepEvent } from '../../engine/events.ts'
import type { ListpackView } from '../../engine/inspectContainers.ts'

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
  const boxes: LpBox[] = [
    {
      id: 'lp:header',
      kind: 'header',
      label: `${m.totalBytes}B · ${m.cells.length}`,
      offset: 0,
      size: LP_HEADER,
      x: 0,
      w: LP_HEADER * LP_BYTE_PX,
    },
  ]
  let offset = LP_HEADER
  let x = LP_HEADER * LP_BYTE_PX
  for (const c of m.cells) {
    const w = Math.min(MAX_ENTRY_PX, c.size * LP_BYTE_PX)
    boxes.push({ id: `lp:${c.uid}`, kind: 'entry', label: c.value, offset, size: c.size, x, w })
    offset += c.size
    x += w
  }
  boxes.push({ id: 'lp:end', kind: 'end', label: 'FF', offset, size: 1, x, w: LP_BYTE_PX * 2 })
  return boxes
}
