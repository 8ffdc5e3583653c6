/**
 * Embed mode (`?embed=key` or `?embed=keyspace`, usually with a permalink fragment): the
 * compact app an author puts in an iframe in a blog post. One panel area, a mini console
 * and the step controls; no header, and nothing is saved, so an embed never touches the
 * reader's own session. A link opens the same scene in the full app. Panels offer no Pin
 * (see PanelAreaProps.canPin).
 */
import type { ReactNode } from 'react'
import { Console } from '../console/Console.tsx'
import { HelpOverlay } from './HelpOverlay.tsx'
import { usePlayback, useShortcuts, useDocumentSettings } from './hooks.ts'
import { NoticeBar } from './NoticeBar.tsx'
import { GuardedPanelArea } from './PanelArea.tsx'
import { useRevealDiagram } from './revealDiagram.ts'
import { TimelineBar } from './TimelineBar.tsx'
import { useApp } from '../state/react.ts'
import './embed.css'

const text = {
  open: { en: 'Open in Redis X-Ray', zh: '在 Redis X-Ray 中打开' },
} as const

/** Which panels an embed shows: the command's key, the keyspace, or both. */
export type EmbedView = 'key' | 'keyspace' | 'all'

/** Reads the embed view from a URL's search params (null: not an embed). */
export function embedViewOf(search: string): EmbedView | null {
  const v = new URLSearchParams(search).get('embed')
  if (v === null) return null
  return v === 'key' || v === 'keyspace' ? v : 'all'
}

export function EmbedApp(props: { readonly view: EmbedView; readonly fullUrl: string }): ReactNode {
  const lang = useApp((s) => s.language)
  const helpOpen = useApp((s) => s.helpOpen)
  usePlayback()
  useShortcuts()
  useDocumentSettings()
  useRevealDiagram('embed')
  return (
    <div className={`app app--embed app--embed-${props.view}`}>
      <NoticeBar />
      <main className="layout layout--embed">
        <div className="layout-panels">
          <GuardedPanelArea canPin={false} />
        </div>
        <div id="console" className="layout-console layout-console--mini">
          <Console followPlayhead />
        </div>
      </main>
      <footer className="layout-timeline">
        <TimelineBar />
        {/* In a short frame only the arrow shows (embed.css); the name stays the link's. */}
        <a
          className="embed-open"
          href={props.fullUrl}
          target="_blank"
          rel="noopener"
          title={text.open[lang]}
        >
          <span className="embed-open-text">{text.open[lang]}</span> ↗
        </a>
      </footer>
      {/* '?' opens the shortcuts here too (it did nothing in an embed). */}
      {helpOpen && <HelpOverlay embed />}
    </div>
  )
}
