/**
 * The listpack panel: the byte ribbon of a small hash or sorted set, each entry at its byte
 * offset with its size; an insert or delete animates the later entries shifting, as the
 * memmove does in lpInsert.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import { memo, useMemo } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { ListpackView } from '../../engine/inspectContainers.ts'
import { narration } from '../shared/narration.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { useStepFold } from '../shared/stepFold.ts'
import {
  applyListpackEvent,
  emptyListpackModel,
  layoutListpack,
  listpackModelFromView,
  settleListpack,
  type ListpackModel,
} from './listpackModel.ts'

export interface ListpackPanelProps {
  readonly title: string
  readonly before: ListpackView | null
  readonly after: ListpackView
  readonly events: readonly StepEvent[]
  readonly step: number
  readonly t: number
  readonly lang: 'en' | 'zh'
  /**
   * The item's last step is shown: the panel settles on `after` (the engine's real state),
   * whatever the trace level left out of the steps.
   */
  readonly settled?: boolean
}

const text = {
  bytes: { en: 'bytes', zh: '字节' },
  entry: { en: 'entry', zh: '个条目' },
  frame: {
    en: (title: string) => `Listpack bytes of ${title}, scrolls sideways`,
    zh: (title: string) => `${title} 的 listpack 字节图，可左右滚动`,
  },
  entries: { en: 'entries', zh: '个条目' },
  explain: {
    en: 'One contiguous block: header (total bytes, count), entries (encoding, data, backlen), 0xFF. Small integers take 1 byte; inserting moves every later byte.',
    zh: '一整块连续内存：头部（总字节数、元素数）、各个条目（编码、数据、backlen）、0xFF。小整数只占 1 字节；插入会搬动其后的所有字节。',
  },
} as const

const legendText = {
  header: {
    en: 'header (total bytes, count) and end byte 0xFF',
    zh: '头部（总字节数、元素数）和结尾字节 0xFF',
  },
  entry: { en: 'entry (encoding, data, backlen)', zh: '条目（编码、数据、backlen）' },
} as const

/** The key to the ribbon's two fills. */
function listpackLegend(lang: 'en' | 'zh'): LegendItem[] {
  return (['header', 'entry'] as const).map((id) => ({
    shape: `lp-box lp-box--${id}`,
    label: legendText[id][lang],
    id,
  }))
}

function ListpackPanelImpl(props: ListpackPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const own = useMemo(
    () =>
      events.filter(
        (e) =>
          e.type.startsWith('listpack/') &&
          'key' in e &&
          e.key === after.key &&
          !('node' in e && e.node !== undefined),
      ),
    [events, after.key],
  )
  // A key the command creates (no listpack before) is built from an empty listpack by its
  // inserts, so each step shows one more entry; with no steps to fold, the after view.
  const start = useMemo(
    () =>
      before?.kind === 'listpack'
        ? listpackModelFromView(before)
        : own.length > 0
          ? emptyListpackModel(after.key)
          : listpackModelFromView(after),
    [before, after, own.length],
  )
  const settle = useMemo(() => {
    if (!settled) return null
    const truth = listpackModelFromView(after)
    return (folded: ListpackModel) => settleListpack(folded, truth)
  }, [settled, after])
  const { prev, curr, current } = useStepFold(start, own, step, applyListpackEvent, settle)
  const from = new Map(layoutListpack(prev).map((b) => [b.id, b]))
  const boxes = layoutListpack(curr)
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const last = boxes[boxes.length - 1]
  const width = (last?.x ?? 0) + (last?.w ?? 0) + 8
  return (
    <section aria-label={title} className="listpack-panel">
      <p>{text.explain[lang]}</p>
      <p>
        <span data-testid="lp-total">{curr.totalBytes}</span> {text.bytes[lang]} ·{' '}
        <span data-testid="lp-count">{curr.cells.length}</span>{' '}
        {(curr.cells.length === 1 ? text.entry : text.entries)[lang]}
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      <Legend items={listpackLegend(lang)} lang={lang} />
      <div
        className="listpack-panel__ribbon"
        tabIndex={0}
        role="region"
        aria-label={text.frame[lang](title)}
      >
        <svg width={width} height={48} viewBox={`0 0 ${width} 48`} role="img" aria-label={title}>
          {boxes.map((b) => {
            const a = from.get(b.id)
            const x = a ? interpolateNumber(a.x, b.x)(e) : b.x
            return (
              <g
                key={b.id}
                data-id={b.id}
                data-offset={b.offset}
                data-size={b.size}
                opacity={a ? 1 : e}
                transform={`translate(${x},4)`}
              >
                <rect width={b.w - 1} height={30} className={`lp-box lp-box--${b.kind}`} />
                <text x={3} y={14} className="lp-box__label">
                  {b.label}
                </text>
                <text x={3} y={27} className="lp-box__size">
                  {b.offset}+{b.size}
                </text>
              </g>
            )
          })}
        </svg>
      </div>
    </section>
  )
}

export const ListpackPanel = memo(ListpackPanelImpl)
