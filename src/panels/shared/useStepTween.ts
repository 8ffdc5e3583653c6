/**
 * The frame clock for one panel: progress t in [0, 1] of the step identified by `stepKey`.
 * When the key changes t restarts at 0 and runs to 1 over `durationMs` on the injected
 * scheduler (requestAnimationFrame in the app; tests inject a manual one). With reduced
 * motion, or when no scheduler exists, t is 1 at once: the end state, narration intact.
 *
 * Progress lives in component state fed by the scheduler, never in the store (style.md §7:
 * the store holds discrete facts; animation frames stay local).
 */
import { createContext, useContext, useEffect, useState } from 'react'

export interface FrameScheduler {
  /** Calls fn with a timestamp on the next frame; returns a cancel function. */
  request(fn: (now: number) => void): () => void
}

/** requestAnimationFrame, when the environment has it. */
export const rafScheduler: FrameScheduler | null =
  typeof requestAnimationFrame === 'function'
    ? {
        request: (fn) => {
          const id = requestAnimationFrame(fn)
          return () => {
            cancelAnimationFrame(id)
          }
        },
      }
    : null

export const FrameSchedulerContext = createContext<FrameScheduler | null>(rafScheduler)

/** Step duration at speed 1, in ms. */
export const STEP_MS = 450

/** Returns the progress of the current step. */
export function useStepTween(
  stepKey: string,
  reducedMotion: boolean,
  durationMs = STEP_MS,
): number {
  const scheduler = useContext(FrameSchedulerContext)
  const animate = !reducedMotion && scheduler !== null && durationMs > 0
  const [state, setState] = useState({ key: stepKey, t: animate ? 0 : 1 })
  // A new step starts from 0 (or jumps to 1 without motion) in the same render.
  const current = state.key === stepKey ? state : { key: stepKey, t: animate ? 0 : 1 }
  if (current !== state) setState(current)
  useEffect(() => {
    if (!animate) return undefined
    let start: number | null = null
    let cancel = scheduler.request(function frame(now) {
      start ??= now
      const t = Math.min(1, (now - start) / durationMs)
      setState((s) => (s.key === stepKey ? { key: stepKey, t } : s))
      if (t < 1) cancel = scheduler.request(frame)
    })
    return () => {
      cancel()
    }
  }, [stepKey, animate, scheduler, durationMs])
  return current.t
}
