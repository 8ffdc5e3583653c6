/**
 * The SCAN panel for one dict, fed from the timeline: it gathers the dict/scanned events of
 * every item up to the playhead and shows the latest scan session when the playhead's item
 * is part of it.
 */
import { useMemo, type ReactNode } from 'react'
import { useShallow } from 'zustand/shallow'
import type { StepEvent } from '../../engine/events.ts'
import { useApp } from '../../state/react.ts'
import { ScanPanel } from './ScanPanel.tsx'
import { scanCalls, scanSessions } from './scanModel.ts'

const text = { title: { en: 'SCAN cursor', zh: 'SCAN 游标' } } as const

export function ScanForDict(props: {
  readonly dict: string
  readonly lang: 'en' | 'zh'
}): ReactNode {
  const { items, upTo } = useApp(useShallow((s) => ({ items: s.items, upTo: s.playhead.item })))
  const current = items[upTo]
  const session = useMemo(() => {
    const nowScans = (current?.events ?? []).some(
      (e) => e.type === 'dict/scanned' && e.dict === props.dict,
    )
    if (!nowScans) return null
    const events: StepEvent[] = []
    for (let i = 0; i <= upTo; i++)
      for (const e of items[i]?.events ?? [])
        if (e.type === 'dict/scanned' && e.dict === props.dict) events.push(e)
    const sessions = scanSessions(scanCalls(events))
    return sessions[sessions.length - 1] ?? null
  }, [items, upTo, current, props.dict])
  if (session === null) return null
  return (
    <ScanPanel
      title={`${text.title[props.lang]} · ${props.dict}`}
      session={session}
      lang={props.lang}
    />
  )
}
