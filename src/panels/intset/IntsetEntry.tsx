/** Registry entry for intset-encoded sets. */
import type { ReactNode } from 'react'
import type { IntsetView } from '../../engine/inspectContainers.ts'
import type { PanelProps } from '../registry.ts'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import { IntsetPanel } from './IntsetPanel.tsx'

export default function IntsetEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as IntsetView | null
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(p, (e) => isKeyEvent(e, key, ['intset/']))
  if (after?.kind !== 'intset') return null
  const before = p.before?.kind === 'intset' ? (p.before as unknown as IntsetView) : null
  return (
    <IntsetPanel
      title={key}
      before={before}
      after={after}
      events={p.events}
      step={k}
      t={t}
      lang={p.lang}
      settled={isSettled(p)}
    />
  )
}
