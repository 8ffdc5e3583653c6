/**
 * The expiry panel: the keys with a TTL (the db's expires dict), the active expire cycle's
 * cursor walking the dict's buckets, which buckets a sampling loop looked at, which keys it
 * found expired and why the cycle stopped; and lazy expiry, when a command touched a key
 * whose time had passed.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'
import { memo, useMemo } from 'react'
import type { StepEvent, StepEventOf } from '../../engine/events.ts'
import type { KeyspaceView } from '../../engine/inspect.ts'
import { counted } from '../../i18n/index.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { Legend } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import {
  applyExpireEvent,
  EX_CELL,
  EX_CELL_H,
  expireModelFromView,
  isExpireStep,
  layoutExpireStrip,
} from './expireModel.ts'

export interface ExpirePanelProps {
  readonly title: string
  readonly before: KeyspaceView | null
  readonly after: KeyspaceView
  readonly events: readonly StepEvent[]
  /** How many of the item's events are shown (all kinds, as PanelProps.step). */
  readonly step: number
  readonly t: number
  readonly lang: 'en' | 'zh'
  /**
   * The item's last step is shown: the keys with a TTL, the cursor and the table size come
   * from `after` (the engine's real state), whatever the trace level left out of the steps
   * (at "summary" the sampling loops and the expires dict's key events are not recorded).
   */
  readonly settled?: boolean
}

type L = 'en' | 'zh'
type Cycle = StepEventOf<'expire/cycleRan'>

/** Keys with a TTL listed by name; past this many the list is cut. */
const MAX_KEYS = 40

const text = {
  explain: {
    en: 'Keys with a TTL are also in the expires dict. A command that touches an expired key deletes it first (lazy expiry); serverCron also walks the expires dict from a saved cursor, sampling up to 20 keys per loop and deleting expired ones (active expiry), and loops again while more than 10% of a sample had expired.',
    zh: '设置了过期时间的键同时存放在过期字典里。命令访问到已过期的键时会先删除它（惰性过期）；serverCron 还会从保存的游标处遍历过期字典，每轮最多抽查 20 个键并删除其中已过期的（主动过期），若一轮里超过 10% 已过期就再来一轮。',
  },
  stats: {
    en: (keys: number, cursor: number, size: number) =>
      `${counted(keys, 'key', 'keys')} with a TTL · cursor ${String(cursor)} · ${counted(size, 'bucket', 'buckets')}`,
    zh: (keys: number, cursor: number, size: number) =>
      `${String(keys)} 个键设置了过期时间 · 游标 ${String(cursor)} · ${String(size)} 个桶`,
  },
  sampled: { en: 'Sampled in the last loop', zh: '上一轮抽查的键' },
  /** The keys the active cycles of this item deleted so far (a tick runs several cycles). */
  expiredSoFar: {
    en: (n: number, cycles: number) =>
      `So far here the active expire cycle ran ${counted(cycles, 'time', 'times')} and deleted ${counted(n, 'key', 'keys')}:`,
    zh: (n: number, cycles: number) =>
      `到这里为止，主动过期周期运行了 ${String(cycles)} 次，删除了 ${String(n)} 个键：`,
  },
  withTtl: { en: 'In the expires dict:', zh: '过期字典中的键：' },
  expiredMark: { en: 'expired', zh: '已过期' },
  lazy: {
    en: (k: string, ms: number) => `${k}: lazily expired, ${String(ms)} ms late`,
    zh: (k: string, ms: number) => `${k}：惰性过期，晚了 ${String(ms)} 毫秒`,
  },
  stop: {
    done: {
      en: 'Stopped: in the last loop of each db at most 10% of the sample had expired (or the dict was empty).',
      zh: '结束原因：每个 db 的最后一轮抽查中过期键不超过 10%（或过期字典为空）。',
    },
    timeLimit: {
      en: 'Stopped: the time limit ran out; the next fast cycle may continue.',
      zh: '结束原因：用完了时间限额；下一次快速周期可能继续。',
    },
    skipped: { en: 'Skipped.', zh: '已跳过。' },
  },
  /**
   * Why a cycle stopped early: its budget (expire.c's timelimit, from
   * ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC or ACTIVE_EXPIRE_CYCLE_FAST_DURATION), checked only
   * every 16 sampling loops, and what Redis does and counts then.
   */
  timeLimit: {
    en: (c: Cycle) =>
      `Out of time: a ${c.kind} cycle may run ${String(c.timeLimitUs)} µs (${c.kind === 'slow' ? '25 % of a cron period of 1,000,000 / hz µs, at active-expire-effort 1' : 'ACTIVE_EXPIRE_CYCLE_FAST_DURATION'}). It reads the clock only once every 16 sampling loops, so it had run ${String(c.elapsedUs)} µs when it saw that: it stopped there (timelimit_exit), leaving expired keys for the next cycles, and INFO stats counts it in expired_time_cap_reached_count.`,
    zh: (c: Cycle) =>
      `时间用完了：${c.kind === 'fast' ? '快速' : '慢速'}周期最多运行 ${String(c.timeLimitUs)} 微秒（${c.kind === 'slow' ? 'active-expire-effort 为 1 时，是一个定时任务周期 1,000,000 / hz 微秒的 25%' : 'ACTIVE_EXPIRE_CYCLE_FAST_DURATION'}）。它每 16 轮抽查才看一次时钟，所以发现超时的时候已经运行了 ${String(c.elapsedUs)} 微秒：它就此停止（timelimit_exit），剩下的过期键留给之后的周期，INFO stats 的 expired_time_cap_reached_count 加 1。`,
  },
  /** `loops` is null when the trace level did not record the sampling loops. */
  cycle: {
    en: (c: Cycle, loops: number | null) =>
      `${c.kind} cycle: ${loops === null ? '' : `${counted(loops, 'sampling loop', 'sampling loops')}, `}${counted(c.sampled, 'key', 'keys')} sampled, ${String(c.expired)} expired, ${String(c.elapsedUs)} µs of ${String(c.timeLimitUs)} µs`,
    zh: (c: Cycle, loops: number | null) =>
      `${c.kind === 'fast' ? '快速' : '慢速'}周期：${loops === null ? '' : `${String(loops)} 轮抽查，`}抽查 ${String(c.sampled)} 个键，过期 ${String(c.expired)} 个，用时 ${String(c.elapsedUs)} 微秒（限额 ${String(c.timeLimitUs)} 微秒）`,
  },
  sampledBucket: {
    en: 'bucket of the expires dict that activeExpireCycle’s last loop sampled (from expires_cursor)',
    zh: 'activeExpireCycle 上一轮抽样的 expires 字典桶（从 expires_cursor 开始）',
  },
} as const

function ExpirePanelImpl(props: ExpirePanelProps) {
  const { title, before, after, events, step, t, lang, settled = false } = props
  const start = useMemo(() => expireModelFromView(before ?? after), [before, after])
  const n = before ? Math.max(0, Math.min(step, events.length)) : 0
  let j = n - 1
  while (j >= 0 && !isExpireStep(events[j] as StepEvent)) j--
  const current = j >= 0 ? events[j] : undefined
  const prev = useMemo(
    () => events.slice(0, Math.max(0, j)).reduce(applyExpireEvent, start),
    [events, j, start],
  )
  const curr = useMemo(() => {
    const folded = events.slice(0, n).reduce(applyExpireEvent, start)
    if (!settled) return folded
    const truth = expireModelFromView(after)
    return { ...folded, keys: truth.keys, cursor: truth.cursor, size: truth.size }
  }, [events, n, start, settled, after])
  const sampledLoops = events.some((e) => e.type === 'expire/bucketsSampled')
  const cycles = events.slice(0, n).filter((e) => e.type === 'expire/cycleRan').length
  const cells = layoutExpireStrip(curr)
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const cursorCell = cells.find((c) => c.cursor)
  const prevCells = layoutExpireStrip({ ...curr, cursor: prev.cursor })
  const prevCursor = prevCells.find((c) => c.cursor)
  const cx =
    cursorCell === undefined
      ? null
      : interpolateNumber(prevCursor?.x ?? cursorCell.x, cursorCell.x)(e)
  const expired = new Set(curr.lastLoop?.expired ?? [])
  const width = Math.max(1, cells.length) * EX_CELL + 2
  const lg: L = lang
  return (
    <section aria-label={title} className="expire-panel">
      <p className="expire-panel__caption">{text.explain[lg]}</p>
      <p data-testid="ex-stats" data-keys={curr.keys.length} data-cursor={curr.cursor}>
        {text.stats[lg](curr.keys.length, curr.cursor, curr.size)}
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lg] : ''}</StepCaption>
      <Legend
        items={
          cells.some((c) => c.sampled) ? [{ swatch: 'pale', label: text.sampledBucket[lg] }] : []
        }
        lang={lg}
      />
      {cells.length > 0 && (
        <svg
          width={width}
          height={44}
          viewBox={`0 0 ${String(width)} 44`}
          role="img"
          aria-label={title}
        >
          {cells.map((c) => (
            <g
              key={c.id}
              data-id={c.id}
              data-sampled={c.sampled || undefined}
              data-cursor={c.cursor || undefined}
              transform={`translate(${String(c.x + 1)},4)`}
            >
              <rect
                width={EX_CELL - 2}
                height={EX_CELL_H}
                className={`ex-bucket${c.sampled ? ' ex-bucket--sampled' : ''}`}
              />
              <text x={3} y={13} className="ex-key">
                {c.index % 1000}
              </text>
            </g>
          ))}
          {cx !== null && (
            <path
              data-id="ex-cursor"
              className="ex-cursor"
              d={`M${String(cx + EX_CELL / 2)},26 l-5,9 l10,0 z`}
            />
          )}
        </svg>
      )}
      {curr.keys.length > 0 && (
        <p className="expire-panel__ttl-keys">
          {text.withTtl[lg]}{' '}
          {curr.keys.slice(0, MAX_KEYS).map((k) => (
            <code key={k} data-ttl-key={k}>
              {bytesToUtf8(k)}{' '}
            </code>
          ))}
          {curr.keys.length > MAX_KEYS ? '…' : ''}
        </p>
      )}
      {curr.lastLoop && curr.lastLoop.sampled.length > 0 && (
        <div>
          <p>{text.sampled[lg]}</p>
          <ul className="expire-panel__keys">
            {curr.lastLoop.sampled.map((k) => (
              <li key={k} data-key={k} data-expired={expired.has(k) || undefined}>
                {bytesToUtf8(k)}
                {expired.has(k) ? ` · ${text.expiredMark[lg]}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {curr.expiredActively.length > 0 && (
        <p
          className="expire-panel__ttl-keys"
          data-testid="ex-expired"
          data-count={curr.expiredActively.length}
        >
          {text.expiredSoFar[lg](curr.expiredActively.length, cycles)}{' '}
          {curr.expiredActively.slice(0, MAX_KEYS).map((k) => (
            <code key={k}>{bytesToUtf8(k)} </code>
          ))}
          {curr.expiredActively.length > MAX_KEYS ? '…' : ''}
        </p>
      )}
      {curr.expiredLazily.length > 0 && (
        <ul className="expire-panel__lazy">
          {curr.expiredLazily.map((x) => (
            <li key={x.key} data-lazy={x.key}>
              {text.lazy[lg](bytesToUtf8(x.key), x.lateMs)}
            </li>
          ))}
        </ul>
      )}
      {curr.timeLimited && (
        <p
          className="expire-panel__time-limit"
          data-testid="ex-time-limit"
          data-limit={curr.timeLimited.timeLimitUs}
          data-elapsed={curr.timeLimited.elapsedUs}
        >
          {text.timeLimit[lg](curr.timeLimited)}
        </p>
      )}
      {curr.cycle && (
        <p data-testid="ex-cycle" data-stop={curr.cycle.stopReason}>
          {text.cycle[lg](curr.cycle, sampledLoops ? curr.cycleLoops : null)}
          {' · '}
          {text.stop[curr.cycle.stopReason][lg]}
        </p>
      )}
    </section>
  )
}

export const ExpirePanel = memo(ExpirePanelImpl)
