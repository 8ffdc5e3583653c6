/**
 * The timeline bar: previous/next command, step back/forward within a command's events,
 * play/pause, speed, a scrubber over the commands, and the caption of the current step
 * (the narration, also announced through an aria-live region).
 */
import type { ReactNode } from 'react'
import type { StepEvent } from '../engine/events.ts'
import { useT } from '../i18n/useT.ts'
import { narrate, quoteKey } from '../panels/shared/narration.ts'
import { displayCommand } from '../state/bridge.ts'
import { isQuiet, runEndingAt } from '../state/quietRuns.ts'
import { useApp, useAppStore } from '../state/react.ts'
import type { AppState } from '../state/store.ts'
import type { TimelineItem } from '../state/types.ts'

export const PLAYER_SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const

/**
 * What a timeline item is, for the counter ("Command 3 of 5"): a clock tick or a
 * reconnection is not a command, so it is named ("Clock tick · 4 of 5").
 */
export function itemPosition(
  item: TimelineItem,
  index: number,
  count: number,
  t: (k: string, p?: Record<string, string | number>) => string,
  past = false,
): string {
  const params = { item: index + 1, items: count }
  if (item.kind === 'command') return t(past ? 'inspector.past' : 'timeline.position', params)
  const what = otherItemName(item, t)
  return t(past ? 'inspector.pastOther' : 'timeline.positionOther', { ...params, what })
}

/** What a timeline item that is not a command is: a clock tick, or a client connecting. */
export function otherItemName(
  item: TimelineItem,
  t: (k: string, p?: Record<string, string | number>) => string,
): string {
  return item.kind === 'tick' ? t('timeline.tick') : t('timeline.connect', { n: item.client ?? 0 })
}

/** What a timeline item is called in a sentence: its command line, a clock tick, a connection. */
export function itemName(
  item: TimelineItem,
  t: (k: string, p?: Record<string, string | number>) => string,
): string {
  return item.kind === 'command' ? displayCommand(item.argv) : otherItemName(item, t)
}

/** The caption for the playhead: the current step's narration, or where we are. */
export function selectCaption(
  s: Pick<AppState, 'items' | 'playhead' | 'language'>,
  t: (k: string, p?: Record<string, string | number>) => string,
): string {
  const item = s.items[s.playhead.item]
  if (s.items.length === 0) return t('timeline.empty')
  if (!item) return t('timeline.before')
  const command = itemName(item, t)
  // An error at the end of its steps says why, in the learner's language: Redis's message in
  // the console stays English (byte for byte), which a newcomer reading Chinese could not act on.
  if (item.reply?.type === 'error' && s.playhead.step === item.events.length)
    return explainError(item.reply.value, item.argv, command, t)
  if (item.events.length === 0) return t('timeline.noEvents', { command })
  if (item.kind === 'tick' && s.playhead.step === item.events.length) {
    // A +10 s jump runs serverCron a hundred times: its last step is usually a cycle that
    // found nothing ("sampled 0 key(s) and expired 0"), which read as if the key the learner
    // was waiting for had not expired. The end of a tick says what it deleted.
    const expired = item.events.flatMap((e) =>
      e.type === 'expire/keyExpiredActively' ? [e.key] : [],
    )
    if (expired.length > 0) {
      const shown = expired.slice(0, 3).map(quoteKey)
      const keys = expired.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ')
      return t('timeline.tickExpired', { count: expired.length, keys })
    }
    // A cron run that rehashed the keyspace (or shrank it) ends with its idle expire cycles:
    // "sampled 0 keys" read as the whole tick while the panels showed the rehash done. The
    // end of a tick tells its last step that did something (the idle cycles after it change
    // nothing the panels show).
    const last = item.events.findLast((e) => !isQuiet(e))
    if (last !== undefined && isQuiet(item.events.at(-1) as StepEvent))
      return narrate(last, s.language)
  }
  // The end of a folded run of idle expire cycles (quietRuns.ts) reads as the run.
  const run = runEndingAt(item.events, s.playhead.step)
  if (run) return t('inspector.quietCycles', { count: run.cycles })
  const event = item.events[s.playhead.step - 1]
  if (!event) return `${command}`
  return narrate(event, s.language)
}

/**
 * What a newcomer can do about an error reply, for the commonest errors (a typo, a wrong
 * number of arguments, a misplaced option, the wrong type, a non-integer, maxmemory); anything else
 * points to Redis's own message in the console.
 */
function explainError(
  message: string,
  argv: readonly string[],
  command: string,
  t: (k: string, p?: Record<string, string | number>) => string,
): string {
  const arity = /^ERR wrong number of arguments for '([^']*)' command/.exec(message)
  const name = (arity?.[1] ?? argv[0] ?? '').replace('|', ' ').toUpperCase()
  const key = arity
    ? 'arity'
    : message.startsWith('ERR unknown command ')
      ? 'unknown'
      : message === 'ERR syntax error'
        ? 'syntax'
        : message.startsWith('WRONGTYPE ')
          ? 'wrongType'
          : message === 'ERR value is not an integer or out of range'
            ? 'notInteger'
            : message.startsWith('OOM ')
              ? 'oom'
              : 'other'
  return t(`timeline.error.${key}`, { command, name })
}

export function TimelineBar(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const items = useApp((s) => s.items)
  const playhead = useApp((s) => s.playhead)
  const playing = useApp((s) => s.playing)
  const speed = useApp((s) => s.speed)
  const language = useApp((s) => s.language)
  const caption = selectCaption({ items, playhead, language }, t)
  const item = items[playhead.item]
  const a = store.getState()
  const atStart = playhead.item < 0
  const atEnd =
    playhead.item >= items.length - 1 && playhead.step >= (items.at(-1)?.events.length ?? 0)

  return (
    <section className="timeline" aria-label={t('timeline.region')}>
      <div className="timeline-controls">
        <button
          type="button"
          aria-label={t('timeline.prevCommand')}
          title={`${t('timeline.prevCommand')} (Shift + ←)`}
          disabled={atStart}
          onClick={() => {
            a.commandBackRequested()
          }}
        >
          «
        </button>
        <button
          type="button"
          aria-label={t('timeline.stepBack')}
          title={`${t('timeline.stepBack')} (←)`}
          disabled={atStart}
          onClick={() => {
            a.stepBackRequested()
          }}
        >
          ‹
        </button>
        <button
          type="button"
          className="timeline-play"
          aria-label={playing ? t('timeline.pause') : t('timeline.play')}
          title={`${playing ? t('timeline.pause') : t('timeline.play')} (Space)`}
          aria-pressed={playing}
          disabled={items.length === 0}
          onClick={() => {
            a.playToggled()
          }}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <button
          type="button"
          aria-label={t('timeline.stepForward')}
          title={`${t('timeline.stepForward')} (→)`}
          disabled={atEnd}
          onClick={() => {
            a.stepForwardRequested()
          }}
        >
          ›
        </button>
        <button
          type="button"
          aria-label={t('timeline.nextCommand')}
          title={`${t('timeline.nextCommand')} (Shift + →)`}
          disabled={playhead.item >= items.length - 1}
          onClick={() => {
            a.commandForwardRequested()
          }}
        >
          »
        </button>
        <label className="timeline-speed">
          <span className="visually-hidden">{t('timeline.speed')}</span>
          <select
            aria-label={t('timeline.speed')}
            title={t('timeline.speed')}
            value={speed}
            onChange={(e) => {
              a.playerSpeedChanged(Number(e.target.value))
            }}
          >
            {PLAYER_SPEEDS.map((x) => (
              <option key={x} value={x}>
                {x}×
              </option>
            ))}
          </select>
        </label>
        <input
          className="timeline-scrub"
          type="range"
          min={-1}
          max={Math.max(-1, items.length - 1)}
          value={playhead.item}
          aria-label={t('timeline.scrub')}
          aria-valuetext={
            item ? itemPosition(item, playhead.item, items.length, t) : t('timeline.before')
          }
          onChange={(e) => {
            a.itemSelected(Number(e.target.value))
          }}
        />
        <span className="timeline-position" data-testid="timeline-position">
          {item
            ? `${itemPosition(item, playhead.item, items.length, t)} · ${t('timeline.step', { step: playhead.step, steps: item.events.length })}`
            : ''}
        </span>
      </div>
      <p className="timeline-caption" role="status" aria-live="polite" data-testid="caption">
        {caption}
        {item && item.dropped > 0 && playhead.step === item.events.length
          ? ` ${t('timeline.dropped', { count: item.dropped })}`
          : ''}
      </p>
    </section>
  )
}
