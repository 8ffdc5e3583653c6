/**
 * The eviction panel: the keys performEvictions sampled (with their scores), the 16-slot
 * eviction pool sorted by score with the best candidate on the right, the victim and the
 * bytes its deletion freed, and the OOM rejection with used memory against maxmemory.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import { easeCubicInOut } from 'd3-ease'
import { memo, useMemo } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import { counted } from '../../i18n/index.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { Legend } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import {
  applyEvictionEvent,
  EMPTY_EVICTION,
  EV_BAR_W,
  EV_GAP,
  EV_SLOT_H,
  EV_SLOT_W,
  EVPOOL_SIZE,
  isEvictionStep,
  layoutMemoryBar,
  layoutPool,
  poolLabels,
  poolScoreLabel,
  slotTextLength,
} from './evictionModel.ts'

export interface EvictionPanelProps {
  readonly title: string
  readonly events: readonly StepEvent[]
  /** How many of the item's events are shown (all kinds, as PanelProps.step). */
  readonly step: number
  /** Steps of the command past the trace's limit, not recorded. */
  readonly dropped?: number
  readonly t: number
  readonly lang: 'en' | 'zh'
}

const text = {
  explain: {
    en: 'Over maxmemory, each command first evicts (and after CONFIG SET maxmemory, or when eviction runs out of time, the eviction time proc goes on between commands): the LRU, LFU and volatile-ttl policies sample a few keys per db, score them (idle time, 255 − frequency, or nearness of expiry) and keep the best 16 in a pool sorted by score; the rightmost is evicted. Random policies pick any key. With noeviction, or nothing to evict, writes get an OOM error.',
    zh: '超过 maxmemory 时，每条命令执行前会先淘汰（CONFIG SET maxmemory 之后，或淘汰用完时间限额时，由淘汰时间事件在命令之间继续淘汰）：LRU、LFU 和 volatile-ttl 策略从每个 db 抽样几个键并打分（空闲时间、255 − 访问频率、或离过期有多近），把最好的 16 个按分数排序放进淘汰池，淘汰最右边的那个。random 策略随便挑一个键。若是 noeviction 或已无键可淘汰，写命令会收到 OOM 错误。',
  },
  sampled: { en: 'Sampled from db', zh: '抽样自 db' },
  pool: { en: 'Eviction pool (worst → best)', zh: '淘汰池（差 → 好）' },
  score: { en: 'score', zh: '分数' },
  best: {
    en: 'the pool’s best candidate (rightmost): performEvictions evicts it next',
    zh: '淘汰池里最好的候选（最右边）：performEvictions 下一个淘汰它',
  },
  prefix: {
    en: (p: string) => `· every key here starts with “${p}”, left out below`,
    zh: (p: string) => `· 这里的键都以“${p}”开头，下面省略`,
  },
  victims: {
    en: (n: number, bytes: number) =>
      `Evicted ${counted(n, 'key', 'keys')}, freeing ${String(bytes)} bytes`,
    zh: (n: number, bytes: number) => `淘汰了 ${String(n)} 个键，释放 ${String(bytes)} 字节`,
  },
  // The count covers the recorded steps only: a big eviction goes on past the trace's limit.
  victimsRecorded: {
    en: (n: number, bytes: number, dropped: number) =>
      `The recorded steps evict ${counted(n, 'key', 'keys')}, freeing ${String(bytes)} bytes; ${String(dropped)} later steps were not recorded (it may have evicted more).`,
    zh: (n: number, bytes: number, dropped: number) =>
      `记录下来的步骤淘汰了 ${String(n)} 个键，释放 ${String(bytes)} 字节；之后还有 ${String(dropped)} 个步骤没有记录（实际可能淘汰得更多）。`,
  },
  memory: {
    en: (used: number, max: number) =>
      `used_memory ${String(used)} B vs maxmemory ${String(max)} B`,
    zh: (used: number, max: number) => `已用内存 ${String(used)} B，maxmemory ${String(max)} B`,
  },
  outOfTime: {
    en: (passes: number) =>
      `Eviction ran out of its time (maxmemory-eviction-tenacity) ${counted(passes, 'time', 'times')}: each time, the eviction time proc took over on the next pass of the event loop.`,
    zh: (passes: number) =>
      `淘汰有 ${String(passes)} 次用完了时间限额（maxmemory-eviction-tenacity）：每次都由淘汰时间事件在事件循环的下一轮接着淘汰。`,
  },
  oom: {
    en: "OOM command not allowed when used memory > 'maxmemory'.",
    zh: '内存超过 maxmemory 且无法淘汰：命令被拒绝（OOM）。',
  },
} as const

/** One line of a pool slot's text, squeezed to the slot when it would reach its border. */
function SlotText({ y, label }: { readonly y: number; readonly label: string }) {
  const length = slotTextLength(label)
  return (
    <text
      x={3}
      y={y}
      className="ev-slot__label"
      textLength={length}
      lengthAdjust={length === undefined ? undefined : 'spacingAndGlyphs'}
    >
      {label}
    </text>
  )
}

function EvictionPanelImpl({ title, events, step, dropped = 0, t, lang }: EvictionPanelProps) {
  const n = Math.max(0, Math.min(step, events.length))
  const m = useMemo(
    () => events.slice(0, n).reduce(applyEvictionEvent, EMPTY_EVICTION),
    [events, n],
  )
  let j = n - 1
  while (j >= 0 && !isEvictionStep(events[j] as StepEvent)) j--
  const current = j >= 0 ? events[j] : undefined
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const slots = layoutPool(m)
  const labels = poolLabels(slots)
  const fresh = new Set(
    current?.type === 'evict/poolUpdated' ? m.sampled.map((c) => `${String(c.db)}:${c.key}`) : [],
  )
  const victim = current?.type === 'evict/keyPicked' ? current : null
  const bar = m.oom ? layoutMemoryBar(m.oom.used, m.oom.maxmemory) : null
  const poolW = EVPOOL_SIZE * (EV_SLOT_W + EV_GAP)
  return (
    <section aria-label={title} className="eviction-panel">
      <p className="eviction-panel__caption">{text.explain[lang]}</p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      {m.sampled.length > 0 && (
        <div>
          <p>
            {text.sampled[lang]} {m.sampledDb ?? 0} · {m.policy}
          </p>
          <ul className="eviction-panel__sampled">
            {m.sampled.map((c) => (
              <li key={`${String(c.db)}:${c.key}`} data-sampled={c.key} data-score={c.score}>
                {bytesToUtf8(c.key)} · {text.score[lang]} {c.score}
              </li>
            ))}
          </ul>
        </div>
      )}
      {(m.pool.length > 0 || m.sampled.length > 0) && (
        <>
          <p>
            {text.pool[lang]}
            {labels.prefix !== '' && (
              <span className="eviction-panel__prefix" data-testid="ev-prefix">
                {' '}
                {text.prefix[lang](labels.prefix)}
              </span>
            )}
          </p>
          <Legend
            items={slots.some((s) => s.best) ? [{ swatch: 'pale', label: text.best[lang] }] : []}
            lang={lang}
          />
          <svg
            width={poolW}
            height={EV_SLOT_H + 8}
            viewBox={`0 0 ${String(poolW)} ${String(EV_SLOT_H + 8)}`}
            role="img"
            aria-label={text.pool[lang]}
          >
            {slots.map((s) => {
              const c = s.candidate
              const isNew = c !== null && fresh.has(`${String(c.db)}:${c.key}`)
              return (
                <g
                  key={s.id}
                  data-id={s.id}
                  data-key={c?.key}
                  data-best={s.best || undefined}
                  opacity={isNew ? 0.3 + 0.7 * e : 1}
                  transform={`translate(${String(s.x)},4)`}
                >
                  <rect
                    width={EV_SLOT_W}
                    height={EV_SLOT_H}
                    className={`ev-slot${s.best ? ' ev-slot--best' : ''}`}
                  />
                  {c && (
                    <>
                      <title>{`${bytesToUtf8(c.key)} · ${String(c.score)}`}</title>
                      <SlotText y={14} label={labels.labels[s.index] ?? ''} />
                      <SlotText y={28} label={poolScoreLabel(c.score)} />
                    </>
                  )}
                </g>
              )
            })}
          </svg>
        </>
      )}
      {victim && (
        <p data-testid="ev-victim" data-key={victim.key} data-freed={victim.freed}>
          {narration['evict/keyPicked'](victim)[lang]}
        </p>
      )}
      {m.victims.length > 0 && (
        <p data-testid="ev-total" data-count={m.victims.length} data-freed={m.freed}>
          {dropped > 0 && n === events.length
            ? text.victimsRecorded[lang](m.victims.length, m.freed, dropped)
            : text.victims[lang](m.victims.length, m.freed)}
        </p>
      )}
      {m.outOfTime > 0 && (
        <p data-testid="ev-out-of-time" data-passes={m.outOfTime}>
          {text.outOfTime[lang](m.outOfTime)}
        </p>
      )}
      {m.oom && bar && (
        <div data-testid="ev-oom" data-used={m.oom.used} data-maxmemory={m.oom.maxmemory}>
          <p>{text.oom[lang]}</p>
          <p>{text.memory[lang](m.oom.used, m.oom.maxmemory)}</p>
          <svg
            width={EV_BAR_W + 4}
            height={22}
            viewBox={`0 0 ${String(EV_BAR_W + 4)} 22`}
            role="img"
            aria-label={text.memory[lang](m.oom.used, m.oom.maxmemory)}
          >
            <rect x={2} y={4} width={EV_BAR_W} height={14} className="ev-slot" />
            <rect
              data-id="ev-bar-used"
              x={2}
              y={4}
              width={bar.used * e}
              height={14}
              className={bar.over ? 'ev-bar__over' : 'ev-bar__used'}
            />
            <line
              data-id="ev-bar-limit"
              x1={2 + bar.limit}
              x2={2 + bar.limit}
              y1={1}
              y2={21}
              className="ev-bar__limit"
            />
          </svg>
        </div>
      )}
    </section>
  )
}

export const EvictionPanel = memo(EvictionPanelImpl)
