/**
 * The HyperLogLog panel. Top: the encoding, size, cached cardinality and estimate. For the
 * element a step hashed: its 64-bit hash as bits, the low 14 picking the register and the
 * run of zeros above them giving the value. Then the register being raised (old → new), the
 * sparse opcodes around it (one splitting into up to three, neighbours merging), the
 * promotion to dense, a heat map of all 16384 registers (canvas: one pixel block each) and
 * the histogram of register values the estimator reads.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import './hyperloglog.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateRgb } from 'd3-interpolate'
import { scaleSqrt } from 'd3-scale'
import { memo, useEffect, useMemo, useRef } from 'react'
import type { StepEvent, StepEventOf } from '../../engine/events.ts'
import type { HyperLogLogView } from '../../engine/inspectHll.ts'
import { fill } from '../shared/fill.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { useStepFold } from '../shared/stepFold.ts'
import {
  applyHllEvent,
  emptyHllModel,
  hashBits,
  heatCell,
  HISTO_BAR_PX,
  HLL_INDEX_BITS,
  HEAT_COLS,
  HLL_REGISTERS,
  hllModelFromView,
  layoutOps,
  OP_BYTE_PX,
  layoutHistogram,
  registerHistogram,
  type HashBit,
  type HllModel,
} from './hllModel.ts'

export interface HyperLogLogPanelProps {
  readonly title: string
  readonly before: HyperLogLogView | null
  readonly after: HyperLogLogView
  readonly events: readonly StepEvent[]
  /** How many of this key's hll events are applied. */
  readonly step: number
  readonly t: number
  readonly lang: 'en' | 'zh'
  /** The item's last step is shown: the panel settles on `after`. */
  readonly settled?: boolean
}

const text = {
  explain: {
    en: '16384 registers. An element’s hash picks a register (low 14 bits) and a value (the run of zeros above, plus one); a register only grows. The estimate reads the histogram of register values.',
    zh: '16384 个寄存器。元素的哈希值用低 14 位选择寄存器，用其上连续 0 的个数加一作为值；寄存器只增不减。估计值由寄存器取值的直方图算出。',
  },
  bytes: { en: 'bytes', zh: '字节' },
  estimate: { en: 'estimate', zh: '估计值' },
  cache: { en: 'cached cardinality', zh: '缓存的基数' },
  valid: { en: 'valid', zh: '有效' },
  stale: { en: 'stale', zh: '已失效' },
  hash: { en: 'hash of', zh: '哈希值：' },
  indexBits: { en: 'register index (14 bits)', zh: '寄存器下标（14 位）' },
  run: { en: 'zeros counted', zh: '计数的 0 位' },
  bitRange: { en: 'bits {hi}–{lo}', zh: '第 {hi}–{lo} 位' },
  bitOne: { en: 'bit {n}', zh: '第 {n} 位' },
  stop: { en: 'the first 1, which ends the run', zh: '第一个 1，结束这段 0' },
  value: { en: 'candidate register value', zh: '寄存器的候选值' },
  register: { en: 'register', zh: '寄存器' },
  unchanged: { en: 'unchanged (not larger)', zh: '不变（不更大）' },
  opcodes: { en: 'Sparse opcodes', zh: '稀疏操作码' },
  opcodesHint: {
    en: 'Z: XZERO (2 bytes, up to 16384 zeros) · z: ZERO (up to 64 zeros) · v:value,len VAL (1–4 registers, value ≤ 32)',
    zh: 'Z：XZERO（2 字节，最多 16384 个 0）· z：ZERO（最多 64 个 0）· v:值,长度 VAL（1–4 个寄存器，值 ≤ 32）',
  },
  more: { en: 'more', zh: '个更多' },
  zeroOps: { en: 'ZERO / XZERO: a run of empty registers', zh: 'ZERO / XZERO：一串空寄存器' },
  valOps: { en: 'VAL: registers holding a value', zh: 'VAL：有值的寄存器' },
  freshOps: { en: 'the opcodes this step wrote', zh: '这一步写入的操作码' },
  heatmap: { en: 'Registers (128 a row)', zh: '寄存器（每行 128 个）' },
  nonZero: { en: 'non-zero registers', zh: '非零寄存器' },
  histogram: { en: 'Registers per value', zh: '各取值的寄存器个数' },
  promoted: { en: 'Promoted to dense', zh: '已转为稠密编码' },
} as const

const HEAT_PX = 3
const COLD = '#eef1f6'
const hot = interpolateRgb('#9ec5ff', '#c2261b')

/** The colour of a register value (0: background; 1 → 20+: blue to red). */
function heatColour(v: number): string {
  return v === 0 ? COLD : hot(Math.min(1, (v - 1) / 19))
}

interface HeatmapProps {
  readonly registers: Uint8Array
  readonly focus: number | null
  readonly label: string
}

/** All registers on one canvas; the focused register framed in an SVG overlay. */
const Heatmap = memo(function Heatmap({ registers, focus, label }: HeatmapProps) {
  const ref = useRef<HTMLCanvasElement>(null)
  const rows = HLL_REGISTERS / HEAT_COLS
  useEffect(() => {
    const g = ref.current?.getContext('2d')
    if (!g) return
    g.fillStyle = COLD
    g.fillRect(0, 0, HEAT_COLS * HEAT_PX, rows * HEAT_PX)
    registers.forEach((v, i) => {
      if (v === 0) return
      const { col, row } = heatCell(i)
      g.fillStyle = heatColour(v)
      g.fillRect(col * HEAT_PX, row * HEAT_PX, HEAT_PX, HEAT_PX)
    })
  }, [registers, rows])
  const cell = focus === null ? null : heatCell(focus)
  const w = HEAT_COLS * HEAT_PX
  const h = rows * HEAT_PX
  return (
    // At most the panel's width (a 390 px phone cut the last columns off): the canvas and the
    // overlay scale together, the overlay through its viewBox.
    <div className="hll-heatmap" style={{ width: w, aspectRatio: `${String(w)} / ${String(h)}` }}>
      <canvas ref={ref} width={w} height={h} role="img" aria-label={label} />
      {cell && (
        <svg
          viewBox={`0 0 ${String(w)} ${String(h)}`}
          aria-hidden="true"
          data-testid="hll-heat-focus"
        >
          <rect
            x={cell.col * HEAT_PX - 3}
            y={cell.row * HEAT_PX - 3}
            width={HEAT_PX + 6}
            height={HEAT_PX + 6}
            className="hll-heatmap__focus"
          />
        </svg>
      )}
    </div>
  )
})

/** A hash bit's cell, and a group of eight bits over their `63 … 56` numbers. */
const BIT = 15
const GROUP = 8
const GROUP_WIDTH = GROUP * BIT + 2
const GROUP_HEIGHT = 36

function HashBits({
  e,
  lang,
  t,
}: {
  e: StepEventOf<'hll/elementHashed'>
  lang: 'en' | 'zh'
  t: number
}) {
  const bits = useMemo(() => hashBits(e.hash), [e.hash])
  const stop = bits.find((b) => b.role === 'stop')
  const runTop = HLL_INDEX_BITS + e.count - 2
  const fade = 0.35 + 0.65 * t
  // Bit 63 first, as the number is written, eight bits a small SVG that wraps like a word:
  // one 64-bit row scaled to the panel drew its digits at 6 px on a phone. The roles light
  // up as the step plays; the legend under the bits names each part in words.
  return (
    <figure className="hll-hash" data-testid="hll-hash" data-index={e.index} data-count={e.count}>
      <figcaption>
        {text.hash[lang]} <code>{e.element}</code>: <code>0x{e.hash}</code>
      </figcaption>
      <div className="hll-hash__bits" role="img" aria-label={`0x${e.hash}`}>
        {Array.from({ length: 64 / GROUP }, (_, g) => {
          const hi = 63 - g * GROUP
          return (
            <svg
              key={hi}
              width={GROUP_WIDTH}
              height={GROUP_HEIGHT}
              viewBox={`0 0 ${String(GROUP_WIDTH)} ${String(GROUP_HEIGHT)}`}
              className="hll-hash__group"
              data-bits={`${String(hi)}-${String(hi - GROUP + 1)}`}
            >
              {Array.from({ length: GROUP }, (_, j) => {
                const b = bits[hi - j] as HashBit
                return (
                  <g
                    key={b.bit}
                    transform={`translate(${String(1 + j * BIT)},1)`}
                    data-bit={b.bit}
                    data-role={b.role}
                  >
                    <rect
                      width={BIT - 1}
                      height={18}
                      className={`hll-bit hll-bit--${b.role}`}
                      opacity={b.role === 'rest' ? 1 : fade}
                    />
                    <text x={4} y={13} className="hll-bit__value">
                      {b.value}
                    </text>
                  </g>
                )
              })}
              <text x={1} y={32} className="hll-hash__number">
                {hi}
              </text>
              <text x={GROUP_WIDTH - 1} y={32} className="hll-hash__number" textAnchor="end">
                {hi - GROUP + 1}
              </text>
            </svg>
          )
        })}
      </div>
      <ul className="hll-hash__legend">
        <li data-legend="index">
          <span className="hll-swatch hll-swatch--index" aria-hidden="true" />
          {fill(text.bitRange[lang], { hi: HLL_INDEX_BITS - 1, lo: 0 })} · {text.indexBits[lang]} ={' '}
          <strong>{e.index}</strong>
        </li>
        {e.count > 1 && (
          <li data-legend="run">
            <span className="hll-swatch hll-swatch--run" aria-hidden="true" />
            {fill(text.bitRange[lang], { hi: runTop, lo: HLL_INDEX_BITS })} · {text.run[lang]}:{' '}
            {e.count - 1}
          </li>
        )}
        {stop && (
          <li data-legend="stop">
            <span className="hll-swatch hll-swatch--stop" aria-hidden="true" />
            {fill(text.bitOne[lang], { n: stop.bit })} · {text.stop[lang]}
          </li>
        )}
        <li data-legend="value">
          {text.value[lang]}: {e.count - 1} + 1 = <strong>{e.count}</strong>
        </li>
      </ul>
    </figure>
  )
}

/**
 * The key to the opcodes' fills, as drawn: zero runs and VALs in their own fills, and the
 * ones the step wrote in the highlight.
 */
function opcodesLegend(
  boxes: readonly { readonly op: { readonly op: string }; readonly index: number }[],
  fresh: ReadonlySet<number>,
  lang: 'en' | 'zh',
): LegendItem[] {
  const plain = boxes.filter((b) => !fresh.has(b.index))
  const items: LegendItem[] = []
  if (plain.some((b) => b.op.op !== 'VAL'))
    items.push({ shape: 'hll-op hll-op--zero', label: text.zeroOps[lang], id: 'zero' })
  if (plain.some((b) => b.op.op === 'VAL'))
    items.push({ shape: 'hll-op hll-op--val', label: text.valOps[lang], id: 'val' })
  if (plain.length < boxes.length)
    items.push({ shape: 'hll-op hll-op--fresh', label: text.freshOps[lang], id: 'fresh' })
  return items
}

function Opcodes({
  model,
  current,
  lang,
  e,
}: {
  model: HllModel
  current: StepEvent | undefined
  lang: 'en' | 'zh'
  e: number
}) {
  const ops = model.ops ?? []
  const fresh = new Set<number>()
  let focus = 0
  const split = current?.type === 'hll/registerUpdated' ? current.sparse : null
  if (split) {
    focus = split.at
    split.inserted.forEach((_, i) => fresh.add(split.at + i))
  }
  if (current?.type === 'hll/opcodesMerged') {
    focus = current.at
    fresh.add(current.at)
  }
  const { boxes, before, after } = layoutOps(ops, focus)
  const width = Math.max(60, boxes.reduce((n, b) => Math.max(n, b.x + b.w), 0) + 2)
  return (
    <div className="hll-ops">
      <h3>
        {text.opcodes[lang]} ({ops.length})
      </h3>
      <p className="hll-hint">{text.opcodesHint[lang]}</p>
      <Legend items={opcodesLegend(boxes, fresh, lang)} lang={lang} />
      <div className="hll-ops__row">
        {before > 0 && (
          <span className="hll-more">
            … {before} {text.more[lang]}
          </span>
        )}
        <svg width={width} height={46} viewBox={`0 0 ${width} 46`} role="list">
          {boxes.map((b) => (
            <g
              key={`${String(b.index)}:${b.label}`}
              role="listitem"
              aria-label={b.label}
              data-op-index={b.index}
              data-op={b.label}
              data-first={b.first}
              data-fresh={fresh.has(b.index) ? 'true' : undefined}
              transform={`translate(${b.x},4)`}
              opacity={fresh.has(b.index) ? 0.3 + 0.7 * e : 1}
            >
              <rect
                width={b.w - 2}
                height={26}
                className={`hll-op hll-op--${b.op.op.toLowerCase()}${fresh.has(b.index) ? ' hll-op--fresh' : ''}`}
              />
              <text x={4} y={17} className="hll-op__label">
                {b.w >= OP_BYTE_PX * 2 || b.label.length <= 6 ? b.label : b.label.slice(0, 6)}
              </text>
              <text x={2} y={38} className="hll-op__first">
                {b.first}
              </text>
            </g>
          ))}
        </svg>
        {after > 0 && (
          <span className="hll-more">
            … {after} {text.more[lang]}
          </span>
        )}
      </div>
    </div>
  )
}

function Histogram({ registers, lang }: { registers: Uint8Array; lang: 'en' | 'zh' }) {
  const bars = useMemo(() => layoutHistogram(registerHistogram(registers)), [registers])
  const H = 60
  const y = scaleSqrt().domain([0, HLL_REGISTERS]).range([0, H])
  const last = bars.at(-1)
  const width = (last ? last.x + last.width : 0) + 2
  return (
    <figure className="hll-histogram">
      <figcaption>{text.histogram[lang]}</figcaption>
      <svg width={width} height={H + 28} viewBox={`0 0 ${width} ${H + 28}`} role="list">
        {bars.map(({ value, count, label, x }) => {
          const h = count === 0 ? 0 : Math.max(1, y(count))
          return (
            <g
              key={value}
              role="listitem"
              aria-label={`${String(value)}: ${String(count)}`}
              data-value={value}
              data-count={count}
              transform={`translate(${String(x)},0)`}
            >
              <rect y={H - h} width={HISTO_BAR_PX - 2} height={h} className="hll-bar" />
              <text x={1} y={H + 11} className="hll-bar__value">
                {value}
              </text>
              <text x={1} y={H + 24} className="hll-bar__count">
                {label}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}

function HyperLogLogPanelImpl(props: HyperLogLogPanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const own = useMemo(
    () => events.filter((e) => e.type.startsWith('hll/') && 'key' in e && e.key === after.key),
    [events, after.key],
  )
  // A key the command created starts as createHLLObject's empty sparse HLL; with no events
  // to fold (trace off) the panel shows the engine's view.
  const start = useMemo(
    () =>
      before
        ? hllModelFromView(before)
        : own.length > 0
          ? emptyHllModel(after.key)
          : hllModelFromView(after),
    [before, after, own.length],
  )
  const settle = useMemo(() => (settled ? () => hllModelFromView(after) : null), [settled, after])
  const { curr, current } = useStepFold(start, own, step, applyHllEvent, settle)
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  // The element being added: the last one hashed up to this step.
  const k = Math.max(0, Math.min(step, own.length))
  let hashed: StepEventOf<'hll/elementHashed'> | undefined
  for (let i = k - 1; i >= 0; i--) {
    const ev = own[i]
    if (ev?.type === 'hll/elementHashed') {
      hashed = ev
      break
    }
  }
  const update = current?.type === 'hll/registerUpdated' ? current : undefined
  const focus = update?.index ?? hashed?.index ?? null
  const nonZero = useMemo(() => curr.registers.reduce((n, v) => n + (v > 0 ? 1 : 0), 0), [curr])
  return (
    <section
      aria-label={title}
      className="hll-panel"
      data-encoding={curr.encoding}
      data-testid="hll-panel"
    >
      <p>{text.explain[lang]}</p>
      <p className="hll-facts">
        <code data-testid="hll-encoding">
          {curr.encoding === 'sparse' ? 'HLL_SPARSE' : 'HLL_DENSE'}
        </code>{' '}
        · <span data-testid="hll-bytes">{curr.bytes}</span> {text.bytes[lang]} ·{' '}
        {text.estimate[lang]} <strong data-testid="hll-estimate">{curr.estimate}</strong> ·{' '}
        {text.cache[lang]}{' '}
        <span data-testid="hll-cache" data-valid={curr.cacheValid}>
          {curr.cachedCard} ({curr.cacheValid ? text.valid[lang] : text.stale[lang]})
        </span>
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      {hashed && <HashBits e={hashed} lang={lang} t={hashed === current ? e : 1} />}
      {focus !== null && (update !== undefined || hashed !== undefined) && (
        <p className="hll-register" data-testid="hll-register" data-index={focus}>
          {text.register[lang]} [{focus}]:{' '}
          {update ? (
            <>
              <span className="hll-register__old">{update.old}</span> →{' '}
              <strong className="hll-register__new">{update.new}</strong>
            </>
          ) : (
            <>
              {curr.registers[focus] ?? 0}
              {hashed !== undefined &&
              current === hashed &&
              (curr.registers[focus] ?? 0) >= hashed.count
                ? ` · ${text.unchanged[lang]}`
                : ''}
            </>
          )}
        </p>
      )}
      {current?.type === 'hll/sparseToDense' && (
        <p className="hll-promotion" data-testid="hll-promotion" data-reason={current.reason}>
          {text.promoted[lang]}: {current.bytes} → {curr.bytes} {text.bytes[lang]}
        </p>
      )}
      {curr.ops && <Opcodes model={curr} current={current} lang={lang} e={e} />}
      <h3>{text.heatmap[lang]}</h3>
      <Heatmap
        registers={curr.registers}
        focus={focus}
        label={`${text.nonZero[lang]}: ${String(nonZero)}`}
      />
      <p data-testid="hll-nonzero">
        {text.nonZero[lang]}: {nonZero}
      </p>
      <Histogram registers={curr.registers} lang={lang} />
    </section>
  )
}

export const HyperLogLogPanel = memo(HyperLogLogPanelImpl)
