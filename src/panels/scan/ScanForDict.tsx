/**
 * The SCAN panel for one dict, fed from the timeline: it gathers the dict/scanned events of
 * every item before the playhead and of the playhead's item up to its step, and shows the
 * latest scan session when the playhead's item is part of it. Stepping through a SCAN moves
 * the cursor one dictScan call at a time, as the caption under the timeline tells it.
 */
import { useMemo, type ReactNode } from 'react'
import { useShallow } from 'zustand/shallow'
import type { StepEvent } from '../../engine/events.ts'
import { useApp } from '../../state/react.ts'
import { ScanPanel } from './ScanPanel.tsx'
import { scanCalls, scanSessions, type ScanSession } from './scanModel.ts'

const text = { title: { en: 'SCAN cursor', zh: 'SCAN 游标' } } as const

export function ScanForDict(props: {
  readonly dict: string
  readonly lang: 'en' | 'zh'
}): ReactNode {
  const { items, upTo, step } = useApp(
    useShallow((s) => ({ items: s.items, upTo: s.playhead.item, step: s.playhead.step })),
  )
  const current = items[upTo]
  const session = useMemo((): ScanSession | null => {
    const own = (current?.events ?? []).filter(
      (e) => e.type === 'dict/scanned' && e.dict === props.dict,
    )
    const first = own[0]
    if (first?.type !== 'dict/scanned') return null
    const events: StepEvent[] = []
    for (let i = 0; i <= upTo; i++) {
      const evs = items[i]?.events ?? []
      // The playhead's item only as far as its step: the calls after it have not run yet.
      for (const e of i === upTo ? evs.slice(0, step) : evs)
        if (e.type === 'dict/scanned' && e.dict === props.dict) events.push(e)
    }
    const started = events.includes(first)
    const sessions = started || first.cursor !== 0 ? scanSessions(scanCalls(events)) : []
    // Before the first call of a scan this item starts (step 0 of SCAN 0): cursor 0, nothing
    // covered yet, rather than the end of an earlier scan.
    return (
      sessions[sessions.length - 1] ?? {
        dict: props.dict,
        calls: [],
        complete: false,
        duplicates: [],
        sizesSeen: [],
      }
    )
  }, [items, upTo, step, current, props.dict])
  if (session === null) return null
  return (
    <ScanPanel
      title={`${text.title[props.lang]} · ${props.dict}`}
      session={session}
      lang={props.lang}
    />
  )
}
