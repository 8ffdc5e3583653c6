/** Registry entry for string keys: adapts PanelProps to StringPanel. */
import type { ReactNode } from 'react'
import { translate } from '../../i18n/index.ts'
import type { PanelProps } from '../registry.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import { StringPanel } from './StringPanel.tsx'
import type { StringView } from './stringLayout.ts'

export default function StringEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as StringView | null
  const t = useStepTween(`${String(p.step)}/${String(p.events.length)}`, p.reducedMotion)
  if (after?.kind !== 'string') return null
  const before = p.before?.kind === 'string' ? (p.before as unknown as StringView) : null
  // The string changes at the command's end: before until its events have been shown.
  const done = p.step >= p.events.length
  // A key the command creates has no value to draw before then (not the value it will get).
  if (before === null && !done)
    return (
      <p className="panel-empty" data-testid="panel-not-yet">
        {translate(p.lang, 'inspector.notYet')}
      </p>
    )
  return (
    <StringPanel
      title={p.keyName ?? ''}
      before={done ? before : null}
      after={done ? after : (before ?? after)}
      events={done ? p.events : []}
      t={done ? t : 1}
      lang={p.lang}
    />
  )
}
