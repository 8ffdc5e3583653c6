/**
 * The stream panel: the rax (radix tree) whose keys are the listpack nodes' 128-bit master
 * IDs, drawn node by node as rax.c shapes it (a compressed node holds a run of bytes, a
 * branching node one edge byte per child, the leaves are the keys); under each leaf its
 * listpack with the master entry's counters and fields and the entries, tombstones greyed;
 * then the consumer groups with their last-delivered ID, consumers and pending entries list.
 *
 * Each step folds one stream/* event (streamModel.ts): the node an XADD appends to lights up
 * and the entry fades in; a full tail node makes a new leaf and listpack grow in (the rax
 * splits above it); XDEL greys an entry; trimming fades whole listpacks out; a group's PEL
 * fills and empties. Positions tween from the previous layout (d3-interpolate, d3-ease) and
 * links are d3-shape vertical links.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import './stream.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import { linkVertical } from 'd3-shape'
import { memo, useMemo } from 'react'
import type { StepEvent, StreamGroupView } from '../../engine/events.ts'
import type { StreamView } from '../../engine/inspectStream.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { narration } from '../shared/narration.ts'
import { useStepFold } from '../shared/stepFold.ts'
import {
  applyStreamEvent,
  emptyStreamModel,
  firstLiveId,
  ITEM_H,
  layoutStream,
  RAX_NODE_H,
  STREAM_SHOWN_ITEMS,
  STREAM_SHOWN_NODES,
  streamModelFromView,
  type LpBox,
  type RaxBox,
  type StreamModel,
} from './streamModel.ts'
import { fill } from '../shared/fill.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'

export interface StreamPanelProps {
  readonly title: string
  readonly before: StreamView | null
  readonly after: StreamView
  readonly events: readonly StepEvent[]
  readonly step: number
  readonly t: number
  readonly lang: 'en' | 'zh'
  /** The item's last step is shown: settle on `after`, the engine's real state. */
  readonly settled?: boolean
}

const text = {
  explain: {
    en: 'A stream is a radix tree (rax) whose keys are the 128-bit IDs of listpack nodes; each listpack starts with a master entry (count, deleted, fields) and stores entries as deltas from it. XADD appends to the last node until stream-node-max-entries or -bytes is reached; XDEL only marks entries deleted; trimming drops whole nodes.',
    zh: '流是一棵基数树（rax），键是各个 listpack 节点的 128 位 ID；每个 listpack 以主条目（count、deleted、字段）开头，条目按相对主条目的差值存储。XADD 追加到最后一个节点，直到达到 stream-node-max-entries 或 -bytes；XDEL 只把条目标记为删除；裁剪会丢弃整个节点。',
  },
  stats: {
    en: 'length {length} · {nodes|listpack|listpacks} · {rax|rax node|rax nodes} · last-id {last} · first-id {first} · entries-added {added} · max-deleted-entry-id {maxdel}',
    zh: '长度 {length} · {nodes} 个 listpack · {rax} 个基数树节点 · last-id {last} · first-id {first} · entries-added {added} · max-deleted-entry-id {maxdel}',
  },
  tree: { en: 'Radix tree of stream {key}', zh: '流 {key} 的基数树' },
  master: { en: 'master {id}', zh: '主条目 {id}' },
  counters: {
    en: 'count {count} · deleted {deleted} · {bytes} B',
    zh: 'count {count} · deleted {deleted} · {bytes} 字节',
  },
  fields: { en: 'fields: {fields}', zh: '字段：{fields}' },
  moreItems: { en: '+{n} more', zh: '还有 {n} 个' },
  moreNodes: {
    en: '+{n|more listpack|more listpacks} not drawn',
    zh: '还有 {n} 个 listpack 未画出',
  },
  groups: { en: 'Consumer groups', zh: '消费者组' },
  noGroups: {
    en: 'No consumer groups yet (XGROUP CREATE).',
    zh: '还没有消费者组（XGROUP CREATE）。',
  },
  group: {
    en: 'group {name} · last-delivered {last} · entries-read {read} · {pending} pending · {consumers|consumer|consumers}',
    zh: '消费者组 {name} · last-delivered {last} · entries-read {read} · 待处理 {pending} 个 · {consumers} 个消费者',
  },
  consumer: { en: '{name}: {pending} pending', zh: '{name}：待处理 {pending} 个' },
  pel: { en: 'PEL', zh: '待处理列表' },
  emptyPel: { en: 'empty', zh: '空' },
  unknown: { en: 'unknown', zh: '未知' },
  deleted: { en: 'deleted', zh: '已删除' },
} as const

const show = (s: string, max = 10): string => {
  const u = bytesToUtf8(s)
  return u.length > max ? `${u.slice(0, max - 1)}…` : u
}

/** A rax node's bytes for its box: edge cells, or the run shortened to its ends. */
function raxLabel(b: RaxBox): string {
  const bytes = b.node.data.match(/../g) ?? []
  if (!b.node.iscompr) return bytes.join('|')
  const run = bytes.length > 6 ? [...bytes.slice(0, 2), '…', ...bytes.slice(-2)] : bytes
  return `"${run.join(' ')}"`
}

/** What the step touches: listpacks by master, entries by ID, groups by name. */
const legendText = {
  branch: { en: 'radix tree node', zh: '基数树节点' },
  compr: { en: 'compressed node (a run of bytes)', zh: '压缩节点（一串字节）' },
  key: { en: 'key node: leads to a listpack', zh: '键节点：指向一个 listpack' },
  active: { en: 'what this step touches', zh: '这一步涉及的部分' },
  deleted: { en: 'entry flagged deleted', zh: '标记为已删除的条目' },
} as const

/** The key to the tree's and listpacks' fills: the kinds drawn, and the step's highlight. */
function streamLegend(
  to: ReturnType<typeof layoutStream>,
  hot: ReturnType<typeof touched>,
  lang: 'en' | 'zh',
): LegendItem[] {
  // A node the step touches is drawn in the highlight, not in its kind's fill.
  const kinds = new Set(
    to.rax
      .filter((b) => b.node.master === null || b.node.master !== hot.node)
      .map((b) => (b.node.iskey ? 'key' : b.node.iscompr ? 'compr' : 'branch')),
  )
  const items: LegendItem[] = (['branch', 'compr', 'key'] as const)
    .filter((k) => kinds.has(k))
    .map((k) => ({ shape: `st-rax st-rax--${k}`, label: legendText[k][lang], id: k }))
  if (hot.node !== null || hot.entry !== null)
    items.push({ shape: 'st-item st-item--active', label: legendText.active[lang], id: 'active' })
  if (to.lps.some((lp) => lp.node.items.some((it) => it.deleted)))
    items.push({
      shape: 'st-item st-item--deleted',
      label: legendText.deleted[lang],
      id: 'deleted',
    })
  return items
}

function touched(e: StepEvent | undefined): {
  node: string | null
  entry: string | null
  group: string | null
} {
  const none = { node: null, entry: null, group: null }
  if (e === undefined) return none
  switch (e.type) {
    case 'stream/nodeCreated':
    case 'stream/nodeDeleted':
      return { ...none, node: e.master }
    case 'stream/entryAppended':
      return { ...none, node: e.master, entry: e.id }
    case 'stream/entryDeleted':
      return { ...none, entry: e.id }
    case 'stream/groupChanged':
      return { ...none, group: e.name }
    default:
      return none
  }
}

/** The field=value summary of an entry, from whichever view lists it. */
function entryFields(id: string, views: readonly (StreamView | null)[]): string {
  for (const v of views)
    for (const n of v?.nodes ?? []) {
      const it = n.items.find((x) => x.id === id)
      if (it === undefined) continue
      const pairs: string[] = []
      for (let i = 0; i + 1 < it.fields.length && i < 4; i += 2)
        pairs.push(`${show(it.fields[i] ?? '', 6)}=${show(it.fields[i + 1] ?? '', 6)}`)
      return pairs.join(' ')
    }
  return ''
}

function masterFields(master: string, views: readonly (StreamView | null)[]): string {
  for (const v of views) {
    const n = v?.nodes.find((x) => x.master === master)
    if (n !== undefined) return n.masterFields.map((f) => show(f, 8)).join(' ')
  }
  return ''
}

const link = linkVertical<
  { source: [number, number]; target: [number, number] },
  [number, number]
>()
  .source((d) => d.source)
  .target((d) => d.target)

function Listpack(props: {
  readonly box: LpBox
  readonly x: number
  readonly y: number
  readonly opacity: number
  readonly hot: boolean
  readonly hotEntry: string | null
  readonly entering: ReadonlySet<string>
  readonly e: number
  readonly views: readonly (StreamView | null)[]
  readonly lang: 'en' | 'zh'
  readonly leaving?: boolean
}) {
  const { box, x, y, opacity, hot, hotEntry, entering, e, views, lang, leaving = false } = props
  const n = box.node
  const shown = n.items.slice(0, STREAM_SHOWN_ITEMS)
  const more = n.entries + n.deleted - shown.length
  return (
    <g
      data-id={`lp:${n.master}`}
      data-entries={n.entries}
      data-deleted={n.deleted}
      data-active={hot || undefined}
      data-leaving={leaving || undefined}
      opacity={opacity}
      transform={`translate(${String(x)},${String(y)})`}
    >
      <rect width={box.w} height={box.h} rx={4} className={`st-lp${hot ? ' st-lp--active' : ''}`} />
      <text x={6} y={14} className="st-lp__title">
        {fill(text.master[lang], { id: n.master })}
      </text>
      <text x={6} y={29} className="st-lp__meta">
        {fill(text.counters[lang], { count: n.entries, deleted: n.deleted, bytes: n.bytes })}
      </text>
      <text x={6} y={44} className="st-lp__meta">
        {fill(text.fields[lang], { fields: masterFields(n.master, views) })}
      </text>
      {shown.map((it, i) => {
        const isHot = it.id === hotEntry
        return (
          <g
            key={it.id}
            data-id={`entry:${it.id}`}
            data-deleted={it.deleted || undefined}
            data-active={isHot || undefined}
            opacity={entering.has(it.id) ? e : 1}
            transform={`translate(6,${String(52 + i * ITEM_H)})`}
          >
            <rect
              width={box.w - 12}
              height={ITEM_H - 2}
              className={`st-item${it.deleted ? ' st-item--deleted' : ''}${isHot ? ' st-item--active' : ''}`}
            />
            <text x={4} y={11} className={it.deleted ? 'st-item__text--deleted' : 'st-item__text'}>
              {it.id}
              {it.deleted ? ` ✕ ${text.deleted[lang]}` : ` ${entryFields(it.id, views)}`}
            </text>
          </g>
        )
      })}
      {more > 0 && (
        <text x={6} y={52 + shown.length * ITEM_H + 10} className="st-lp__meta">
          {fill(text.moreItems[lang], { n: more })}
        </text>
      )}
    </g>
  )
}

function Group(props: {
  readonly g: StreamGroupView
  readonly hot: boolean
  /** The PEL before this step (null: the group is new): entries not in it are marked new. */
  readonly before: ReadonlySet<string> | null
  readonly lang: 'en' | 'zh'
}) {
  const { g, hot, before, lang } = props
  return (
    <li
      data-id={`group:${g.name}`}
      data-pending={g.pending}
      data-active={hot || undefined}
      className={`st-group${hot ? ' st-group--active' : ''}`}
    >
      <div>
        {fill(text.group[lang], {
          name: show(g.name, 20),
          last: g.lastDeliveredId,
          read: g.entriesRead ?? text.unknown[lang],
          pending: g.pending,
          consumers: g.consumers,
        })}
      </div>
      <ul className="st-consumers">
        {g.consumerList.map((c) => (
          <li key={c.name} data-id={`consumer:${g.name}:${c.name}`} data-pending={c.pending}>
            {fill(text.consumer[lang], { name: show(c.name, 16), pending: c.pending })}
          </li>
        ))}
      </ul>
      <div className="st-pel">
        <span>{text.pel[lang]}:</span>{' '}
        {g.pel.length === 0
          ? text.emptyPel[lang]
          : g.pel.map((p) => (
              <span
                key={p.id}
                className={`st-pel__item${before?.has(p.id) === false ? ' st-pel__item--new' : ''}`}
                data-id={`pel:${g.name}:${p.id}`}
                data-new={before?.has(p.id) === false || undefined}
                data-consumer={p.consumer ?? ''}
              >
                {p.id} → {p.consumer === null ? '?' : show(p.consumer, 10)} ×{p.deliveries}
              </span>
            ))}
        {g.pending > g.pel.length && ` +${String(g.pending - g.pel.length)}`}
      </div>
    </li>
  )
}

function StreamPanelImpl(props: StreamPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const own = useMemo(
    () => events.filter((e) => e.type.startsWith('stream/') && 'key' in e && e.key === after.key),
    [events, after.key],
  )
  // A stream the command created grows from empty: its first listpack appears step by step.
  const start = useMemo(
    () => (before ? streamModelFromView(before) : emptyStreamModel(after.key)),
    [before, after.key],
  )
  const settle = useMemo(
    () => (settled ? () => streamModelFromView(after) : null),
    [settled, after],
  )
  const { prev, curr, current } = useStepFold<StreamModel>(
    start,
    own,
    step,
    applyStreamEvent,
    settle,
  )
  const hot = touched(current)
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const from = layoutStream(prev)
  const to = layoutStream(curr)
  const views = [after, before]
  const lerp = (a: number, b: number) => interpolateNumber(a, b)(e)

  const prevRax = new Map(from.rax.map((b) => [b.id, b]))
  const currRaxIds = new Set(to.rax.map((b) => b.id))
  const raxAt = (b: RaxBox) => {
    const a = prevRax.get(b.id)
    return a ? { x: lerp(a.x, b.x), y: lerp(a.y, b.y), o: 1 } : { x: b.x, y: b.y, o: e }
  }
  const raxPos = new Map(to.rax.map((b) => [b.id, { b, ...raxAt(b) }]))
  const prevLp = new Map(from.lps.map((b) => [b.master, b]))
  const currLps = new Set(to.lps.map((b) => b.master))
  const prevItems = new Set(prev.nodes.flatMap((n) => n.items.map((i) => i.id)))
  const entering = new Set(
    curr.nodes.flatMap((n) => n.items.filter((i) => !prevItems.has(i.id)).map((i) => i.id)),
  )
  const prevPel = new Map(prev.groups.map((g) => [g.name, new Set(g.pel.map((p) => p.id))]))
  const width = Math.max(from.width, to.width)
  const height = Math.max(from.height, to.height)
  const hidden = curr.nodes.length - Math.min(curr.nodes.length, STREAM_SHOWN_NODES)
  return (
    <section aria-label={title} className="stream-panel">
      <p className="stream-panel__caption">{text.explain[lang]}</p>
      <p
        data-testid="stream-stats"
        data-length={curr.length}
        data-nodes={curr.nodes.length}
        data-rax-nodes={curr.raxNodes}
      >
        {fill(text.stats[lang], {
          length: curr.length,
          nodes: curr.nodes.length,
          rax: curr.raxNodes,
          last: curr.lastId,
          first: settled ? after.firstId : firstLiveId(curr),
          added: curr.entriesAdded,
          maxdel: curr.maxDeletedEntryId,
        })}
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      <Legend items={streamLegend(to, hot, lang)} lang={lang} />
      <div className="panel-scroll">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${String(width)} ${String(height)}`}
          role="img"
          aria-label={fill(text.tree[lang], { key: show(after.key, 24) })}
        >
          {to.links.map((l) => {
            const a = raxPos.get(l.from)
            const b = raxPos.get(l.to)
            if (a === undefined || b === undefined) return null
            const d = link({ source: [a.x, a.y + RAX_NODE_H], target: [b.x, b.y] }) ?? ''
            return (
              <g key={l.id} className="st-link" opacity={Math.min(a.o, b.o)}>
                <path d={d} />
                {l.label !== '' && (
                  <text
                    x={(a.x + b.x) / 2 + 4}
                    y={(a.y + RAX_NODE_H + b.y) / 2}
                    className="st-link__label"
                  >
                    {l.label}
                  </text>
                )}
              </g>
            )
          })}
          {to.lps.map((box) => {
            const leaf = raxPos.get(
              to.rax.find((r) => r.node.master === box.master)?.id ?? '\u0000',
            )
            const a = prevLp.get(box.master)
            const x = a ? lerp(a.x, box.x) : box.x
            const y = a ? lerp(a.y, box.y) : box.y
            return (
              <g key={`lp:${box.master}`}>
                {leaf && (
                  <line
                    className="st-leaf-link"
                    x1={leaf.x}
                    y1={leaf.y + RAX_NODE_H}
                    x2={x + box.w / 2}
                    y2={y}
                    opacity={a ? 1 : e}
                  />
                )}
                <Listpack
                  box={box}
                  x={x}
                  y={y}
                  opacity={a ? 1 : e}
                  hot={hot.node === box.master}
                  hotEntry={hot.entry}
                  entering={entering}
                  e={e}
                  views={views}
                  lang={lang}
                />
              </g>
            )
          })}
          {from.lps
            .filter((b) => !currLps.has(b.master))
            .map((box) => (
              <Listpack
                key={`leaving:${box.master}`}
                box={box}
                x={box.x}
                y={box.y}
                opacity={1 - e}
                hot
                hotEntry={null}
                entering={new Set()}
                e={1}
                views={views}
                lang={lang}
                leaving
              />
            ))}
          {to.rax.map((b) => {
            const p = raxPos.get(b.id)
            if (p === undefined) return null
            const kind = b.node.iskey ? 'key' : b.node.iscompr ? 'compr' : 'branch'
            const isHot = b.node.master !== null && b.node.master === hot.node
            return (
              <g
                key={`rax:${b.id}`}
                data-id={`rax:${b.id}`}
                data-kind={kind}
                data-data={b.node.data}
                opacity={p.o}
                transform={`translate(${String(p.x - b.w / 2)},${String(p.y)})`}
              >
                <title>{b.node.data === '' ? b.id : `${b.id} + ${b.node.data}`}</title>
                <rect
                  width={b.w}
                  height={RAX_NODE_H}
                  rx={b.node.iskey ? 11 : 3}
                  className={`st-rax st-rax--${kind}${isHot ? ' st-rax--active' : ''}`}
                />
                <text x={b.w / 2} y={15} textAnchor="middle" className="st-rax__label">
                  {b.node.iskey ? '=' : raxLabel(b)}
                </text>
              </g>
            )
          })}
          {from.rax
            .filter((b) => !currRaxIds.has(b.id))
            .map((b) => (
              <g
                key={`rax-leaving:${b.id}`}
                data-leaving="true"
                opacity={1 - e}
                transform={`translate(${String(b.x - b.w / 2)},${String(b.y)})`}
              >
                <rect width={b.w} height={RAX_NODE_H} rx={3} className="st-rax st-rax--active" />
              </g>
            ))}
        </svg>
      </div>
      {hidden > 0 && (
        <p className="stream-panel__caption">{fill(text.moreNodes[lang], { n: hidden })}</p>
      )}
      <h4 className="st-groups__title">{text.groups[lang]}</h4>
      {curr.groups.length === 0 ? (
        <p className="stream-panel__caption">{text.noGroups[lang]}</p>
      ) : (
        <ul className="st-groups">
          {curr.groups.map((g) => (
            <Group
              key={g.name}
              g={g}
              hot={hot.group === g.name}
              before={prevPel.get(g.name) ?? null}
              lang={lang}
            />
          ))}
        </ul>
      )}
    </section>
  )
}

export const StreamPanel = memo(StreamPanelImpl)
