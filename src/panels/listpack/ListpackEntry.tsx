/** Registry entry for listpack-encoded hashes and sorted sets. */
import type { ReactNode } from 'react'
import type { ListpackView } from '../../engine/inspectContainers.ts'
import type { PanelProps } from '../registry.ts'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import { ListpackPanel } from './ListpackPanel.tsx'

export default function ListpackEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as ListpackView | null
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(
    p,
    (e) => isKeyEvent(e, key, ['listpack/']) && !('node' in e && e.node !== undefined),
  )
  if (after?.kind !== 'listpack') return null
  const before = p.before?.kind === 'listpack' ? (p.before as unknown as ListpackView) : null
  return (
    <ListpackPanel
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
