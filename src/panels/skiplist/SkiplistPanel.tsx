/**
 * The skiplist panel: the header and each node as a tower of levels, forward pointers with
 * their spans, and for an insert the coin flips that drew the new node's level and the
 * update[] path the search left at each level.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import { memo, useLayoutEffect, useMemo, useRef } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { SkiplistView } from '../../engine/inspectContainers.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { useStepFold } from '../shared/stepFold.ts'
import {
  applySkiplistEvent,
  COL_W,
  focusColumns,
  layoutSkiplist,
  LEVEL_H,
  skiplistLevel,
  skiplistModelFromView,
  towerLabel,
} from './skiplistModel.ts'

export interface SkiplistPanelProps {
  readonly title: string
  readonly before: SkiplistView | null
  readonly after: SkiplistView
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
  explain: {
    en: 'Each new node flips a coin (p = 1/4) to climb a level, up to 32. Spans count how many nodes a pointer jumps; their sum along the search path is the rank.',
    zh: '每个新节点抛硬币（p = 1/4）决定是否再升一层，最多 32 层。span 记录指针跨过的节点数；沿查找路径相加就是排名。',
  },
  flips: { en: 'coin flips', zh: '抛硬币' },
  header: { en: 'header', zh: '头节点' },
  up: { en: 'up', zh: '升' },
  stop: { en: 'stop', zh: '停' },
  frame: {
    en: (title: string) => `Skiplist diagram of ${title}, scrolls sideways`,
    zh: (title: string) => `${title} 的跳表图，可左右滚动`,
  },
  searchPath: {
    en: 'search path: at each level, the last node before the target (x in zslInsert’s loop)',
    zh: '查找路径：每一层上目标之前的最后一个节点（zslInsert 循环里的 x）',
  },
  update: {
    en: 'update[i]: the node before the new one at level i; its forward pointer and span change',
    zh: 'update[i]：第 i 层上新节点之前的节点；它的 forward 指针和 span 被改写',
  },
  inserted: {
    en: 'the node inserted (zslCreateNode), linked in after update[i]',
    zh: '新插入的节点（zslCreateNode），接在 update[i] 之后',
  },
} as const

/** The key to the step's colours: the search path on a search, update[] and the new node on an insert. */
function skiplistLegend(current: StepEvent | undefined, lang: 'en' | 'zh'): LegendItem[] {
  if (current?.type === 'zsl/searched') return [{ swatch: 'lit', label: text.searchPath[lang] }]
  if (current?.type === 'zsl/nodeInserted')
    return [
      { swatch: 'lit', label: text.update[lang] },
      { swatch: 'new', label: text.inserted[lang] },
    ]
  return []
}

function SkiplistPanelImpl(props: SkiplistPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const own = useMemo(
    () => events.filter((e) => e.type.startsWith('zsl/') && 'key' in e && e.key === after.key),
    [events, after.key],
  )
  const start = useMemo(
    () => skiplistModelFromView(before?.kind === 'skiplist' ? before : after),
    [before, after],
  )
  // Without a skiplist before (a conversion from listpack), show the after view as is.
  const fromStart = before?.kind === 'skiplist'
  const settle = useMemo(
    () => (settled ? () => skiplistModelFromView(after) : null),
    [settled, after],
  )
  const { prev, curr, current } = useStepFold(
    start,
    own,
    fromStart ? step : 0,
    applySkiplistEvent,
    settle,
  )
  const prevX = new Map(layoutSkiplist(prev).map((tw) => [tw.id, tw.x]))
  const towers = layoutSkiplist(curr)
  const levels = skiplistLevel(curr)
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const path = new Set(
    current?.type === 'zsl/searched' ? current.path.map((p) => p.member ?? '') : [],
  )
  const update = current?.type === 'zsl/nodeInserted' ? current.update : []
  // The node just inserted has a colour of its own: the predecessors whose pointers now lead
  // to it (update[]) are lit too, and with only them lit "Inserted m129" pointed at m128.
  const inserted = current?.type === 'zsl/nodeInserted' ? current.member : null
  const height = (levels + 1) * LEVEL_H + 40
  const width = Math.max(1, towers.length) * COL_W + 20
  // A skiplist wider than its panel scrolls inside it (labels keep their size): keep the
  // step's node in sight, or a search that ends past the panel's edge (ZRANGEBYSCORE on a
  // 13-node skiplist at 1366 px) looks cut off, its landing node out of view.
  const scrollRef = useRef<HTMLDivElement>(null)
  const focus = focusColumns(current, towers)
  const focusFrom = focus?.from ?? null
  const focusTo = focus?.to ?? null
  useLayoutEffect(() => {
    const box = scrollRef.current
    const svg = box?.querySelector('svg')
    if (!box || !svg || focusFrom === null || focusTo === null) return
    // CSS px per user unit: 1, or the projector's zoom.
    const scale = svg.getBoundingClientRect().width / width
    if (!(scale > 0)) return
    const left =
      svg.getBoundingClientRect().left - box.getBoundingClientRect().left + box.scrollLeft
    const from = left + focusFrom * scale
    const to = left + (focusTo + 10) * scale
    if (to > box.scrollLeft + box.clientWidth) box.scrollLeft = to - box.clientWidth
    if (from < box.scrollLeft) box.scrollLeft = from
  }, [focusFrom, focusTo, width])
  const xOf = (id: string, x: number) => {
    const a = prevX.get(id)
    return a === undefined ? x : interpolateNumber(a, x)(e)
  }
  return (
    <section aria-label={title} className="skiplist-panel" data-level={levels}>
      <p>{text.explain[lang]}</p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      {current?.type === 'zsl/levelDrawn' && (
        <p data-testid="zsl-flips">
          {text.flips[lang]}:{' '}
          {current.flips.map((f, i) => (
            <span key={i} className={f ? 'flip flip--up' : 'flip flip--stop'}>
              {f ? text.up[lang] : text.stop[lang]}{' '}
            </span>
          ))}
          → L{current.level}
        </p>
      )}
      <Legend items={skiplistLegend(current, lang)} lang={lang} />
      <div
        className="panel-scroll"
        tabIndex={0}
        role="region"
        aria-label={text.frame[lang](title)}
        ref={scrollRef}
      >
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${String(width)} ${String(height)}`}
          role="img"
          aria-label={title}
        >
          {towers.map((tw) => {
            const x = xOf(tw.id, tw.x)
            const isNew = !prevX.has(tw.id)
            return (
              <g
                key={tw.id}
                data-id={tw.id}
                data-rank={tw.rank}
                data-level={tw.level}
                data-path={
                  path.has(tw.member ?? '') || update.includes(tw.member) ? 'true' : undefined
                }
                data-new={tw.member !== null && tw.member === inserted ? 'true' : undefined}
                opacity={isNew ? e : 1}
                transform={`translate(${x},0)`}
              >
                {tw.links.map((l, i) => {
                  const y = height - 30 - (i + 1) * LEVEL_H
                  const toX = l.to === null ? null : l.to * COL_W
                  return (
                    <g key={i} data-id={`${tw.id}:L${i}`} data-span={l.span}>
                      <rect y={y} width={COL_W * 0.5} height={LEVEL_H - 4} className="zsl-level" />
                      {toX !== null && (
                        <line
                          x1={COL_W * 0.5}
                          x2={toX - tw.x}
                          y1={y + 8}
                          y2={y + 8}
                          className="zsl-forward"
                        />
                      )}
                      <text x={COL_W * 0.5 + 3} y={y + 6} className="zsl-span">
                        {l.span}
                      </text>
                    </g>
                  )
                })}
                <text y={height - 14} className="zsl-member">
                  {tw.member === null ? text.header[lang] : towerLabel(bytesToUtf8(tw.member))}
                  {tw.member !== null && <title>{bytesToUtf8(tw.member)}</title>}
                </text>
                {tw.member !== null && (
                  <text y={height - 2} className="zsl-score">
                    {towerLabel(String(tw.score))}
                  </text>
                )}
              </g>
            )
          })}
        </svg>
      </div>
    </section>
  )
}

export const SkiplistPanel = memo(SkiplistPanelImpl)
