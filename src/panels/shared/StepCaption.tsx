/**
 * A panel's sentence for the step it draws. On its own a panel announces it (a polite live
 * region); in the app the timeline's caption already announces every step, so the panel
 * area turns the panels' announcements off (StepAnnouncements) and each step is read once:
 * the keyspace dict, the key's panel and the caption all carried the same sentence, and a
 * screen reader read it three times.
 */
import { createContext, useContext, type ReactNode } from 'react'

/** Whether panels announce their step sentences (true unless the app announces them). */
export const StepAnnouncements = createContext(true)

export function StepCaption(props: {
  readonly className?: string
  readonly testId?: string
  readonly children: ReactNode
}): ReactNode {
  const announce = useContext(StepAnnouncements)
  return (
    <p
      className={props.className === undefined ? 'step-caption' : `step-caption ${props.className}`}
      data-testid={props.testId}
      {...(announce ? { role: 'status', 'aria-live': 'polite' as const } : {})}
    >
      {props.children}
    </p>
  )
}
