/**
 * The eviction panel inside the keyspace panel: shown when the playhead's item has evict/*
 * or memory/* events.
 */
import type { ReactNode } from 'react'
import type { PanelProps } from '../registry.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import { EvictionPanel } from './EvictionPanel.tsx'
import { isEvictionStep } from './evictionModel.ts'

const text = { title: { en: 'Eviction', zh: '内存淘汰' } } as const

export function EvictionForItem(props: { readonly p: PanelProps }): ReactNode {
  const { p } = props
  const k = p.events.slice(0, p.step).filter(isEvictionStep).length
  const t = useStepTween(`evict:${String(k)}/${String(p.events.length)}`, p.reducedMotion)
  if (!p.events.some(isEvictionStep)) return null
  return (
    <EvictionPanel
      title={`${text.title[p.lang]} · db ${String(p.db)}`}
      events={p.events}
      step={p.step}
      dropped={p.dropped ?? 0}
      t={t}
      lang={p.lang}
    />
  )
}
