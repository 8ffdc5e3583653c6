/**
 * The intset panel: the header (encoding, length) and the sorted elements as fixed-width
 * cells. A step folds one event: a binary search lights up its probes, an insert slides the
 * tail right (intsetMoveTail), an upgrade widens every cell, moving from the end.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import { memo, useMemo } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { IntsetView } from '../../engine/inspectContainers.ts'
import { Legend } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { useStepFold } from '../shared/stepFold.ts'
import {
  applyIntsetEvent,
  BYTE_PX,
  HEADER_BYTES,
  intsetEncodingName,
  intsetModelFromView,
  layoutIntset,
  squeezeTo,
} from './intsetModel.ts'

export interface IntsetPanelProps {
  readonly title: string
  readonly before: IntsetView | null
  readonly after: IntsetView
  readonly events: readonly StepEvent[]
  /** How many of this key's intset events are applied. */
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
  explain: {
    en: 'Sorted integers, all at one width. A wider value upgrades every element; the set never downgrades.',
    zh: '有序整数，所有元素同一宽度。更宽的值会让所有元素升级；集合从不降级。',
  },
  bytes: { en: 'bytes', zh: '字节' },
  length: { en: 'length', zh: '长度' },
  probe: {
    en: 'a probe of intsetSearch’s binary search (mid between min and max)',
    zh: 'intsetSearch 二分查找探测的位置（min 与 max 之间的 mid）',
  },
} as const

function IntsetPanelImpl(props: IntsetPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const own = useMemo(
    () => events.filter((e) => e.type.startsWith('intset/') && 'key' in e && e.key === after.key),
    [events, after.key],
  )
  // A set the command created starts as an empty INT16 intset (intsetNew) and its events
  // fill it; with no events to fold (trace off) the panel shows the engine's view.
  const start = useMemo(
    () =>
      intsetModelFromView(
        before ?? (own.length > 0 ? { ...after, width: 2, values: [], length: 0 } : after),
      ),
    [before, after, own.length],
  )
  const settle = useMemo(
    () => (settled ? () => intsetModelFromView(after) : null),
    [settled, after],
  )
  const { prev, curr, current } = useStepFold(start, own, step, applyIntsetEvent, settle)
  const probes = current?.type === 'intset/searched' ? new Set(current.probes) : new Set<number>()
  const from = new Map(layoutIntset(prev).map((c) => [c.id, c]))
  const cells = layoutIntset(curr)
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const width = (HEADER_BYTES + Math.max(1, curr.values.length) * curr.width) * BYTE_PX + 4
  return (
    <section aria-label={title} className="intset-panel" data-width={curr.width}>
      <p>{text.explain[lang]}</p>
      <p>
        <code data-testid="intset-encoding">{intsetEncodingName(curr.width)}</code> ·{' '}
        {text.length[lang]} <span data-testid="intset-length">{curr.values.length}</span> ·{' '}
        {HEADER_BYTES + curr.values.length * curr.width} {text.bytes[lang]}
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      <Legend
        items={probes.size > 0 ? [{ swatch: 'lit', label: text.probe[lang] }] : []}
        lang={lang}
      />
      <svg width={width} height={40} viewBox={`0 0 ${width} 40`} role="img" aria-label={title}>
        <rect
          x={0}
          y={4}
          width={HEADER_BYTES * BYTE_PX - 2}
          height={28}
          className="intset-header"
        />
        <text x={4} y={22} className="intset-header__label">
          enc|len
        </text>
        {cells.map((c) => {
          const a = from.get(c.id)
          const x = a ? interpolateNumber(a.x, c.x)(e) : c.x
          const w = a ? interpolateNumber(a.w, c.w)(e) : c.w
          const squeeze = squeezeTo(c.value, w)
          return (
            <g
              key={c.id}
              data-id={c.id}
              data-index={c.index}
              data-offset={c.offset}
              data-probe={probes.has(c.index) ? 'true' : undefined}
              opacity={a ? 1 : e}
              transform={`translate(${x},4)`}
            >
              <rect
                width={w - 2}
                height={28}
                className={probes.has(c.index) ? 'intset-cell intset-cell--probe' : 'intset-cell'}
              />
              <text
                x={4}
                y={18}
                className="intset-cell__value"
                {...(squeeze === undefined
                  ? {}
                  : { textLength: squeeze, lengthAdjust: 'spacingAndGlyphs' })}
              >
                {c.value}
              </text>
            </g>
          )
        })}
      </svg>
    </section>
  )
}

export const IntsetPanel = memo(IntsetPanelImpl)
