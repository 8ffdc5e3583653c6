/**
 * The virtual clock: shows the engine's time, pauses and resumes it, sets its speed, and
 * jumps it forward (+1 s, +10 s, +1 min) so TTLs, lazy and active expiry can be watched.
 * Time only moves through advanceClock messages, so every jump is in the log and replays.
 */
import type { ReactNode } from 'react'
import { useT } from '../i18n/useT.ts'
import { useApp, useAppStore } from '../state/react.ts'

export const CLOCK_SPEEDS = [1, 2, 10, 60] as const
const JUMPS = [
  { ms: 1000, label: '+1s' },
  { ms: 10_000, label: '+10s' },
  { ms: 60_000, label: '+1min' },
] as const

/** Formats virtual Unix ms as a UTC time of day. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23)
}

export function ClockControls(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const clock = useApp((s) => s.clock)
  const a = store.getState()
  return (
    <section className="clock" aria-label={t('clock.region')}>
      {/* Visible too: beside the playback speed, a bare time and "1×" read as part of it. */}
      <span className="clock-label" aria-hidden="true">
        {t('clock.region')}
      </span>
      <span
        className="clock-time"
        data-testid="clock-time"
        title={new Date(clock.now).toISOString()}
      >
        {formatClock(clock.now)}
      </span>
      {/* Its name says what a press does; no aria-pressed as well ("Resume clock, pressed"
          contradicted itself in a screen reader). */}
      <button
        type="button"
        aria-label={clock.running ? t('clock.pause') : t('clock.resume')}
        title={clock.running ? t('clock.pause') : t('clock.resume')}
        onClick={() => {
          if (clock.running) a.clockPaused()
          else a.clockResumed()
        }}
      >
        {clock.running ? '❚❚' : '▶'}
      </button>
      <select
        aria-label={t('clock.speed')}
        title={t('clock.speed')}
        value={clock.speed}
        onChange={(e) => {
          a.clockSpeedChanged(Number(e.target.value))
        }}
      >
        {CLOCK_SPEEDS.map((x) => (
          <option key={x} value={x}>
            {x}×
          </option>
        ))}
      </select>
      {JUMPS.map((j) => (
        <button
          key={j.ms}
          type="button"
          aria-label={t('clock.jump', { label: j.label })}
          title={t('clock.jump', { label: j.label })}
          onClick={() => {
            a.clockJumpRequested(j.ms)
          }}
        >
          {j.label}
        </button>
      ))}
    </section>
  )
}
