/**
 * The quicklist panel: a list's nodes as a doubly linked chain, each node a small listpack
 * with its element count, its bytes and a gauge of how full it is against the fill limit
 * (list-max-listpack-size). Pushes grow an end node or link a new one; an insert into a full
 * node splits it and the neighbours may merge back; the step's node is highlighted.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import { memo, useMemo } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { QuicklistView } from '../../engine/inspectContainers.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { Legend } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { useStepFold } from '../shared/stepFold.ts'
import {
  applyQuicklistEvent,
  emptyQuicklistModel,
  fillLimit,
  layoutQuicklist,
  QL_GAP,
  QL_NODE_H,
  QL_NODE_W,
  QL_PAD,
  QL_PER_ROW,
  quicklistModelFromView,
  type QlBox,
} from './quicklistModel.ts'
import { fill } from '../shared/fill.ts'

export interface QuicklistPanelProps {
  readonly title: string
  readonly before: QuicklistView | null
  readonly after: QuicklistView
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
  touched: {
    en: 'the quicklistNode this step changes: created, split, merged, deleted, (de)compressed, or an entry of its listpack',
    zh: '这一步改动的 quicklistNode：新建、拆分、合并、删除、压缩/解压，或改动其 listpack 中的条目',
  },
  explain: {
    en: 'A list is a doubly linked chain of nodes; each node is a small listpack. A push goes into the end node while it is under the fill limit, else into a new node; inserting into a full node splits it, and small neighbours merge back.',
    zh: '列表是由节点组成的双向链表，每个节点是一个小 listpack。push 时若端节点未达填充上限就放进去，否则新建节点；往满节点中间插入会拆分节点，相邻的小节点会再合并。',
  },
  fillCount: {
    en: 'Fill limit: at most {n} entries per node',
    zh: '填充上限：每个节点最多 {n} 个元素',
  },
  fillBytes: { en: 'Fill limit: {n} bytes per node', zh: '填充上限：每个节点 {n} 字节' },
  stats: {
    en: '{nodes|node|nodes}, {count|element|elements}',
    zh: '{nodes} 个节点，{count} 个元素',
  },
  depth: {
    en: 'compress depth {d}: {d|node|nodes} at each end left raw, inner nodes LZF-compressed',
    zh: '压缩深度 {d}：两端各 {d} 个节点不压缩，内部节点用 LZF 压缩',
  },
  lzf: { en: 'LZF-compressed', zh: 'LZF 压缩' },
  head: { en: 'head', zh: '头' },
  tail: { en: 'tail', zh: '尾' },
  node: { en: 'Node', zh: '节点' },
} as const

/** Node ids the event touches (highlighted while it plays). */
function touched(e: StepEvent | undefined): number[] {
  if (e === undefined) return []
  switch (e.type) {
    case 'quicklist/nodeCreated':
    case 'quicklist/nodeDeleted':
    case 'quicklist/nodeCompressed':
    case 'quicklist/nodeKeptRaw':
    case 'quicklist/nodeDecompressed':
      return [e.node]
    case 'quicklist/nodeSplit':
      return [e.node, e.newNode]
    case 'quicklist/nodesMerged':
      return [e.into, e.from]
    case 'listpack/entryInserted':
    case 'listpack/entryDeleted':
    case 'listpack/entryReplaced':
      return e.node === undefined ? [] : [e.node]
    default:
      return []
  }
}

function short(v: string): string {
  const s = bytesToUtf8(v)
  return s.length > 8 ? `${s.slice(0, 7)}…` : s
}

/** First … last entries of a node, from the views (labels only; the shape is folded). */
function summary(id: number, views: readonly (QuicklistView | null)[]): string {
  for (const v of views) {
    const n = v?.nodes.find((x) => x.id === id)
    if (n === undefined) continue
    const first = n.entries[0]
    const last = n.entries[n.entries.length - 1]
    if (first === undefined || last === undefined) return ''
    return n.entries.length === 1 ? short(first) : `${short(first)} … ${short(last)}`
  }
  return ''
}

function QuicklistPanelImpl(props: QuicklistPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const own = useMemo(
    () => events.filter((e) => 'key' in e && e.key === after.key && touched(e).length > 0),
    [events, after.key],
  )
  // A list the command creates starts as an empty chain: each step links a node or adds an
  // element, instead of the finished list standing there from the first step.
  const start = useMemo(
    () =>
      before
        ? quicklistModelFromView(before)
        : own.length > 0
          ? emptyQuicklistModel(after.key, after.fill, after.compress)
          : quicklistModelFromView(after),
    [before, after, own.length],
  )
  const settle = useMemo(
    () => (settled ? () => quicklistModelFromView(after) : null),
    [settled, after],
  )
  const { prev, curr, current } = useStepFold(start, own, step, applyQuicklistEvent, settle)
  const hot = new Set(touched(current))
  const from = new Map(layoutQuicklist(prev).map((b) => [b.node, b]))
  const boxes = layoutQuicklist(curr)
  const kept = new Set(boxes.map((b) => b.node))
  const leaving = [...from.values()].filter((b) => !kept.has(b.node))
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const cols = Math.min(QL_PER_ROW, Math.max(1, curr.nodes.length, prev.nodes.length))
  const rows = Math.max(1, Math.ceil(Math.max(curr.nodes.length, prev.nodes.length) / QL_PER_ROW))
  const width = QL_PAD * 2 + cols * (QL_NODE_W + QL_GAP)
  const height = QL_PAD * 2 + rows * (QL_NODE_H + QL_GAP)
  const lim = fillLimit(curr.fill)
  const views = [after, before]
  const nodeOf = new Map(curr.nodes.map((n) => [n.id, n]))
  const prevNodeOf = new Map(prev.nodes.map((n) => [n.id, n]))
  const pos = (b: QlBox) => {
    const a = from.get(b.node)
    return a
      ? { x: interpolateNumber(a.x, b.x)(e), y: interpolateNumber(a.y, b.y)(e), o: 1 }
      : { x: b.x, y: b.y, o: e }
  }
  const placed = boxes.map((b) => ({ b, ...pos(b) }))
  return (
    <section aria-label={title} className="quicklist-panel">
      <p className="quicklist-panel__caption">{text.explain[lang]}</p>
      <p>
        <span data-testid="ql-fill" data-fill={curr.fill}>
          {fill(lim.kind === 'count' ? text.fillCount[lang] : text.fillBytes[lang], { n: lim.n })}
        </span>{' '}
        ·{' '}
        <span data-testid="ql-stats" data-nodes={curr.nodes.length} data-count={curr.count}>
          {fill(text.stats[lang], { nodes: curr.nodes.length, count: curr.count })}
        </span>
        {curr.compress > 0 ? (
          <>
            {' '}
            ·{' '}
            <span data-testid="ql-depth" data-depth={curr.compress}>
              {fill(text.depth[lang], { d: curr.compress })}
            </span>
          </>
        ) : null}
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      <Legend
        items={
          hot.size > 0 || leaving.length > 0 ? [{ swatch: 'pale', label: text.touched[lang] }] : []
        }
        lang={lang}
      />
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${String(width)} ${String(height)}`}
        role="img"
        aria-label={title}
      >
        {placed.slice(1).map(({ b, x, y }, i) => {
          const a = placed[i]
          if (a === undefined || a.y !== y) return null
          const x1 = a.x + QL_NODE_W
          return (
            <g key={`link:${String(a.b.node)}:${String(b.node)}`} className="ql-link">
              <line x1={x1 + 2} y1={y + 24} x2={x - 2} y2={y + 24} markerEnd="url(#ql-arrow)" />
              <line x1={x - 2} y1={y + 40} x2={x1 + 2} y2={y + 40} markerEnd="url(#ql-arrow)" />
            </g>
          )
        })}
        <defs>
          <marker
            id="ql-arrow"
            viewBox="0 0 6 6"
            refX="6"
            refY="3"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L6,3 L0,6 z" className="ql-arrowhead" />
          </marker>
        </defs>
        {placed.map(({ b, x, y, o }, i) => {
          const n = nodeOf.get(b.node)
          if (n === undefined) return null
          return (
            <g
              key={b.id}
              data-id={b.id}
              data-count={n.count}
              data-sz={n.sz}
              data-lzf={n.lzf ?? undefined}
              data-active={hot.has(b.node) || undefined}
              opacity={o}
              transform={`translate(${String(x)},${String(y)})`}
            >
              <rect
                width={b.w}
                height={b.h}
                className={`ql-node${n.lzf !== null ? ' ql-node--lzf' : ''}${hot.has(b.node) ? ' ql-node--active' : ''}`}
              >
                {n.lzf !== null ? <title>{text.lzf[lang]}</title> : null}
              </rect>
              <rect
                x={b.w - 6}
                y={b.h - 2 - b.gauge}
                width={4}
                height={b.gauge}
                className="ql-gauge"
              />
              <text x={4} y={13} className="ql-node__label">
                {text.node[lang]} {b.node}
                {i === 0 ? ` · ${text.head[lang]}` : ''}
                {i === placed.length - 1 && i > 0 ? ` · ${text.tail[lang]}` : ''}
              </text>
              <text x={4} y={30} className="ql-node__label">
                {n.count} · {n.sz}B{n.lzf !== null ? ` → ${String(n.lzf)}B` : ''}
              </text>
              <text x={4} y={50} className="ql-node__entries">
                {summary(b.node, views)}
              </text>
            </g>
          )
        })}
        {leaving.map((b) => {
          const n = prevNodeOf.get(b.node)
          return (
            <g
              key={b.id}
              data-id={b.id}
              data-leaving="true"
              opacity={1 - e}
              transform={`translate(${String(b.x)},${String(b.y)})`}
            >
              <rect width={b.w} height={b.h} className="ql-node ql-node--active" />
              <text x={4} y={13} className="ql-node__label">
                {text.node[lang]} {b.node}
              </text>
              <text x={4} y={30} className="ql-node__label">
                {n?.count ?? 0}
              </text>
            </g>
          )
        })}
      </svg>
    </section>
  )
}

export const QuicklistPanel = memo(QuicklistPanelImpl)
