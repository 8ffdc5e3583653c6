/**
 * The step logic every structure panel shares: which of the item's events are this panel's,
 * how many of them the playhead has shown, and the model before and after the current one.
 * Panels fold their own events with their pure applyXEvent; nothing here knows a structure.
 */
import { useMemo } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { PanelProps } from '../registry.ts'
import { useStepTween } from './useStepTween.ts'

/** An event that concerns `key` and whose type starts with one of the prefixes. */
export function isKeyEvent(e: StepEvent, key: string, prefixes: readonly string[]): boolean {
  return 'key' in e && e.key === key && prefixes.some((p) => e.type.startsWith(p))
}

/**
 * For a registry entry: how many of this panel's events the playhead has shown (k), and
 * the progress t of the last one from the frame clock.
 */
export function useOwnStep(
  p: PanelProps,
  match: (e: StepEvent) => boolean,
): { k: number; t: number } {
  let k = 0
  for (let i = 0; i < p.step && i < p.events.length; i++) if (match(p.events[i] as StepEvent)) k++
  const t = useStepTween(`${String(k)}/${String(p.events.length)}`, p.reducedMotion)
  return { k, t }
}

/**
 * Folds a panel's own events onto its start model: the model after k − 1 events (prev),
 * after k (curr), and the k-th event itself (current, undefined when k = 0).
 */
export function useStepFold<M>(
  start: M,
  own: readonly StepEvent[],
  step: number,
  apply: (m: M, e: StepEvent) => M,
): { prev: M; curr: M; current: StepEvent | undefined } {
  const k = Math.max(0, Math.min(step, own.length))
  const prev = useMemo(
    () => own.slice(0, Math.max(0, k - 1)).reduce(apply, start),
    [own, k, start, apply],
  )
  const current = k > 0 ? own[k - 1] : undefined
  const curr = useMemo(() => (current ? apply(prev, current) : prev), [current, prev, apply])
  return { prev, curr, current }
}
