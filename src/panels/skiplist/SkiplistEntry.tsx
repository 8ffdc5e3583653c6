/** Registry entry for skiplist-encoded sorted sets: the skiplist and the zset's dict. */
import type { ReactNode } from 'react'
import type { SkiplistView } from '../../engine/inspectContainers.ts'
import { DictOfItem } from '../dict/KeyspaceEntry.tsx'
import { bytesToUtf8 } from '../../state/bytes.ts'
import type { PanelProps } from '../registry.ts'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import { SkiplistPanel } from './SkiplistPanel.tsx'

const text = {
  dict: { en: 'Dict (member → score) of', zh: '字典（成员 → 分值）：' },
} as const

export default function SkiplistEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as SkiplistView | null
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(p, (e) => isKeyEvent(e, key, ['zsl/']))
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
        settled={isSettled(p)}
      />
      <DictOfItem
        title={`${text.dict[p.lang]} ${bytesToUtf8(key)}`}
        before={before?.dict ?? null}
        after={after.dict}
        p={p}
      />
    </>
  )
}
