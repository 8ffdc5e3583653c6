/**
 * The string panel: a string key's object header and its bytes as the allocator sees them.
 * `int` keeps the number in the pointer, `embstr` puts robj and sds in one allocation, `raw`
 * uses two. An APPEND animates the sds growing (greedy preallocation), switching header type
 * when the length crosses a type's limit, and the encoding turning raw. React renders;
 * stringLayout.ts computes.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { interpolateNumber } from 'd3-interpolate'
import { easeCubicInOut } from 'd3-ease'
import { memo, useMemo } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import { narration } from '../shared/narration.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import {
  ENGLISH_FIELD_WORDS,
  FIELD_H,
  layoutString,
  TITLE_H,
  summariseString,
  type Field,
  type FieldKind,
  type FieldWords,
  type StringView,
} from './stringLayout.ts'

const legendText: Record<FieldKind, { readonly en: string; readonly zh: string }> = {
  robj: { en: 'redisObject header', zh: 'redisObject 头部' },
  hdr: { en: 'sds header (len, alloc, flags)', zh: 'sds 头部（len、alloc、flags）' },
  buf: { en: 'the bytes of the string', zh: '字符串的字节' },
  nul: { en: 'terminating NUL', zh: '结尾的 NUL' },
  free: { en: 'free space sds keeps for growth', zh: 'sds 为增长预留的空闲空间' },
  slack: { en: 'allocator rounding (jemalloc size class)', zh: '分配器取整（jemalloc 尺寸级别）' },
}

/** The diagram's words for the fields that are no Redis name (the legend says what they are). */
const fieldWords: Record<'en' | 'zh', FieldWords> = {
  en: ENGLISH_FIELD_WORDS,
  zh: { free: '空闲', slack: '取整', allocation: '分配', bytes: '字节' },
}

/** The key to the fields' fills: one item per kind of field drawn, in layout order. */
function stringLegend(
  blocks: readonly { readonly fields: readonly Field[] }[],
  lang: 'en' | 'zh',
): LegendItem[] {
  const kinds = new Set(blocks.flatMap((b) => b.fields.map((f) => f.kind)))
  return (Object.keys(legendText) as FieldKind[])
    .filter((k) => kinds.has(k))
    .map((k) => ({ shape: `string-field string-field--${k}`, label: legendText[k][lang], id: k }))
}

export interface StringPanelProps {
  readonly title: string
  readonly before: StringView | null
  readonly after: StringView
  readonly events: readonly StepEvent[]
  /** Progress of the change from `before` to `after`, in [0, 1]. */
  readonly t: number
  readonly lang: 'en' | 'zh'
}

const text = {
  encoding: {
    int: {
      en: 'int: the number is stored in the pointer itself; no separate buffer.',
      zh: 'int：数字直接存放在指针字段里，没有单独的缓冲区。',
    },
    embstr: {
      en: 'embstr (≤ 44 bytes): robj and sds in one allocation of at most 64 bytes; read-only.',
      zh: 'embstr（≤ 44 字节）：robj 和 sds 在同一次分配里（最多 64 字节），只读。',
    },
    raw: {
      en: 'raw: robj and sds are two allocations; the pointer leads to the sds.',
      zh: 'raw：robj 与 sds 是两次分配，指针指向 sds。',
    },
  },
  shared: {
    en: 'Shared integer (0–9999): every key with this value points to one object, refcount INT_MAX.',
    zh: '共享整数（0–9999）：值相同的键都指向同一个对象，refcount 为 INT_MAX。',
  },
  bytes: { en: 'bytes', zh: '字节' },
  summary: { en: 'Summary', zh: '摘要' },
  object: { en: 'Object', zh: '对象' },
  sds: { en: 'SDS header', zh: 'SDS 头部' },
  value: { en: 'Value', zh: '值' },
  memory: { en: 'Memory', zh: '内存' },
  inPointer: { en: 'in the pointer', zh: '存放在指针里' },
  allocations: {
    en: (n: number) => (n === 1 ? '1 allocation' : `${String(n)} allocations`),
    zh: (n: number) => `${String(n)} 次分配`,
  },
} as const

/**
 * The value in four lines (its first bytes and size, the header fields with the lengths, the
 * allocations), shown instead of the byte diagram where the panel is narrow (panels.css):
 * scaled to a 360 px embed, a 1 KB value's diagram was a wall of unreadable 5 px bytes.
 */
function StringSummaryList({ view, lang }: { view: StringView; lang: 'en' | 'zh' }) {
  const s = summariseString(view)
  const bytes = `${String(s.bytes)} ${text.bytes[lang]}`
  const sep = lang === 'zh' ? '：' : ': '
  return (
    <dl className="string-summary" aria-label={text.summary[lang]} data-testid="string-summary">
      <dt>{text.value[lang]}</dt>
      <dd>
        <span className="string-summary__bytes">{`"${s.preview}"`}</span>
        {` · ${s.encoding === 'int' ? text.inPointer[lang] : bytes}`}
      </dd>
      <dt>{text.object[lang]}</dt>
      <dd>{`type string · encoding ${s.encoding} · refcount ${s.refcount}`}</dd>
      {s.sds && (
        <>
          <dt>{text.sds[lang]}</dt>
          <dd>
            {s.sds.type === 5
              ? `sdshdr5 · len ${String(s.sds.len)}`
              : `sdshdr${String(s.sds.type)} · len ${String(s.sds.len)} · alloc ${String(s.sds.alloc)}`}
          </dd>
        </>
      )}
      <dt>{text.memory[lang]}</dt>
      <dd>
        {`${text.allocations[lang](s.allocations.length)}${sep}${s.allocations.join(' + ')} ${text.bytes[lang]}`}
      </dd>
    </dl>
  )
}

function lerpField(a: Field | undefined, b: Field, k: number): Field & { opacity: number } {
  if (a === undefined) return { ...b, opacity: k }
  return {
    ...b,
    x: interpolateNumber(a.x, b.x)(k),
    y: interpolateNumber(a.y, b.y)(k),
    w: interpolateNumber(a.w, b.w)(k),
    opacity: 1,
  }
}

function StringPanelImpl({ title, before, after, events, t, lang }: StringPanelProps) {
  const to = useMemo(() => layoutString(after, fieldWords[lang]), [after, lang])
  const from = useMemo(
    () => (before ? layoutString(before, fieldWords[lang]) : null),
    [before, lang],
  )
  const k = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const previous = new Map(
    from?.blocks.flatMap((b) => b.fields.map((f) => [`${b.id}/${f.id}`, f] as const)) ?? [],
  )
  const own = events.filter(
    (e) => (e.type === 'sds/grown' || e.type === 'object/encodingConverted') && e.key === after.key,
  )
  const width = Math.max(...to.blocks.map((b) => b.width), 200) + 8
  return (
    <section aria-label={title} className="string-panel" data-encoding={after.encoding}>
      <StringSummaryList view={after} lang={lang} />
      <p className="string-panel__encoding">{text.encoding[after.encoding][lang]}</p>
      {to.shared && <p data-testid="shared-integer">{text.shared[lang]}</p>}
      <StepCaption className="string-panel__caption">
        {own.map((e) => narration[e.type](e as never)[lang]).join(' ')}
      </StepCaption>
      <Legend items={stringLegend(to.blocks, lang)} lang={lang} />
      <svg
        width={width}
        height={to.height + 24}
        viewBox={`0 0 ${width} ${to.height + 24}`}
        role="img"
        aria-label={title}
      >
        <defs>
          <marker
            id="string-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        {to.blocks.map((b) => (
          <g key={b.id} data-id={b.id} transform={`translate(0,${b.y + TITLE_H})`}>
            <text y={-4} className="string-panel__block-title">
              {b.title}
            </text>
            {b.fields.map((f) => {
              const g = lerpField(previous.get(`${b.id}/${f.id}`), f, k)
              return (
                <g
                  key={f.id}
                  data-id={f.id}
                  data-kind={f.kind}
                  opacity={g.opacity}
                  transform={`translate(${g.x},${g.y})`}
                >
                  <rect
                    width={g.w}
                    height={FIELD_H}
                    className={`string-field string-field--${f.kind}`}
                  />
                  <text x={3} y={13} className="string-field__label">
                    {f.label}
                  </text>
                  <text x={3} y={26} className="string-field__value">
                    {f.value}
                  </text>
                </g>
              )
            })}
          </g>
        ))}
        {to.pointer && (
          <polyline
            data-id="pointer"
            points={to.pointer.points.map(([x, y]) => `${String(x)},${String(y)}`).join(' ')}
            fill="none"
            markerEnd="url(#string-arrow)"
            className="string-panel__pointer"
          />
        )}
      </svg>
    </section>
  )
}

export const StringPanel = memo(StringPanelImpl)
