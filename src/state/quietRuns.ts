/**
 * Runs of active-expire cycles that found nothing. A +10 s clock jump runs serverCron a
 * hundred times, and each run's active expire cycle is a step or two ("sampled 1 key(s) and
 * expired 0"): the step where the key actually expires was buried among ~150 of them, and
 * playing through took ages. The step list folds such a run into one row ("98 cycles found
 * nothing"), and stepping and playback treat it as one step: they stop only at its end. The
 * events themselves stay in the item, every one of them.
 */
import type { StepEvent } from '../engine/events.ts'

/** A folded run: events [start, end) of an item, `cycles` of them `expire/cycleRan`. */
export interface QuietRun {
  readonly start: number
  readonly end: number
  readonly cycles: number
}

/** Cycles a run needs before it is folded: one idle cycle reads fine on its own. */
export const MIN_FOLDED_CYCLES = 2

/** Tells whether an event is an expire cycle's step that expired nothing. */
export function isQuiet(e: StepEvent): boolean {
  if (e.type === 'expire/cycleRan') return e.expired === 0
  if (e.type === 'expire/bucketsSampled') return e.expired.length === 0
  return false
}

const cache = new WeakMap<readonly StepEvent[], readonly QuietRun[]>()

/** The folded runs of `events`, in order (computed once per events array). */
export function quietRuns(events: readonly StepEvent[]): readonly QuietRun[] {
  const known = cache.get(events)
  if (known) return known
  const runs: QuietRun[] = []
  let i = 0
  while (i < events.length) {
    if (!isQuiet(events[i] as StepEvent)) {
      i++
      continue
    }
    const start = i
    let cycles = 0
    while (i < events.length && isQuiet(events[i] as StepEvent)) {
      if ((events[i] as StepEvent).type === 'expire/cycleRan') cycles++
      i++
    }
    if (cycles >= MIN_FOLDED_CYCLES) runs.push({ start, end: i, cycles })
  }
  cache.set(events, runs)
  return runs
}

/** The folded run that ends at `step` (its events all shown), if any. */
export function runEndingAt(events: readonly StepEvent[], step: number): QuietRun | undefined {
  return quietRuns(events).find((r) => r.end === step)
}

/** The next step after `step` the playhead may rest at (past a folded run's end). */
export function nextStop(events: readonly StepEvent[], step: number): number {
  const run = quietRuns(events).find((r) => step + 1 > r.start && step + 1 < r.end)
  return run ? run.end : step + 1
}

/** The step before `step` the playhead may rest at (back to a folded run's start). */
export function prevStop(events: readonly StepEvent[], step: number): number {
  const run = quietRuns(events).find((r) => step - 1 > r.start && step - 1 < r.end)
  return run ? run.start : step - 1
}

/**
 * A row of the step list: one event (`inRun` when it is a cycle of an unfolded run), or a
 * folded run (`open` when the learner unfolded it to see its cycles).
 */
export type StepRow =
  | { readonly kind: 'event'; readonly index: number; readonly inRun: boolean }
  | ({ readonly kind: 'quiet'; readonly open: boolean } & QuietRun)

/**
 * The rows of the step list for `events`. A run whose start is in `open` keeps its row (which
 * folds it again) and is followed by a row for each of its events.
 */
export function stepRows(
  events: readonly StepEvent[],
  open: ReadonlySet<number> = new Set(),
): readonly StepRow[] {
  const rows: StepRow[] = []
  const runs = quietRuns(events)
  let r = 0
  for (let i = 0; i < events.length;) {
    const run = runs[r]
    if (run && run.start === i) {
      const unfolded = open.has(run.start)
      rows.push({ kind: 'quiet', open: unfolded, ...run })
      if (unfolded)
        for (let k = run.start; k < run.end; k++)
          rows.push({ kind: 'event', index: k, inRun: true })
      i = run.end
      r++
    } else {
      rows.push({ kind: 'event', index: i, inRun: false })
      i++
    }
  }
  return rows
}
