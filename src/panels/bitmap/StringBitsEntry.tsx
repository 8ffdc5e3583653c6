/**
 * Registry entry for string keys: the string and SDS panel, and a tab with the same bytes
 * as bits (the bitmap panel). The bits tab opens by itself for a command that reads or
 * writes bits (SETBIT, GETBIT, BITCOUNT, BITPOS, BITFIELD) until the learner picks a tab.
 */
import { useState, type ReactNode } from 'react'
import type { PanelProps } from '../registry.ts'
import { PanelTabs } from '../shared/PanelTabs.tsx'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import StringEntry from '../string/StringEntry.tsx'
import type { StringView } from '../string/stringLayout.ts'
import { BitmapPanel } from './BitmapPanel.tsx'

const tabs = {
  string: { en: 'String and SDS', zh: '字符串与 SDS' },
  bits: { en: 'Bits', zh: '位' },
  label: { en: 'View', zh: '视图' },
} as const

export default function StringBitsEntry(p: PanelProps): ReactNode {
  const [chosen, setChosen] = useState<'string' | 'bits' | null>(null)
  const key = p.keyName ?? ''
  const mine = (e: (typeof p.events)[number]) => isKeyEvent(e, key, ['bitmap/'])
  const { k, t } = useOwnStep(p, mine)
  const after = (p.after ?? p.before) as StringView | null
  if (after?.kind !== 'string') return null
  const before = p.before?.kind === 'string' ? (p.before as unknown as StringView) : null
  const tab = chosen ?? (p.events.some(mine) ? 'bits' : 'string')
  return (
    <div className="bitmap-entry">
      <PanelTabs
        tabs={[
          { id: 'string', label: tabs.string[p.lang] },
          { id: 'bits', label: tabs.bits[p.lang] },
        ]}
        selected={tab}
        label={tabs.label[p.lang]}
        onSelect={setChosen}
      />
      {tab === 'string' ? (
        <StringEntry {...p} />
      ) : (
        <BitmapPanel
          title={key}
          before={before}
          after={after}
          events={p.events}
          step={k}
          t={t}
          lang={p.lang}
          settled={isSettled(p)}
        />
      )}
    </div>
  )
}
