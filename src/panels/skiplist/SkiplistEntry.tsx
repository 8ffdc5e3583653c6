/** Registry entry for skiplist-encoded sorted sets: the skiplist and the zset's dict. */
import type { ReactNode } from 'react'
import type { SkiplistView } from '../../engine/inspectContainers.ts'
import { DictOfItem } from '../dict/KeyspaceEntry.tsx'
import type { PanelProps } from '../registry.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import { SkiplistPanel } from './SkiplistPanel.tsx'

export default function SkiplistEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as SkiplistView | null
  const key = p.keyName ?? ''
  const k = p.events
    .slice(0, p.step)
    .filter((e) => e.type.startsWith('zsl/') && 'key' in e && e.key === key).length
  const t = useStepTween(`${String(k)}/${String(p.events.length)}`, p.reducedMotion)
  if (after?.kind !== 'skiplist') return null
  const before = p.before?.kind === 'skiplist' ? (p.before as unknown as SkiplistView) : null
  return (
    <>
      <SkiplistPanel
        title={key}
        before={before}
        after={after}
        events={p.events}
        step={k}
        t={t}
        lang={p.lang}
      />
      <DictOfItem title={`dict · ${key}`} before={before?.dict ?? null} after={after.dict} p={p} />
    </>
  )
}
