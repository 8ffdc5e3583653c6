/**
 * The dict panel: ht[0] and ht[1] side by side, buckets as slots, chains as linked entries,
 * rehashidx as a marker, and the load factor with the rule that fires next. It renders one
 * step of a command's trace: the model after `step - 1` events morphing into the model
 * after `step` events, at progress `t` from the frame clock. React renders; the layout and
 * the timeline are pure functions (dictLayout.ts, dictTimeline.ts).
 *
 * Past DETAIL_LIMIT elements it draws the overview instead (DictOverview, on canvas) and
 * lets the user zoom into a bucket range, which comes back here in detail.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { memo, useMemo } from 'react'
import type { DictView } from '../../engine/inspect.ts'
import type { StepEvent } from '../../engine/events.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { boxLabel } from '../shared/label.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { DictOverview } from './DictOverview.tsx'
import {
  ENTRY_GAP,
  ENTRY_W,
  fitsDetail,
  layoutDict,
  MAX_CHAIN_SHOWN,
  ROW_H,
  SLOT_W,
} from './dictLayout.ts'
import { dictLoadInfo, dictModelFromView, foldDictEvents, type DictModel } from './dictModel.ts'
import { dictFrameAt, dictKeyframes } from './dictTimeline.ts'

export type Lang = 'en' | 'zh'

export interface DictPanelProps {
  /** Accessible name, e.g. "Keyspace dict of db 0". */
  readonly title: string
  /** The dict as it was before the command. */
  readonly before: DictView
  /** The command's events (all dicts; this panel keeps its own). */
  readonly events: readonly StepEvent[]
  /** How many of this dict's events are applied; the animation shows the last of them. */
  readonly step: number
  /** Progress of the current step in [0, 1]. */
  readonly t: number
  readonly lang: Lang
  /** Zoomed bucket range for big tables. */
  readonly range?: readonly [number, number]
  readonly onZoom?: (range: readonly [number, number] | undefined) => void
  /** Chain lengths per bucket of each table, for the overview of big dicts. */
  readonly occupancy?: readonly [Uint16Array | null, Uint16Array | null]
  /**
   * The dict as the command left it, given once the item's last step is shown: the panel
   * then draws it instead of the fold, which misses the keys added and deleted at trace
   * level "summary" (only the structural steps are recorded there).
   */
  readonly settleTo?: DictView | null
}

/** Widest drawing, in viewBox units (two tables with long chains). */
const MAX_WIDTH = 1000

/** Width that fits the tables shown and their longest chain, so small dicts draw large. */
function contentWidth(models: readonly DictModel[]): number {
  let tables = 1
  let chain = 2
  for (const m of models) {
    tables = Math.max(tables, m.tables.filter((t) => t !== null).length)
    for (const t of m.tables)
      if (t) for (const c of t.chains.values()) chain = Math.max(chain, c.length)
  }
  const col = SLOT_W + ENTRY_GAP + Math.min(chain, MAX_CHAIN_SHOWN) * (ENTRY_W + ENTRY_GAP) + 24
  return Math.min(MAX_WIDTH, tables * col)
}

const text = {
  table: { en: 'table', zh: '表' },
  size: { en: 'size', zh: '桶数' },
  used: { en: 'used', zh: '元素' },
  load: { en: 'load factor', zh: '负载因子' },
  rehashidx: { en: 'rehashidx', zh: 'rehashidx' },
  next: {
    expandAtNextAdd: {
      en: 'the next new key starts an expand (used ≥ size)',
      zh: '下一个新键会触发扩容（used ≥ size）',
    },
    expandLater: { en: 'expands when used reaches size', zh: '当 used 达到 size 时扩容' },
    shrinkInCron: {
      en: 'fill below 10%: cron will shrink it',
      zh: '填充率低于 10%：serverCron 会缩容',
    },
    rehashing: {
      en: 'rehashing: each operation moves one bucket',
      zh: '正在 rehash：每次操作搬迁一个桶',
    },
    none: {
      en: 'no table yet: the first key creates 4 buckets',
      zh: '还没有哈希表：第一个键会创建 4 个桶',
    },
  },
  zoomOut: { en: 'Back to overview', zh: '返回总览' },
  frame: {
    en: (title: string) => `${title}: hash table diagram, scrolls`,
    zh: (title: string) => `${title}：哈希表图，可滚动`,
  },
  keysHere: { en: 'keys in this chain', zh: '个键在这条链上' },
  probed: {
    en: 'bucket dictFind probes: hash & sizemask, in ht[0] then ht[1] while rehashing',
    zh: 'dictFind 探测的桶：hash & sizemask，rehash 期间先查 ht[0] 再查 ht[1]',
  },
  active: {
    en: 'entry this step adds, deletes or moves (dictRehash: ht[0] → ht[1])',
    zh: '这一步新增、删除或搬迁（dictRehash：ht[0] → ht[1]）的条目',
  },
} as const

/** The per-bucket chain lengths the engine sent with a cut view, per table. */
function occupancyOfView(v: DictView): readonly [Uint16Array | null, Uint16Array | null] {
  const of = (t: 0 | 1) => v.tables.find((x) => x.table === t)?.occupancy ?? null
  return [of(0), of(1)]
}

/** Keeps the events that concern one dict. */
export function eventsOfDict(events: readonly StepEvent[], ref: string): StepEvent[] {
  return events.filter((e) => 'dict' in e && e.dict === ref)
}

function DictPanelImpl(props: DictPanelProps) {
  const { before, events, step, t, lang, range, onZoom } = props
  const own = useMemo(() => eventsOfDict(events, before.ref), [events, before.ref])
  const k = Math.max(0, Math.min(step, own.length))
  const start = useMemo(() => dictModelFromView(before), [before])
  const prev = useMemo(
    () => foldDictEvents(start, own.slice(0, Math.max(0, k - 1))),
    [start, own, k],
  )
  const settleTo = props.settleTo ?? null
  const curr = useMemo(() => {
    if (settleTo !== null) return dictModelFromView(settleTo)
    return k === 0 ? prev : foldDictEvents(prev, own.slice(k - 1, k))
  }, [prev, own, k, settleTo])
  const current = k > 0 ? own[k - 1] : undefined
  const info = dictLoadInfo(curr)
  // Chain lengths the engine sent with a cut view: zoomed buckets whose chains were not
  // listed still show how many keys they hold.
  const occ = props.occupancy ?? occupancyOfView(settleTo ?? before)
  // A lookup lights the buckets it probed: one per table, both tables while rehashing.
  const probed = new Set(
    current?.type === 'dict/keyFound'
      ? current.probes.map((p) => `${String(p.table)}:${String(p.bucket)}`)
      : [],
  )
  const detailed = fitsDetail(curr, range)

  const layouts = useMemo(() => {
    if (!detailed) return null
    const box = { width: contentWidth([prev, curr]), height: 0 }
    return { before: layoutDict(prev, box, range), after: layoutDict(curr, box, range) }
  }, [detailed, prev, curr, range])
  const kf = useMemo(
    () => (layouts ? dictKeyframes(layouts.before, layouts.after) : null),
    [layouts],
  )
  const frame = kf ? dictFrameAt(kf, current ? t : 1) : []
  const caption = current ? narration[current.type](current as never)[lang] : null
  const legend: LegendItem[] = [
    ...(probed.size > 0 ? [{ swatch: 'lit', label: text.probed[lang] } as const] : []),
    ...(current && frame.some((f) => f.active)
      ? [{ swatch: 'lit', label: text.active[lang] } as const]
      : []),
  ]

  return (
    <section aria-label={props.title} className="dict-panel" data-dict={before.ref}>
      {/* Visible: the keyspace shows two dicts (keys, expires) and a zset a skiplist and a
          dict, which look alike without a name. */}
      <h3 className="dict-panel__title">{props.title}</h3>
      <header className="dict-panel__stats">
        <span data-testid="dict-used">
          {text.used[lang]} {info.used}
        </span>{' '}
        <span data-testid="dict-size">
          {text.size[lang]} {info.size}
        </span>{' '}
        <span>
          {text.load[lang]} {info.load.toFixed(2)}
        </span>{' '}
        {curr.rehashIdx >= 0 && (
          <span data-testid="dict-rehashidx">
            {text.rehashidx[lang]} {curr.rehashIdx}
          </span>
        )}
        <p className="dict-panel__rule">{text.next[info.next][lang]}</p>
      </header>
      <StepCaption className="dict-panel__caption">{caption}</StepCaption>
      {layouts && kf ? (
        <>
          {range && onZoom && (
            <button type="button" onClick={() => onZoom(undefined)}>
              {text.zoomOut[lang]}
            </button>
          )}
          <Legend items={legend} lang={lang} />
          <div
            className="panel-scroll"
            tabIndex={0}
            role="region"
            aria-label={text.frame[lang](props.title)}
          >
            <svg
              width={contentWidth([prev, curr])}
              height={Math.max(layouts.after.height, layouts.before.height) + 8}
              viewBox={`0 0 ${contentWidth([prev, curr])} ${Math.max(layouts.after.height, layouts.before.height) + 8}`}
              role="img"
              aria-label={props.title}
              className="dict-panel__svg"
            >
              {layouts.after.tables.map((tb) => (
                <text key={`table:${tb.table}`} x={tb.x} y={16} className="dict-panel__table-title">
                  {`ht[${tb.table}] ${text.size[lang]} ${tb.size} ${text.used[lang]} ${tb.used}`}
                </text>
              ))}
              {layouts.after.buckets.map((b) => (
                <g
                  key={b.id}
                  data-id={b.id}
                  data-probe={
                    probed.has(`${String(b.table)}:${String(b.index)}`) ? 'true' : undefined
                  }
                  transform={`translate(${b.x},${b.y})`}
                >
                  <rect
                    width={b.w}
                    height={b.h}
                    rx={3}
                    className={
                      probed.has(`${String(b.table)}:${String(b.index)}`)
                        ? 'dict-bucket dict-bucket--probe'
                        : b.done
                          ? 'dict-bucket dict-bucket--done'
                          : 'dict-bucket'
                    }
                  />
                  <text x={4} y={b.h - 6} className="dict-bucket__index">
                    {b.index}
                  </text>
                  {(occ[b.table]?.[b.index] ?? 0) > b.chainLen && (
                    <text
                      x={b.w + 8}
                      y={b.h - 6}
                      className="dict-bucket__count"
                      data-count={occ[b.table]?.[b.index]}
                    >
                      {`${String(occ[b.table]?.[b.index])} ${text.keysHere[lang]}`}
                    </text>
                  )}
                </g>
              ))}
              {layouts.after.rehashY !== null && (
                <g data-id="rehashidx" transform={`translate(0,${layouts.after.rehashY})`}>
                  <line x1={-2} x2={-2} y1={0} y2={ROW_H - 4} className="dict-rehash-marker" />
                </g>
              )}
              {frame.map((f) => (
                <g
                  key={f.id}
                  data-id={f.id}
                  data-active={f.active ? 'true' : undefined}
                  data-table={f.table}
                  data-bucket={f.bucket}
                  transform={`translate(${f.x},${f.y})`}
                  opacity={f.opacity}
                >
                  <rect
                    width={64}
                    height={ROW_H - 4}
                    rx={4}
                    className={f.active ? 'dict-entry dict-entry--active' : 'dict-entry'}
                  />
                  <text x={6} y={ROW_H - 10} className="dict-entry__key">
                    {boxLabel(f.key, 8)}
                  </text>
                  <title>{bytesToUtf8(f.key)}</title>
                </g>
              ))}
            </svg>
          </div>
        </>
      ) : (
        <DictOverview
          model={curr}
          lang={lang}
          occupancy={props.occupancy ?? occupancyOfView(before)}
          onZoom={(r) => onZoom?.(r)}
        />
      )}
    </section>
  )
}

export const DictPanel = memo(DictPanelImpl)
