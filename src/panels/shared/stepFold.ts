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
 *
 * `settle` is given once the item's last step is shown: it maps the folded model to the
 * engine's after-view (the panel's modelFromView of `after`, keeping whatever the fold adds
 * that a view cannot say, such as stable ids), and `curr` is what it returns. The steps are
 * only as fine as the trace level recorded (at "summary" a dict's keyAdded and an intset's
 * searched are not emitted), so a fold alone can drift; the last step always shows the
 * engine's real state, and the last tween runs from the folded state into it.
 */
export function useStepFold<M>(
  start: M,
  own: readonly StepEvent[],
  step: number,
  apply: (m: M, e: StepEvent) => M,
  settle: ((folded: M) => M) | null = null,
): { prev: M; curr: M; current: StepEvent | undefined } {
  const k = Math.max(0, Math.min(step, own.length))
  const prev = useMemo(
    () => own.slice(0, Math.max(0, k - 1)).reduce(apply, start),
    [own, k, start, apply],
  )
  const current = k > 0 ? own[k - 1] : undefined
  const curr = useMemo(() => {
    const folded = current ? apply(prev, current) : prev
    return settle ? settle(folded) : folded
  }, [current, prev, apply, settle])
  return { prev, curr, current }
}

/** Whether the playhead shows the item's last step: panels then settle on the after-view. */
export function isSettled(p: Pick<PanelProps, 'step' | 'events'>): boolean {
  return p.step >= p.events.length
}

/**
 * The whole fold of a panel whose model is built from a view of one key: the item's events
 * of this key whose type starts with `prefix` (own), the start model (the before view's;
 * `empty` for a key the command creates; the after view's when there is nothing to fold,
 * as with trace off), and the settle on the after view at the item's last step.
 * `fromView`, `empty` and `apply` must be stable (module-level functions).
 */
export function useViewFold<V extends { readonly key: string }, M>(
  p: {
    readonly before: V | null
    readonly after: V
    readonly events: readonly StepEvent[]
    readonly step: number
    readonly settled: boolean
  },
  prefix: string,
  fromView: (v: V) => M,
  empty: (key: string) => M,
  apply: (m: M, e: StepEvent) => M,
): { own: readonly StepEvent[]; prev: M; curr: M; current: StepEvent | undefined } {
  const { before, after, events, step, settled } = p
  const own = useMemo(
    () => events.filter((e) => isKeyEvent(e, after.key, [prefix])),
    [events, after.key, prefix],
  )
  const start = useMemo(
    () => (before ? fromView(before) : own.length > 0 ? empty(after.key) : fromView(after)),
    [before, after, own.length, fromView, empty],
  )
  const settle = useMemo(() => (settled ? () => fromView(after) : null), [settled, after, fromView])
  return { own, ...useStepFold(start, own, step, apply, settle) }
}
