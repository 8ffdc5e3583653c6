/** Registry entry for streams (view kind 'stream'). */
import type { ReactNode } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { StreamView } from '../../engine/inspectStream.ts'
import type { PanelProps } from '../registry.ts'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import { StreamPanel } from './StreamPanel.tsx'

/** Whether an event is one of this stream's steps (stream/*). */
export function isStreamStep(e: StepEvent, key: string): boolean {
  return isKeyEvent(e, key, ['stream/'])
}

export default function StreamEntry(p: PanelProps): ReactNode {
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(p, (e) => isStreamStep(e, key))
  const after = p.after ?? p.before
  if (after?.kind !== 'stream') return null
  const before = p.before?.kind === 'stream' ? (p.before as unknown as StreamView) : null
  return (
    <StreamPanel
      title={key}
      before={before}
      after={after as unknown as StreamView}
      events={p.events}
      step={k}
      t={t}
      lang={p.lang}
      settled={isSettled(p)}
    />
  )
}
