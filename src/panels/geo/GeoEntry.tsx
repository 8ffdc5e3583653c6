/**
 * Registry entry for geo sets: the geo panel, and a tab with the sorted set's own panel
 * (listpack or skiplist: a geo set is a zset), whose view the geo view carries as `zset`.
 */
import { useState, type ReactNode } from 'react'
import type { InspectView } from '../../engine/api.ts'
import type { GeoView } from '../../engine/inspectGeo.ts'
import ListpackEntry from '../listpack/ListpackEntry.tsx'
import type { PanelProps } from '../registry.ts'
import SkiplistEntry from '../skiplist/SkiplistEntry.tsx'
import { PanelTabs } from '../shared/PanelTabs.tsx'
import { isKeyEvent, isSettled, useOwnStep } from '../shared/stepFold.ts'
import { GeoPanel } from './GeoPanel.tsx'

const tabs = {
  geo: { en: 'Geo', zh: '地理位置' },
  zset: { en: 'Sorted set', zh: '有序集合' },
  label: { en: 'View', zh: '视图' },
} as const

/** The plain zset view of a view: a geo view's `zset`, or the view itself. */
export function zsetOf(v: InspectView | null): InspectView | null {
  if (v === null) return null
  if (v.kind !== 'geo') return v
  const z = v['zset']
  return typeof z === 'object' && z !== null && 'kind' in z ? (z as InspectView) : null
}

export default function GeoEntry(p: PanelProps): ReactNode {
  const [tab, setTab] = useState<'geo' | 'zset'>('geo')
  const key = p.keyName ?? ''
  const { k, t } = useOwnStep(p, (e) => isKeyEvent(e, key, ['geo/']))
  const after = (p.after ?? p.before) as GeoView | null
  if (after?.kind !== 'geo') return null
  const before = p.before?.kind === 'geo' ? (p.before as unknown as GeoView) : null
  const zsetAfter = zsetOf(p.after)
  const ZsetPanel = zsetAfter?.kind === 'skiplist' ? SkiplistEntry : ListpackEntry
  const encoding = zsetOf(p.after ?? p.before)?.kind ?? 'listpack'
  return (
    <div className="geo-entry">
      <PanelTabs
        tabs={[
          { id: 'geo', label: tabs.geo[p.lang] },
          { id: 'zset', label: `${tabs.zset[p.lang]} (${encoding})` },
        ]}
        selected={tab}
        label={tabs.label[p.lang]}
        onSelect={setTab}
      />
      {tab === 'geo' ? (
        <GeoPanel
          title={key}
          before={before}
          after={after}
          events={p.events}
          step={k}
          t={t}
          lang={p.lang}
          encoding={encoding}
          settled={isSettled(p)}
        />
      ) : (
        <ZsetPanel {...p} before={zsetOf(p.before)} after={zsetAfter} />
      )}
    </div>
  )
}
