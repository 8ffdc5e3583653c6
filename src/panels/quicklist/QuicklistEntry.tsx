/** Registry entry for lists (quicklist encoding). */
import type { ReactNode } from 'react'
import type { QuicklistView } from '../../engine/inspectContainers.ts'
import type { PanelProps } from '../registry.ts'
import { isSettled, useOwnStep } from '../shared/stepFold.ts'
import { QuicklistPanel } from './QuicklistPanel.tsx'

/** Whether an event changes this list's chain (quicklist/* or a node's listpack/*). */
export function isQuicklistStep(e: PanelProps['events'][number], key: string): boolean {
  if (!('key' in e) || e.key !== key) return false
  if (e.type.startsWith('quicklist/')) return true
  return e.type.startsWith('listpack/') && 'node' in e && e.node !== undefined
}

export default function QuicklistEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as QuicklistView | null
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(p, (e) => isQuicklistStep(e, key))
  if (after?.kind !== 'quicklist') return null
  const before = p.before?.kind === 'quicklist' ? (p.before as unknown as QuicklistView) : null
  return (
    <QuicklistPanel
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
