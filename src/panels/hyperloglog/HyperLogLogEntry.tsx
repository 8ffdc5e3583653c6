/**
 * Registry entry for HyperLogLog strings: the HLL panel, and a tab with the plain string
 * panel (an HLL is a string: GET shows these bytes), whose view the HLL view carries.
 */
import { useState, type ReactNode } from 'react'
import type { InspectView } from '../../engine/api.ts'
import type { HyperLogLogView } from '../../engine/inspectHll.ts'
import type { PanelProps } from '../registry.ts'
import { PanelTabs } from '../shared/PanelTabs.tsx'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import StringEntry from '../string/StringEntry.tsx'
import { HyperLogLogPanel } from './HyperLogLogPanel.tsx'

const tabs = {
  hll: { en: 'HyperLogLog', zh: 'HyperLogLog' },
  string: { en: 'String bytes', zh: '字符串字节' },
  label: { en: 'View', zh: '视图' },
} as const

/** The plain string view an HLL view carries. */
function stringOf(v: InspectView | null): InspectView | null {
  const s = v?.['string']
  return typeof s === 'object' && s !== null && 'kind' in s ? (s as InspectView) : null
}

export default function HyperLogLogEntry(p: PanelProps): ReactNode {
  const [tab, setTab] = useState<'hll' | 'string'>('hll')
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(p, (e) => isKeyEvent(e, key, ['hll/']))
  const after = (p.after ?? p.before) as HyperLogLogView | null
  if (after?.kind !== 'hyperloglog') return null
  const before = p.before?.kind === 'hyperloglog' ? (p.before as unknown as HyperLogLogView) : null
  return (
    <div className="hll-entry">
      <PanelTabs
        tabs={[
          { id: 'hll', label: tabs.hll[p.lang] },
          { id: 'string', label: tabs.string[p.lang] },
        ]}
        selected={tab}
        label={tabs.label[p.lang]}
        onSelect={setTab}
      />
      {tab === 'hll' ? (
        <HyperLogLogPanel
          title={key}
          before={before}
          after={after}
          events={p.events}
          step={k}
          t={t}
          lang={p.lang}
          settled={isSettled(p)}
        />
      ) : (
        <StringEntry {...p} before={stringOf(p.before)} after={stringOf(p.after)} />
      )}
    </div>
  )
}
