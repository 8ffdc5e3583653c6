/**
 * Registry entries for dicts: the keyspace of a db (main dict, and the expires dict when it
 * has keys) and hashtable-encoded values. They adapt the panel-area contract (views before
 * and after the playhead's item, its events, how many are shown) to DictPanel, and add the
 * SCAN panel when the item scanned this dict. What the item did (SCAN, an expire cycle, an
 * eviction) comes above the dicts, which can be tall.
 */
import { useState, type ReactNode } from 'react'
import type { DictView, KeyspaceView } from '../../engine/inspect.ts'
import type { HashtableView } from '../../engine/inspectContainers.ts'
import { EvictionForItem } from '../eviction/EvictionForItem.tsx'
import { ExpireForItem } from '../expire/ExpireForItem.tsx'
import { bytesToUtf8 } from '../../state/bytes.ts'
import type { PanelProps } from '../registry.ts'
import { ScanForDict } from '../scan/ScanForDict.tsx'
import { isSettled } from '../shared/stepFold.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import { DictPanel, eventsOfDict } from './DictPanel.tsx'

const text = {
  keys: { en: 'Keys (main dict)', zh: '键（主字典）' },
  expires: { en: 'Expires dict', zh: '过期字典' },
  fields: { en: 'Hash table of', zh: '哈希表：' },
} as const

/** One dict of the item: its view before, the events, the step within its own events. */
export function DictOfItem(props: {
  readonly title: string
  readonly before: DictView | null
  readonly after: DictView
  readonly p: PanelProps
}): ReactNode {
  const { p } = props
  const [range, setRange] = useState<readonly [number, number] | undefined>(undefined)
  const own = props.before ? eventsOfDict(p.events, props.before.ref).length : 0
  // Settle on the engine's after-view at the end of an item whose steps cannot rebuild it:
  // no events for this dict (a bulk load runs untraced), or a cut view of a big dict.
  const cut = props.before?.tables.some((tb) => tb.truncated) ?? false
  const settle = props.before === null || (p.step >= p.events.length && (own === 0 || cut))
  const base = settle ? props.after : (props.before ?? props.after)
  const events = settle ? [] : p.events
  const k = eventsOfDict(events.slice(0, p.step), base.ref).length
  const t = useStepTween(`${base.ref}:${String(k)}:${String(p.events.length)}`, p.reducedMotion)
  return (
    <>
      {/* Above the dict: a 32-bucket table would push the cursor out of sight. */}
      <ScanForDict dict={base.ref} lang={p.lang} />
      <DictPanel
        title={props.title}
        before={base}
        events={events}
        step={k}
        t={t}
        lang={p.lang}
        {...(range ? { range } : {})}
        onZoom={setRange}
        settleTo={settle || !isSettled(p) ? null : props.after}
      />
    </>
  )
}

export default function KeyspaceEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as KeyspaceView | null
  if (after === null) return null
  const before = p.before as KeyspaceView | null
  return (
    <div className="keyspace-panels">
      {/* What this item did (an expire cycle, an eviction) first, then the dicts it did it to. */}
      <ExpireForItem before={before} after={after} p={p} />
      <EvictionForItem p={p} />
      <DictOfItem
        title={`${text.keys[p.lang]} · db ${String(after.db)}`}
        before={before?.dict ?? null}
        after={after.dict}
        p={p}
      />
      {(after.expiresCount > 0 || (before?.expiresCount ?? 0) > 0) && (
        <DictOfItem
          title={`${text.expires[p.lang]} · db ${String(after.db)}`}
          before={before?.expires ?? null}
          after={after.expires}
          p={p}
        />
      )}
    </div>
  )
}

/** Hashtable-encoded hashes and sets; skiplist zsets' dicts come with the skiplist panel. */
export function HashtableEntry(p: PanelProps): ReactNode {
  const after = (p.after ?? p.before) as HashtableView | null
  if (after?.kind !== 'hashtable') return null
  const before = p.before?.kind === 'hashtable' ? (p.before as unknown as HashtableView) : null
  return (
    <DictOfItem
      title={`${text.fields[p.lang]} ${bytesToUtf8(p.keyName ?? '')}`}
      before={before?.dict ?? null}
      after={after.dict}
      p={p}
    />
  )
}
