/**
 * Where a lesson outside the command timeline shows, above the panels: for now the legacy
 * ziplist lesson (panels/ziplist), loaded when first opened, behind an error boundary.
 */
import { lazy, Suspense, type ReactNode } from 'react'
import { useT } from '../i18n/useT.ts'
import { useApp } from '../state/react.ts'
import { PanelErrorBoundary } from './PanelErrorBoundary.tsx'

const ZiplistLesson = lazy(() => import('../panels/ziplist/ZiplistLesson.tsx'))

export function LessonArea(): ReactNode {
  const t = useT()
  const open = useApp((s) => s.zlLesson !== null)
  if (!open) return null
  return (
    <PanelErrorBoundary
      resetKey="lesson"
      message={(e) => t('panel.failed', { message: e.message })}
    >
      <Suspense fallback={<p className="panel-empty">…</p>}>
        <ZiplistLesson />
      </Suspense>
    </PanelErrorBoundary>
  )
}
