/**
 * The expiry panel inside the keyspace panel: shown when the playhead's item has expire/*
 * events that did something (a clock tick whose active expire cycle sampled keys, or a
 * command that found an expired key); not for cycles that found no key with a TTL.
 */
import type { ReactNode } from 'react'
import type { KeyspaceView } from '../../engine/inspect.ts'
import type { PanelProps } from '../registry.ts'
import { isSettled } from '../shared/stepFold.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import { ExpirePanel } from './ExpirePanel.tsx'
import { expireDidSomething, isExpireStep } from './expireModel.ts'

const text = { title: { en: 'Expiry', zh: '过期' } } as const

export function ExpireForItem(props: {
  readonly before: KeyspaceView | null
  readonly after: KeyspaceView
  readonly p: PanelProps
}): ReactNode {
  const { p } = props
  const k = p.events.slice(0, p.step).filter(isExpireStep).length
  const t = useStepTween(`expire:${String(k)}/${String(p.events.length)}`, p.reducedMotion)
  if (!expireDidSomething(p.events)) return null
  return (
    <ExpirePanel
      title={`${text.title[p.lang]} · db ${String(props.after.db)}`}
      before={props.before}
      after={props.after}
      events={p.events}
      step={p.step}
      t={t}
      lang={p.lang}
      settled={isSettled(p)}
    />
  )
}
