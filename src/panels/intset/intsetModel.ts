/**
 * The intset panel's model and layout (pure). An intset is a sorted array of integers all
 * stored at one width (int16, int32 or int64), little-endian, after an 8-byte header
 * (encoding, length). Adding a value that needs a wider type upgrades every element, moving
 * them from the end so nothing is overwritten; the set never downgrades.
 */
import type { StepEvent } from '../../engine/events.ts'
import type { IntsetView } from '../../engine/inspectContainers.ts'

export interface IntsetModel {
  readonly key: string
  readonly width: 2 | 4 | 8
  readonly values: readonly string[]
}

export interface IntsetCell {
  readonly id: string
  readonly value: string
  readonly index: number
  /** Byte offset inside the contents (after the 8-byte header). */
  readonly offset: number
  readonly x: number
  readonly w: number
}

/** 12 px a byte: an int32 cell (48 px) holds "100000", the classic upgrade demo's value. */
export const BYTE_PX = 12
/** Width of one character of the 11px monospace values. */
const CHAR_PX = 6.7

/**
 * The length to squeeze a cell's value into (SVG textLength), or undefined when it fits: a
 * wide value in a narrow cell ("-32768" in int16) stays inside its cell instead of running
 * over its neighbours, while cells keep their true byte widths.
 */
export function squeezeTo(value: string, cellW: number): number | undefined {
  const room = cellW - 6
  return value.length * CHAR_PX > room ? Math.max(4, room) : undefined
}
export const HEADER_BYTES = 8

/** Builds the model from the engine's view. */
export function intsetModelFromView(v: IntsetView): IntsetModel {
  return { key: v.key, width: v.width, values: v.values }
}

/** Applies one intset event to the model (other keys and events leave it as is). */
export function applyIntsetEvent(m: IntsetModel, e: StepEvent): IntsetModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'intset/upgraded':
      return {
        ...m,
        width: e.to,
        values: e.prepend ? [e.value, ...m.values] : [...m.values, e.value],
      }
    case 'intset/inserted': {
      const values = [...m.values]
      values.splice(e.pos, 0, e.value)
      return { ...m, values }
    }
    case 'intset/removed': {
      const values = [...m.values]
      values.splice(e.pos, 1)
      return { ...m, values }
    }
    default:
      return m
  }
}

/** Lays out the contents: one cell per element, width × BYTE_PX wide, after the header. */
export function layoutIntset(m: IntsetModel): IntsetCell[] {
  return m.values.map((value, index) => ({
    id: `int:${value}`,
    value,
    index,
    offset: HEADER_BYTES + index * m.width,
    x: (HEADER_BYTES + index * m.width) * BYTE_PX,
    w: m.width * BYTE_PX,
  }))
}

/** The encoding's C name for a width. */
export function intsetEncodingName(width: 2 | 4 | 8): string {
  return width === 2 ? 'INTSET_ENC_INT16' : width === 4 ? 'INTSET_ENC_INT32' : 'INTSET_ENC_INT64'
}
