/**
 * The SCAN panel: the cursor's path over the buckets in reverse-binary order, batch by
 * batch, with the keys each batch returned. Buckets already covered, the next one and the
 * pending ones are coloured; when the table is resized in the middle of a scan the strip
 * redraws at the new size and the covered set is still exactly "rev(b) < rev(cursor)",
 * which is why nothing is missed (and, after a shrink, why a key may come twice).
 */
import '../shared/panels.css'
import { memo } from 'react'
import { bucketStates, scanOrder, type ScanSession } from './scanModel.ts'

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
    en: 'Returned more than once (after a shrink):',
    zh: '被返回了不止一次（缩容后）：',
  },
  why: {
    en: 'A bucket b is covered when reverse(b) < reverse(cursor): growth splits covered buckets into covered buckets.',
    zh: '当 reverse(b) < reverse(cursor) 时桶 b 已被覆盖：扩容把已覆盖的桶拆成仍然已覆盖的桶。',
  },
} as const

const CELL = 18

function ScanPanelImpl({ title, session, upTo, lang }: ScanPanelProps) {
  const calls = session.calls.slice(0, upTo ?? session.calls.length)
  const last = calls[calls.length - 1]
  const size = last ? Math.max(last.sizes[0], last.sizes[1]) : 0
  const done = last !== undefined && last.next === 0
  const states = size > 0 && size <= 1024 ? bucketStates(last?.next ?? 0, size, done) : []
  const order = states.length > 0 ? scanOrder(size) : []
  const rank = new Map(order.map((b, i) => [b, i]))
  const visitedNow = new Set(last?.buckets.map((b) => b.bucket))
  return (
    <section aria-label={title} className="scan-panel">
      <p>
        {text.cursor[lang]}: <strong data-testid="scan-cursor">{last ? last.next : 0}</strong>
      </p>
      <p className="scan-panel__why">{text.why[lang]}</p>
      {session.sizesSeen.length > 1 && <p data-testid="scan-resized">{text.resized[lang]}</p>}
      {states.length > 0 && (
        <svg
          viewBox={`0 0 ${Math.max(1, size) * CELL} ${CELL * 2 + 4}`}
          role="img"
          aria-label={text.order[lang]}
        >
          {states.map((st, b) => (
            <g
              key={b}
              data-id={`bucket:${b}`}
              data-state={st}
              data-now={visitedNow.has(b) ? 'true' : undefined}
              transform={`translate(${b * CELL},0)`}
            >
              <rect width={CELL - 2} height={CELL} className={`scan-bucket scan-bucket--${st}`} />
              <text x={3} y={CELL - 5} className="scan-bucket__index">
                {b}
              </text>
              <text x={3} y={CELL * 2} className="scan-bucket__rank">
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
              `: ${c.keys.slice(0, 12).join(' ')}${c.keys.length > 12 ? ' …' : ''}`}
          </li>
        ))}
      </ol>
      {done && <p role="status">{text.complete[lang]}</p>}
      {session.duplicates.length > 0 && (
        <p data-testid="scan-duplicates">
          {text.duplicates[lang]} {session.duplicates.join(' ')}
        </p>
      )}
    </section>
  )
}

export const ScanPanel = memo(ScanPanelImpl)
