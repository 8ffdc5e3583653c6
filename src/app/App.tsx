/**
 * The shell: header, notices, the console beside the panel area, and the timeline and
 * virtual clock at the bottom. Two columns from 900 px, one column below (a phone's 390 px).
 */
import type { ReactNode } from 'react'
import { Console } from '../console/Console.tsx'
import { useT } from '../i18n/useT.ts'
import { useApp, useAppStore } from '../state/react.ts'
import { ClockControls } from './ClockControls.tsx'
import { Header } from './Header.tsx'
import { HelpOverlay } from './HelpOverlay.tsx'
import { LessonArea } from './LessonArea.tsx'
import { useDocumentSettings, usePlayback, useShortcuts } from './hooks.ts'
import { NoticeBar } from './NoticeBar.tsx'
import { GuardedPanelArea } from './PanelArea.tsx'
import { useRevealDiagram } from './revealDiagram.ts'
import { useResumedScenes } from './runScene.ts'
import { TimelineBar } from './TimelineBar.tsx'

export function App(): ReactNode {
  const t = useT()
  const helpOpen = useApp((s) => s.helpOpen)
  usePlayback()
  useShortcuts()
  useDocumentSettings()
  useRevealDiagram('page')
  useResumedScenes(useAppStore())
  return (
    <div className="app">
      <a className="skip-link" href="#console">
        {t('app.skip')}
      </a>
      <Header />
      <NoticeBar />
      <main className="layout">
        <div id="console" className="layout-console">
          <Console autoFocus />
        </div>
        <div className="layout-panels">
          <LessonArea />
          <GuardedPanelArea />
        </div>
      </main>
      <footer className="layout-timeline">
        <TimelineBar />
        <ClockControls />
      </footer>
      {helpOpen && <HelpOverlay />}
    </div>
  )
}
