/** Registry entry for listpack-encoded hashes and sorted sets. */
import type { ReactNode } from 'react'
import type { ListpackView } from '../../engine/inspectContainers.ts'
import type { PanelProps } from '../registry.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import { ListpackPanel } from './ListpackPanel.tsx'

export default function ListpackEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as ListpackView | null
  const key = p.keyName ?? ''
  const k = p.events
    .slice(0, p.step)
    .filter(
      (e) =>
        e.type.startsWith('listpack/') &&
        'key' in e &&
        e.key === key &&
        !('node' in e && e.node !== undefined),
    ).length
  const t = useStepTween(`${String(k)}/${String(p.events.length)}`, p.reducedMotion)
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
    />
  )
}
