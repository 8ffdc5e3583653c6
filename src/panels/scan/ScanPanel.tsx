/**
 * The SCAN panel: the cursor's path over the buckets in reverse-binary order, batch by
 * batch, with the keys each batch returned. Buckets already covered, the next one and the
 * pending ones are coloured; when the table is resized in the middle of a scan the strip
 * redraws at the new size and the covered set is still exactly "rev(b) < rev(cursor)",
 * which is why nothing is missed (and, after a shrink, why a key may come twice).
 */
import '../shared/panels.css'
import { memo } from 'react'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { bucketStates, scanOrder, type BucketState, type ScanSession } from './scanModel.ts'

export interface ScanPanelProps {
  readonly title: string
  readonly session: ScanSession
  /** How many calls of the session to show (the playhead); default all. */
  readonly upTo?: number
  readonly lang: 'en' | 'zh'
}

const text = {
  cursor: { en: 'cursor', zh: '游标' },
  order: { en: 'visit order', zh: '访问顺序' },
  batch: { en: 'batch', zh: '批次' },
  returned: { en: 'returned', zh: '返回' },
  complete: { en: 'Scan complete: cursor is back to 0.', zh: '扫描完成：游标回到 0。' },
  resized: {
    en: 'The table was resized during the scan; the cursor keeps its meaning because it counts in the high bits.',
    zh: '扫描期间哈希表改变了大小；游标从高位开始计数，所以含义不变。',
  },
  duplicates: {
    en: 'Returned more than once (the table shrank, or a cursor was used twice):',
    zh: '被返回了不止一次（哈希表缩容了，或同一个游标用了两次）：',
  },
  numbers: {
    en: 'Each bucket shows its index, and under it its turn in the visit order (0 = first).',
    zh: '每个桶上方是桶号，下方是它在访问顺序中的次序（0 = 第一个）。',
  },
  visited: { en: 'covered: already returned', zh: '已覆盖：已经返回' },
  next: { en: 'next: the bucket the cursor names', zh: '下一个：游标指向的桶' },
  pending: { en: 'not visited yet', zh: '尚未访问' },
  why: {
    en: 'A bucket b is covered when reverse(b) < reverse(cursor): growth splits covered buckets into covered buckets.',
    zh: '当 reverse(b) < reverse(cursor) 时桶 b 已被覆盖：扩容把已覆盖的桶拆成仍然已覆盖的桶。',
  },
} as const

/** Height of a bucket's box; its visit rank is written under it. */
const BOX_H = 18

/**
 * The strip's grid for a table size: cells wide enough for the longest index, 32 a row up to
 * 2 digits and 16 past, so a 256-bucket table wraps onto rows instead of shrinking to a
 * hairline. A row holds the buckets (their indexes) and, under them, their visit ranks.
 */
export function scanGrid(size: number): { cell: number; cols: number; rowH: number } {
  const digits = String(Math.max(0, size - 1)).length
  const cell = Math.max(18, digits * 7 + 6)
  return { cell, cols: digits <= 2 ? 32 : 16, rowH: BOX_H + 20 }
}

/** The key to the strip's fills: one item per state some bucket is in. */
function scanLegend(states: readonly BucketState[], lang: 'en' | 'zh'): LegendItem[] {
  const shown = new Set(states)
  return (['visited', 'next', 'pending'] as const)
    .filter((st) => shown.has(st))
    .map((st) => ({ shape: `scan-bucket scan-bucket--${st}`, label: text[st][lang], id: st }))
}

function ScanPanelImpl({ title, session, upTo, lang }: ScanPanelProps) {
  const calls = session.calls.slice(0, upTo ?? session.calls.length)
  const last = calls[calls.length - 1]
  const size = last ? Math.max(last.sizes[0], last.sizes[1]) : 0
  const done = last !== undefined && last.next === 0
  const states = size > 0 && size <= 1024 ? bucketStates(last?.next ?? 0, size, done) : []
  const order = states.length > 0 ? scanOrder(size) : []
  const rank = new Map(order.map((b, i) => [b, i]))
  const visitedNow = new Set(last?.buckets.map((b) => b.bucket))
  const { cell, cols, rowH } = scanGrid(size)
  const gridW = Math.min(Math.max(1, size), cols) * cell
  const gridH = Math.ceil(size / cols) * rowH
  return (
    <section aria-label={title} className="scan-panel">
      <p>
        {text.cursor[lang]}: <strong data-testid="scan-cursor">{last ? last.next : 0}</strong>
      </p>
      <p className="scan-panel__why">{text.why[lang]}</p>
      {session.sizesSeen.length > 1 && <p data-testid="scan-resized">{text.resized[lang]}</p>}
      {states.length > 0 && <p className="scan-panel__numbers">{text.numbers[lang]}</p>}
      <Legend items={states.length > 0 ? scanLegend(states, lang) : []} lang={lang} />
      {states.length > 0 && (
        <svg
          width={gridW}
          height={gridH}
          viewBox={`0 0 ${gridW} ${gridH}`}
          role="img"
          aria-label={text.order[lang]}
        >
          {states.map((st, b) => (
            <g
              key={b}
              data-id={`bucket:${b}`}
              data-state={st}
              data-now={visitedNow.has(b) ? 'true' : undefined}
              transform={`translate(${(b % cols) * cell},${Math.floor(b / cols) * rowH})`}
            >
              <rect width={cell - 2} height={BOX_H} className={`scan-bucket scan-bucket--${st}`} />
              <text x={3} y={BOX_H - 5} className="scan-bucket__index">
                {b}
              </text>
              <text x={3} y={BOX_H + 13} className="scan-bucket__rank">
                {rank.get(b)}
              </text>
            </g>
          ))}
        </svg>
      )}
      <ol className="scan-panel__batches" aria-label={text.batch[lang]}>
        {calls.map((c, i) => (
          <li key={i} data-testid="scan-batch">
            {`${text.cursor[lang]} ${c.cursor} → ${c.next}: `}
            {`${text.returned[lang]} ${c.keys.length}`}
            {c.keys.length > 0 &&
              `: ${c.keys.slice(0, 12).map(bytesToUtf8).join(' ')}${c.keys.length > 12 ? ' …' : ''}`}
          </li>
        ))}
      </ol>
      {done && <p role="status">{text.complete[lang]}</p>}
      {session.duplicates.length > 0 && (
        <p data-testid="scan-duplicates">
          {text.duplicates[lang]} {session.duplicates.map(bytesToUtf8).join(' ')}
        </p>
      )}
    </section>
  )
}

export const ScanPanel = memo(ScanPanelImpl)
