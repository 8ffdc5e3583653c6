/**
 * The bitmap panel: a string's bytes as rows of 8 bits (bit 0 = the most significant bit
 * of byte 0), with each byte's index, hex and set-bit count. A step lights the bit SETBIT
 * or GETBIT addresses and the byte it lands in, the zero bytes a write past the end pads
 * in, a BITFIELD field's bits, the bytes a BITCOUNT or BITPOS range covers (edge bits a BIT
 * range leaves out dimmed) and the bit BITPOS finds. Long strings show a window of bytes
 * around the step and a canvas strip of every known byte's set bits.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import './bitmap.css'
import { memo, useEffect, useRef } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import { fill } from '../shared/fill.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { useViewFold } from '../shared/stepFold.ts'
import type { StringView } from '../string/stringLayout.ts'
import {
  applyBitmapEvent,
  bitmapModelFromView,
  byteWindow,
  emptyBitmapModel,
  focusByte,
  highlightOf,
  inRange,
  popcount8,
} from './bitmapModel.ts'

export interface BitmapPanelProps {
  readonly title: string
  readonly before: StringView | null
  readonly after: StringView
  readonly events: readonly StepEvent[]
  readonly step: number
  readonly t: number
  readonly lang: 'en' | 'zh'
  readonly settled?: boolean
}

const text = {
  explain: {
    en: 'A bitmap is a string. Bit n lives in byte n >> 3, at position n & 7 counted from the most significant bit; writing past the end pads the string with zero bytes.',
    zh: '位图就是字符串。第 n 位在第 n >> 3 个字节里，从最高位数起第 n & 7 位；写到末尾之后会先用 0 字节把字符串补长。',
  },
  bytes: { en: '{n} bytes', zh: '{n} 个字节' },
  bits: { en: 'Bits of {key}, bytes {from}–{to}', zh: '{key} 的位，字节 {from}–{to}' },
  byte: { en: 'byte {i}: {hex}, {n|bit|bits} set', zh: '字节 {i}：{hex}，{n} 个位为 1' },
  more: { en: '… {n|more byte|more bytes}', zh: '……还有 {n} 个字节' },
  strip: { en: 'Set bits per byte, all {n} bytes', zh: '每个字节中为 1 的位数，共 {n} 个字节' },
  empty: { en: 'No bytes yet.', zh: '还没有字节。' },
  zero: { en: 'bit 0', zh: '位 0' },
  one: { en: 'bit 1', zh: '位 1' },
  lit: { en: 'the bits this step reads or writes', zh: '这一步读写的位' },
  counted: { en: 'in the range counted', zh: '在统计的范围内' },
  padded: { en: 'zero bytes added to reach the bit', zh: '为了写到该位而补上的 0 字节' },
} as const

/**
 * The key to the bits' fills: 0 and 1 always, the step's own highlights (lit, counted,
 * padded) while it has them.
 */
function bitmapLegend(h: ReturnType<typeof highlightOf>, lang: 'en' | 'zh'): LegendItem[] {
  const item = (id: 'zero' | 'one' | 'lit' | 'counted' | 'padded'): LegendItem => ({
    shape: id === 'zero' ? 'bitmap-bit' : `bitmap-bit bitmap-bit--${id}`,
    label: text[id][lang],
    id,
  })
  return [
    item('zero'),
    item('one'),
    ...(h.bits !== null ? [item('lit')] : []),
    ...(h.range !== null ? [item('counted')] : []),
    ...(h.padded !== null ? [item('padded')] : []),
  ]
}

/** A bit's cell, and a byte's drawing: 8 cells over its `[i] 0x..` label. */
const BIT = 15
const BYTE_WIDTH = 8 * BIT + 2
const BYTE_HEIGHT = 38
const STRIP_MAX = 512

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`
}

/** Every known byte's set-bit count as a shade: one canvas column per byte. */
const Strip = memo(function Strip({ bytes, label }: { bytes: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null)
  const n = Math.min(bytes.length, STRIP_MAX)
  useEffect(() => {
    const g = ref.current?.getContext('2d')
    if (!g) return
    g.clearRect(0, 0, n, 12)
    for (let i = 0; i < n; i++) {
      const c = popcount8(bytes.charCodeAt(i))
      g.fillStyle = `rgba(194, 38, 27, ${String(c / 8)})`
      g.fillRect(i, 0, 1, 12)
    }
  }, [bytes, n])
  return (
    <canvas
      ref={ref}
      width={n}
      height={12}
      className="bitmap-strip"
      role="img"
      aria-label={label}
      data-testid="bitmap-strip"
    />
  )
})

function BitmapPanelImpl(props: BitmapPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const { curr, current } = useViewFold(
    { before, after, events, step, settled },
    'bitmap/',
    bitmapModelFromView,
    emptyBitmapModel,
    applyBitmapEvent,
  )
  const h = highlightOf(current)
  const [from, to] = byteWindow(curr.bytes.length, focusByte(h))
  const fade = Math.max(0, Math.min(1, t))
  return (
    <section aria-label={title} className="bitmap-panel" data-testid="bitmap-panel">
      <p>{text.explain[lang]}</p>
      <p className="bitmap-facts">
        <span data-testid="bitmap-length">{fill(text.bytes[lang], { n: curr.length })}</span>
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      {curr.bytes.length === 0 ? (
        <p>{text.empty[lang]}</p>
      ) : (
        <>
          <Legend items={bitmapLegend(h, lang)} lang={lang} />
          {from > 0 && <p className="bitmap-more">{fill(text.more[lang], { n: from })}</p>}
          {/* One small SVG a byte, wrapping like words: a byte keeps its drawn size (labels
              at their font size) in a 390 px phone and a projector alike, where one 8-byte
              row scaled to the panel's width shrank its labels to 6 px. */}
          <div
            className="bitmap-bytes"
            role="list"
            aria-label={fill(text.bits[lang], { key: title, from, to: to - 1 })}
          >
            {Array.from({ length: to - from }, (_, k) => {
              const i = from + k
              const b = curr.bytes.charCodeAt(i)
              const padded = h.padded !== null && i >= h.padded[0] && i < h.padded[1]
              const lit =
                h.bits !== null && Math.floor(h.bits[0] / 8) <= i && i <= Math.floor(h.bits[1] / 8)
              return (
                <svg
                  key={`byte:${String(i)}`}
                  width={BYTE_WIDTH}
                  height={BYTE_HEIGHT}
                  viewBox={`0 0 ${String(BYTE_WIDTH)} ${String(BYTE_HEIGHT)}`}
                  className="bitmap-byte"
                  role="listitem"
                  aria-label={fill(text.byte[lang], { i, hex: hex(b), n: popcount8(b) })}
                  data-byte={i}
                  data-value={b}
                  data-padded={padded ? 'true' : undefined}
                  data-lit={lit ? 'true' : undefined}
                  opacity={padded ? 0.3 + 0.7 * fade : 1}
                >
                  {Array.from({ length: 8 }, (_, j) => {
                    const pos = i * 8 + j
                    const v = (b >> (7 - j)) & 1
                    const on = h.bits !== null && pos >= h.bits[0] && pos <= h.bits[1]
                    const counted = inRange(h.range, pos)
                    const cls = [
                      'bitmap-bit',
                      v ? 'bitmap-bit--one' : '',
                      on ? 'bitmap-bit--lit' : '',
                      counted ? 'bitmap-bit--counted' : '',
                      padded ? 'bitmap-bit--padded' : '',
                    ].join(' ')
                    return (
                      <g
                        key={j}
                        transform={`translate(${String(1 + j * BIT)},1)`}
                        data-bit={pos}
                        data-on={v}
                        data-lit={on ? 'true' : undefined}
                        data-counted={counted ? 'true' : undefined}
                      >
                        <rect width={BIT - 1} height={18} className={cls} />
                        <text x={4} y={13} className="bitmap-bit__value">
                          {v}
                        </text>
                      </g>
                    )
                  })}
                  <text x={1} y={33} className="bitmap-byte__label">
                    [{i}] {hex(b)}
                  </text>
                </svg>
              )
            })}
          </div>
          {to < curr.bytes.length && (
            <p className="bitmap-more">{fill(text.more[lang], { n: curr.bytes.length - to })}</p>
          )}
          {curr.bytes.length > 32 && (
            <Strip bytes={curr.bytes} label={fill(text.strip[lang], { n: curr.length })} />
          )}
        </>
      )}
    </section>
  )
}

export const BitmapPanel = memo(BitmapPanelImpl)
